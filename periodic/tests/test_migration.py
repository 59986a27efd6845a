"""Moving the periodic reports from ``reports`` to ``periodic`` keeps every row, its history,
and its content type (so admin log entries and permissions follow)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories.migrations import assigned_task

LAST_BEFORE_THE_MOVE = ("reports", "0002_generatedreport_reportdraft")


def migrate(before_the_move):
    """Migrate every app to its last migration, or to the database as it was before the move
    (``periodic`` unapplied, ``reports`` at 0002); return the models of that state."""
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    if before_the_move:
        targets = [n for n in leaves if n[0] not in ("reports", "periodic")]
        executor.migrate([*targets, LAST_BEFORE_THE_MOVE, ("periodic", None)])
        targets.append(LAST_BEFORE_THE_MOVE)
    else:
        executor.migrate(leaves)
        targets = leaves
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_reports_written_before_the_move_are_there_after_it():
    old = migrate(before_the_move=True)
    made = assigned_task(old)
    agency, plan, measure, assignment = made.agency, made.plan, made.measure, made.assignment
    report = old.get_model("reports", "AgencyReport").objects.create(
        plan=plan, agency=agency, year=2022, period_code="Q1", results="Đã đăng 12 tin"
    )
    report.figures.create(measure=measure, value=12)
    report.task_states.create(assignment=assignment, status="done", percent=100)
    old.get_model("reports", "HistoricalAgencyReport").objects.create(
        id=report.pk, plan=plan, agency=agency, year=2022, period_code="Q1",
        history_date=report.created_at, history_type="+", created_at=report.created_at,
        updated_at=report.updated_at,
    )
    content_type, _ = old.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="reports", model="agencyreport"
    )

    new = migrate(before_the_move=False)

    moved = new.get_model("periodic", "AgencyReport").objects.get()
    assert (moved.pk, moved.results, moved.agency_id) == (report.pk, "Đã đăng 12 tin", agency.pk)
    assert list(moved.figures.values_list("measure_id", "value")) == [(measure.pk, 12)]
    assert list(moved.task_states.values_list("assignment_id", "percent")) == [
        (assignment.pk, 100)
    ]
    assert new.get_model("periodic", "HistoricalAgencyReport").objects.get().id == report.pk
    content_type = new.get_model("contenttypes", "ContentType").objects.get(pk=content_type.pk)
    assert (content_type.app_label, content_type.model) == ("periodic", "agencyreport")
    # A report written after the move gets the next id.
    later = new.get_model("periodic", "AgencyReport").objects.create(
        plan_id=plan.pk, agency_id=agency.pk, year=2022, period_code="H1"
    )
    assert later.pk > report.pk
