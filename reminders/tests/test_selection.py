"""The steps of a piece of work on a day, checkpoints met, and what one run selects."""

import datetime

import pytest
from django.utils import timezone

from plans.models import PlanStatus
from plans.periods import periods_for_plan
from reminders.selection import BEFORE, ESCALATION, OVERDUE, checkpoint_met, select, step_on
from tasks.models import ProgressUpdate, Status
from tasks.services import post_update
from tests.factories.tasks import make_task

DAY = datetime.date(2022, 3, 20)


@pytest.mark.parametrize(("days_until", "step"), [
    (8, None), (7, (BEFORE, 7)), (2, (BEFORE, 7)), (1, (BEFORE, 1)), (0, (BEFORE, 1)),
    (-1, (OVERDUE, 1)), (-4, (OVERDUE, 4)), (-5, (ESCALATION, 5)), (-14, (ESCALATION, 5)),
    (-15, (ESCALATION, 15)), (-60, (ESCALATION, 15)), (-61, None),
])
def test_step_of_work_due_in_some_days(days_until, step):
    assert step_on(days_until, (7, 1)) == step


@pytest.mark.parametrize(("days_until", "step"), [
    (6, None), (5, (BEFORE, 5)), (1, (BEFORE, 5)), (0, (BEFORE, 0)), (-1, None), (-4, None),
    (-5, (ESCALATION, 5)),
])
def test_a_report_has_no_overdue_step(days_until, step):
    assert step_on(days_until, (5, 0), overdue=False) == step


def test_the_settings_move_the_steps(settings):
    settings.REMINDER_ESCALATION_DAYS = (3, 10)
    assert step_on(-3, (7, 1)) == (ESCALATION, 3)
    assert step_on(-2, (7, 1)) == (OVERDUE, 2)
    assert step_on(3, (3,)) == (BEFORE, 3)


def local(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def posted(assignment, author, on, status=Status.DONE, percent=100):
    """A progress update of ``assignment`` posted on the day ``on`` (10:00)."""
    update = post_update(assignment=assignment, author=author, status=status, percent=percent,
                         narrative="Đã thực hiện.")
    ProgressUpdate.objects.filter(pk=update.pk).update(created_at=local(on))
    return update


def test_a_checkpoint_is_met_by_progress_after_the_one_before():
    previous = datetime.date(2022, 3, 31)
    assert not checkpoint_met(None, previous)
    assert not checkpoint_met(local(previous), previous)
    assert checkpoint_met(local(previous + datetime.timedelta(days=1)), previous)
    assert checkpoint_met(local(datetime.date(2022, 1, 5)), None)


@pytest.fixture
def issued(plan):
    plan.status = PlanStatus.ISSUED
    plan.save()
    return plan


@pytest.mark.django_db
def test_select_reminds_open_work_of_issued_plans_only(issued, justice, health, officer,
                                                       coordinator):
    due = make_task(issued, "Quý I/2022", leads=[justice], coordinators=[health])  # 31/03
    done = make_task(issued, "Quý I/2022", leads=[health])
    posted(done.assignments.get(), coordinator, datetime.date(2022, 3, 10))
    selection = select(datetime.date(2022, 3, 24))
    assert [(i.agency_id, i.key, i.step, i.days) for i in selection.items] == [
        (justice.pk, f"assignment-due:{due.assignments.get(agency=justice).pk}:2022-03-31:7",
         BEFORE, 7),
        (health.pk, f"assignment-due:{due.assignments.get(agency=health).pk}:2022-03-31:7",
         BEFORE, 7),
    ]
    assert selection.officers == {justice.pk: [officer]}
    # Sở Y tế has no officer: listed in the coordinators' digest instead.
    [digest] = selection.digests
    assert digest.coordinators == [coordinator]
    assert [(agency, len(items)) for agency, items in digest.no_officer] == [(health, 1)]


@pytest.mark.django_db
def test_recurring_checkpoints_are_reminded_until_progress_is_posted(issued, justice, officer):
    task = make_task(issued, "Định kỳ hàng quý, bắt đầu từ quý I/2022", leads=[justice])
    checkpoints = list(task.checkpoints.values_list("due_date", flat=True))
    first = checkpoints[0]
    assignment = task.assignments.get()
    [item] = select(first - datetime.timedelta(days=1)).items
    assert (item.kind, item.key) == (
        "checkpoint_due", f"checkpoint-due:{assignment.pk}:{first.isoformat()}:1"
    )
    [late] = select(first + datetime.timedelta(days=2)).items
    assert (late.kind, late.days) == ("checkpoint_overdue", 2)
    # Progress posted late, after the checkpoint: met; it also counts for the next one, whose
    # period it falls in ("progress since the checkpoint before").
    posted(assignment, officer, first + datetime.timedelta(days=1), Status.IN_PROGRESS, 30)
    assert select(first + datetime.timedelta(days=2)).items == []
    second, third = checkpoints[1], checkpoints[2]
    assert select(second - datetime.timedelta(days=7)).items == []
    assert select(second + datetime.timedelta(days=1)).items == []
    [coming] = select(third - datetime.timedelta(days=7)).items
    assert (coming.due, coming.step, coming.kind) == (third, BEFORE, "checkpoint_due")


@pytest.mark.django_db
def test_a_past_day_is_judged_by_the_work_done_by_then(issued, justice, officer):
    """``--today`` in the past: the state at the end of that day, from the progress updates
    posted by then (``tasks.counting``), not today's statuses."""
    task = make_task(issued, "Quý I/2022", leads=[justice])  # due 31/03/2022
    assignment = task.assignments.get()
    posted(assignment, officer, datetime.date(2022, 4, 10))  # done, ten days late
    assignment.refresh_from_db()
    assert assignment.status == Status.DONE
    # On 05/04/2022 it was still open and 5 days late: the officers and the head are told.
    [item] = select(datetime.date(2022, 4, 5)).items
    assert (item.key, item.step, item.days) == (
        f"assignment-escalation:{assignment.pk}:2022-03-31:5", ESCALATION, 5
    )
    assert [i.key for i in select(datetime.date(2022, 3, 24)).items] == [
        f"assignment-due:{assignment.pk}:2022-03-31:7"
    ]
    # Once it is done, nothing: on the day it was done and after.
    assert select(datetime.date(2022, 4, 10)).items == []
    assert select(datetime.date(2022, 4, 16)).items == []


@pytest.mark.django_db
def test_a_past_day_counts_the_reports_submitted_by_then(issued, justice, officer):
    from periodic import services as periodic

    issued.addressed_agencies.set([justice])
    issued.reporting_periods = ["Q1"]
    issued.save()
    report = periodic.start_report(plan=issued, agency=justice, year=2022, period_code="Q1",
                                   user=officer)
    report.results = "Đã triển khai."
    report.save()
    periodic.submit(report=report, user=officer)  # submitted now, long after the due day
    day = next(p.due for p in periods_for_plan(issued) if p.code == "Q1")
    [item] = select(day).items
    assert (item.what, item.agency_id) == ("report", justice.pk)
    report.refresh_from_db()
    report.submitted_at = local(day)
    report.save()
    assert select(day).items == []
