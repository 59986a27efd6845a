"""``ProgressUpdate.has_figures``: whether the update came with figures, set for the updates
already written from their figures, and the partial index of those updates by province and
time (``reports.counting.figures_of_each`` reads a province's year of figures through it)."""

from django.db import migrations, models

MARK = (
    "UPDATE tasks_progressupdate SET has_figures = TRUE "
    "WHERE id IN (SELECT update_id FROM tasks_updatefigure)"
)


class Migration(migrations.Migration):

    dependencies = [
        ("tasks", "0009_drop_redundant_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="progressupdate",
            name="has_figures",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunSQL(MARK, reverse_sql=migrations.RunSQL.noop, elidable=False),
        migrations.AddIndex(
            model_name="progressupdate",
            index=models.Index(
                condition=models.Q(("has_figures", True)),
                fields=["province", "created_at", "assignment"],
                name="update_with_figures",
            ),
        ),
    ]
