"""What the daily reminders send, decided at sending time from the state of the work.

Nothing is queued in advance: each run looks at the plans in force (issued) on its day,
``today``, and asks of every piece of work whether its agency is done with it: as it stands
now for today's run, as it stood at the end of the day for a past day (``--today``), by the
counting rules (``tasks.counting``: each assignment's state from its progress updates posted
by then, its task rolled up from those; the reports submitted by then). Done work is
never reminded: an assignment done or cancelled (or whose task is), a checkpoint reported
on, a periodic report submitted or accepted (``reports.counting.OFFICIAL_REPORTS``), an
agency plan sent (``reports.counting.submission_completeness``). Dissolved agencies are
left out (their open work has moved to their successor).

**Items and steps.** Each piece of work is at one step on ``today``:

- *before*: due in at most ``d`` days, for the smallest ``d`` of ``REMINDER_DAYS_BEFORE``
  (assignments, checkpoints, agency plans: 7 and 1) or ``REPORT_REMINDER_DAYS_BEFORE``
  (periodic reports: 5 and 0, the due day itself) that still covers it; a run missed the day
  before catches up the next day;
- *overdue*: late (``tasks.models.overdue_on`` for assignments) but not yet by the first
  escalation day; periodic reports have no such step;
- *escalation*: still late ``n`` days after the due date or more, for the largest ``n`` of
  ``REMINDER_ESCALATION_DAYS`` (5 and 15) reached: the officers are told again and the
  agency's head too, by e-mail;
- work late by more than ``REMINDER_LOOKBACK_DAYS`` is no longer chased.

**Checkpoints** of a recurring task: a checkpoint is met by an assignment that has posted
progress after the checkpoint before it (any progress, for the first one), on time or late.
The next checkpoint is reminded before it falls due, the last one passed while it is late.

Each item and step has a deterministic event key ("assignment-due:<assignment>:<due
date>:<days>", "report-escalation:<plan>:<agency>:<period>:<days>"…): a step already sent
(``Dispatch``) is not selected again, so running twice a day, or the day after, sends
nothing twice.

**Coordinators' digest**, one a day for the coordinators of each province (the top agency
of the plans' issuer): what became late since the last digest, the periodic reports and
agency plans submitted since then, the reports awaiting review, today's escalations, and the
agencies that have work to be reminded of but no active officer to tell.

A fixed number of queries, whatever the number of agencies, plans and assignments.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency, Role, User
from notifications.kinds import Kind
from periodic.models import AgencyReport, ReportStatus
from plans.models import Plan, PlanStatus, SubmissionState
from plans.periods import periods_for_plan
from reports.counting import OFFICIAL_REPORTS, submission_completeness
from tasks.counting import assignment_state, day_end, overdue_on, task_state, update_history
from tasks.models import FINISHED, Assignment, Checkpoint
from tasks.timeline import ScheduleKind

from .models import Dispatch

BEFORE, OVERDUE, ESCALATION = "before", "overdue", "escalation"
UNDATED_KINDS = (ScheduleKind.ONGOING, ScheduleKind.RECURRING)
NOT_SENT = (SubmissionState.PENDING, SubmissionState.MISSING)


@dataclass(frozen=True)
class Item:
    """One piece of work of one agency at one step on the run's day."""

    key: str  # the event key of this step
    kind: str  # notifications.kinds.Kind
    step: str  # BEFORE, OVERDUE, ESCALATION
    agency_id: int
    plan: Plan
    due: datetime.date
    days: int  # days until the due date (BEFORE), days late (OVERDUE, ESCALATION)
    what: str  # "assignment", "checkpoint", "report", "agency_plan"
    title: str = ""  # the task's title (assignments, checkpoints)
    role: str = ""  # the assignment's role (AssignmentRole)
    period: object = None  # the reporting period (reports)
    url: str = ""


@dataclass
class Digest:
    """The day's digest for the coordinators of one province."""

    key: str
    root: Agency
    coordinators: list
    became_late: list = field(default_factory=list)  # Item-like dicts, sent or not, + agency
    submitted_reports: list = field(default_factory=list)  # AgencyReport
    submitted_plans: list = field(default_factory=list)  # Plan
    awaiting_review: list = field(default_factory=list)  # AgencyReport
    escalated: list = field(default_factory=list)  # Item
    no_officer: list = field(default_factory=list)  # (Agency, [Item])
    since: datetime.date | None = None

    @property
    def submitted_count(self):
        return len(self.submitted_reports) + len(self.submitted_plans)

    def is_empty(self):
        return not (self.became_late or self.submitted_reports or self.submitted_plans
                    or self.awaiting_review or self.escalated or self.no_officer)


@dataclass
class Selection:
    today: datetime.date
    items: list  # Item, to the officers of their agency
    agencies: dict  # id -> Agency
    officers: dict  # agency id -> [User]
    digests: list  # Digest

    def items_of(self, agency_id):
        return [item for item in self.items if item.agency_id == agency_id]

    @property
    def escalations(self):
        return [item for item in self.items if item.step == ESCALATION]


def step_on(days_until, before, *, overdue=True):
    """(step, days) of work due in ``days_until`` days (negative: late), or None."""
    if days_until >= 0:
        covering = [d for d in before if days_until <= d]
        return (BEFORE, min(covering)) if covering else None
    late = -days_until
    if late > settings.REMINDER_LOOKBACK_DAYS:
        return None
    reached = [n for n in settings.REMINDER_ESCALATION_DAYS if late >= n]
    if reached:
        return ESCALATION, max(reached)
    return (OVERDUE, late) if overdue else None


def checkpoint_met(last_update_at, previous):
    """Progress posted after the checkpoint before this one (``previous``; None: any)."""
    if last_update_at is None:
        return False
    return previous is None or timezone.localdate(last_update_at) > previous


class Roots:
    """The top agency (the province) above each agency, from one query of the tree."""

    def __init__(self):
        self.agencies = {a.pk: a for a in Agency.objects.all()}
        self.memo = {}

    def of(self, agency_id):
        if agency_id not in self.memo:
            seen, current = set(), agency_id
            while self.agencies[current].parent_id and current not in seen:
                seen.add(current)
                current = self.agencies[current].parent_id
            self.memo[agency_id] = current
        return self.memo[agency_id]


class Collector:
    """Builds the items of one run; ``late`` keeps every late item, dispatched or not."""

    def __init__(self, today, sent):
        self.today, self.sent = today, sent
        self.items, self.late = [], []

    def add(self, *, prefix, ident, due, before, kinds, overdue=True, **details):
        days_until = (due - self.today).days
        if days_until < 0:
            self.late.append({**details, "due": due, "days": -days_until, "step": OVERDUE})
        step = step_on(days_until, before, overdue=overdue)
        if step is None:
            return
        name, days = step
        kind = {BEFORE: kinds[0], OVERDUE: kinds[1], ESCALATION: Kind.ESCALATION}[name]
        suffix = {BEFORE: "due", OVERDUE: "overdue", ESCALATION: "escalation"}[name]
        key = f"{prefix}-{suffix}:{ident}:{due.isoformat()}"
        if name != OVERDUE:
            key += f":{days}"
        if key in self.sent:
            return
        shown_days = days if name == BEFORE else -days_until
        self.items.append(Item(key=key, kind=kind, step=name, due=due, days=shown_days,
                               **details))


def _window(plans, horizon, earliest, prefix=""):
    """The work a run looks at: dated tasks due in ``earliest``..``horizon`` and recurring
    tasks, of ``plans``; ``prefix`` leads to the task ("assignment__")."""
    task = f"{prefix}task__"
    dated = Q(**{f"{task}due_date__range": (earliest, horizon)}) & ~Q(
        **{f"{task}schedule_kind__in": UNDATED_KINDS}
    )
    return Q(**{f"{task}plan__in": [p.pk for p in plans]}) & (
        dated | Q(**{f"{task}schedule_kind": ScheduleKind.RECURRING})
    )


FIELDS = ("pk", "agency_id", "role", "status", "last_update_at", "task__id", "task__plan_id",
          "task__title", "task__number", "task__due_date", "task__schedule_kind",
          "task__status")


class Current:
    """The work as it stands now (a run for today): the stored statuses."""

    def __init__(self, plans, today, horizon, earliest):
        self.assignments = list(
            Assignment.objects.filter(_window(plans, horizon, earliest),
                                      agency__dissolved_on__isnull=True)
            .exclude(status__in=FINISHED).exclude(task__status__in=FINISHED)
            .select_related("task").only(*FIELDS).order_by("pk")
        )

    def status(self, assignment):
        return assignment.status

    def last_update_at(self, assignment):
        return assignment.last_update_at


class AtDate:
    """The work as it stood at the end of a past day, by the counting rules
    (``tasks.counting``): each assignment's state from its updates posted by then, its task
    rolled up from those, its agency not yet dissolved. Two queries."""

    def __init__(self, plans, today, horizon, earliest):
        every = list(
            Assignment.objects.filter(_window(plans, horizon, earliest))
            .select_related("task", "agency").only(*FIELDS, "agency__dissolved_on")
            .order_by("pk")
        )
        history = update_history(_window(plans, horizon, earliest, "assignment__"),
                                 day_end(today))
        self.states = {a.pk: assignment_state(a, history.get(a.pk, ()), today)[0]
                       for a in every}
        self.last = {a.pk: history[a.pk][-1][0] if history.get(a.pk) else None for a in every}
        by_task = defaultdict(list)
        for assignment in every:
            by_task[assignment.task_id].append((assignment.role, self.states[assignment.pk]))
        self.tasks = {task_id: task_state(states) for task_id, states in by_task.items()}
        self.assignments = [
            a for a in every
            if not (a.agency.dissolved_on and a.agency.dissolved_on <= today)
            and self.states[a.pk].status not in FINISHED
            and self.tasks[a.task_id].status not in FINISHED
        ]

    def status(self, assignment):
        return self.states[assignment.pk].status

    def last_update_at(self, assignment):
        return self.last[assignment.pk]


def _collect_work(collector, plans, today):
    before = settings.REMINDER_DAYS_BEFORE
    horizon = today + datetime.timedelta(days=max(before, default=0))
    earliest = today - datetime.timedelta(days=settings.REMINDER_LOOKBACK_DAYS)
    by_pk = {plan.pk: plan for plan in plans}
    work = (AtDate if today < timezone.localdate() else Current)(plans, today, horizon,
                                                                  earliest)
    assignments = work.assignments
    recurring = {a.task_id for a in assignments if a.task.schedule_kind == ScheduleKind.RECURRING}
    checkpoints = defaultdict(list)
    for task_id, due in (
        Checkpoint.objects.filter(task__in=recurring).order_by("task_id", "due_date")
        .values_list("task_id", "due_date")
    ) if recurring else ():
        checkpoints[task_id].append(due)
    for assignment in assignments:
        task = assignment.task
        details = {
            "agency_id": assignment.agency_id, "plan": by_pk[task.plan_id], "title": task.title,
            "role": assignment.role, "url": reverse("tasks:detail", args=[task.pk]),
        }
        if task.schedule_kind != ScheduleKind.RECURRING:
            late = overdue_on(task.due_date, task.schedule_kind, work.status(assignment), today)
            if task.due_date >= today or late:
                collector.add(prefix="assignment", ident=assignment.pk, due=task.due_date,
                              before=before, what="assignment",
                              kinds=(Kind.ASSIGNMENT_DUE, Kind.ASSIGNMENT_OVERDUE), **details)
            continue
        dates = checkpoints.get(task.pk, [])
        passed = [d for d in dates if d < today]
        coming = [d for d in dates if d >= today]
        for due in ([passed[-1]] if passed else []) + coming[:1]:
            index = dates.index(due)
            previous = dates[index - 1] if index else None
            if checkpoint_met(work.last_update_at(assignment), previous):
                continue
            collector.add(prefix="checkpoint", ident=assignment.pk, due=due, before=before,
                          what="checkpoint",
                          kinds=(Kind.CHECKPOINT_DUE, Kind.CHECKPOINT_OVERDUE), **details)


def _collect_reports(collector, plans, today):
    before = settings.REPORT_REMINDER_DAYS_BEFORE
    earliest = today - datetime.timedelta(days=settings.REMINDER_LOOKBACK_DAYS)
    horizon = today + datetime.timedelta(days=max(before, default=0))
    periods = {
        plan.pk: [p for p in periods_for_plan(plan) if earliest <= p.due <= horizon]
        for plan in plans
    }
    reporting = [plan for plan in plans if periods[plan.pk]]
    if not reporting:
        return
    ids = [plan.pk for plan in reporting]
    owing = defaultdict(set)
    for plan_id, agency_id in Plan.addressed_agencies.through.objects.filter(
        plan__in=ids, agency__dissolved_on__isnull=True
    ).values_list("plan_id", "agency_id"):
        owing[plan_id].add(agency_id)
    for plan_id, agency_id in (
        Assignment.objects.filter(task__plan__in=ids, agency__dissolved_on__isnull=True)
        .values_list("task__plan_id", "agency_id").distinct()
    ):
        owing[plan_id].add(agency_id)
    years = {p.year for plan_periods in periods.values() for p in plan_periods}
    official = AgencyReport.objects.filter(plan__in=ids, year__in=years,
                                           status__in=OFFICIAL_REPORTS)
    if today < timezone.localdate():  # a past day: the reports submitted by its end
        official = official.filter(Q(submitted_at__isnull=True)
                                   | Q(submitted_at__lt=day_end(today)))
    done = set(official.values_list("plan_id", "agency_id", "year", "period_code"))
    url = reverse("periodic:my_reports")
    for plan in reporting:
        for agency_id in sorted(owing[plan.pk] - {plan.issuer_id}):
            for period in periods[plan.pk]:
                if (plan.pk, agency_id, period.year, period.code) in done:
                    continue
                collector.add(
                    prefix="report", ident=f"{plan.pk}:{agency_id}:{period.key}", due=period.due,
                    before=before, kinds=(Kind.REPORT_DUE, Kind.REPORT_DUE), overdue=False,
                    what="report", agency_id=agency_id, plan=plan, period=period, url=url,
                )


def _collect_agency_plans(collector, plans, today, agencies):
    asking = [plan for plan in plans if plan.submission_deadline]
    if not asking:
        return
    for row in submission_completeness(Plan.objects.filter(pk__in=[p.pk for p in asking]),
                                       as_of=today).rows:
        if row.state not in NOT_SENT or agencies[row.agency.pk].dissolved_on:
            continue
        plan = next(p for p in asking if p.pk == row.plan.pk)
        collector.add(
            prefix="agency-plan", ident=f"{plan.pk}:{row.agency.pk}",
            due=plan.submission_deadline, before=settings.REMINDER_DAYS_BEFORE,
            kinds=(Kind.AGENCY_PLAN_DUE, Kind.AGENCY_PLAN_DUE), what="agency_plan",
            agency_id=row.agency.pk, plan=plan, url=reverse("plans:submit", args=[plan.pk]),
        )


def _users(role, agency_ids=None):
    users = User.objects.filter(role=role, is_active=True, agency__isnull=False)
    if agency_ids is not None:
        users = users.filter(agency__in=agency_ids)
    grouped = defaultdict(list)
    for user in users.order_by("pk"):
        grouped[user.agency_id].append(user)
    return grouped


def select(today):
    """Everything the run of ``today`` sends (see the module docstring)."""
    plans = list(Plan.objects.filter(status=PlanStatus.ISSUED).select_related("issuer")
                 .order_by("pk"))
    lookback = today - datetime.timedelta(days=settings.REMINDER_LOOKBACK_DAYS + 1)
    sent = set(Dispatch.objects.filter(due_date__gte=lookback).values_list("event_key",
                                                                            flat=True))
    roots = Roots()
    collector = Collector(today, sent)
    if plans:
        _collect_work(collector, plans, today)
        _collect_reports(collector, plans, today)
        _collect_agency_plans(collector, plans, today, roots.agencies)
    items = sorted(collector.items, key=lambda i: (i.agency_id, i.due, i.key))
    officers = _users(Role.AGENCY_OFFICER, {item.agency_id for item in items})
    digests = _digests(today, plans, roots, collector, items, officers)
    return Selection(today=today, items=items, agencies=roots.agencies, officers=officers,
                     digests=digests)


def _digests(today, plans, roots, collector, items, officers):
    """One digest per province whose coordinators have something to read today."""
    coordinators = defaultdict(list)
    for agency_id, users in _users(Role.COORDINATOR).items():
        coordinators[roots.of(agency_id)].extend(users)
    if not coordinators or not plans:
        return []
    last = dict(
        Dispatch.objects.filter(kind=Kind.COORDINATOR_DIGEST, day__lt=today)
        .values("agency_id").annotate(last=Max("day")).values_list("agency_id", "last")
    )
    digests = {}
    for root_id, users in coordinators.items():
        key = f"coordinator-digest:{root_id}:{today.isoformat()}"
        if key in collector.sent:
            continue
        since = last.get(root_id) or today - datetime.timedelta(days=1)
        since = max(since, today - datetime.timedelta(days=settings.REMINDER_LOOKBACK_DAYS))
        digests[root_id] = Digest(key=key, root=roots.agencies[root_id], coordinators=users,
                                  since=since)
    if not digests:
        return []

    def digest_of(plan):
        return digests.get(roots.of(plan.issuer_id))

    for row in collector.late:
        digest = digest_of(row["plan"])
        if digest and row["days"] <= (today - digest.since).days:
            digest.became_late.append({**row, "agency": roots.agencies[row["agency_id"]]})
    for item in items:
        digest = digest_of(item.plan)
        if digest and item.step == ESCALATION:
            digest.escalated.append(item)
    missing = defaultdict(list)
    for item in items:
        if item.agency_id not in officers:
            missing[item.agency_id].append(item)
    for agency_id, agency_items in missing.items():
        digest = digest_of(agency_items[0].plan)
        if digest:
            digest.no_officer.append((roots.agencies[agency_id], agency_items))
    plan_ids = [plan.pk for plan in plans]
    earliest = min(digest.since for digest in digests.values())
    window = (day_end(earliest - datetime.timedelta(days=1)), day_end(today - datetime.timedelta(
        days=1)))
    for report in (
        AgencyReport.objects.filter(plan__in=plan_ids).filter(
            Q(status=ReportStatus.SUBMITTED)
            | Q(status__in=OFFICIAL_REPORTS, submitted_at__gte=window[0],
                submitted_at__lt=window[1])
        ).select_related("plan__issuer", "agency").order_by("submitted_at", "pk")
    ):
        digest = digest_of(report.plan)
        if digest is None:
            continue
        if report.status == ReportStatus.SUBMITTED:
            digest.awaiting_review.append(report)
        if report.submitted_at and day_end(digest.since - datetime.timedelta(days=1)) <= (
            report.submitted_at
        ) < window[1]:
            digest.submitted_reports.append(report)
    for child in (
        Plan.objects.filter(parent__in=plan_ids, submitted_at__gte=window[0],
                            submitted_at__lt=window[1])
        .select_related("parent__issuer", "issuer").order_by("submitted_at", "pk")
    ):
        digest = digest_of(child.parent)
        if digest and child.submitted_at >= day_end(digest.since - datetime.timedelta(days=1)):
            digest.submitted_plans.append(child)
    for digest in digests.values():
        digest.became_late.sort(key=lambda row: (-row["days"], row["agency"].name))
    return [digest for digest in digests.values() if not digest.is_empty()]
