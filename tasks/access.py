"""The tasks, assignments and evidence a user may read: those of the plans they may read."""

from django.shortcuts import get_object_or_404

from agencies.provinces import in_users_province, users_province
from agencies.rules import reads_everything
from cchc_plans.access import get_for_user
from plans.access import visible_plans

from .models import Assignment, Evidence, Task


def visible_tasks(user):
    """Tasks of the plans the user may read, within the user's province."""
    if reads_everything(user):
        return in_users_province(Task.objects.all(), user)
    return in_users_province(Task.objects.filter(plan__in=visible_plans(user)), user)


def visible_assignments(user):
    """Assignments of the plans the user may read, within the user's province."""
    if reads_everything(user):
        return in_users_province(Assignment.objects.all(), user)
    return in_users_province(
        Assignment.objects.filter(plan__in=visible_plans(user)), user
    )


def get_task_for_user(request, pk, write=False, queryset=None):
    queryset = queryset if queryset is not None else visible_tasks(request.user)
    return get_for_user(queryset, request, pk, write, "tasks.change_task")


def get_assignment_for_user(request, pk, write=False, queryset=None):
    queryset = queryset if queryset is not None else visible_assignments(request.user)
    return get_for_user(queryset, request, pk, write, "tasks.post_update")


def visible_evidence(user):
    """Evidence of the tasks the user may read."""
    if reads_everything(user):
        province = users_province(user)
        evidence = Evidence.objects.all()
        return evidence if province is None else evidence.filter(update__province=province)
    return Evidence.objects.filter(update__assignment__plan__in=visible_plans(user))


def get_evidence_for_user(request, pk):
    """Evidence is read-only: 404 for anyone who may not read its task."""
    return get_object_or_404(visible_evidence(request.user), pk=pk)
