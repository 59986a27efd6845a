"""What the tasks' workflow tells the agencies, once the change commits: a task of an issued
plan newly assigned to them, the open assignments of a dissolved agency moved to them."""

from django.urls import reverse

from notifications.kinds import Kind
from notifications.services import agency_officers, notify_on_commit
from plans.models import PlanStatus

from .models import Assignment, Task

LISTED_TASKS = 10  # a moved agency's tasks named in the notification, the rest counted


def task_assigned(task, agency_ids):
    """The officers of ``agency_ids``, newly assigned ``task``, when its plan is issued (the
    tasks of a draft plan are announced when it is issued: ``plans.notices``)."""
    agency_ids = sorted(set(agency_ids))
    if not agency_ids:
        return
    pk = task.pk

    def prepare():
        task = Task.objects.select_related("plan").get(pk=pk)
        if task.plan.status != PlanStatus.ISSUED:
            return None
        return {
            "recipients": agency_officers(agency_ids), "kind": Kind.TASK_ASSIGNED,
            "event_key": f"task-assigned:{pk}", "url": reverse("tasks:detail", args=[pk]),
            "template": "task_assigned", "context": {"task": task},
        }

    notify_on_commit(prepare)


def assignments_moved(agency, dissolution):
    """The successor's officers: the open assignments of dissolved ``agency`` are theirs now."""
    moved = [assignment.pk for assignment in dissolution.moving]
    if not moved:
        return
    agency_pk, successor_pk = agency.pk, dissolution.successor.pk
    name = agency.name

    def prepare():
        tasks = list(
            Task.objects.filter(assignments__pk__in=moved).select_related("plan").distinct()
            .order_by("plan__period_start_year", "plan_id", "number")
        )
        count = Assignment.objects.filter(pk__in=moved).count()
        return {
            "recipients": agency_officers([successor_pk]), "kind": Kind.TASK_MOVED,
            "event_key": f"task-moved:{agency_pk}:{successor_pk}",
            "url": reverse("tasks:my_work"), "template": "task_moved",
            "context": {"old_agency": name, "count": count, "tasks": tasks[:LISTED_TASKS],
                        "more": max(0, len(tasks) - LISTED_TASKS)},
        }

    notify_on_commit(prepare)
