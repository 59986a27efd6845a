"""Bulk writes with their history for the spreadsheet imports, in a fixed number of queries.

What Django's ``bulk_create``/``bulk_update`` and simple-history's
``bulk_create_with_history``/``bulk_update_with_history`` do, at a cost that holds at
thousands of rows (measured here on 2,000 tasks). Django's ``bulk_update`` builds a ``CASE
WHEN`` per row and field: 3.7 s of CPU against 0.04 s for one ``UPDATE … WHERE id = %s`` a
row. ``bulk_create`` and simple-history's ``bulk_history_create`` compile every value
through the ORM (and make a model instance per history row), which took longer than the
database's own work. Here the values go straight to multi-row ``INSERT``s, the history rows
hold what simple-history records (the tracked fields, date, user, reason, type), and on
PostgreSQL statements go to the server by pages (one round trip for many rows).
"""

from operator import attrgetter

from django.db import connections, models, router
from django.db.models.base import ModelState
from django.utils import timezone

from agencies.provinces import set_provinces

# Values the database drivers take as they are, whatever the field (the common case here).
PLAIN = (str, int, bool, type(None))
ROWS_PER_STATEMENT = 1000


def _prepared(column, value, connection):
    if type(value) in PLAIN:
        return value
    return column.get_db_prep_save(value, connection)


def _values(objs, columns, connection):
    """The rows of ``objs``' values for ``columns``, read at once by ``attrgetter``."""
    read = attrgetter(*[column.attname for column in columns])
    if len(columns) == 1:
        return [[_prepared(columns[0], read(obj), connection)] for obj in objs]
    return [
        [value if type(value) in PLAIN else column.get_db_prep_save(value, connection)
         for column, value in zip(columns, read(obj), strict=True)]
        for obj in objs
    ]


def _insert(model, columns, rows, returning=None):
    """Insert ``rows`` (lists of prepared values for ``columns``) in multi-row statements
    that stay under the database's parameter limit; the ``returning`` column's values."""
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    head = (
        f"INSERT INTO {quote(model._meta.db_table)} "
        f"({', '.join(quote(column.column) for column in columns)}) VALUES "
    )
    tail = f" RETURNING {quote(returning.column)}" if returning else ""
    placeholder = f"({', '.join(['%s'] * len(columns))})"
    limit = connection.features.max_query_params
    batch = min(ROWS_PER_STATEMENT, limit // len(columns) if limit else ROWS_PER_STATEMENT)
    values = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start:start + batch]
            cursor.execute(
                head + ", ".join([placeholder] * len(chunk)) + tail,
                [value for row in chunk for value in row],
            )
            if returning:
                values += [value for (value,) in cursor.fetchall()]
    return values


class Blank:
    """New unsaved instances of ``model`` by the thousand, as ``model(**values)`` would make
    them from plain column values (``task_id=``, not ``task=``), at a fraction of the cost of
    ``Model.__init__``: each is a copy of one instance holding the model's defaults, with
    its own state. Only for a model whose defaults are constants (checked)."""

    def __init__(self, model):
        made_later = [field.name for field in model._meta.concrete_fields
                      if field.has_default() and callable(field.default)]
        if made_later:
            raise TypeError(f"{model.__name__}: defaults made at save time: {made_later}")
        self.model = model
        self.columns = {field.attname for field in model._meta.concrete_fields}
        self.defaults = None

    def __call__(self, **values):
        if self.defaults is None:
            self.defaults = {name: value for name, value in vars(self.model()).items()
                             if name != "_state"}
        unknown = values.keys() - self.columns
        if unknown:
            raise TypeError(f"{self.model.__name__}: not columns: {sorted(unknown)}")
        obj = self.model.__new__(self.model)
        obj.__dict__.update(self.defaults)
        obj.__dict__.update(values)
        obj._state = ModelState()
        return obj


def insert_rows(objs):
    """Insert the new model instances ``objs`` and give them their ids, as ``bulk_create``
    does with ``RETURNING``, for models whose fields take no value at save time (no
    ``auto_now``, no database default). Without ``RETURNING``, ``bulk_create`` does it."""
    if not objs:
        return
    model = type(objs[0])
    if hasattr(model, "province_source"):
        set_provinces(objs)
    alias = router.db_for_write(model)
    connection = connections[alias]
    if not connection.features.can_return_rows_from_bulk_insert:
        model.objects.bulk_create(objs)
        return
    pk = model._meta.pk
    columns = [field for field in model._meta.concrete_fields if field is not pk]
    ids = _insert(model, columns, _values(objs, columns, connection), returning=pk)
    for obj, value in zip(objs, ids, strict=True):
        setattr(obj, pk.attname, value)
        obj._state.adding = False
        obj._state.db = alias


def update_rows(objs, fields):
    """Write ``fields`` of the saved model instances ``objs``: one ``UPDATE`` a row, sent
    with ``executemany`` (SQLite) or by pages of statements (PostgreSQL)."""
    if not objs:
        return
    model = type(objs[0])
    connection = connections[router.db_for_write(model)]
    columns = [model._meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(column.column)} = %s" for column in columns)
    sql = (
        f"UPDATE {quote(model._meta.db_table)} SET {assignments} "
        f"WHERE {quote(model._meta.pk.column)} = %s"
    )
    values = _values(objs, columns, connection)
    rows = [row + [obj.pk] for row, obj in zip(values, objs, strict=True)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One statement a page, the rows joined as a VALUES list (psycopg2 would send
            # each statement of an executemany in its own round trip, and many statements
            # cost the server as many plans). Each value cast to its column's type.
            pk = model._meta.pk
            names = [quote(f"v_{column.column}") for column in [*columns, pk]]
            casts = [column.cast_db_type(connection) for column in [*columns, pk]]
            row_sql = "(" + ", ".join(f"%s::{cast}" for cast in casts) + ")"
            table = quote(model._meta.db_table)
            head = (
                f"UPDATE {table} SET "
                + ", ".join(f"{quote(column.column)} = v.{name}"
                            for column, name in zip(columns, names, strict=False))
                + " FROM (VALUES "
            )
            tail = f") AS v ({', '.join(names)}) WHERE {table}.{quote(pk.column)} = v.{names[-1]}"
            for start in range(0, len(rows), ROWS_PER_STATEMENT):
                page = rows[start:start + ROWS_PER_STATEMENT]
                cursor.execute(
                    head + ", ".join([row_sql] * len(page)) + tail,
                    [v for row in page for v in row],
                )
        else:
            cursor.executemany(sql, rows)


def record_history(objs, model, history_type, *, user=None, reason="", date=None):
    """One history row per saved object: ``history_type`` "+" (created), "~" (changed) or
    "-" (about to be deleted). The rows are copied by the database from the objects' own
    rows (``INSERT … SELECT``), which hold what the objects were saved with: no value goes
    through Python or over the connection twice."""
    if not objs:
        return
    history = model.history.model
    connection = connections[router.db_for_write(history)]
    quote = connection.ops.quote_name
    by_attname = {field.attname: field for field in history._meta.fields}
    tracked = [by_attname[field.attname] for field in history.tracked_fields]
    stamp = [by_attname[name] for name in
             ("history_date", "history_change_reason", "history_type", "history_user_id")]
    stamp_values = [
        column.get_db_prep_save(value, connection)
        for column, value in zip(
            stamp, [date or timezone.now(), reason, history_type, user.pk if user else None],
            strict=True,
        )
    ]
    source = {field.attname: field.column for field in model._meta.concrete_fields}
    pk = quote(model._meta.pk.column)
    sql = (
        f"INSERT INTO {quote(history._meta.db_table)} "
        f"({', '.join(quote(column.column) for column in [*tracked, *stamp])}) "
        f"SELECT {', '.join(quote(source[column.attname]) for column in tracked)}, "
        f"{', '.join(['%s'] * len(stamp))} FROM {quote(model._meta.db_table)} "
        f"WHERE {pk} IN "
    )
    pks = [obj.pk for obj in objs]
    limit = connection.features.max_query_params
    batch = min(ROWS_PER_STATEMENT, limit - len(stamp) if limit else ROWS_PER_STATEMENT)
    with connection.cursor() as cursor:
        for start in range(0, len(pks), batch):
            chunk = pks[start:start + batch]
            cursor.execute(
                sql + f"({', '.join(['%s'] * len(chunk))}) ORDER BY {pk}",
                [*stamp_values, *chunk],
            )


def create_with_history(objs, model, *, user=None, reason="", date=None):
    """``insert_rows`` (which gives the objects their ids), then their history rows."""
    if objs:
        insert_rows(objs)
        record_history(objs, model, "+", user=user, reason=reason, date=date)


def update_with_history(objs, model, fields, *, user=None, reason="", date=None):
    """``update_rows``, then one history row per object."""
    if objs:
        update_rows(objs, fields)
        record_history(objs, model, "~", user=user, reason=reason, date=date)


def delete_with_history(objs, model, *, user=None, reason="", date=None):
    """Delete the saved ``objs``, one history row each ("-", as simple-history records a
    deletion). Objects that other rows refer to (a cascade to follow) go through the ORM;
    the others, usually all of them, are deleted by ``DELETE … WHERE id IN`` with their
    history written in bulk, in a number of queries that does not grow with them."""
    if not objs:
        return
    pks = [obj.pk for obj in objs]
    referred = set()
    # Hidden relations too (``related_name="+"``): they cascade like the others.
    relations = [field for field in model._meta.get_fields(include_hidden=True)
                 if field.auto_created and not field.concrete
                 and (field.one_to_many or field.one_to_one)]
    for relation in relations:
        if relation.on_delete is models.DO_NOTHING:
            continue
        referred.update(
            relation.related_model._base_manager.filter(
                **{f"{relation.field.name}__in": pks}
            ).values_list(relation.field.attname, flat=True)
        )
    if referred:
        model._base_manager.filter(pk__in=referred).delete()
    plain = [obj for obj in objs if obj.pk not in referred]
    if not plain:
        return
    record_history(plain, model, "-", user=user, reason=reason, date=date)
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    sql = (f"DELETE FROM {quote(model._meta.db_table)} "
           f"WHERE {quote(model._meta.pk.column)} IN ")
    with connection.cursor() as cursor:
        for start in range(0, len(plain), ROWS_PER_STATEMENT):
            chunk = [obj.pk for obj in plain[start:start + ROWS_PER_STATEMENT]]
            cursor.execute(sql + f"({', '.join(['%s'] * len(chunk))})", chunk)
