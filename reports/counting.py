"""How the leadership summaries count: a plan's state at a date, figures, on time, ranking.

The rules the figures of a summary report (HTML preview, PDF, xlsx) are counted by.

**As of.** A summary describes the plan as it stood at the end of the period's data
cut-off (``period.end``: 14/03/2022 for Q1 2022 under Decree 09/2019, 31/03/2022 with
calendar quarters), or today while the period is still running: that day is ``as_of``.
Each assignment's status and percent at ``as_of`` are those of its last progress update
posted on or before that day (none: not started; cancelled when its agency was dissolved on
or before that day and it was closed without an update); a task rolls up from its
assignments exactly as ``tasks.services.refresh_task_status`` does. Overdue, at risk,
on-time completion and the agencies' plans sent are all measured at ``as_of``; the previous
period is measured the same way at its own end, so "change since the previous period"
compares like with like. Periodic agency reports are written after a period ends, so they
count as they stand when the summary is built (``today``).

**Figures per channel.** For each agency: the figures of its periodic report for the
period when that report is submitted or accepted (the agency's own account, reviewed by
the Sở Nội vụ); otherwise the sum of the figures of its progress updates on the plan's
tasks posted within the period's bounds. Never both for one agency: a report is prefilled
from those same updates, so adding them would count twice. Drafts and returned reports do
not count.

**At risk.** A dated task (not ongoing, recurring or following another plan) that is not
finished at ``as_of``, is not yet overdue, falls due by the end of the plan's next
reporting period, and stands below 50 %.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from agencies.models import Agency
from periodic.models import AgencyReportFigure, ReportStatus
from periodic.services import period_datetimes
from plans.periods import expand_codes, make_period
from tasks.models import AssignmentRole, ProgressUpdate, Status, UpdateFigure
from tasks.services import roll_up as task_roll_up
from tasks.timeline import ScheduleKind

from .selectors import FINISHED, STATUS_ORDER, OnTimeRate, StatusCounts, percent

AT_RISK_BELOW = 50  # percent
UNDATED = {ScheduleKind.ONGOING, ScheduleKind.RECURRING, ScheduleKind.FOLLOWS}
NOT_OVERDUE_KINDS = {ScheduleKind.ONGOING, ScheduleKind.RECURRING}
OFFICIAL_REPORTS = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)


# ---------------------------------------------------------------------------------------------
# Period bounds


def day_end(day):
    """The first moment after ``day`` in local time: what "on or before ``day``" stops at."""
    return datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time.min, tzinfo=timezone.get_current_timezone()
    )


def following_period(plan, period):
    """The plan's next reporting period after ``period`` (the next year's first at the end)."""
    codes = expand_codes(plan.reporting_periods) or [period.code]
    candidates = [
        make_period(year, code, period.cutoff, period.due_day)
        for year in (period.year, period.year + 1)
        for code in codes
    ]
    later = [p for p in candidates if p.end > period.end]
    return min(later, key=lambda p: (p.end, -p.start.toordinal()))


# ---------------------------------------------------------------------------------------------
# The plan at one date, rebuilt from the progress history


@dataclass(frozen=True)
class State:
    status: str
    percent: int


NOT_STARTED = State(Status.NOT_STARTED, 0)


def roll_up(states):
    """A task's state from its assignments' ``(role, State)``, by ``tasks.services.roll_up``."""
    return State(*task_roll_up((role, state.status, state.percent) for role, state in states))


@dataclass
class Snapshot:
    """Task and assignment states at ``as_of``, and what they add up to."""

    as_of: datetime.date
    assignments: dict  # assignment id -> State
    tasks: dict  # task id -> State
    completed_at: dict  # task id -> datetime the task was last brought to done, or None
    statuses: StatusCounts
    on_time: OnTimeRate
    overdue: set  # task ids
    at_risk: set  # task ids

    def state(self, task):
        return self.tasks[task.pk]

    @property
    def planned(self):
        """Tasks the plan still means to carry out (cancelled ones left out)."""
        return self.statuses.total - self.statuses.cancelled

    @property
    def completion(self):
        """Share of the planned tasks done, in whole percent (None when nothing is planned)."""
        return percent(self.statuses.done, self.planned)


def is_overdue(task, state, as_of):
    return (
        task.due_date is not None
        and task.due_date < as_of
        and task.schedule_kind not in NOT_OVERDUE_KINDS
        and state.status not in FINISHED
    )


def snapshot(tasks, assignments, history, as_of, *, risk_until=None):
    """The plan at the end of ``as_of`` (local date), from the updates in ``history``.

    ``history`` maps an assignment id to its updates ``(created_at, status, percent)`` in
    chronological order. ``risk_until``: the last due date that counts as "at risk".
    """
    cutoff = day_end(as_of)
    states, reached = {}, {}
    for assignment in assignments:
        state, reached_done = NOT_STARTED, None
        updates = history.get(assignment.pk, ())
        for created_at, status, pct in updates:
            if created_at >= cutoff:
                break
            if status == Status.DONE and state.status != Status.DONE:
                reached_done = created_at
            elif status != Status.DONE:
                reached_done = None
            state = State(status, pct)
        dissolved = assignment.agency.dissolved_on
        closed_without_update = assignment.status == Status.CANCELLED and not any(
            status == Status.CANCELLED for _at, status, _pct in updates
        )
        if closed_without_update and dissolved and dissolved <= as_of:
            state = State(Status.CANCELLED, 0)
        states[assignment.pk] = state
        reached[assignment.pk] = reached_done

    by_task = defaultdict(list)
    for assignment in assignments:
        by_task[assignment.task_id].append(assignment)
    task_states, completed_at, overdue, at_risk = {}, {}, set(), set()
    counts = dict.fromkeys([s.value for s in STATUS_ORDER], 0)
    on_time = counted = 0
    for task in tasks:
        mine = by_task.get(task.pk, [])
        state = roll_up([(a.role, states[a.pk]) for a in mine])
        task_states[task.pk] = state
        counts[state.status] += 1
        carrying = [a for a in mine if a.role == AssignmentRole.LEAD] or mine
        finished = [
            reached[a.pk] for a in carrying
            if states[a.pk].status == Status.DONE and reached[a.pk] is not None
        ]
        completed_at[task.pk] = max(finished) if finished else None
        if state.status == Status.DONE and task.due_date is not None:
            counted += 1
            done_at = completed_at[task.pk]
            if done_at is not None and timezone.localdate(done_at) <= task.due_date:
                on_time += 1
        if is_overdue(task, state, as_of):
            overdue.add(task.pk)
        elif (
            risk_until is not None
            and task.due_date is not None
            and task.schedule_kind not in UNDATED
            and state.status not in FINISHED
            and as_of <= task.due_date <= risk_until
            and state.percent < AT_RISK_BELOW
        ):
            at_risk.add(task.pk)
    return Snapshot(
        as_of=as_of,
        assignments=states,
        tasks=task_states,
        completed_at=completed_at,
        statuses=StatusCounts(**counts, overdue=len(overdue)),
        on_time=OnTimeRate(on_time=on_time, counted=counted),
        overdue=overdue,
        at_risk=at_risk,
    )




def assignment_history(plan, until):
    """Each assignment's updates up to ``until`` (aware), oldest first; one query."""
    history = defaultdict(list)
    rows = (
        ProgressUpdate.objects.filter(assignment__task__plan=plan, created_at__lt=until)
        .order_by("created_at", "pk")
        .values_list("assignment_id", "created_at", "status", "percent")
    )
    for assignment_id, created_at, status, pct in rows:
        history[assignment_id].append((created_at, status, pct))
    return history


# ---------------------------------------------------------------------------------------------
# Figures per channel


@dataclass
class Figures:
    """Per agency and measure, the figures of one period; where each agency's came from."""

    by_agency: dict  # agency id -> {measure id: total}
    from_reports: set  # agency ids whose submitted or accepted report gave their figures

    def totals(self):
        totals = defaultdict(int)
        for figures in self.by_agency.values():
            for measure_id, value in figures.items():
                totals[measure_id] += value
        return totals

    @property
    def from_updates(self):
        return {agency for agency in self.by_agency if agency not in self.from_reports}


def period_figures(plan, period, reports):
    """Figures of ``period`` by the rule of the module docstring: two queries."""
    official = {
        report.agency_id: report.pk
        for report in reports
        if report.year == period.year
        and report.period_code == period.code
        and report.status in OFFICIAL_REPORTS
    }
    by_agency = defaultdict(lambda: defaultdict(int))
    rows = AgencyReportFigure.objects.filter(report__in=list(official.values())).values_list(
        "report__agency_id", "measure_id", "value"
    )
    for agency_id, measure_id, value in rows:
        by_agency[agency_id][measure_id] += value
    start, end = period_datetimes(period)
    rows = (
        UpdateFigure.objects.filter(
            update__assignment__task__plan=plan,
            update__created_at__gte=start,
            update__created_at__lt=end,
        )
        .exclude(update__assignment__agency__in=list(official))
        .values_list("update__assignment__agency_id", "measure_id")
        .annotate(total=Sum("value"))
        .order_by()
    )
    for agency_id, measure_id, total in rows:
        by_agency[agency_id][measure_id] += total
    by_agency = {
        agency: {m: v for m, v in figures.items() if v}
        for agency, figures in by_agency.items()
        if any(figures.values())
    }
    return Figures(by_agency=by_agency, from_reports=set(official) & set(by_agency))


# ---------------------------------------------------------------------------------------------
# The agencies' ranking and the CCHC index's indication


@dataclass
class AgencyRow:
    agency: Agency
    assignments: int = 0
    done: int = 0
    in_progress: int = 0
    not_started: int = 0
    overdue: int = 0
    updates: int = 0
    plan_state: str = ""  # SubmissionState, or "" when the plan does not address the agency
    report_state: str = ""  # Completeness of the period's report

    @property
    def display_name(self):
        return self.agency.display_name

    @property
    def percent_done(self):
        return percent(self.done, self.assignments)


def rank_agencies(tasks, assignments, now, agencies, submissions, report_cells, update_counts):
    """Per agency: the assignments it carries at ``as_of`` and its plan and report states.

    Carried: as lead, or as coordinator of a task with no lead (as ``agency_ranking``
    counts), cancelled ones left out. Best first, by ``agency_ranking``'s order; agencies
    carrying nothing (addressed or reporting only) follow by name.
    """
    tasks_by_id = {task.pk: task for task in tasks}
    has_lead = {a.task_id for a in assignments if a.role == AssignmentRole.LEAD}
    rows = {agency.pk: AgencyRow(agency=agency) for agency in agencies}
    for assignment in assignments:
        if assignment.role != AssignmentRole.LEAD and assignment.task_id in has_lead:
            continue
        state = now.assignments[assignment.pk]
        if state.status == Status.CANCELLED:
            continue
        row = rows.get(assignment.agency_id)
        if row is None:
            row = rows[assignment.agency_id] = AgencyRow(agency=assignment.agency)
        row.assignments += 1
        if state.status == Status.DONE:
            row.done += 1
        elif state.status == Status.IN_PROGRESS:
            row.in_progress += 1
        else:
            row.not_started += 1
        task = tasks_by_id[assignment.task_id]
        if is_overdue(task, state, now.as_of):
            row.overdue += 1
    for submission in submissions.rows:
        if submission.agency.pk in rows:
            rows[submission.agency.pk].plan_state = submission.state
    for cell_row in report_cells:
        rows[cell_row.agency.pk].report_state = cell_row.cells[0].state
    for agency_id, count in update_counts.items():
        if agency_id in rows:
            rows[agency_id].updates = count
    carrying = [row for row in rows.values() if row.assignments]
    carrying.sort(
        key=lambda r: (
            -r.done / r.assignments,
            r.overdue,
            -r.done,
            r.assignments,
            r.agency.name.casefold(),
        )
    )
    others = sorted(
        (row for row in rows.values() if not row.assignments),
        key=lambda r: r.agency.name.casefold(),
    )
    return carrying + others


@dataclass
class Scoring:
    """The CCHC index's communication criterion (DESIGN.md), as an indication."""

    done: int
    planned: int
    online: list  # channel names used in the period
    traditional: list

    @property
    def share(self):
        return percent(self.done, self.planned)

    @property
    def completion_points(self):
        # 100 % → 1; 90–100 % → completed ÷ planned; below 90 % → 0.
        if not self.planned:
            return Decimal(0)
        if self.done >= self.planned:
            return Decimal(1)
        ratio = Decimal(self.done) / Decimal(self.planned)
        return ratio.quantize(Decimal("0.01")) if ratio >= Decimal("0.9") else Decimal(0)

    @property
    def channel_points(self):
        return Decimal("0.5") * (bool(self.online) + bool(self.traditional))

    @property
    def points(self):
        return self.completion_points + self.channel_points
