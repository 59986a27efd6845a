"""Every rule a figure of the dashboard, the summary reports and their files is counted by.

The dashboard at any "as of" date (``dashboard``), the summary report of a period
(``reports/summary.py``: HTML preview, PDF, xlsx) and the agency rows of both come from the
functions of this module; no other module counts. The rules of one assignment and one task
(state at a date, roll-up, overdue, days late, at risk, on time, updates within a span of
days) are in ``tasks/counting.py``, which the agencies' report prefill and "Việc của đơn vị"
call too; this module adds the plans, periods and agencies on top.

**State at a date.** The plan is measured at the end of a day, ``as_of``: the dashboard's
date, or for a summary the end of the period's data cut-off (``period.end``: 14/03/2022 for
Q1 2022 under Decree 09/2019, 31/03/2022 with calendar quarters), or today while the period
is still running. Each assignment's status and percent at ``as_of`` are those of its last
progress update posted on or before that day (none: not started; cancelled when its agency
was dissolved on or before that day and it was closed without an update). A task rolls up
from its assignments by ``tasks.counting.roll_up`` (the rule ``refresh_task_status`` stores
the task's status with): its leads carry it, or everyone when it has no lead.

**Overdue.** A task with a due date before ``as_of``, not ongoing or recurring, neither done
nor cancelled at ``as_of``; days late are counted from the due date to ``as_of``.

**At risk.** A dated task (not ongoing, recurring or following another plan) that is not
finished at ``as_of``, is not yet overdue, falls due by the end of the plan's next reporting
period, and stands below 50 %.

**On time.** Counted: the tasks due in the window (a summary: the period, from its start to
``as_of``; the dashboard: every task due by ``as_of``), not cancelled and not ongoing or
recurring, that are either finished or overdue at ``as_of`` (a task due on ``as_of`` itself
and still open is not counted yet). On time: done by its due date, i.e. the day the last
carrying agency reached "done" (local date) is on or before the due date. A task done late,
done without a recorded update, or overdue and unfinished counts against the rate.

**Completion share.** Tasks done over tasks planned (cancelled ones left out).

**Figures of a period.** For each agency: the figures of its periodic report for the period
when that report is submitted or accepted (the agency's own account, reviewed by the Sở Nội
vụ); otherwise the sum of the figures of its progress updates on the plan's tasks posted
within the period, up to ``as_of``. Never both for one agency: a report is prefilled from
those same updates. The dashboard shows, for each plan, the figures of the year so far: from
the start of the reporting year containing ``as_of`` (the plan's last year once it has ended)
to ``as_of``; when ``as_of`` is the cut-off of one of the plan's periods that start with the
year (Q1, H1, M9, Y), the agencies' reports for that period come first, as in its report.

**Ranking.** Per agency, the assignments it carries (as lead, or as coordinator of a task
with no lead), cancelled ones left out, with how many are done, in progress, not started
and overdue at ``as_of``. Best first: highest share done (exact fractions), then fewest
overdue, most done, fewest assignments (0 of 4 is further behind than 0 of 1), then name.

**Agency plans sent.** ``plans.models.submission_state`` at ``as_of``: a plan sent after
``as_of`` counts as not sent yet. Missing first, then pending, late, on time.
"""

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db import connection
from django.db.models import OuterRef, Q, QuerySet, Subquery, Value
from django.utils import timezone

from agencies.models import Agency
from periodic.models import AgencyReportFigure, ReportStatus
from plans.models import (
    SUBMISSION_ORDER,
    Measure,
    Plan,
    PlanStatus,
    SubmissionState,
    submission_state,
)
from plans.periods import expand_codes, make_period, period_containing, periods_for_plan
from tasks.counting import (
    assignment_state,
    carrying,
    day_end,
    days_late,
    is_at_risk,
    is_overdue,
    on_time_verdict,
    percent,
    posted_between,
    task_state,
    update_figure_totals,
    update_history,
)
from tasks.models import FINISHED, Assignment, AssignmentRole, ProgressUpdate, Status, Task
from tasks.timeline import ScheduleKind

STATUS_ORDER = [Status.NOT_STARTED, Status.IN_PROGRESS, Status.DONE, Status.CANCELLED]
OFFICIAL_REPORTS = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
RANKING_ROWS = 10  # agencies in each of the "furthest ahead / behind" charts


def plans_of_year(year, plans=None):
    """The plans a year's dashboard covers: every plan of ``plans`` (all of them when none
    is given; a reader's ``visible_plans``), not a draft, whose period covers it."""
    plans = Plan.objects.all() if plans is None else plans
    return plans.for_year(year).exclude(status=PlanStatus.DRAFT)


def plan_ids(plans):
    """The primary keys of ``plans`` (one ``Plan`` or a queryset), as a filter value."""
    if isinstance(plans, QuerySet):
        return plans.values("pk")
    return [plans.pk]


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


@dataclass(frozen=True)
class Window:
    """Days whose figures count (``start``..``end``), and the period whose agency reports
    come first (None: progress updates only)."""

    start: datetime.date
    end: datetime.date
    period: object = None

    @classmethod
    def of(cls, period, as_of=None):
        """A period's window, up to ``as_of`` while it runs."""
        return cls(period.start, min(period.end, as_of or period.end), period)


def year_window(plan, as_of):
    """The dashboard's window for ``plan`` at ``as_of`` (see the module docstring)."""
    year = period_containing(as_of, codes=["Y"]).year
    year = min(max(year, plan.period_start_year), plan.period_end_year)
    start = make_period(year, "Y").start
    ending = [
        period
        for period in periods_for_plan(plan, year=year)
        if period.start == start and period.end == as_of
    ]
    return Window(start, as_of, max(ending, key=lambda p: p.end - p.start, default=None))


# ---------------------------------------------------------------------------------------------
# The plan at one date, rebuilt from the progress history


@dataclass(frozen=True)
class StatusCounts:
    not_started: int = 0
    in_progress: int = 0
    done: int = 0
    cancelled: int = 0
    overdue: int = 0

    @property
    def total(self):
        return self.not_started + self.in_progress + self.done + self.cancelled

    def by_status(self):
        """(status, label, count) in the order the page and the report show them."""
        return [(status, status.label, getattr(self, status.value)) for status in STATUS_ORDER]

    def cards(self):
        """(status, label, count) of the open and done statuses, as the cards show them."""
        shown = [Status.DONE, Status.IN_PROGRESS, Status.NOT_STARTED]
        return [(status, status.label, getattr(self, status.value)) for status in shown]


@dataclass(frozen=True)
class OnTimeRate:
    """Tasks due in a window: done by their due date, done late, overdue and unfinished."""

    on_time: int = 0
    done_late: int = 0
    unfinished: int = 0
    due_from: datetime.date | None = None  # None: every task due by as_of
    due_until: datetime.date | None = None  # as_of

    @property
    def counted(self):
        return self.on_time + self.done_late + self.unfinished

    @property
    def late(self):
        return self.done_late + self.unfinished

    @property
    def percent(self):
        return percent(self.on_time, self.counted)


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


def snapshot(tasks, assignments, history, as_of, *, risk_until=None, due_from=None):
    """The plans at the end of ``as_of`` (local date), from the updates in ``history``.

    ``history`` maps an assignment id to its updates ``(created_at, status, percent)`` in
    chronological order. ``risk_until``: the last due date that counts as "at risk";
    ``due_from``: the first due date the on-time rate counts (None: all).
    """
    states, reached = {}, {}
    for assignment in assignments:
        states[assignment.pk], reached[assignment.pk] = assignment_state(
            assignment, history.get(assignment.pk, ()), as_of
        )
    by_task = defaultdict(list)
    for assignment in assignments:
        by_task[assignment.task_id].append(assignment)
    task_states, completed_at, overdue, at_risk = {}, {}, set(), set()
    counts = dict.fromkeys([s.value for s in STATUS_ORDER], 0)
    on_time = {"on_time": 0, "done_late": 0, "unfinished": 0}
    for task in tasks:
        mine = by_task.get(task.pk, [])
        state = task_state([(a.role, states[a.pk]) for a in mine])
        task_states[task.pk] = state
        counts[state.status] += 1
        finished = [
            reached[a.pk] for a in carrying(mine)
            if states[a.pk].status == Status.DONE and reached[a.pk] is not None
        ]
        completed_at[task.pk] = max(finished) if finished else None
        if is_overdue(task, state, as_of):
            overdue.add(task.pk)
        elif is_at_risk(task, state, as_of, risk_until):
            at_risk.add(task.pk)
        verdict = on_time_verdict(task, state, completed_at[task.pk], as_of, due_from)
        if verdict:
            on_time[verdict] += 1
    return Snapshot(
        as_of=as_of,
        assignments=states,
        tasks=task_states,
        completed_at=completed_at,
        statuses=StatusCounts(**counts, overdue=len(overdue)),
        on_time=OnTimeRate(**on_time, due_from=due_from, due_until=as_of),
        overdue=overdue,
        at_risk=at_risk,
    )


def assignment_history(plans, until):
    """Each assignment's updates up to ``until`` (aware), oldest first; one query."""
    return update_history(Q(assignment__task__plan__in=plan_ids(plans)), until)


def period_updates(plan, period, as_of):
    """The progress updates of ``period`` up to the end of ``as_of``: per task, the agency
    and text of the latest; per agency, how many it posted. One query."""
    rows = (
        ProgressUpdate.objects.filter(
            posted_between(period.start, as_of), assignment__task__plan=plan
        )
        .order_by("created_at", "pk")
        .values_list("assignment__task_id", "assignment__agency_id", "narrative")
    )
    latest, counts = {}, defaultdict(int)
    for task_id, agency_id, narrative in rows:
        latest[task_id] = (agency_id, narrative)
        counts[agency_id] += 1
    return latest, counts


@dataclass(frozen=True)
class OverdueTask:
    task: Task
    days_late: int
    leads: list  # Assignment (with .agency) carrying the task
    open_leads: list  # those whose own part is not finished at as_of


def overdue_rows(now, tasks, assignments):
    """The overdue tasks of ``now``, most days late first, each with who carries it."""
    by_task = defaultdict(list)
    for assignment in assignments:
        by_task[assignment.task_id].append(assignment)
    rows = []
    for task in tasks:
        if task.pk not in now.overdue:
            continue
        leads = sorted(carrying(by_task.get(task.pk, [])), key=lambda a: a.agency.name)
        rows.append(OverdueTask(
            task=task,
            days_late=days_late(task, now.as_of),
            leads=leads,
            open_leads=[a for a in leads if now.assignments[a.pk].status not in FINISHED],
        ))
    rows.sort(key=overdue_order)
    return rows


def overdue_order(row):
    """Overdue tasks are listed by due date, then plan (year, id) and number."""
    return (row.task.due_date, row.task.plan.period_start_year, row.task.plan_id, row.task.number)


# ---------------------------------------------------------------------------------------------
# Agency plans sent to the plan


@dataclass(frozen=True)
class Submission:
    plan: Plan
    agency: object  # Agency
    agency_plan_id: int | None
    submitted_at: datetime.datetime | None  # None also when sent after ``as_of``
    state: str

    @property
    def submitted_on(self):
        return timezone.localdate(self.submitted_at) if self.submitted_at else None

    @property
    def state_label(self):
        return SubmissionState(self.state).label

    @property
    def days_late(self):
        if self.state != SubmissionState.LATE:
            return 0
        return (self.submitted_on - self.plan.submission_deadline).days


@dataclass
class SubmissionSummary:
    rows: list = field(default_factory=list)

    def count(self, state):
        return sum(1 for row in self.rows if row.state == state)

    @property
    def on_time(self):
        return self.count(SubmissionState.ON_TIME)

    @property
    def late(self):
        return self.count(SubmissionState.LATE)

    @property
    def pending(self):
        return self.count(SubmissionState.PENDING)

    @property
    def missing(self):
        return self.count(SubmissionState.MISSING)

    @property
    def addressed(self):
        return len(self.rows)

    @property
    def submitted(self):
        return self.on_time + self.late


# What a row of ``submission_completeness`` reads of its plan when it covers many.
SUBMISSION_PLAN_FIELDS = ("id", "title", "submission_deadline")


def submission_completeness(plans, *, as_of):
    """Each agency a plan addresses, with its own plan's state at ``as_of``; one query.

    An agency's plan is a plan whose parent is the plan and whose issuer is the agency; when
    it sent several, the first submission counts.
    """
    own_plans = Plan.objects.filter(
        parent=OuterRef("plan"), issuer=OuterRef("agency"), submitted_at__isnull=False
    ).order_by("submitted_at", "pk")
    one = None if isinstance(plans, QuerySet) else plans  # its rows need not read it again
    addressed = (
        Plan.addressed_agencies.through.objects.filter(plan__in=plan_ids(plans))
        .select_related("agency", *(["plan"] if one is None else []))
        .annotate(
            agency_plan_id=Subquery(own_plans.values("pk")[:1]),
            first_submitted_at=Subquery(own_plans.values("submitted_at")[:1]),
        )
    )
    if one is None:
        # Of the many plans, what a row tells: its title and deadline (not their texts).
        addressed = addressed.only(
            "plan", "agency", *(f"agency__{f.name}" for f in Agency._meta.concrete_fields),
            *(f"plan__{name}" for name in SUBMISSION_PLAN_FIELDS),
        )
    rows = []
    for row in addressed:
        if one is not None:
            row.plan = one
        submitted_at = row.first_submitted_at
        if submitted_at and timezone.localdate(submitted_at) > as_of:
            submitted_at = None
        rows.append(Submission(
            plan=row.plan,
            agency=row.agency,
            agency_plan_id=row.agency_plan_id,
            submitted_at=submitted_at,
            state=submission_state(submitted_at, row.plan.submission_deadline, as_of),
        ))
    rows.sort(key=lambda r: (SUBMISSION_ORDER.index(r.state), r.agency.name.casefold()))
    return SubmissionSummary(rows=rows)


# ---------------------------------------------------------------------------------------------
# Figures of a period


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


def figures_of(windows, reports, *, provinces=()):
    """Figures of each plan's window (``windows``: plan id -> ``Window``); two queries (one
    when no report counts). ``reports``: the plans' ``AgencyReport`` rows, of any period."""
    return figures_of_each([windows], reports, provinces=provinces)[0]


def figures_of_each(window_sets, reports, *, provinces=()):
    """``figures_of`` of each of ``window_sets`` (a period and the one before…), in the
    same two queries whatever their number: the sets' parts of each read as one union.

    ``provinces``: those of the plans, when the caller has them: the updates are then read
    through the index of each province's updates with figures by time (a year of a
    province's plans), not found by probing every update of every task of the plans."""
    official = [
        {
            report.pk: (report.plan_id, report.agency_id)
            for report in reports
            if report.plan_id in windows
            and (period := windows[report.plan_id].period) is not None
            and (report.year, report.period_code) == (period.year, period.code)
            and report.status in OFFICIAL_REPORTS
        }
        for windows in window_sets
    ]
    by_agency = [defaultdict(lambda: defaultdict(int)) for _windows in window_sets]
    rows = AgencyReportFigure.objects.filter(
        report__in=[pk for counted in official for pk in counted]
    ).values_list("report_id", "report__agency_id", "measure_id", "value")
    for report_id, agency_id, measure_id, value in rows:
        for index, counted in enumerate(official):
            if report_id in counted:
                by_agency[index][agency_id][measure_id] += value
    reported = [set(counted.values()) for counted in official]
    # With no report to leave out: per agency, not per plan and agency (fewer rows).
    by = ("update__assignment__agency_id",)
    if any(reported):
        by = ("update__assignment__task__plan_id", *by)
    # Only an update with figures has any: the condition lets the database read them alone.
    bound = Q(update__has_figures=True)
    if provinces:
        bound &= Q(update__province__in=sorted(provinces))
    parts = []
    for index, windows in enumerate(window_sets):
        posted, alike = Q(pk__in=[]), defaultdict(list)
        for plan_id, window in windows.items():
            alike[window.start, window.end].append(plan_id)
        for (start, end), plans in alike.items():
            posted |= Q(update__assignment__task__plan__in=plans) & posted_between(
                start, end, "update__created_at"
            )
        parts.append(update_figure_totals(bound & posted, *by).annotate(part=Value(index)))
    union = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    for *keys, measure_id, total, index in union:
        plan_id, agency_id = keys if len(keys) == 2 else (None, *keys)
        if (plan_id, agency_id) not in reported[index]:
            by_agency[index][agency_id][measure_id] += total
    result = []
    for figures, counted in zip(by_agency, reported, strict=True):
        figures = {
            agency: {m: v for m, v in values.items() if v}
            for agency, values in figures.items()
            if any(values.values())
        }
        agencies = {agency for _plan, agency in counted}
        result.append(Figures(by_agency=figures, from_reports=agencies & set(figures)))
    return result


def period_figures(plan, period, reports, *, as_of=None):
    """Figures of ``plan``'s ``period`` (up to ``as_of`` while it runs): two queries."""
    return figures_of({plan.pk: Window.of(period, as_of)}, reports)


def periods_figures(plan, periods, reports):
    """The figures of each of ``plan``'s ``periods``, whole, in the same two queries."""
    return figures_of_each([{plan.pk: Window.of(period)} for period in periods], reports)


@dataclass
class MeasureRow:
    measure: Measure
    current: int = 0
    previous: int | None = None

    @property
    def change(self):
        return None if self.previous is None else self.current - self.previous


@dataclass
class ChannelFigures:
    channel_id: int
    name: str
    is_online: bool
    agencies: int = 0  # agencies with a figure on this channel in the period
    measures: list = field(default_factory=list)  # MeasureRow with a figure in the period


MEASURE_ORDER = ("channel__position", "channel__name", "position", "name")


def measure_rows(figures, previous_figures=None, *, catalogue=None):
    """Rows per measure (catalogue order) and ``ChannelFigures`` per channel; one query, none
    given the ``catalogue`` (every measure with its channel, in ``MEASURE_ORDER``)."""
    current = figures.totals()
    previous = previous_figures.totals() if previous_figures else {}
    wanted = set(current) | set(previous)
    if catalogue is None:
        measures = Measure.objects.filter(pk__in=wanted).select_related("channel").order_by(
            *MEASURE_ORDER
        )
    else:
        measures = [measure for measure in catalogue if measure.pk in wanted]
    rows, channels = [], {}
    for measure in measures:
        row = MeasureRow(
            measure=measure,
            current=current.get(measure.pk, 0),
            previous=previous.get(measure.pk, 0) if previous_figures else None,
        )
        rows.append(row)
        if row.current:
            channel = measure.channel
            if channel.pk not in channels:
                channels[channel.pk] = ChannelFigures(
                    channel_id=channel.pk, name=channel.name, is_online=channel.is_online
                )
            channels[channel.pk].measures.append(row)
    for agency_figures in figures.by_agency.values():
        used = {m.channel_id for m in measures if agency_figures.get(m.pk)}
        for channel_id in used:
            channels[channel_id].agencies += 1
    return rows, list(channels.values())


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


def rank_agencies(tasks, assignments, now, agencies=(), submissions=None, report_cells=(),
                  update_counts=None):
    """Per agency: the assignments it carries at ``now.as_of``, its plan and report states.

    ``agencies`` carrying nothing (addressed or reporting only) follow by name.
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
    for submission in submissions.rows if submissions else ():
        if submission.agency.pk in rows:
            rows[submission.agency.pk].plan_state = submission.state
    for cell_row in report_cells:
        rows[cell_row.agency.pk].report_state = cell_row.cells[0].state
    for agency_id, count in (update_counts or {}).items():
        if agency_id in rows:
            rows[agency_id].updates = count
    ranked = sorted((row for row in rows.values() if row.assignments), key=ranking_key)
    others = sorted(
        (row for row in rows.values() if not row.assignments),
        key=lambda r: r.agency.name.casefold(),
    )
    return ranked + others


def ranking_key(row):
    """Best first: highest share done (exact fractions), then fewest overdue, most done,
    fewest assignments, then name."""
    return (
        -Fraction(row.done, row.assignments),
        row.overdue,
        -row.done,
        row.assignments,
        row.agency.name.casefold(),
    )


@dataclass(frozen=True)
class AgencyTotals:
    carrying: int  # agencies carrying at least one assignment
    all_done: int  # of them, those that finished every one
    with_overdue: int  # of them, those with an overdue one
    with_nothing_done: int = 0  # of them, those that finished none


def agency_totals(ranked):
    carrying = [row for row in ranked if row.assignments]
    return AgencyTotals(
        carrying=len(carrying),
        all_done=sum(1 for row in carrying if row.done == row.assignments),
        with_overdue=sum(1 for row in carrying if row.overdue),
        with_nothing_done=sum(1 for row in carrying if not row.done),
    )


@dataclass(frozen=True)
class RankingGroup:
    kind: str  # "all", "ahead" or "behind"
    rows: list  # empty: nothing to show (every agency of the group has finished nothing)
    of: int  # agencies ranked


def ranking_groups(ranked, each=RANKING_ROWS):
    """What the ranking charts show: every carrying agency when few, else the ``each``
    furthest ahead and the ``each`` furthest behind. A group whose agencies have all
    finished nothing has nothing to show: its ``rows`` are empty."""
    ranked = [row for row in ranked if row.assignments]
    if len(ranked) <= 2 * each:
        groups = [("all", ranked)]
    else:
        groups = [("ahead", ranked[:each]), ("behind", ranked[-each:])]
    return [
        RankingGroup(kind, rows if any(row.done for row in rows) else [], len(ranked))
        for kind, rows in groups
    ]


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


def state_at(plans, as_of):
    """The tasks (with their plan) and assignments (with their agency) of ``plans``, and
    their ``Snapshot`` at the end of ``as_of``; three queries."""
    ids = plan_ids(plans)
    tasks = list(
        Task.objects.filter(plan__in=ids).select_related("plan")
        .order_by("plan__period_start_year", "plan_id", "number")
    )
    assignments = list(
        Assignment.objects.filter(task__plan__in=ids).select_related("agency")
        .order_by("task_id", "role", "agency__name", "pk")
    )
    now = snapshot(tasks, assignments, assignment_history(plans, day_end(as_of)), as_of)
    return tasks, assignments, now


# ---------------------------------------------------------------------------------------------
# The same rules counted in the database, for dashboards of many plans
#
# ``state_at`` builds every task and assignment as objects: right for one plan's report, far
# too slow for a year of a whole country. The queries below state the rules of
# ``tasks.counting`` (state at a date, roll-up, overdue, on time) and of the ranking in SQL
# and return only what a dashboard shows: counts, one page of overdue tasks, one row per
# agency. ``reports/tests/test_counting_sql.py`` checks that both ways agree, on the demo
# data and on generated histories.
#
# An assignment's stored status is that of its last update (``post_update`` writes both,
# with ``last_update_at``), so an assignment last updated before the end of ``as_of`` is
# read from its own row; only those updated later (or closed by a dissolution) look up
# their history, through the index on (assignment, created_at).

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _compose(template, values):
    """``template`` with each ``{name}`` replaced: a ``(sql, params)`` pair is inlined, any
    other value becomes a parameter. Returns ``(sql, params)``."""
    params = []

    def put(match):
        value = values[match.group(1)]
        if isinstance(value, tuple):
            sql, inner = value
            params.extend(inner)
            return sql
        params.append(value)
        return "%s"

    return _PLACEHOLDER.sub(put, template), params


def _plans_sql(plans):
    if isinstance(plans, QuerySet):
        sql, params = plans.order_by().values("pk").query.sql_with_params()
        return sql, list(params)
    return "%s", [plans.pk]


def _local_date(column):
    """SQL of the local date of the datetime ``column`` (``timezone.localdate``)."""
    sql, _params = connection.ops.datetime_cast_date_sql(
        column, (), timezone.get_current_timezone_name()
    )
    return sql, list(_params)


# The last update of assignment ``a`` before the cut-off, or not started.
_LAST_STATUS = """COALESCE((
    SELECT u.status FROM tasks_progressupdate u
    WHERE u.assignment_id = a.id AND u.created_at < {cutoff}
    ORDER BY u.created_at DESC, u.id DESC LIMIT 1), {not_started})"""

# ``tasks.counting.assignment_state``: cancelled when its agency was dissolved by then and
# it was closed without an update; else its last update's status.
_ASSIGNMENT_STATUS = f"""CASE
    WHEN a.status = {{cancelled}} AND g.dissolved_on IS NOT NULL THEN CASE
        WHEN g.dissolved_on <= {{as_of}} AND NOT EXISTS (
            SELECT 1 FROM tasks_progressupdate c WHERE c.assignment_id = a.id
            AND c.status = {{cancelled}} AND c.created_at < {{cutoff}})
        THEN {{cancelled}} ELSE {_LAST_STATUS} END
    WHEN a.last_update_at IS NULL THEN {{not_started}}
    WHEN a.last_update_at < {{cutoff}} THEN a.status
    ELSE {_LAST_STATUS}
END"""

# Done by the due date: its current run of "done" began on or before that day, i.e. a
# "done" update by then that no other status followed (``on_time_verdict``). Last updated by
# the due date, it was; last updated later, its run may still have begun in time (a "done"
# posted again), which only its history tells.
_DONE_BY_DUE_DATE = """CASE
    WHEN x.last_update_at < {cutoff} AND NOT (x.stored = {cancelled} AND x.dissolved_on IS NOT NULL)
        AND {last_update_day} <= x.due_date THEN 1 = 1
    ELSE EXISTS (
        SELECT 1 FROM tasks_progressupdate d
        WHERE d.assignment_id = x.id AND d.status = {done} AND d.created_at < {cutoff}
        AND {done_day} <= x.due_date
        AND NOT EXISTS (
            SELECT 1 FROM tasks_progressupdate v
            WHERE v.assignment_id = x.id AND v.status <> {done} AND v.created_at < {cutoff}
            AND (v.created_at > d.created_at OR (v.created_at = d.created_at AND v.id > d.id))))
END"""

# Each assignment of the plans' tasks with its status at the end of ``as_of`` (``s``), and
# each task with its assignments' counts (``k``): all of them and the leads apart, live (not
# cancelled), done, not started, and done after the due date; the leads carry a task, or
# everyone when it has none (``roll_up``).
_STATES = f"""
t AS (
    SELECT tt.id, tt.plan_id, tt.number, tt.due_date, tt.schedule_kind, pp.period_start_year
    FROM tasks_task tt JOIN plans_plan pp ON pp.id = tt.plan_id
    WHERE tt.plan_id IN ({{plans}})
),
x AS (
    SELECT a.id, a.task_id, a.agency_id, a.role, a.status AS stored, a.last_update_at,
        g.dissolved_on, t.due_date, {_ASSIGNMENT_STATUS} AS status
    FROM t
    JOIN tasks_assignment a ON a.task_id = t.id
    LEFT JOIN (SELECT id, dissolved_on FROM agencies_agency WHERE dissolved_on IS NOT NULL) g
        ON g.id = a.agency_id
),
s AS (
    SELECT x.id, x.task_id, x.agency_id, x.role, x.status,
        CASE WHEN x.status = {{done}} AND x.due_date IS NOT NULL AND x.due_date <= {{as_of}}
            THEN CASE WHEN {_DONE_BY_DUE_DATE} THEN 0 ELSE 1 END ELSE 0 END AS late
    FROM x
),
k AS (
    SELECT task_id,
        SUM(CASE WHEN role = {{lead}} THEN 1 ELSE 0 END) AS leads,
        SUM(CASE WHEN role = {{lead}} AND status <> {{cancelled}} THEN 1 ELSE 0 END) AS leads_live,
        SUM(CASE WHEN role = {{lead}} AND status = {{done}} THEN 1 ELSE 0 END) AS leads_done,
        SUM(CASE WHEN role = {{lead}} AND status = {{not_started}} THEN 1 ELSE 0 END) AS leads_idle,
        SUM(CASE WHEN role = {{lead}} THEN late ELSE 0 END) AS leads_late,
        COUNT(*) AS alls,
        SUM(CASE WHEN status <> {{cancelled}} THEN 1 ELSE 0 END) AS alls_live,
        SUM(CASE WHEN status = {{done}} THEN 1 ELSE 0 END) AS alls_done,
        SUM(CASE WHEN status = {{not_started}} THEN 1 ELSE 0 END) AS alls_idle,
        SUM(late) AS alls_late
    FROM s GROUP BY task_id
),
r AS (
    SELECT t.id, t.plan_id, t.number, t.due_date, t.schedule_kind, t.period_start_year,
        CASE WHEN COALESCE(k.leads, 0) > 0 THEN k.leads ELSE COALESCE(k.alls, 0) END AS n,
        CASE WHEN k.leads > 0 THEN k.leads_live ELSE COALESCE(k.alls_live, 0) END AS live,
        CASE WHEN k.leads > 0 THEN k.leads_done ELSE k.alls_done END AS done,
        CASE WHEN k.leads > 0 THEN k.leads_idle ELSE k.alls_idle END AS idle,
        CASE WHEN k.leads > 0 THEN k.leads_late ELSE k.alls_late END AS late
    FROM t LEFT JOIN k ON k.task_id = t.id
),
task_state AS (
    SELECT r.id, r.plan_id, r.number, r.due_date, r.schedule_kind, r.period_start_year, r.late,
        CASE
            WHEN r.n = 0 THEN {{not_started}}
            WHEN r.live = 0 THEN {{cancelled}}
            WHEN r.done = r.live THEN {{done}}
            WHEN r.idle = r.live THEN {{not_started}}
            ELSE {{in_progress}}
        END AS status
    FROM r
)"""

# ``tasks.counting.overdue_on`` of the task rows of ``task_state``
_OVERDUE = """(due_date IS NOT NULL AND due_date < {as_of}
    AND schedule_kind NOT IN ({ongoing}, {recurring}) AND status NOT IN ({done}, {cancelled}))"""


def _with_states(plans, as_of, query, **more):
    """``WITH`` the state tables of ``plans`` at the end of ``as_of``, then ``query``."""
    values = {
        "plans": _plans_sql(plans),
        "as_of": connection.ops.adapt_datefield_value(as_of),
        "cutoff": connection.ops.adapt_datetimefield_value(day_end(as_of)),
        "last_update_day": _local_date("x.last_update_at"),
        "done_day": _local_date("d.created_at"),
        "overdue": None,
        **{status.name.lower(): status.value for status in Status},
        "lead": AssignmentRole.LEAD.value,
        "ongoing": ScheduleKind.ONGOING.value,
        "recurring": ScheduleKind.RECURRING.value,
        **more,
    }
    values["overdue"] = _compose(_OVERDUE, values)
    return _compose("WITH " + _STATES + "\n" + query, values)


def _no_limit():
    return None if connection.vendor == "postgresql" else -1  # LIMIT NULL, LIMIT -1


def _rows(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


_COUNTS = """
    SELECT 'counts', NULL, NULL,
        SUM(CASE WHEN status = {not_started} THEN 1 ELSE 0 END),
        SUM(CASE WHEN status = {in_progress} THEN 1 ELSE 0 END),
        SUM(CASE WHEN status = {done} THEN 1 ELSE 0 END),
        SUM(CASE WHEN status = {cancelled} THEN 1 ELSE 0 END),
        SUM(CASE WHEN {overdue} THEN 1 ELSE 0 END),
        SUM(CASE WHEN {counted} AND status = {done} AND late = 0 THEN 1 ELSE 0 END),
        SUM(CASE WHEN {counted} AND status = {done} AND late > 0 THEN 1 ELSE 0 END),
        SUM(CASE WHEN {counted} AND {overdue} THEN 1 ELSE 0 END)
    FROM task_state"""

# Per agency, the assignments it carries (``rank_agencies``): cancelled ones left out.
_RANKING = """
    SELECT 'agency', g.name, g.short_name, r.agency_id, r.n, r.done, r.in_progress, r.idle,
        r.overdue, NULL, NULL
    FROM (
        SELECT s.agency_id, COUNT(*) AS n,
            SUM(CASE WHEN s.status = {done} THEN 1 ELSE 0 END) AS done,
            SUM(CASE WHEN s.status = {in_progress} THEN 1 ELSE 0 END) AS in_progress,
            SUM(CASE WHEN s.status NOT IN ({done}, {in_progress}) THEN 1 ELSE 0 END) AS idle,
            SUM(CASE WHEN t.due_date IS NOT NULL AND t.due_date < {as_of}
                AND t.schedule_kind NOT IN ({ongoing}, {recurring})
                AND s.status <> {done} THEN 1 ELSE 0 END) AS overdue
        FROM s
        JOIN k ON k.task_id = s.task_id
        JOIN t ON t.id = s.task_id
        WHERE s.status <> {cancelled} AND (s.role = {lead} OR k.leads = 0)
        GROUP BY s.agency_id
    ) r
    JOIN agencies_agency g ON g.id = r.agency_id"""

# One page of the overdue tasks (``overdue_rows``' order), with who carries each.
_OVERDUE_PAGE = """
    SELECT 'overdue', s.status, NULL, page.id, s.id, NULL, NULL, NULL, NULL, NULL, NULL
    FROM (
        SELECT o.id FROM task_state o WHERE {overdue}
        ORDER BY o.due_date, o.period_start_year, o.plan_id, o.number
        LIMIT {limit} OFFSET {offset}
    ) page
    LEFT JOIN k ON k.task_id = page.id
    LEFT JOIN s ON s.task_id = page.id AND (s.role = {lead} OR k.leads = 0)"""


@dataclass
class Counted:
    """What ``counted_at`` counts of many plans at one date."""

    statuses: StatusCounts
    on_time: OnTimeRate
    ranking: list  # AgencyRow of the agencies carrying an assignment, best first
    overdue: list  # OverdueTask, one page


def counted_at(plans, as_of, *, overdue_offset=0, overdue_limit=None):
    """The dashboard's counts of ``plans`` at the end of ``as_of`` (every task due by then
    for the on-time rate), its ranking (``rank_agencies``: the agencies carrying an
    assignment, their ``agency`` with its names only) and the overdue tasks from
    ``overdue_offset``, at most ``overdue_limit`` (``overdue_rows``); the states counted
    once, in one query, then the page's tasks and leads: three queries."""
    sql, params = _with_states(
        plans, as_of, "\nUNION ALL".join([_COUNTS, _RANKING, _OVERDUE_PAGE]),
        counted=(
            "(due_date IS NOT NULL AND due_date <= %s AND schedule_kind NOT IN (%s, %s))",
            [connection.ops.adapt_datefield_value(as_of), ScheduleKind.ONGOING.value,
             ScheduleKind.RECURRING.value],
        ),
        limit=_no_limit() if overdue_limit is None else overdue_limit,
        offset=overdue_offset,
    )
    counts, ranking, carried, task_ids = None, [], defaultdict(dict), []
    for kind, name, short_name, *numbers in _rows(sql, params):
        if kind == "counts":
            counts = [value or 0 for value in numbers[:8]]
        elif kind == "agency":
            agency_id, assignments, done, in_progress, not_started, overdue = numbers[:6]
            ranking.append(AgencyRow(
                agency=Agency(pk=agency_id, name=name, short_name=short_name),
                assignments=assignments, done=done, in_progress=in_progress,
                not_started=not_started, overdue=overdue,
            ))
        else:
            task_id, assignment_id = numbers[:2]
            if task_id not in task_ids:
                task_ids.append(task_id)
            if assignment_id is not None:
                carried[task_id][assignment_id] = name  # its status at as_of
    not_started, in_progress, done, cancelled, overdue, on_time, done_late, unfinished = counts
    return Counted(
        statuses=StatusCounts(not_started=not_started, in_progress=in_progress, done=done,
                              cancelled=cancelled, overdue=overdue),
        on_time=OnTimeRate(on_time=on_time, done_late=done_late, unfinished=unfinished,
                           due_until=as_of),
        ranking=sorted(ranking, key=ranking_key),
        overdue=_overdue_page(task_ids, carried, as_of),
    )


def _overdue_page(task_ids, carried, as_of):
    """``OverdueTask`` rows of ``task_ids`` whose carrying assignments' statuses at
    ``as_of`` are ``carried`` (task id -> {assignment id: status}); two queries."""
    tasks = Task.objects.filter(pk__in=task_ids).select_related("plan")
    assignments = Assignment.objects.filter(
        pk__in=[pk for states in carried.values() for pk in states]
    ).select_related("agency")
    by_task = defaultdict(list)
    for assignment in assignments:
        by_task[assignment.task_id].append(assignment)
    rows = []
    for task in tasks:
        leads = sorted(by_task[task.pk], key=lambda a: a.agency.name)
        rows.append(OverdueTask(
            task=task,
            days_late=days_late(task, as_of),
            leads=leads,
            open_leads=[a for a in leads if carried[task.pk][a.pk] not in FINISHED],
        ))
    rows.sort(key=overdue_order)
    return rows
