"""Rows written straight to the tables, for the data generator: ``COPY`` on PostgreSQL,
``executemany`` of one ``INSERT`` a table on SQLite.

The generator gives every row its id (from the table's largest one), so that rows can refer
to each other before anything is written; the sequences are moved past them at the end.
Foreign keys are checked at commit (Django declares them deferrable), so tables are written
in any order within one transaction.
"""

import csv
import datetime
import io
import json
from decimal import Decimal

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max

NULL = r"\N"


class Table:
    """The columns of one model's table, with each field's default for rows that omit it."""

    def __init__(self, model):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.index = {field.attname: n for n, field in enumerate(self.fields)}
        self.defaults = [
            None if field.primary_key else field.get_default() for field in self.fields
        ]
        self.rows = []
        self.written = 0
        self.next_id = (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1

    def new_id(self):
        value = self.next_id
        self.next_id += 1
        return value

    def add(self, **values):
        """Queue one row; ``id`` is given one when omitted. Returns the id."""
        row = self.defaults.copy()
        index = self.index
        for name, value in values.items():
            row[index[name]] = value
        if row[0] is None:
            row[0] = self.new_id()
        self.rows.append(row)
        return row[0]


def _csv_value(value):
    if value is None:
        return NULL
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value


class Sink:
    """Queued rows by model; ``flush`` writes them all (in the caller's transaction)."""

    def __init__(self):
        self.tables = {}

    def __getitem__(self, model):
        table = self.tables.get(model)
        if table is None:
            table = self.tables[model] = Table(model)
        return table

    def skip_foreign_key_checks(self):
        """PostgreSQL as a superuser: no foreign-key trigger per row for the rest of the
        transaction (the rows refer to rows made with them); elsewhere nothing changes."""
        if connection.vendor != "postgresql":
            return False
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            if not cursor.fetchone()[0]:
                return False
            cursor.execute("SET LOCAL session_replication_role = replica")
        return True

    def flush(self):
        for table in self.tables.values():
            if table.rows:
                if connection.vendor == "postgresql":
                    self._copy(table)
                else:
                    self._insert(table)
                table.written += len(table.rows)
                table.rows = []

    def _copy(self, table):
        quote = connection.ops.quote_name
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        for row in table.rows:
            writer.writerow([_csv_value(value) for value in row])
        buffer.seek(0)
        columns = ", ".join(quote(field.column) for field in table.fields)
        sql = (
            f"COPY {quote(table.model._meta.db_table)} ({columns}) "
            f"FROM STDIN WITH (FORMAT csv, NULL '{NULL}')"
        )
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(sql, buffer)

    def _insert(self, table):
        quote = connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field in table.fields)
        marks = ", ".join(["%s"] * len(table.fields))
        sql = f"INSERT INTO {quote(table.model._meta.db_table)} ({columns}) VALUES ({marks})"
        adapt = connection.ops.adapt_datetimefield_value

        def value(v):
            if isinstance(v, datetime.datetime):
                return adapt(v)
            if isinstance(v, (list, dict)):
                return json.dumps(v, ensure_ascii=False)
            if isinstance(v, (datetime.date, Decimal)):
                return str(v)
            return v

        with connection.cursor() as cursor:
            cursor.executemany(sql, [[value(v) for v in row] for row in table.rows])

    def reset_sequences(self):
        """Move each table's id sequence past the ids given here (PostgreSQL)."""
        models = [table.model for table in self.tables.values() if table.written]
        statements = connection.ops.sequence_reset_sql(no_style(), models)
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    def analyze(self):
        """Fresh planner statistics for the tables written (PostgreSQL: the autovacuum
        daemon would get there later; pages measured before would be planned blind)."""
        if connection.vendor != "postgresql":
            return
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            for table in self.tables.values():
                if table.written:
                    cursor.execute(f"ANALYZE {quote(table.model._meta.db_table)}")

    def counts(self):
        return {table.model._meta.label: table.written for table in self.tables.values()}
