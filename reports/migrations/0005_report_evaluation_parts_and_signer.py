from django.db import migrations, models


def conclusions_to_results(apps, schema_editor):
    ReportDraft = apps.get_model("reports", "ReportDraft")
    for draft in ReportDraft.objects.exclude(conclusions=""):
        draft.results = draft.conclusions
        draft.save(update_fields=["results"])


def results_to_conclusions(apps, schema_editor):
    ReportDraft = apps.get_model("reports", "ReportDraft")
    for draft in ReportDraft.objects.exclude(results=""):
        draft.conclusions = draft.results
        draft.save(update_fields=["conclusions"])


def text(name):
    return models.TextField(blank=True, verbose_name=name)


def line(name):
    return models.CharField(blank=True, max_length=120, verbose_name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0004_generated_report_task_and_attempts"),
    ]

    operations = [
        migrations.AddField("reportdraft", "results", text("results achieved")),
        migrations.AddField("reportdraft", "shortcomings", text("shortcomings and their causes")),
        migrations.AddField("reportdraft", "lessons", text("lessons learned")),
        migrations.AddField(
            "reportdraft", "next_tasks", text("tasks and solutions for the next period")
        ),
        migrations.AddField("reportdraft", "proposals", text("proposals")),
        migrations.AddField("reportdraft", "signer_authority", line("signing authority")),
        migrations.AddField("reportdraft", "signer_title", line("signer's title")),
        migrations.AddField("reportdraft", "signer_name", line("signer's name")),
        # The one "assessment and proposals" text of before becomes the first part.
        migrations.RunPython(conclusions_to_results, results_to_conclusions),
        migrations.RemoveField("reportdraft", "conclusions"),
    ]
