"""``Assignment.plan``: the plan of the assignment's task, copied onto the assignment, filled
for the assignments already written and then required, with the index on (agency, plan) an
agency's plans are read from (``plans.access.visible_plans``, the work list)."""

import django.db.models.deletion
from django.db import migrations, models


def copy_plans(apps, schema_editor):
    table, tasks = "tasks_assignment", "tasks_task"
    if schema_editor.connection.vendor == "postgresql":
        # One hash join over the two tables rather than a lookup a row.
        sql = (
            f'UPDATE "{table}" SET "plan_id" = t."plan_id" FROM "{tasks}" AS t '
            f'WHERE t."id" = "{table}"."task_id" AND "{table}"."plan_id" IS NULL'
        )
    else:
        sql = (
            f'UPDATE "{table}" SET "plan_id" = (SELECT t."plan_id" FROM "{tasks}" AS t '
            f'WHERE t."id" = "{table}"."task_id") WHERE "plan_id" IS NULL'
        )
    schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ("plans", "0012_plan_end_year_index"),
        ("tasks", "0011_historical_assignment_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="assignment",
            name="plan",
            field=models.ForeignKey(
                editable=False, db_index=False, null=True,
                on_delete=django.db.models.deletion.CASCADE, related_name="+",
                to="plans.plan", verbose_name="plan",
            ),
        ),
        migrations.RunPython(copy_plans, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="assignment",
            name="plan",
            field=models.ForeignKey(
                editable=False, db_index=False,
                on_delete=django.db.models.deletion.CASCADE, related_name="+",
                to="plans.plan", verbose_name="plan",
            ),
        ),
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(fields=["agency", "plan"], name="assignment_agency_plan"),
        ),
    ]
