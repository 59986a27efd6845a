"""The migration that marks the progress updates with figures marks those already written
(and only those), so that the dashboards, which read figures through them, count every one."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories.migrations import assigned_task

BEFORE = ("tasks", "0009_drop_redundant_indexes")


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def latest_schema_after():
    """Every app at its last migration again afterwards, whatever the test left."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_updates_written_with_figures_before_the_migration_are_marked():
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old = migrate([BEFORE, *(leaf for leaf in leaves if leaf[0] != "tasks")])
    made = assigned_task(old)
    author = old.get_model("agencies", "User").objects.create(username="canbo")
    Update = old.get_model("tasks", "ProgressUpdate")
    with_figures, without = (
        Update.objects.create(assignment=made.assignment, author=author, status="in_progress",
                              percent=percent, narrative="Đã đăng tin")
        for percent in (40, 60)
    )
    old.get_model("tasks", "UpdateFigure").objects.create(
        update=with_figures, measure=made.measure, value=12
    )

    new = migrate(leaves)

    marked = dict(new.get_model("tasks", "ProgressUpdate").objects.values_list("pk", "has_figures"))
    assert marked == {with_figures.pk: True, without.pk: False}
