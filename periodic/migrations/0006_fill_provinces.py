"""The province of every existing agency, plan, task, assignment, progress update and periodic
report, copied from its source row by ``UPDATE … FROM`` in batches of ids (each its own
transaction: the migration is not atomic)."""

from django.db import migrations

from agencies.provinces import copy_provinces

# The tables as they are at this migration (later tables with a province fill themselves).
TABLES = [
    ("plans_plan", "issuer_id", "agencies_agency"),
    ("tasks_task", "plan_id", "plans_plan"),
    ("reports_agencyreport", "plan_id", "plans_plan"),
    ("tasks_assignment", "task_id", "tasks_task"),
    ("tasks_progressupdate", "assignment_id", "tasks_assignment"),
]


def fill(apps, schema_editor):
    copy_provinces(schema_editor.connection, tables=TABLES)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("agencies", "0007_agency_province"),
        ("plans", "0010_plan_province"),
        ("tasks", "0008_task_assignment_update_province"),
        ("periodic", "0005_agency_report_province"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
