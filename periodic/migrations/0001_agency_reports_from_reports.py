"""The agency periodic reports move from ``reports`` to ``periodic``, keeping their tables.

The tables keep their ``reports_`` names (``Meta.db_table``), so no row is copied; the
content types are renamed so that admin log entries and permissions follow the models.
"""

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models

MODELS = ["agencyreport", "agencyreportfigure", "agencyreporttaskstate", "historicalagencyreport"]


def _rename_content_types(apps, old, new):
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not content_type.objects.filter(app_label=new, model=model).exists():
            content_type.objects.filter(app_label=old, model=model).update(app_label=new)


def move_content_types(apps, schema_editor):
    _rename_content_types(apps, "reports", "periodic")


def move_content_types_back(apps, schema_editor):
    _rename_content_types(apps, "periodic", "reports")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('reports', '0002_generatedreport_reportdraft'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('agencies', '0002_group_scope'),
        ('plans', '0003_written_parts'),
        ('tasks', '0004_schedule_labels'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay as they are: only Django's idea of which app owns them moves.
            state_operations=[
                migrations.CreateModel(
                    name='AgencyReport',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                        ('period_code', models.CharField(max_length=3, verbose_name='period')),
                        ('status', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted'), ('accepted', 'Accepted'), ('returned', 'Returned for changes')], default='draft', max_length=10, verbose_name='status')),
                        ('results', models.TextField(blank=True, verbose_name='results')),
                        ('shortcomings', models.TextField(blank=True, verbose_name='shortcomings and their causes')),
                        ('proposals', models.TextField(blank=True, verbose_name='proposals')),
                        ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='submitted at')),
                        ('reviewed_at', models.DateTimeField(blank=True, null=True, verbose_name='reviewed at')),
                        ('return_comment', models.TextField(blank=True, verbose_name="coordinator's comment")),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('version', models.PositiveIntegerField(default=1, verbose_name='version')),
                        ('agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='periodic_reports', to='agencies.agency', verbose_name='agency')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                        ('plan', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='agency_reports', to='plans.plan', verbose_name='plan')),
                        ('reviewed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='reviewed by')),
                        ('submitted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='submitted by')),
                    ],
                    options={
                        'verbose_name': 'agency periodic report',
                        'verbose_name_plural': 'agency periodic reports',
                        'db_table': 'reports_agencyreport',
                        'ordering': ['-year', 'period_code', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='AgencyReportFigure',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('value', models.PositiveIntegerField(verbose_name='value')),
                        ('measure', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='plans.measure', verbose_name='measure')),
                        ('report', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='figures', to='periodic.agencyreport')),
                    ],
                    options={
                        'verbose_name': 'report figure',
                        'verbose_name_plural': 'report figures',
                        'db_table': 'reports_agencyreportfigure',
                    },
                ),
                migrations.CreateModel(
                    name='AgencyReportTaskState',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('not_started', 'Not started'), ('in_progress', 'In progress'), ('done', 'Done'), ('cancelled', 'Cancelled')], max_length=12, verbose_name='status')),
                        ('percent', models.PositiveSmallIntegerField(default=0, verbose_name='progress (%)')),
                        ('note', models.TextField(blank=True, verbose_name='note')),
                        ('assignment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tasks.assignment', verbose_name='assignment')),
                        ('report', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='task_states', to='periodic.agencyreport')),
                    ],
                    options={
                        'verbose_name': 'task state',
                        'verbose_name_plural': 'task states',
                        'db_table': 'reports_agencyreporttaskstate',
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalAgencyReport',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                        ('period_code', models.CharField(max_length=3, verbose_name='period')),
                        ('status', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted'), ('accepted', 'Accepted'), ('returned', 'Returned for changes')], default='draft', max_length=10, verbose_name='status')),
                        ('results', models.TextField(blank=True, verbose_name='results')),
                        ('shortcomings', models.TextField(blank=True, verbose_name='shortcomings and their causes')),
                        ('proposals', models.TextField(blank=True, verbose_name='proposals')),
                        ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='submitted at')),
                        ('reviewed_at', models.DateTimeField(blank=True, null=True, verbose_name='reviewed at')),
                        ('return_comment', models.TextField(blank=True, verbose_name="coordinator's comment")),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='updated at')),
                        ('version', models.PositiveIntegerField(default=1, verbose_name='version')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('agency', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='agencies.agency', verbose_name='agency')),
                        ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('plan', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.plan', verbose_name='plan')),
                        ('reviewed_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='reviewed by')),
                        ('submitted_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='submitted by')),
                    ],
                    options={
                        'verbose_name': 'historical agency periodic report',
                        'verbose_name_plural': 'historical agency periodic reports',
                        'db_table': 'reports_historicalagencyreport',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.AddIndex(
                    model_name='agencyreport',
                    index=models.Index(fields=['agency', 'status'], name='reports_age_agency__3ceb2d_idx'),
                ),
                migrations.AddConstraint(
                    model_name='agencyreport',
                    constraint=models.UniqueConstraint(fields=('plan', 'agency', 'year', 'period_code'), name='agency_report_unique_per_period'),
                ),
                migrations.AddConstraint(
                    model_name='agencyreportfigure',
                    constraint=models.UniqueConstraint(fields=('report', 'measure'), name='report_figure_unique'),
                ),
                migrations.AddConstraint(
                    model_name='agencyreporttaskstate',
                    constraint=models.UniqueConstraint(fields=('report', 'assignment'), name='report_task_state_unique'),
                ),
                migrations.AddConstraint(
                    model_name='agencyreporttaskstate',
                    constraint=models.CheckConstraint(condition=models.Q(('percent__lte', 100)), name='report_task_percent_max_100'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
