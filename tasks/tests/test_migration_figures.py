"""The migration that marks the progress updates with figures marks those already written
(and only those), so that the dashboards, which read figures through them, count every one."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = ("tasks", "0009_drop_redundant_indexes")


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_updates_written_with_figures_before_the_migration_are_marked():
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old = migrate([BEFORE, *(leaf for leaf in leaves if leaf[0] != "tasks")])
    agency = old.get_model("agencies", "Agency").objects.create(name="Sở Tư pháp", code="STP")
    plan = old.get_model("plans", "Plan").objects.create(
        issuer=agency, title="Kế hoạch năm 2022", period_start_year=2022, period_end_year=2022
    )
    channel = old.get_model("plans", "Channel").objects.create(code="portal", name="Cổng")
    measure = old.get_model("plans", "Measure").objects.create(
        code="news", name="Tin", unit="tin", channel=channel
    )
    task = old.get_model("tasks", "Task").objects.create(plan=plan, number=1, title="Đăng tin")
    assignment = old.get_model("tasks", "Assignment").objects.create(task=task, agency=agency)
    author = old.get_model("agencies", "User").objects.create(username="canbo")
    Update = old.get_model("tasks", "ProgressUpdate")
    with_figures, without = (
        Update.objects.create(assignment=assignment, author=author, status="in_progress",
                              percent=percent, narrative="Đã đăng tin")
        for percent in (40, 60)
    )
    old.get_model("tasks", "UpdateFigure").objects.create(
        update=with_figures, measure=measure, value=12
    )

    new = migrate(leaves)

    marked = dict(new.get_model("tasks", "ProgressUpdate").objects.values_list("pk", "has_figures"))
    assert marked == {with_figures.pk: True, without.pk: False}
