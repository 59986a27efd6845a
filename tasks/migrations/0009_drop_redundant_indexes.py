"""Drop the single-column indexes of four foreign keys that an index starting with the same
column already serves (``assignment_unique`` for the task, (agency, status), (assignment,
created_at) and the unique (update, measure)): they were only written, never needed. The
indexes alone are dropped; the foreign keys stay as they are (altering the fields would drop
and validate them again, a scan of every row)."""

import django.db.models.deletion
from django.db import migrations, models

# (table, column, index): the names Django gave the indexes, on every database.
INDEXES = [
    ("tasks_assignment", "agency_id", "tasks_assignment_agency_id_add5f521"),
    ("tasks_assignment", "task_id", "tasks_assignment_task_id_53c45b5e"),
    ("tasks_progressupdate", "assignment_id", "tasks_progressupdate_assignment_id_8950e61d"),
    ("tasks_updatefigure", "update_id", "tasks_updatefigure_update_id_10b2efed"),
]


class Migration(migrations.Migration):

    dependencies = [
        ("agencies", "0007_agency_province"),
        ("tasks", "0008_task_assignment_update_province"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{index}"',
                    reverse_sql=f'CREATE INDEX IF NOT EXISTS "{index}" ON "{table}" ("{column}")',
                )
                for table, column, index in INDEXES
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="assignment",
                    name="agency",
                    field=models.ForeignKey(
                        db_index=False, on_delete=django.db.models.deletion.PROTECT,
                        related_name="assignments", to="agencies.agency", verbose_name="agency",
                    ),
                ),
                migrations.AlterField(
                    model_name="assignment",
                    name="task",
                    field=models.ForeignKey(
                        db_index=False, on_delete=django.db.models.deletion.CASCADE,
                        related_name="assignments", to="tasks.task", verbose_name="task",
                    ),
                ),
                migrations.AlterField(
                    model_name="progressupdate",
                    name="assignment",
                    field=models.ForeignKey(
                        db_index=False, on_delete=django.db.models.deletion.CASCADE,
                        related_name="updates", to="tasks.assignment", verbose_name="assignment",
                    ),
                ),
                migrations.AlterField(
                    model_name="updatefigure",
                    name="update",
                    field=models.ForeignKey(
                        db_index=False, on_delete=django.db.models.deletion.CASCADE,
                        related_name="figures", to="tasks.progressupdate",
                    ),
                ),
            ],
        ),
    ]
