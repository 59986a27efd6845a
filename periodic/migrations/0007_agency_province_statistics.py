"""PostgreSQL statistics of the agency and province columns taken together.

An agency lies in one province, so filtering on both keeps the agency's rows; without these
statistics the planner multiplies the two selectivities, expects a few dozen rows where there
are hundreds, and chose a nested loop over an officer's plans and assignments ("Việc của đơn
vị": 650 ms at a million tasks, 29 ms with them). Nothing to do on SQLite."""

from django.db import migrations

STATISTICS = [
    ("tasks_assignment_agency_province", "tasks_assignment", "agency_id, province_id"),
    ("agency_report_agency_province", "reports_agencyreport", "agency_id, province_id"),
    ("plans_plan_issuer_province", "plans_plan", "issuer_id, province_id"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, columns in STATISTICS:
        schema_editor.execute(
            f"CREATE STATISTICS IF NOT EXISTS {name} (dependencies, ndistinct) "
            f"ON {columns} FROM {table}"
        )
        schema_editor.execute(f"ANALYZE {table}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _columns in STATISTICS:
        schema_editor.execute(f"DROP STATISTICS IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("periodic", "0006_fill_provinces"),
    ]

    operations = [migrations.RunPython(create, drop)]
