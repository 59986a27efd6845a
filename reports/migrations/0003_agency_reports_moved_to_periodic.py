"""The agency periodic reports now belong to ``periodic`` (its 0001); their tables stay."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('periodic', '0001_agency_reports_from_reports'),
        ('reports', '0002_generatedreport_reportdraft'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay as they are: only Django's idea of which app owns them moves.
            state_operations=[
                migrations.RemoveIndex(
                    model_name='agencyreport',
                    name='reports_age_agency__3ceb2d_idx',
                ),
                migrations.RemoveConstraint(
                    model_name='agencyreport',
                    name='agency_report_unique_per_period',
                ),
                migrations.RemoveConstraint(
                    model_name='agencyreportfigure',
                    name='report_figure_unique',
                ),
                migrations.RemoveConstraint(
                    model_name='agencyreporttaskstate',
                    name='report_task_state_unique',
                ),
                migrations.RemoveConstraint(
                    model_name='agencyreporttaskstate',
                    name='report_task_percent_max_100',
                ),
                migrations.RemoveField(
                    model_name='agencyreport',
                    name='agency',
                ),
                migrations.RemoveField(
                    model_name='agencyreport',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='agencyreport',
                    name='plan',
                ),
                migrations.RemoveField(
                    model_name='agencyreport',
                    name='reviewed_by',
                ),
                migrations.RemoveField(
                    model_name='agencyreport',
                    name='submitted_by',
                ),
                migrations.RemoveField(
                    model_name='agencyreportfigure',
                    name='measure',
                ),
                migrations.RemoveField(
                    model_name='agencyreportfigure',
                    name='report',
                ),
                migrations.RemoveField(
                    model_name='agencyreporttaskstate',
                    name='assignment',
                ),
                migrations.RemoveField(
                    model_name='agencyreporttaskstate',
                    name='report',
                ),
                migrations.DeleteModel(
                    name='HistoricalAgencyReport',
                ),
                migrations.DeleteModel(
                    name='AgencyReportFigure',
                ),
                migrations.DeleteModel(
                    name='AgencyReport',
                ),
                migrations.DeleteModel(
                    name='AgencyReportTaskState',
                ),
            ],
            database_operations=[],
        ),
    ]
