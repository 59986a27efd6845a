"""The migration that marks the progress updates with figures marks those already written
(and only those), so that the dashboards, which read figures through them, count every one."""

import pytest

from tests.factories.migrations import assigned_task, latest, migrate

BEFORE = ("tasks", "0009_drop_redundant_indexes")

pytestmark = pytest.mark.usefixtures("latest_schema_after")


@pytest.mark.django_db(transaction=True)
def test_updates_written_with_figures_before_the_migration_are_marked():
    leaves = latest()
    old = migrate(BEFORE, *(leaf for leaf in leaves if leaf[0] != "tasks"))
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

    new = migrate(*leaves)

    marked = dict(new.get_model("tasks", "ProgressUpdate").objects.values_list("pk", "has_figures"))
    assert marked == {with_figures.pk: True, without.pk: False}
