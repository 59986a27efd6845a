"""Workflows across tasks, assignments and agencies. Each is atomic."""

from django.db import transaction
from django.utils import timezone

from agencies.models import Agency

from .models import (
    Assignment,
    AssignmentRole,
    Checkpoint,
    Evidence,
    ProgressUpdate,
    Status,
    UpdateFigure,
)
from .timeline import resolve_timeline


def schedule_task(*, task):
    """Resolve the task's timeline phrase into its due date and checkpoints, then save."""
    plan = task.plan
    schedule = resolve_timeline(
        task.timeline_text, year=plan.period_start_year, end_year=plan.period_end_year
    )
    task.schedule_kind = schedule.kind
    task.recurrence = schedule.recurrence
    if not task.due_date_set_by_hand:
        task.due_date = schedule.due_date
    task.save()
    wanted = set(schedule.checkpoints)
    existing = {c.due_date: c for c in task.checkpoints.all()}
    for due_date, checkpoint in existing.items():
        if due_date not in wanted:
            checkpoint.delete()
    Checkpoint.objects.bulk_create(
        [Checkpoint(task=task, due_date=d) for d in sorted(wanted - existing.keys())]
    )
    return schedule


@transaction.atomic
def set_task_agencies(*, task, leads=(), lead_groups=(), coordinators=()):
    """Make the task's assignments match the given leads, lead groups and coordinators.

    A lead group becomes one lead assignment per member agency. Assignments that already
    carry progress are never deleted; they are kept even when no longer listed.
    """
    task.lead_groups.set(lead_groups)
    wanted = {}
    for group in lead_groups:
        for agency in group.member_agencies():
            wanted[(agency.pk, AssignmentRole.LEAD)] = group
    for agency in leads:
        wanted[(agency.pk, AssignmentRole.LEAD)] = None
    for agency in coordinators:
        wanted.setdefault((agency.pk, AssignmentRole.COORDINATOR), None)

    current = {(a.agency_id, a.role): a for a in task.assignments.all()}
    for key, assignment in current.items():
        if key not in wanted and not assignment.updates.exists():
            assignment.delete()
    for (agency_id, role), group in wanted.items():
        assignment = current.get((agency_id, role))
        if assignment is None:
            Assignment.objects.create(task=task, agency_id=agency_id, role=role, via_group=group)
        elif assignment.via_group != group:
            assignment.via_group = group
            assignment.save()
    refresh_task_status(task=task)


@transaction.atomic
def fan_out_groups(*, task):
    """One lead assignment per member of each lead group of the task.

    Assignments made through a group the task no longer names are removed unless they
    already carry progress.
    """
    groups = list(task.lead_groups.all())
    current = {(a.agency_id, a.role): a for a in task.assignments.all()}
    for group in groups:
        for agency in group.member_agencies():
            if (agency.pk, AssignmentRole.LEAD) not in current:
                current[(agency.pk, AssignmentRole.LEAD)] = Assignment.objects.create(
                    task=task, agency=agency, role=AssignmentRole.LEAD, via_group=group
                )
    group_ids = {g.pk for g in groups}
    for assignment in current.values():
        if (
            assignment.via_group_id
            and assignment.via_group_id not in group_ids
            and not assignment.updates.exists()
        ):
            assignment.delete()
    refresh_task_status(task=task)


def refresh_task_status(*, task):
    """Roll the task's status and percent up from its assignments.

    Leads carry the task; a task with no lead (coordinators only) rolls up from everyone.
    """
    assignments = list(task.assignments.all())
    leads = [a for a in assignments if a.role == AssignmentRole.LEAD] or assignments
    live = [a for a in leads if a.status != Status.CANCELLED]
    if not leads:
        status, percent = Status.NOT_STARTED, 0
    elif not live:
        status, percent = Status.CANCELLED, 0
    else:
        statuses = {a.status for a in live}
        if statuses == {Status.DONE}:
            status = Status.DONE
        elif statuses == {Status.NOT_STARTED}:
            status = Status.NOT_STARTED
        else:
            status = Status.IN_PROGRESS
        percent = round(sum(a.percent for a in live) / len(live))
    if (task.status, task.percent) != (status, percent):
        task.status, task.percent = status, percent
        task.save(update_fields=["status", "percent"])
    return task.status


@transaction.atomic
def post_update(
    *, assignment, author, status, percent, narrative, figures=None, files=(), links=()
):
    """Append a progress update to the assignment's history and roll the task up.

    ``figures`` maps Measure to a number; ``files`` are checked uploads as
    (file, content_type) pairs; ``links`` are URLs.
    """
    if status == Status.DONE:
        percent = 100
    update = ProgressUpdate(
        assignment=assignment, author=author, status=status, percent=percent, narrative=narrative
    )
    update.full_clean()
    update.save()
    UpdateFigure.objects.bulk_create(
        UpdateFigure(update=update, measure=measure, value=value)
        for measure, value in (figures or {}).items()
        if value
    )
    for upload, content_type in files:
        Evidence.objects.create(
            update=update,
            file=upload,
            original_name=upload.name[:255],
            content_type=content_type,
            size=upload.size,
        )
    for link in links:
        Evidence.objects.create(update=update, link=link)
    assignment.status = status
    assignment.percent = percent
    assignment.last_update_at = update.created_at
    assignment.save()
    refresh_task_status(task=assignment.task)
    return update


@transaction.atomic
def dissolve_agency(*, agency, successor, on=None):
    """Dissolve ``agency``: its open assignments move to ``successor``; its history stays.

    The dissolved agency keeps its name, its finished assignments and its updates, so
    reports of the past still read under the old name.
    """
    if successor.pk == agency.pk:
        raise ValueError("An agency cannot succeed itself.")
    agency.dissolved_on = on or timezone.localdate()
    agency.successor = successor
    agency.save()
    moved = 0
    for assignment in Assignment.objects.open().filter(agency=agency).select_related("task"):
        taken = Assignment.objects.filter(
            task=assignment.task, agency=successor, role=assignment.role
        ).exists()
        if taken:
            # The successor already holds this duty: the old line closes, the work is not lost.
            assignment.status = Status.CANCELLED
        else:
            assignment.agency = successor
            assignment.transferred_from = agency
            moved += 1
        assignment.save()
        refresh_task_status(task=assignment.task)
    for group in agency.agency_groups.all():
        group.members.add(successor)
    for plan in agency.addressed_plans.exclude(status="closed"):
        plan.addressed_agencies.add(successor)
    for child in Agency.objects.filter(parent=agency):
        child.parent = successor
        child.save()
    return moved
