"""The rules of counting one assignment and one task at a date.

The lower half of the counting rules: what an assignment's state is at the end of a day,
how a task rolls up, what is overdue and how many days late, at risk, done on time, and which
progress updates fall in a span of days. ``periodic`` (an agency report's prefill),
``tasks.selectors`` ("Việc của đơn vị") and ``reports/counting.py`` (the dashboard and the
summary reports, which add the figures of a period and the ranking on top) all call these
functions, so a screen, a report and a PDF cannot disagree on one assignment.

**State at a date.** An assignment's status and percent at the end of ``as_of`` (local date)
are those of its last progress update posted on or before that day (none: not started);
cancelled when its agency was dissolved on or before that day and it was closed without an
update.

**Roll-up.** A task's state comes from its leads, or from everyone when it has no lead;
cancelled assignments are left out, and a task whose carriers are all cancelled is cancelled.

**Overdue.** A due date before the day, not ongoing or recurring, neither done nor cancelled;
days late are counted from the due date to the day.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q, Sum
from django.utils import timezone

from .models import FINISHED, AssignmentRole, ProgressUpdate, Status, UpdateFigure
from .timeline import ScheduleKind

AT_RISK_BELOW = 50  # percent
UNDATED = {ScheduleKind.ONGOING, ScheduleKind.RECURRING, ScheduleKind.FOLLOWS}
NOT_OVERDUE_KINDS = {ScheduleKind.ONGOING, ScheduleKind.RECURRING}


def percent(part, whole):
    """``part`` of ``whole`` in whole percent, halves up (5 of 8 → 63); None of nothing."""
    if not whole:
        return None
    return (part * 200 + whole) // (whole * 2)


# ---------------------------------------------------------------------------------------------
# Days


def day_start(day):
    """The first moment of ``day`` in local time."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def day_end(day):
    """The first moment after ``day`` in local time: what "on or before ``day``" stops at."""
    return day_start(day + datetime.timedelta(days=1))


def posted_between(start, end, field="created_at"):
    """A filter on ``field`` (a datetime) for the days ``start``..``end``, both included."""
    return Q(**{f"{field}__gte": day_start(start), f"{field}__lt": day_end(end)})


# ---------------------------------------------------------------------------------------------
# One assignment, one task


@dataclass(frozen=True)
class State:
    status: str
    percent: int


NOT_STARTED = State(Status.NOT_STARTED, 0)


def update_history(updates, until, *extra):
    """Each assignment's updates ``(created_at, status, percent, *extra)`` before ``until``
    (aware), oldest first, of the ``ProgressUpdate`` rows ``updates`` selects (a filter
    ``Q``); ``extra``: more fields of the update. One query."""
    history = defaultdict(list)
    rows = (
        ProgressUpdate.objects.filter(updates, created_at__lt=until)
        .order_by("created_at", "pk")
        .values_list("assignment_id", "created_at", "status", "percent", *extra)
    )
    for assignment_id, *update in rows:
        history[assignment_id].append(tuple(update))
    return history


def assignment_state(assignment, updates, as_of):
    """``(State, reached_done)`` of ``assignment`` at the end of ``as_of``.

    ``updates``: its ``(created_at, status, percent, …)`` in chronological order (later ones
    are ignored); ``reached_done``: when its current run of "done" began (None when not done).
    ``assignment.agency`` is read for its dissolution date.
    """
    cutoff = day_end(as_of)
    state, reached_done = NOT_STARTED, None
    for created_at, status, pct, *_more in updates:
        if created_at >= cutoff:
            break
        if status == Status.DONE and state.status != Status.DONE:
            reached_done = created_at
        elif status != Status.DONE:
            reached_done = None
        state = State(status, pct)
    dissolved = assignment.agency.dissolved_on
    closed_without_update = assignment.status == Status.CANCELLED and not any(
        update[1] == Status.CANCELLED for update in updates
    )
    if closed_without_update and dissolved and dissolved <= as_of:
        return State(Status.CANCELLED, 0), None
    return state, reached_done


def roll_up(states):
    """A task's (status, percent) from its assignments' (role, status, percent).

    Leads carry the task; a task with no lead (coordinators only) rolls up from everyone.
    """
    states = list(states)
    leads = [s for s in states if s[0] == AssignmentRole.LEAD] or states
    live = [(status, pct) for _role, status, pct in leads if status != Status.CANCELLED]
    if not leads:
        return Status.NOT_STARTED, 0
    if not live:
        return Status.CANCELLED, 0
    statuses = {status for status, _pct in live}
    if statuses == {Status.DONE}:
        status = Status.DONE
    elif statuses == {Status.NOT_STARTED}:
        status = Status.NOT_STARTED
    else:
        status = Status.IN_PROGRESS
    return status, round(sum(pct for _status, pct in live) / len(live))


def task_state(states):
    """A task's ``State`` from its assignments' ``(role, State)``, by ``roll_up``."""
    return State(*roll_up((role, state.status, state.percent) for role, state in states))


def carrying(assignments):
    """Of one task's assignments, those that carry it: the leads, or everyone without one."""
    return [a for a in assignments if a.role == AssignmentRole.LEAD] or list(assignments)


def overdue_on(due_date, schedule_kind, status, day):
    """Overdue on ``day``: a due date before it, not ongoing or recurring, neither done nor
    cancelled. The one overdue rule of tasks, assignments, pages and reports."""
    return (
        due_date is not None
        and due_date < day
        and schedule_kind not in NOT_OVERDUE_KINDS
        and status not in FINISHED
    )


def is_overdue(task, state, as_of):
    """``task`` overdue at ``as_of`` in ``state`` (the task's, or one assignment's)."""
    return overdue_on(task.due_date, task.schedule_kind, state.status, as_of)


def days_late(task, as_of):
    """Days from the due date of an overdue ``task`` to ``as_of``."""
    return (as_of - task.due_date).days


def lateness(task, status, day):
    """Days late on ``day`` of work on ``task`` in ``status``; 0 when it is not overdue."""
    return days_late(task, day) if overdue_on(task.due_date, task.schedule_kind, status, day) else 0


def is_at_risk(task, state, as_of, risk_until):
    """Dated (not ongoing, recurring or following another plan), not finished, not yet
    overdue, due by ``risk_until`` and below ``AT_RISK_BELOW`` percent at ``as_of``."""
    return (
        risk_until is not None
        and task.due_date is not None
        and task.schedule_kind not in UNDATED
        and state.status not in FINISHED
        and as_of <= task.due_date <= risk_until
        and state.percent < AT_RISK_BELOW
    )


def on_time_verdict(task, state, completed_at, as_of, due_from=None):
    """How ``task`` counts in the on-time rate at ``as_of``: "on_time", "done_late",
    "unfinished" (overdue) or None (not counted: not due in ``due_from``..``as_of``, cancelled,
    ongoing or recurring, or due on ``as_of`` and still open). ``completed_at``: when the last
    carrying agency reached done."""
    if (
        task.due_date is None
        or task.schedule_kind in NOT_OVERDUE_KINDS
        or state.status == Status.CANCELLED
        or (due_from is not None and task.due_date < due_from)
        or task.due_date > as_of
    ):
        return None
    if state.status == Status.DONE:
        timely = completed_at is not None and timezone.localdate(completed_at) <= task.due_date
        return "on_time" if timely else "done_late"
    if is_overdue(task, state, as_of):
        return "unfinished"
    return None


# ---------------------------------------------------------------------------------------------
# Figures of progress updates


def update_figure_totals(figures, *by):
    """``(*by, measure_id, total)`` of the progress updates' figures ``figures`` selects (a
    filter ``Q`` on ``UpdateFigure``), grouped by the fields ``by``; one query."""
    return (
        UpdateFigure.objects.filter(figures)
        .values_list(*by, "measure_id")
        .annotate(total=Sum("value"))
        .order_by()
    )
