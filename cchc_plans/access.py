"""Who may see and change what. Views, templates and the admin all ask this module.

Coordinators (Sở Nội vụ) write everything; agency officers write only their own agency's
assignments, progress updates, reports and plan submissions and read the plans that involve
their agency; leadership and administrators read everything and write nothing here.
Outsiders get 404 (the object does not exist for them), read-only users get 403 on writes.
"""

import functools

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from agencies.models import Role
from plans.models import Plan, PlanStatus
from tasks.models import Assignment, Task


@rules.predicate
def is_coordinator(user):
    return user.is_authenticated and (user.role == Role.COORDINATOR or user.is_superuser)


@rules.predicate
def is_leadership(user):
    return user.is_authenticated and user.role == Role.LEADERSHIP


@rules.predicate
def is_agency_officer(user):
    return (
        user.is_authenticated
        and user.role == Role.AGENCY_OFFICER
        and not user.is_superuser
        and user.agency_id is not None
    )


@rules.predicate
def reads_everything(user):
    return user.is_authenticated and (
        is_coordinator(user) or user.role in (Role.LEADERSHIP, Role.ADMIN)
    )


@rules.predicate
def owns_assignment(user, assignment):
    return is_agency_officer(user) and assignment.agency_id == user.agency_id


@rules.predicate
def owns_agency_plan(user, plan):
    return is_agency_officer(user) and plan.issuer_id == user.agency_id and plan.parent_id


rules.add_perm("plans.view_all", reads_everything)
rules.add_perm("plans.add_plan", is_coordinator)
rules.add_perm("plans.change_plan", is_coordinator | owns_agency_plan)
rules.add_perm("tasks.change_task", is_coordinator)
rules.add_perm("tasks.post_update", is_coordinator | owns_assignment)
rules.add_perm("tasks.view_own_work", is_agency_officer)
rules.add_perm("reports.view_dashboard", reads_everything)


def visible_plans(user):
    """Plans the user may read."""
    if reads_everything(user):
        return Plan.objects.all()
    if not is_agency_officer(user):
        return Plan.objects.none()
    agency = user.agency_id
    involved = (
        Q(addressed_agencies=agency)
        | Q(tasks__assignments__agency=agency)
        | Q(duties__agencies=agency)
    )
    return Plan.objects.filter(
        Q(issuer=agency) | (involved & ~Q(status=PlanStatus.DRAFT))
    ).distinct()


def visible_tasks(user):
    if reads_everything(user):
        return Task.objects.all()
    return Task.objects.filter(plan__in=visible_plans(user))


def visible_assignments(user):
    if reads_everything(user):
        return Assignment.objects.all()
    return Assignment.objects.filter(task__plan__in=visible_plans(user))


def _get_for_user(queryset, request, pk, write, perm):
    obj = get_object_or_404(queryset, pk=pk)
    if write and not request.user.has_perm(perm, obj):
        raise PermissionDenied
    return obj


def get_plan_for_user(request, pk, write=False, queryset=None):
    queryset = queryset if queryset is not None else visible_plans(request.user)
    return _get_for_user(queryset, request, pk, write, "plans.change_plan")


def get_task_for_user(request, pk, write=False, queryset=None):
    queryset = queryset if queryset is not None else visible_tasks(request.user)
    return _get_for_user(queryset, request, pk, write, "tasks.change_task")


def get_assignment_for_user(request, pk, write=False, queryset=None):
    queryset = queryset if queryset is not None else visible_assignments(request.user)
    return _get_for_user(queryset, request, pk, write, "tasks.post_update")


def permission_required(perm):
    """Like Django's, but a logged-in user without the permission gets 403, not a login loop."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
