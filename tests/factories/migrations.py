"""The schema moved to a past state and rows made in its models, for the tests of a
migration (with the ``latest_schema_after`` fixture of the root ``conftest.py``)."""

from types import SimpleNamespace

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def latest():
    """Every app's last migration."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def migrate(*targets):
    """The database migrated to ``targets`` ((app, migration) pairs); the models of that
    state."""
    MigrationExecutor(connection).migrate(list(targets))
    return MigrationExecutor(connection).loader.project_state(list(targets)).apps


def assigned_task(apps):
    """An agency, its plan of 2022 with a measure of a channel, and one task of the plan
    assigned to the agency, made with the models ``apps`` of a migration state."""
    agency = apps.get_model("agencies", "Agency").objects.create(name="Sở Tư pháp", code="STP")
    plan = apps.get_model("plans", "Plan").objects.create(
        issuer=agency, title="Kế hoạch năm 2022", period_start_year=2022, period_end_year=2022
    )
    channel = apps.get_model("plans", "Channel").objects.create(code="portal", name="Cổng")
    measure = apps.get_model("plans", "Measure").objects.create(
        code="news", name="Tin", unit="tin", channel=channel
    )
    task = apps.get_model("tasks", "Task").objects.create(plan=plan, number=1, title="Đăng tin")
    model = apps.get_model("tasks", "Assignment")
    # The task's plan is copied onto its assignments from tasks/0012 on (by ``save``,
    # which a migration state's model does not have).
    copied = {"plan": plan} if any(f.name == "plan" for f in model._meta.fields) else {}
    assignment = model.objects.create(task=task, agency=agency, **copied)
    return SimpleNamespace(agency=agency, plan=plan, measure=measure, task=task,
                           assignment=assignment)
