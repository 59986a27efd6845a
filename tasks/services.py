"""Workflows across tasks, assignments and agencies. Each is atomic."""

import functools
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import Agency
from agencies.services import follow_province
from cchc_plans.bulk import (
    Blank,
    create_with_history,
    delete_with_history,
    insert_rows,
    update_with_history,
)
from cchc_plans.files import shorten_name
from cchc_plans.locking import FrozenError, StaleError, check_version
from plans.models import Plan, PlanStatus
from plans.services import rebuild_outline
from signatures.services import check_on_commit

from . import notices
from .counting import roll_up
from .models import (
    Assignment,
    AssignmentRole,
    Checkpoint,
    Evidence,
    ProgressUpdate,
    Status,
    Task,
    UpdateFigure,
)
from .timeline import resolve_timeline

TASK_STALE = gettext_lazy(
    "Someone else saved this task while you were editing it, so your changes were not saved. "
    "They are shown below: open the task again to see the current version and apply them there."
)
IMPORT_STALE = gettext_lazy(
    "Someone changed tasks of these plans while the file was being imported: nothing has been "
    "imported. Upload the file again to check it against their changes."
)
# A phrase means the same for the same years: a file of thousands of tasks has a few dozen.
_resolve_timeline = functools.lru_cache(maxsize=1024)(resolve_timeline)


def _apply_schedule(task):
    """Set the task's schedule fields from its timeline phrase (not saved); return it."""
    plan = task.plan
    schedule = _resolve_timeline(
        task.timeline_text, year=plan.period_start_year, end_year=plan.period_end_year
    )
    task.schedule_kind = schedule.kind
    task.recurrence = schedule.recurrence
    if not task.due_date_set_by_hand:
        task.due_date = schedule.due_date
    return schedule


def _checkpoint_changes(existing, schedule):
    """(checkpoints to delete, due dates to add) so the stored ones match ``schedule``."""
    wanted = set(schedule.checkpoints)
    obsolete = [c for c in existing if c.due_date not in wanted]
    present = {c.due_date for c in existing}
    return obsolete, sorted(wanted - present)


def schedule_task(*, task):
    """Resolve the task's timeline phrase into its due date and checkpoints, then save."""
    schedule = _apply_schedule(task)
    task.save()
    obsolete, added = _checkpoint_changes(list(task.checkpoints.all()), schedule)
    for checkpoint in obsolete:
        checkpoint.delete()
    Checkpoint.objects.bulk_create([Checkpoint(task=task, due_date=d) for d in added])
    return schedule


def _wanted_assignments(*, leads, lead_groups, coordinators, members, coordinator_groups=()):
    """{(agency id, role): group or None} for the given agencies; ``members(group)`` lists a
    group's member agencies. A group lead is one lead assignment per member, a coordinating
    group one coordinating assignment per member that does not lead."""
    wanted = {}
    for group in lead_groups:
        for agency in members(group):
            wanted[(agency.pk, AssignmentRole.LEAD)] = group
    for agency in leads:
        wanted[(agency.pk, AssignmentRole.LEAD)] = None
    for agency in coordinators:
        wanted[(agency.pk, AssignmentRole.COORDINATOR)] = None
    for group in coordinator_groups:
        for agency in members(group):
            if (agency.pk, AssignmentRole.LEAD) not in wanted:
                wanted.setdefault((agency.pk, AssignmentRole.COORDINATOR), group)
    return wanted


_new_assignment = Blank(Assignment)


def _assignment_changes(task, current, wanted, has_updates):
    """(to delete, to create, to re-group) to make ``current`` {(agency id, role): assignment}
    match ``wanted``. An assignment that carries progress is never deleted."""
    deleted = [a for key, a in current.items() if key not in wanted and not has_updates(a)]
    created, regrouped = [], []
    for (agency_id, role), group in wanted.items():
        assignment = current.get((agency_id, role))
        if assignment is None:
            # Ids, not objects, and no Model.__init__: built by the thousand in an import
            # (the task's id comes later for a task being imported).
            created.append(_new_assignment(task_id=task.pk, agency_id=agency_id, role=role,
                                           via_group_id=group.pk if group else None,
                                           province_id=task.province_id,
                                           plan_id=task.plan_id))
        elif assignment.via_group_id != (group.pk if group else None):
            assignment.via_group = group
            regrouped.append(assignment)
    return deleted, created, regrouped


@transaction.atomic
def set_task_agencies(*, task, leads=(), lead_groups=(), coordinators=(), coordinator_groups=()):
    """Make the task's assignments match the given leads, coordinators and their groups.

    A lead group becomes one lead assignment per member agency, a coordinating group one
    coordinating assignment per member. Assignments that already carry progress are never
    deleted; they are kept even when no longer listed.
    """
    task.lead_groups.set(lead_groups)
    task.coordinator_groups.set(coordinator_groups)
    wanted = _wanted_assignments(
        leads=leads, lead_groups=lead_groups, coordinators=coordinators,
        coordinator_groups=coordinator_groups, members=lambda group: group.member_agencies(),
    )
    current = {(a.agency_id, a.role): a for a in task.assignments.all()}
    deleted, created, regrouped = _assignment_changes(
        task, current, wanted, lambda a: a.updates.exists()
    )
    for assignment in deleted:
        assignment.delete()
    for assignment in [*created, *regrouped]:
        assignment.save()
    refresh_task_status(task=task)
    notices.task_assigned(task, [assignment.agency_id for assignment in created])


@transaction.atomic
def fan_out_groups(*, task):
    """One lead assignment per member of each lead group of the task.

    Assignments made through a group the task no longer names are removed unless they
    already carry progress.
    """
    groups = list(task.lead_groups.all())
    coordinating = list(task.coordinator_groups.all())
    current = {(a.agency_id, a.role): a for a in task.assignments.all()}
    added = []
    for role, role_groups in ((AssignmentRole.LEAD, groups),
                              (AssignmentRole.COORDINATOR, coordinating)):
        for group in role_groups:
            for agency in group.member_agencies():
                if (agency.pk, role) in current or (
                    role == AssignmentRole.COORDINATOR
                    and (agency.pk, AssignmentRole.LEAD) in current
                ):
                    continue
                current[(agency.pk, role)] = Assignment.objects.create(
                    task=task, agency=agency, role=role, via_group=group
                )
                added.append(agency.pk)
    group_ids = {g.pk for g in [*groups, *coordinating]}
    for assignment in current.values():
        if (
            assignment.via_group_id
            and assignment.via_group_id not in group_ids
            and not assignment.updates.exists()
        ):
            assignment.delete()
    refresh_task_status(task=task)
    notices.task_assigned(task, added)


def _lock_task(task_id):
    """The task's row, locked until the end of the transaction (PostgreSQL; SQLite writers
    are serialised anyway): the one place a roll-up is serialised."""
    return Task.objects.select_for_update(of=("self",)).select_related("plan").get(pk=task_id)


def refresh_task_status(*, task):
    """Store the task's rolled-up status and percent (see ``roll_up``)."""
    status, percent = roll_up((a.role, a.status, a.percent) for a in task.assignments.all())
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
    (file, content_type) pairs; ``links`` are URLs. A closed plan takes no more progress.
    """
    # The task's row is locked before the assignment is written, so that two agencies
    # updating the same task at once roll it up one after the other, each from the other's
    # committed state (and the lock is always taken task first, then assignment).
    task = _lock_task(assignment.task_id)
    assignment.task = task
    if task.plan.status == PlanStatus.CLOSED:
        raise ValidationError(
            _("This plan is closed: no more progress can be posted on it."), code="plan_closed"
        )
    if status == Status.CANCELLED and not author.has_perm("tasks.cancel_task", task):
        raise ValidationError(
            _("Only the coordinators cancel a task: propose its cancellation, with the reason, "
              "from the task page."),
            code="cancel_refused",
        )
    if status == Status.DONE:
        percent = 100
    figures = [(measure, value) for measure, value in (figures or {}).items() if value]
    update = ProgressUpdate(
        assignment=assignment, author=author, status=status, percent=percent,
        narrative=narrative, has_figures=bool(figures),
    )
    update.full_clean()
    update.save()
    UpdateFigure.objects.bulk_create(
        UpdateFigure(update=update, measure=measure, value=value) for measure, value in figures
    )
    for upload, content_type in files:
        evidence = Evidence.objects.create(
            update=update,
            file=upload,
            original_name=shorten_name(upload.name),
            content_type=content_type,
            size=upload.size,
        )
        if content_type == "application/pdf":
            check_on_commit(target=evidence)
    for link in links:
        Evidence.objects.create(update=update, link=link)
    assignment.status = status
    assignment.percent = percent
    assignment.last_update_at = update.created_at
    assignment.save()
    refresh_task_status(task=task)
    return update


@dataclass
class Dissolution:
    """What dissolving an agency does to its open assignments: ``moving`` go to the
    successor; ``closing`` are duties the successor already holds on the same task, so the
    old line is cancelled instead (the successor's own line carries the work)."""

    successor: Agency
    moving: list
    closing: list


def plan_dissolution(*, agency, successor):
    """What ``dissolve_agency`` would do with ``agency``'s open assignments, without doing it:
    the form announces exactly what the dissolution then reports."""
    assignments = list(
        Assignment.objects.open().filter(agency=agency).select_related("task__plan")
        .order_by("task__plan__period_start_year", "task__plan_id", "task__number", "role")
    )
    held = set(
        Assignment.objects.filter(
            agency=successor, task__in=[a.task_id for a in assignments]
        ).values_list("task_id", "role")
    )
    dissolution = Dissolution(successor=successor, moving=[], closing=[])
    for assignment in assignments:
        taken = (assignment.task_id, assignment.role) in held
        (dissolution.closing if taken else dissolution.moving).append(assignment)
    return dissolution


@transaction.atomic
def dissolve_agency(*, agency, successor, on=None):
    """Dissolve ``agency``: its open assignments move to ``successor``; its history stays.

    The dissolved agency keeps its name, its finished assignments and its updates, so
    reports of the past still read under the old name. Returns the ``Dissolution`` done.
    """
    if successor.pk == agency.pk:
        raise ValueError("An agency cannot succeed itself.")
    agency.dissolved_on = on or timezone.localdate()
    agency.successor = successor
    agency.save()
    dissolution = plan_dissolution(agency=agency, successor=successor)
    for assignment in sorted(
        [*dissolution.moving, *dissolution.closing], key=lambda a: a.task_id
    ):
        assignment.task = _lock_task(assignment.task_id)
        if assignment in dissolution.closing:
            # The successor already holds this duty: the old line closes, the work is not lost.
            assignment.status = Status.CANCELLED
        else:
            assignment.agency = successor
            assignment.transferred_from = agency
        assignment.save()
        refresh_task_status(task=assignment.task)
    for group in agency.agency_groups.all():
        group.members.add(successor)
    for plan in agency.addressed_plans.exclude(status="closed"):
        plan.addressed_agencies.add(successor)
    for child in Agency.objects.filter(parent=agency):
        before = child.province_id
        child.parent = successor
        child.save()
        if child.province_id != before:
            # A successor in another province (provinces merged): the work goes along.
            follow_province(child)
    notices.assignments_moved(agency, dissolution)
    return dissolution


class TaskHasProgressError(Exception):
    """The task carries progress updates, which are never deleted."""


def _lock_plans(plan_ids):
    """Serialise edits of the plans' task lists (row locks on PostgreSQL, taken in one order)
    and check that each is a draft. Returns {id: plan}."""
    locked = Plan.objects.select_for_update().filter(pk__in=plan_ids).order_by("pk")
    plans = {plan.pk: plan for plan in locked}
    for plan in plans.values():
        if not plan.is_editable:
            raise FrozenError(plan)
    return plans


def _lock_plan(plan):
    return _lock_plans([plan.pk])[plan.pk]


def _set_task_details(
    task,
    *,
    title,
    forms="",
    assignment_text="",
    timeline_text="",
    due_date=None,
    expected_output="",
    budget_estimate=None,
    notes="",
    lead_text=None,
    coordinators_text=None,
    budget_text=None,
):
    # The cells as written are kept when a form that does not show them saves the task.
    for name, value in (("lead_text", lead_text), ("coordinators_text", coordinators_text),
                        ("budget_text", budget_text)):
        if value is not None:
            setattr(task, name, value)
    task.title = title
    task.forms = forms
    task.assignment_text = assignment_text
    task.timeline_text = timeline_text
    # A date typed by hand wins over the phrase; clearing it lets the phrase decide again.
    task.due_date_set_by_hand = due_date is not None
    if due_date is not None:
        task.due_date = due_date
    task.expected_output = expected_output
    task.budget_estimate = budget_estimate
    task.notes = notes


@transaction.atomic
def create_task(*, plan, leads=(), lead_groups=(), coordinators=(), coordinator_groups=(),
                **details):
    """Add a key task at the end of a draft plan, resolve its timeline and assign it.

    ``details`` are the task's own fields: title, forms, assignment_text, timeline_text,
    due_date (set by hand), expected_output, budget_estimate, notes, and the cells as written
    lead_text, coordinators_text, budget_text.
    """
    plan = _lock_plan(plan)
    number = (plan.tasks.aggregate(last=Max("number"))["last"] or 0) + 1
    task = Task(plan=plan, number=number)
    _set_task_details(task, **details)
    task.full_clean()
    schedule_task(task=task)
    set_task_agencies(task=task, leads=leads, lead_groups=lead_groups, coordinators=coordinators,
                      coordinator_groups=coordinator_groups)
    # The first key task brings the key-task section of an outline built from the sections.
    rebuild_outline(plan=plan)
    return task


@transaction.atomic
def update_task(*, task, version, leads=(), lead_groups=(), coordinators=(),
                coordinator_groups=(), **details):
    """Save an edit of a task of a draft plan, made on ``version`` of it.

    Raises StaleError when the task has been saved since that version was loaded.
    """
    _lock_plan(task.plan)
    # Start from the row as it is now (number, rolled-up status), not as the form loaded it.
    task = Task.objects.select_for_update().select_related("plan").get(pk=task.pk)
    check_version(task, version, message=TASK_STALE)
    task.version += 1
    _set_task_details(task, **details)
    task.full_clean()
    schedule_task(task=task)
    set_task_agencies(task=task, leads=leads, lead_groups=lead_groups, coordinators=coordinators,
                      coordinator_groups=coordinator_groups)
    return task


@transaction.atomic
def save_task(*, task):
    """Save a task edited as a whole (the admin's change form), with the version it was loaded
    at in ``task.version``, and resolve its timeline; returns it.

    Its plan, and the plan it is moved from, must be drafts (FrozenError); an existing task
    must be unchanged since it was loaded (StaleError). Its status and percent stay the
    rolled-up ones. The rows stay locked until the caller's transaction ends, so its
    assignments are saved under the same locks (then ``fan_out_groups`` and
    ``refresh_task_status``).
    """
    stored_plan_id = None
    if task.pk is None:
        task.plan = _lock_plan(task.plan)
    else:
        stored_plan_id = Task.objects.values_list("plan_id", flat=True).get(pk=task.pk)
        _lock_plans({task.plan_id, stored_plan_id})
        current = Task.objects.select_for_update().get(pk=task.pk)
        check_version(current, task.version, message=TASK_STALE)
        task.version = current.version + 1
        task.status, task.percent = current.status, current.percent
    task.full_clean()
    schedule_task(task=task)
    if task.pk is not None and stored_plan_id != task.plan_id:
        # Moved: its assignments carry their task's plan, they and their updates its
        # province (another province's plan, for a national administrator).
        Assignment.objects.filter(task=task).update(plan=task.plan_id, province=task.province_id)
        ProgressUpdate.objects.filter(assignment__task=task).exclude(
            province=task.province_id
        ).update(province=task.province_id)
    return task


@dataclass
class TaskImport:
    """One row of a key-task file: ``task`` is new (no pk) or as read before the file's
    values were set on it; the agencies are the row's, or None where the file has no
    agency columns (the task keeps its assignments)."""

    task: Task
    leads: list | None = None
    lead_groups: list | None = None
    coordinators: list | None = None
    coordinator_groups: list = ()


# What an imported row may change, with what follows from it; the rest of a task stays.
IMPORTED_TASK_FIELDS = [
    "title", "forms", "timeline_text", "expected_output", "notes", "schedule_kind",
    "recurrence", "due_date", "status", "percent", "version", "search_text",
]
# Validated on every imported task: the rest is as stored (or a new task's defaults), so it
# cannot have become invalid, and checking it would double the cost of a big file.
_NOT_IMPORTED = [
    field.name for field in Task._meta.fields
    if field.name not in {*IMPORTED_TASK_FIELDS, "number"} or field.name == "search_text"
]


@transaction.atomic
def import_tasks(*, rows, by=None):
    """Create and update the key tasks of one spreadsheet file at once; returns the tasks.

    The rules of ``create_task``/``update_task``/``schedule_task``/``set_task_agencies``
    hold: the plans must be drafts (locked while writing; else FrozenError), a task
    saved by someone else since it was read is not overwritten and a number taken since is
    not reused (StaleError), timelines are resolved, group leads fan out and
    assignments carrying progress are kept. Rows are written and their history recorded in
    bulk, attributed to ``by``, with a fixed number of queries whatever the number of rows.
    """
    if not rows:
        return []
    plans = _lock_plans({row.task.plan_id for row in rows})
    stored = {
        (plan_id, number): (pk, version)
        for plan_id, number, pk, version in Task.objects.filter(plan__in=plans).values_list(
            "plan_id", "number", "pk", "version"
        )
    }
    schedules, seen = {}, set()
    for row in rows:
        task = row.task
        task.plan = plans[task.plan_id]
        key = (task.plan_id, task.number)
        if key in seen:
            raise ValueError(f"task {key} is given twice")
        seen.add(key)
        # A new number taken since the file was checked, or a task saved or renumbered since.
        if (key in stored) if task.pk is None else stored.get(key) != (task.pk, task.version):
            raise StaleError(task, IMPORT_STALE)
        if task.pk is not None:
            task.version += 1
        schedules[id(task)] = _apply_schedule(task)
        task.full_clean(exclude=_NOT_IMPORTED, validate_unique=False, validate_constraints=False)
        task.refresh_search_text()
    existing = [row.task for row in rows if row.task.pk is not None]

    members = {}
    for row in rows:
        for group in [*(row.lead_groups or ()), *row.coordinator_groups]:
            if group.pk not in members:
                members[group.pk] = list(group.member_agencies())
    current = {task.pk: {} for task in existing}
    with_updates = set()
    if existing:
        ids = [task.pk for task in existing]
        assignments = Assignment.objects.filter(task_id__in=ids).annotate(
            has_updates=Exists(ProgressUpdate.objects.filter(assignment=OuterRef("pk")))
        )
        for assignment in assignments:
            current[assignment.task_id][(assignment.agency_id, assignment.role)] = assignment
            if assignment.has_updates:
                with_updates.add(assignment.pk)
    deleted, created, regrouped, agencies_changed = [], [], [], []
    task_of = {}
    for row in rows:
        task = row.task
        kept = current.get(task.pk, {})
        if row.leads is not None:
            wanted = _wanted_assignments(
                leads=row.leads, lead_groups=row.lead_groups, coordinators=row.coordinators,
                coordinator_groups=row.coordinator_groups,
                members=lambda group: members[group.pk],
            )
            gone, new, moved = _assignment_changes(
                task, kept, wanted, lambda a: a.pk in with_updates
            )
            deleted += gone
            created += new
            task_of.update((id(assignment), task) for assignment in new)
            regrouped += moved
            agencies_changed.append(row)
            states = [(a.role, a.status, a.percent) for a in kept.values() if a not in gone]
            states += [(a.role, a.status, a.percent) for a in new]
        else:
            states = [(a.role, a.status, a.percent) for a in kept.values()]
        task.status, task.percent = roll_up(states)

    now = timezone.now()
    history = {"user": by, "reason": "import", "date": now}
    create_with_history([row.task for row in rows if row.task.pk is None], Task, **history)
    update_with_history(existing, Task, IMPORTED_TASK_FIELDS, **history)
    _import_groups(agencies_changed, existing, now)
    _import_checkpoints(rows, schedules, existing)
    delete_with_history(deleted, Assignment, **history)
    for assignment in created:
        task = task_of[id(assignment)]
        assignment.task_id, assignment.province_id = task.pk, task.province_id
    create_with_history(created, Assignment, **history)
    update_with_history(regrouped, Assignment, ["via_group"], **history)
    return [row.task for row in rows]


def _import_groups(rows, existing, history_date):
    """Set the lead groups (and the coordinating groups given) of imported tasks and record
    them in the tasks' history rows."""
    if not rows:
        return
    records = None
    for name in ("lead_groups", "coordinator_groups"):
        through = getattr(Task, name).through
        if existing and name == "lead_groups":
            through.objects.filter(task_id__in=[task.pk for task in existing]).delete()
        links = [
            through(task_id=row.task.pk, agencygroup_id=group.pk)
            for row in rows
            for group in getattr(row, name)
        ]
        if not links:
            continue
        insert_rows(links)
        if records is None:
            # The history rows just written, to hang the groups on.
            records = dict(
                Task.history.filter(
                    id__in={row.task.pk for row in rows}, history_date=history_date
                ).values_list("id", "history_id")
            )
        m2m_history = getattr(Task.history.model, name).model
        insert_rows([
            m2m_history(id=link.pk, history_id=records[link.task_id], task_id=link.task_id,
                        agencygroup_id=link.agencygroup_id)
            for link in links
        ])


def _import_checkpoints(rows, schedules, existing):
    stored = {}
    ids = [task.pk for task in existing]
    for checkpoint in Checkpoint.objects.filter(task_id__in=ids) if existing else ():
        stored.setdefault(checkpoint.task_id, []).append(checkpoint)
    obsolete, added = [], []
    for row in rows:
        task = row.task
        gone, dates = _checkpoint_changes(stored.get(task.pk, []), schedules[id(task)])
        obsolete += gone
        added += [Checkpoint(task_id=task.pk, due_date=d) for d in dates]
    if obsolete:
        Checkpoint.objects.filter(pk__in=[c.pk for c in obsolete]).delete()
    insert_rows(added)


def _renumber(tasks):
    """Number ``tasks`` 1..n in the given order, saving only the tasks whose number changes.

    A number still held by a later task is freed by parking that task above every number in
    use, so the unique (plan, number) constraint holds after each save.
    """
    holders = {task.number: task for task in tasks}
    parking = max(holders, default=0)
    for number, task in enumerate(tasks, 1):
        if task.number == number:
            continue
        holder = holders.pop(number, None)
        if holder is not None:
            parking += 1
            holder.number = parking
            holders[parking] = holder
            holder.save(update_fields=["number"])
        holders.pop(task.number, None)
        task.number = number
        holders[number] = task
        task.save(update_fields=["number"])


@transaction.atomic
def move_task(*, task, direction):
    """Swap the task with its neighbour above ("up") or below ("down"), then number 1..n."""
    if direction not in ("up", "down"):
        raise ValueError(f"direction must be 'up' or 'down', not {direction!r}")
    plan = _lock_plan(task.plan)
    tasks = list(plan.tasks.order_by("number"))
    index = next(i for i, t in enumerate(tasks) if t.pk == task.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(tasks):
        tasks[index], tasks[other] = tasks[other], tasks[index]
    _renumber(tasks)
    return next(t for t in tasks if t.pk == task.pk)


@transaction.atomic
def delete_task(*, task):
    """Remove a task of a draft plan and close the gap in the numbering.

    A task with progress updates is refused: the progress history is never deleted.
    """
    plan = _lock_plan(task.plan)
    if ProgressUpdate.objects.filter(assignment__task=task).exists():
        raise TaskHasProgressError
    task.delete()
    _renumber(list(plan.tasks.order_by("number")))
    rebuild_outline(plan=plan)
