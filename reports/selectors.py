"""What the dashboard, the PDF reports and the spreadsheets count, counted in one place.

Every function takes ``plans``: one ``Plan`` or a queryset of plans (``plans_of_year(2022)``),
and runs a fixed number of queries whatever the number of tasks, assignments or updates.

The ``as_of`` date (default: today) is the day lateness is measured against: a task is overdue
when its due date is before ``as_of``; an agency plan or a figure counts when it was submitted
or posted on or before ``as_of``. Task and assignment statuses are the ones recorded now:
they are not rebuilt from the history as of an earlier day.

Who carries a task: its lead assignments, or every assignment when it has no lead (the
coordinators then carry it) — the same rule ``tasks.services.refresh_task_status`` rolls the
task's status up with.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from plans.models import Plan, PlanStatus, SubmissionState, submission_state
from tasks.models import (
    Assignment,
    AssignmentRole,
    ProgressUpdate,
    Status,
    Task,
    UpdateFigure,
)
from tasks.timeline import ScheduleKind

STATUS_ORDER = [Status.NOT_STARTED, Status.IN_PROGRESS, Status.DONE, Status.CANCELLED]
FINISHED = [Status.DONE, Status.CANCELLED]
UNDATED_KINDS = [ScheduleKind.ONGOING, ScheduleKind.RECURRING]


def percent(part, whole):
    """``part`` of ``whole`` in whole percent, halves up (5 of 8 → 63); None of nothing."""
    if not whole:
        return None
    return (part * 200 + whole) // (whole * 2)


def plans_of_year(year):
    """The plans a year's dashboard covers: every plan, not a draft, whose period covers it."""
    return Plan.objects.for_year(year).exclude(status=PlanStatus.DRAFT)


def _plans(plans):
    if isinstance(plans, QuerySet):
        return plans
    return Plan.objects.filter(pk=plans.pk)


def _tasks(plans):
    return Task.objects.filter(plan__in=_plans(plans).values("pk"))


def _as_of(as_of):
    return as_of or timezone.localdate()


def carrying_assignments():
    """Assignments that carry their task: the leads, or everyone on a task with no lead."""
    task_has_lead = Assignment.objects.filter(task=OuterRef("task"), role=AssignmentRole.LEAD)
    return Assignment.objects.filter(Q(role=AssignmentRole.LEAD) | ~Exists(task_has_lead))


# Task status ---------------------------------------------------------------------------------


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


def task_status_counts(plans, *, as_of=None):
    """Tasks per status, and how many are overdue at ``as_of`` (``Task.objects.overdue``)."""
    overdue = _tasks(plans).overdue(_as_of(as_of)).values("pk")
    counts = _tasks(plans).aggregate(
        **{status.value: Count("pk", filter=Q(status=status)) for status in STATUS_ORDER},
        overdue=Count("pk", filter=Q(pk__in=overdue)),
    )
    return StatusCounts(**counts)


# On-time completion ------------------------------------------------------------------------


def with_completion(tasks):
    """Annotate ``completed_at``: when the task was last brought to done.

    For each assignment carrying the task and now done, the moment it reached done is its
    first "done" update after its last update of any other status (later "done" updates
    that only add figures or evidence do not move it). The task was completed when the
    last of those assignments reached done. Meant for done tasks; None when no such update
    is recorded (e.g. a status set by hand).
    """
    reopened_later = ProgressUpdate.objects.filter(
        assignment=OuterRef("assignment"), created_at__gt=OuterRef("created_at")
    ).exclude(status=Status.DONE)
    reached_done = (
        ProgressUpdate.objects.filter(assignment=OuterRef("pk"), status=Status.DONE)
        .exclude(Exists(reopened_later))
        .order_by("created_at", "pk")
        .values("created_at")[:1]
    )
    last_to_finish = (
        carrying_assignments()
        .filter(task=OuterRef("pk"), status=Status.DONE)
        .annotate(reached_done_at=Subquery(reached_done))
        .order_by(F("reached_done_at").desc(nulls_last=True))
        .values("reached_done_at")[:1]
    )
    return tasks.annotate(completed_at=Subquery(last_to_finish))


@dataclass(frozen=True)
class OnTimeRate:
    on_time: int
    counted: int

    @property
    def late(self):
        return self.counted - self.on_time

    @property
    def percent(self):
        return percent(self.on_time, self.counted)


def on_time_rate(plans):
    """Share of done tasks finished by their due date.

    Counted: tasks now done that have a due date (ongoing tasks have none). On time: those
    whose ``completed_at`` (see ``with_completion``), as a local date, is on or before the due
    date. A done task with no recorded completion counts as not on time: nothing shows it was.
    ``percent`` is None when nothing is counted.
    """
    tasks = with_completion(_tasks(plans).filter(status=Status.DONE, due_date__isnull=False))
    counts = tasks.annotate(completed_on=TruncDate("completed_at")).aggregate(
        counted=Count("pk"),
        on_time=Count("pk", filter=Q(completed_on__lte=F("due_date"))),
    )
    return OnTimeRate(**counts)


# Overdue tasks -----------------------------------------------------------------------------


@dataclass(frozen=True)
class OverdueTask:
    task: Task
    days_late: int
    leads: list  # Assignment (with .agency) carrying the task

    @property
    def open_leads(self):
        """The carrying agencies that have not finished their part."""
        return [a for a in self.leads if a.status not in FINISHED]


def overdue_tasks(plans, *, as_of=None, limit=None):
    """Overdue tasks at ``as_of``, most days late first, each with the agencies carrying it.

    Two queries: the tasks (with their plan), then their carrying assignments with agencies.
    """
    as_of = _as_of(as_of)
    tasks = (
        _tasks(plans)
        .overdue(as_of)
        .select_related("plan")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=carrying_assignments().select_related("agency").order_by("agency__name"),
                to_attr="carrying",
            )
        )
        .order_by("due_date", "plan__period_start_year", "plan_id", "number")
    )
    if limit is not None:
        tasks = tasks[:limit]
    return [
        OverdueTask(task=task, days_late=(as_of - task.due_date).days, leads=task.carrying)
        for task in tasks
    ]


# Agencies ranked by completion ---------------------------------------------------------------


@dataclass(frozen=True)
class AgencyCompletion:
    agency_id: int
    name: str
    short_name: str
    assignments: int
    done: int
    overdue: int

    @property
    def display_name(self):
        return self.short_name or self.name

    @property
    def percent_done(self):
        return percent(self.done, self.assignments) or 0


def agency_ranking(plans, *, as_of=None):
    """Per agency: the assignments it carries, how many are done, how many are overdue.

    Counted: assignments carrying a task of the plans, not cancelled. Overdue: the task has
    a due date before ``as_of``, is not ongoing or recurring, and this agency's own part is
    not done. Best first: highest share done, then fewest overdue, then most done, then
    fewest assignments (0 of 4 is further behind than 0 of 1), then name. One query.
    """
    as_of = _as_of(as_of)
    late = (
        Q(task__due_date__lt=as_of)
        & ~Q(task__schedule_kind__in=UNDATED_KINDS)
        & ~Q(status__in=FINISHED)
    )
    rows = (
        carrying_assignments()
        .filter(task__in=_tasks(plans))
        .exclude(status=Status.CANCELLED)
        .values("agency_id", "agency__name", "agency__short_name")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status=Status.DONE)),
            overdue=Count("pk", filter=late),
        )
        .order_by()
    )
    ranking = [
        AgencyCompletion(
            agency_id=row["agency_id"],
            name=row["agency__name"],
            short_name=row["agency__short_name"],
            assignments=row["total"],
            done=row["done"],
            overdue=row["overdue"],
        )
        for row in rows
    ]
    # Exact fractions, so 2/3 ranks above 66/100.
    ranking.sort(
        key=lambda r: (
            -r.done / r.assignments,
            r.overdue,
            -r.done,
            r.assignments,
            r.name.casefold(),
        )
    )
    return ranking


# Agency plans submitted to the plan --------------------------------------------------------


# The order the plans app lists submissions in: who is missing first.
SUBMISSION_ORDER = [
    SubmissionState.MISSING,
    SubmissionState.PENDING,
    SubmissionState.LATE,
    SubmissionState.ON_TIME,
]


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


def submission_completeness(plans, *, as_of=None):
    """Each agency a plan addresses, with its own plan's submission state at ``as_of``.

    An agency's plan is a plan whose parent is the plan and whose issuer is the agency; when
    it sent several, the first submission counts. The state is ``plans.models.
    submission_state`` (as on the plan's submissions page): submitted after the plan's
    ``submission_deadline`` (local date) is late; not submitted is missing once the deadline
    has passed, pending before it or when there is no deadline. A plan sent after ``as_of``
    counts as not sent yet. Rows: missing, pending, late, on time, then by agency name.
    One query for any number of plans.
    """
    as_of = _as_of(as_of)
    own_plans = Plan.objects.filter(
        parent=OuterRef("plan"), issuer=OuterRef("agency"), submitted_at__isnull=False
    ).order_by("submitted_at", "pk")
    addressed = (
        Plan.addressed_agencies.through.objects.filter(plan__in=_plans(plans).values("pk"))
        .select_related("plan", "agency")
        .annotate(
            agency_plan_id=Subquery(own_plans.values("pk")[:1]),
            first_submitted_at=Subquery(own_plans.values("submitted_at")[:1]),
        )
    )
    rows = []
    for row in addressed:
        submitted_at = row.first_submitted_at
        if submitted_at and timezone.localdate(submitted_at) > as_of:
            submitted_at = None
        rows.append(
            Submission(
                plan=row.plan,
                agency=row.agency,
                agency_plan_id=row.agency_plan_id,
                submitted_at=submitted_at,
                state=submission_state(submitted_at, row.plan.submission_deadline, as_of),
            )
        )
    rows.sort(key=lambda r: (SUBMISSION_ORDER.index(r.state), r.agency.name.casefold()))
    return SubmissionSummary(rows=rows)


# Figures per channel -----------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureTotal:
    measure_id: int
    name: str
    unit: str
    total: int


@dataclass
class ChannelFigures:
    channel_id: int
    name: str
    is_online: bool
    agencies: int = 0  # agencies that reported a figure on this channel
    updates: int = 0  # progress updates that reported one
    measures: list = field(default_factory=list)


def channel_figures(plans, *, as_of=None):
    """Figures reported in progress updates on the plans' tasks, summed per measure.

    Grouped by channel in catalogue order; only updates posted on or before ``as_of`` (local
    date) count; channels and measures with nothing reported are left out. Two queries.
    """
    figures = UpdateFigure.objects.filter(
        update__assignment__task__in=_tasks(plans),
        update__created_at__date__lte=_as_of(as_of),
    )
    channels = {}
    per_channel = (
        figures.values(
            "measure__channel_id",
            "measure__channel__name",
            "measure__channel__is_online",
            "measure__channel__position",
        )
        .annotate(
            agencies=Count("update__assignment__agency", distinct=True),
            updates=Count("update", distinct=True),
        )
        .order_by("measure__channel__position", "measure__channel__name")
    )
    for row in per_channel:
        channels[row["measure__channel_id"]] = ChannelFigures(
            channel_id=row["measure__channel_id"],
            name=row["measure__channel__name"],
            is_online=row["measure__channel__is_online"],
            agencies=row["agencies"],
            updates=row["updates"],
        )
    per_measure = (
        figures.values("measure_id", "measure__name", "measure__unit", "measure__channel_id")
        .annotate(total=Sum("value"))
        .order_by("measure__position", "measure__name")
    )
    for row in per_measure:
        channel = channels.get(row["measure__channel_id"])
        if channel is not None:
            channel.measures.append(
                MeasureTotal(
                    measure_id=row["measure_id"],
                    name=row["measure__name"],
                    unit=row["measure__unit"],
                    total=row["total"],
                )
            )
    return list(channels.values())


# Everything the dashboard shows ------------------------------------------------------------


@dataclass
class Dashboard:
    as_of: datetime.date
    statuses: StatusCounts
    on_time: OnTimeRate
    overdue: list
    ranking: list
    submissions: SubmissionSummary
    channels: list

    @property
    def more_overdue(self):
        """Overdue tasks left out of ``overdue`` by its limit."""
        return self.statuses.overdue - len(self.overdue)


def dashboard(plans, *, as_of=None, overdue_limit=None):
    """All the numbers of the dashboard for ``plans`` at ``as_of``: eight queries (seven when
    nothing is overdue, as the overdue tasks' agencies are then not fetched)."""
    as_of = _as_of(as_of)
    return Dashboard(
        as_of=as_of,
        statuses=task_status_counts(plans, as_of=as_of),
        on_time=on_time_rate(plans),
        overdue=overdue_tasks(plans, as_of=as_of, limit=overdue_limit),
        ranking=agency_ranking(plans, as_of=as_of),
        submissions=submission_completeness(plans, as_of=as_of),
        channels=channel_figures(plans, as_of=as_of),
    )
