"""Who may see and change what. Views, templates and the admin all ask this module.

Coordinators (Sở Nội vụ) write everything; agency officers write only their own agency's
assignments, progress updates, reports and plan submissions and read the plans that involve
their agency; leadership and administrators read everything and write nothing here.
Outsiders get 404 (the object does not exist for them), read-only users get 403 on writes.
"""

import functools

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404

from agencies.models import Role
from plans.models import AgencyDuty, Plan, PlanStatus
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
    # Subqueries, not joins: joining three one-to-many relations multiplies the rows and
    # needs a DISTINCT over every column of the plan.
    plan = OuterRef("pk")
    involved = (
        Exists(Plan.addressed_agencies.through.objects.filter(plan=plan, agency=agency))
        | Exists(Assignment.objects.filter(task__plan=plan, agency=agency))
        | Exists(AgencyDuty.agencies.through.objects.filter(agencyduty__plan=plan, agency=agency))
    )
    return Plan.objects.filter(Q(issuer=agency) | (involved & ~Q(status=PlanStatus.DRAFT)))


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


def visible_evidence(user):
    """Evidence of the tasks the user may read."""
    from tasks.models import Evidence

    if reads_everything(user):
        return Evidence.objects.all()
    return Evidence.objects.filter(update__assignment__task__plan__in=visible_plans(user))


def get_evidence_for_user(request, pk):
    """Evidence is read-only: 404 for anyone who may not read its task."""
    return get_object_or_404(visible_evidence(request.user), pk=pk)


# Periodic agency reports (reports/periodic_views.py) -------------------------------------------


@rules.predicate
def owns_agency_report(user, report):
    return is_agency_officer(user) and report.agency_id == user.agency_id


rules.add_perm("reports.view_own_reports", is_agency_officer)
rules.add_perm("reports.add_agency_report", is_agency_officer)
rules.add_perm("reports.change_agency_report", owns_agency_report)
rules.add_perm("reports.view_completeness", reads_everything)
rules.add_perm("reports.review_agency_report", is_coordinator)


def visible_agency_reports(user):
    """Periodic reports the user may read: all for readers of everything, else their agency's."""
    from periodic.models import AgencyReport

    if reads_everything(user):
        return AgencyReport.objects.all()
    if is_agency_officer(user):
        return AgencyReport.objects.filter(agency_id=user.agency_id)
    return AgencyReport.objects.none()


def get_agency_report_for_user(
    request, pk, write=False, queryset=None, perm="reports.change_agency_report"
):
    """404 for a report the user may not read; 403 on ``write`` without ``perm``.

    Writing is the agency's own officer (``reports.change_agency_report``, the default) or a
    coordinator reviewing (``reports.review_agency_report``).
    """
    queryset = queryset if queryset is not None else visible_agency_reports(request.user)
    return _get_for_user(queryset, request, pk, write, perm)


# Plans app: issuing, submission tracking and agencies' own plans.


@rules.predicate
def is_addressed_by_plan(user, plan):
    """The officer's agency is one the plan asks to submit its own plan."""
    if not is_agency_officer(user) or plan is None:
        return False
    prefetched = getattr(plan, "_prefetched_objects_cache", {}).get("addressed_agencies")
    if prefetched is not None:
        return any(agency.pk == user.agency_id for agency in prefetched)
    return plan.addressed_agencies.filter(pk=user.agency_id).exists()


rules.add_perm("plans.issue_plan", is_coordinator)
rules.add_perm("plans.view_submissions", reads_everything)
rules.add_perm("plans.send_reminder", is_coordinator)
rules.add_perm("plans.submit_agency_plan", is_coordinator | is_addressed_by_plan)


# Summary reports for leadership (reports/summary_views.py): read and generated by coordinators,
# leadership and administrators; their text written and issued by coordinators only.

rules.add_perm("reports.view_summary", reads_everything)
rules.add_perm("reports.generate_summary", reads_everything)
rules.add_perm("reports.write_summary", is_coordinator)
