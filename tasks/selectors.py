"""Reads of tasks shared by pages and reports."""

import datetime
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    DateField,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import AgencyGroup, User
from agencies.provinces import in_users_province
from cchc_plans.lists import ShortList, read_lists
from plans.models import Channel, PlanChannel, Reminder, ReminderTopic
from plans.selectors import change_sets, history_entries, reminded_by_agency, reminders_about
from signatures.models import with_check

from . import counting
from .filters import PLAN_ROW, MyWorkFilter, plans_of_my_work
from .models import (
    DUE_SOON_DAYS,
    FINISHED,
    Assignment,
    AssignmentRole,
    CancellationProposal,
    Checkpoint,
    Evidence,
    ProgressUpdate,
    Task,
    UpdateFigure,
)
from .timeline import Schedule, ScheduleKind


def my_work(*, request, today=None):
    """The assignments of the officer's agency in the plans it may read, filtered by the
    query string: overdue and due within DUE_SOON_DAYS first, then by due date.

    Returns the FilterSet (for its form) and the ordered queryset. Each row carries
    ``next_due``: the task's due date, or for a recurring task its next checkpoint.
    """
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    # The plans read once, as values, for the filter's choices and years and as the
    # assignments' bound: a literal list of ids instead of the visibility union thrice.
    plans = list(plans_of_my_work(request).values_list(*PLAN_ROW))
    mine = in_users_province(
        Assignment.objects.filter(
            agency=request.user.agency_id, plan__in=[row[0] for row in plans]
        ),
        request.user,
    )
    filterset = MyWorkFilter(request.GET or None, queryset=mine, request=request, plans=plans)
    next_checkpoint = (
        Checkpoint.objects.filter(task=OuterRef("task"), due_date__gte=today)
        .order_by("due_date")
        .values("due_date")[:1]
    )
    urgent = (
        Q(next_due__lte=soon)
        & ~Q(status__in=FINISHED)
        & ~Q(task__schedule_kind=ScheduleKind.ONGOING)
    )
    assignments = (
        filterset.qs.annotate(
            next_due=Case(
                When(task__schedule_kind=ScheduleKind.RECURRING, then=Subquery(next_checkpoint)),
                default=F("task__due_date"),
                output_field=DateField(),
            )
        )
        .annotate(
            urgent=Case(
                When(urgent, then=Value(True)), default=Value(False), output_field=BooleanField()
            )
        )
        .select_related("task__plan")
        .order_by(
            "-urgent",
            F("next_due").asc(nulls_last=True),
            "-task__plan__period_start_year",
            "task__plan_id",
            "task__number",
            "pk",
        )
    )
    return filterset, assignments


def due_state(assignment, today=None):
    """(days late, days left) of an assignment row of my_work; each is None when it does not
    apply: finished work, ongoing tasks and tasks without a date are neither. Late is the
    assignment overdue by ``counting.overdue_on``, as the dashboard and reports count it; a
    recurring task is never late, its days left run to the next checkpoint."""
    today = today or timezone.localdate()
    task = assignment.task
    late = counting.lateness(task, assignment.status, today)
    if late:
        return late, None
    due = getattr(assignment, "next_due", None) or task.due_date
    if due is None or assignment.status in FINISHED or task.schedule_kind == ScheduleKind.ONGOING:
        return None, None
    if due >= today:
        return None, (due - today).days
    return None, None


def task_assignments(*, task):
    return task.assignments.select_related("agency", "via_group", "transferred_from").order_by(
        "role", "agency__name"
    )


def update_history(*, task, assignments=None):
    """Every progress update of the task's assignments, newest first, with figures and
    evidence prefetched: a page of it costs the same few queries however long it is.

    Given the task's ``assignments`` already read, none of which was ever updated
    (``last_update_at`` empty, as the counting rules read it), no query is made at all."""
    if assignments is not None and not any(a.last_update_at for a in assignments):
        return ProgressUpdate.objects.none()
    figures = UpdateFigure.objects.select_related("measure").order_by(
        "measure__channel__position", "measure__position", "measure__name"
    )
    return (
        ProgressUpdate.objects.filter(assignment__task=task)
        .select_related("author", "assignment__agency")
        .prefetch_related(
            Prefetch("figures", queryset=figures),
            Prefetch("evidence", queryset=with_check(Evidence.objects.all(), "file")),
        )
        .order_by("-created_at", "-pk")
    )


def update_channels(*, assignment):
    """Ids of the channels a progress update of ``assignment`` is likely to report on: those
    of the task's plan and those the assignment already has figures for. One query."""
    plan_channels = PlanChannel.objects.filter(plan_id=assignment.task.plan_id).values("channel")
    reported = UpdateFigure.objects.filter(update__assignment=assignment).values(
        "measure__channel"
    )
    return set(
        Channel.objects.filter(Q(pk__in=plan_channels) | Q(pk__in=reported)).values_list(
            "pk", flat=True
        )
    )


# Progress rolls up from the updates, which the task page shows on their own; bookkeeping.
TASK_HISTORY_HIDDEN = {"plan", "status", "percent", "version", "recurrence", "due_date_set_by_hand"}
ASSIGNMENT_HISTORY_HIDDEN = {"task", "status", "percent", "last_update_at"}


def _assignment_subject(record):
    return f"{record.agency.name} ({record.get_role_display()})"


def task_history(*, task):
    """Who changed the task (title, timeline, agencies…) and when, newest first, as change
    sets like a plan's; the roll-up of progress is left out. Three queries."""
    items = history_entries(Task, {"id": task.pk}, hidden=TASK_HISTORY_HIDDEN, own=True)
    items += history_entries(
        Assignment,
        {"task_id": task.pk},
        hidden=ASSIGNMENT_HISTORY_HIDDEN,
        subject=_assignment_subject,
    )
    return [change_set for change_set in change_sets(items, closed_by=Task) if change_set.entries]


def plan_tasks(*, plan):
    """The plan's key tasks in order, with their directly named agencies and lead groups."""
    direct = Assignment.objects.filter(via_group__isnull=True).select_related("agency")
    return plan.tasks.prefetch_related(
        Prefetch("assignments", queryset=direct.order_by("agency__name"), to_attr="direct"),
        "lead_groups",
    ).order_by("number")


def direct_agencies(task):
    """(leads, coordinators) named on a task of plan_tasks(), groups left out."""
    leads = [a.agency for a in task.direct if a.role == AssignmentRole.LEAD]
    coordinators = [a.agency for a in task.direct if a.role == AssignmentRole.COORDINATOR]
    return leads, coordinators


def _day(date):
    return date.strftime("%d/%m/%Y") if date else None


def schedule_summary(schedule, *, set_by_hand=False):
    """What a resolved timeline means, for people: the JSON of the timeline preview and the
    schedule shown on task pages."""
    due = _day(schedule.due_date)
    if set_by_hand and due:
        message = _("Due %(date)s (date set by hand).") % {"date": due}
    elif schedule.kind == ScheduleKind.DUE:
        message = _("Due %(date)s.") % {"date": due}
    elif schedule.kind == ScheduleKind.ONGOING:
        message = _("Ongoing through the plan's period: reported every period, never overdue.")
    elif schedule.kind == ScheduleKind.RECURRING:
        if schedule.recurrence == "quarterly":
            text = _("Recurring every quarter: %(count)s checkpoints, the last on %(date)s.")
        else:
            text = _("Recurring every month: %(count)s checkpoints, the last on %(date)s.")
        message = text % {"count": len(schedule.checkpoints), "date": due}
    elif schedule.kind == ScheduleKind.FOLLOWS:
        message = _("Follows the schedule of another plan: no date is computed.")
    elif not schedule.text.strip():
        message = _("No timeline given — needs review by a person.")
    else:
        message = _("Cannot read this timeline — needs review by a person.")
    return {
        "kind": str(schedule.kind),
        "due_date": due,
        "checkpoints": [_day(d) for d in schedule.checkpoints],
        "needs_review": schedule.needs_review and not (set_by_hand and due),
        "message": message,
    }


def task_checkpoints(task):
    """The task's checkpoints: only a recurring task has any, so no query for the others."""
    if not _recurs(task):
        return []
    return list(task.checkpoints.all())


def _recurs(task):
    return task.schedule_kind == ScheduleKind.RECURRING


@dataclass
class TaskLists:
    checkpoints: list
    lead_groups: list
    proposals: list  # CancellationProposal, newest first, with assignment and people
    reminded: dict  # agency id -> plans.selectors.Reminded, about this task


def task_lists(task, assignments):
    """The task page's short lists (checkpoints, lead groups, cancellation proposals, the
    reminders about the task and the people of both) in one query; ``assignments``: the
    task's, read with their agencies."""
    proposals = CancellationProposal.objects.filter(assignment__task=task)
    reminders = reminders_about(task.plan_id, ReminderTopic.task(task.pk))
    # One union subquery (an OR of INs reads every user of the country on PostgreSQL).
    people = User.objects.filter(
        pk__in=proposals.values("proposed_by").union(
            proposals.values("decided_by"), reminders.order_by().values("sent_by")
        )
    )
    lists = {
        "lead_groups": ShortList(
            AgencyGroup, task.lead_groups.all(),
            ("id", "name", "code", "province_id", "kind", "scope_id"), ("name", "pk"),
        ),
        "proposals": ShortList(
            CancellationProposal, proposals,
            ("id", "assignment_id", "reason", "proposed_by_id", "proposed_at", "status",
             "decided_by_id", "decided_at", "decision_comment"), ("-proposed_at", "-pk"),
        ),
        "reminders": ShortList(
            Reminder, reminders,
            ("id", "plan_id", "agency_id", "sent_by_id", "sent_at", "topic", "notified"),
            ("agency_id", "-sent_at", "-pk"),
        ),
        "people": ShortList(User, people, ("id", "username", "first_name", "last_name"), ("pk",)),
    }
    if _recurs(task):
        lists["checkpoints"] = ShortList(
            Checkpoint, task.checkpoints.all(), ("id", "task_id", "due_date"), ("due_date", "pk")
        )
    loaded = read_lists(lists, task._state.db)
    people = {person.pk: person for person in loaded["people"]}
    by_id = {assignment.pk: assignment for assignment in assignments}
    for proposal in loaded["proposals"]:
        proposal.assignment = by_id[proposal.assignment_id]
        proposal.proposed_by = people[proposal.proposed_by_id]
        proposal.decided_by = people.get(proposal.decided_by_id)
    for reminder in loaded["reminders"]:
        reminder.sent_by = people.get(reminder.sent_by_id)
    checkpoints = loaded.get("checkpoints", [])
    for checkpoint in checkpoints:
        checkpoint.task = task
    return TaskLists(
        checkpoints=checkpoints,
        lead_groups=loaded["lead_groups"],
        proposals=loaded["proposals"],
        reminded=reminded_by_agency(loaded["reminders"]),
    )


def task_schedule_summary(task, checkpoints):
    """schedule_summary() of a saved task, from its stored schedule."""
    schedule = Schedule(
        task.timeline_text,
        ScheduleKind(task.schedule_kind),
        due_date=task.due_date,
        checkpoints=tuple(c.due_date for c in checkpoints),
        recurrence=task.recurrence,
    )
    return schedule_summary(schedule, set_by_hand=task.due_date_set_by_hand)
