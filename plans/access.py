"""The plans a user may read, and one plan for a view (404 for outsiders, 403 on writes)."""

from django.db.models import Exists, OuterRef, Q

from agencies.rules import is_agency_officer, reads_everything
from cchc_plans.access import get_for_user

from .models import AgencyDuty, Plan, PlanStatus


def visible_plans(user):
    """Plans the user may read."""
    if reads_everything(user):
        return Plan.objects.all()
    if not is_agency_officer(user):
        return Plan.objects.none()
    agency = user.agency_id
    # Subqueries, not joins: joining three one-to-many relations multiplies the rows and
    # needs a DISTINCT over every column of the plan. The assignments are reached through the
    # plan's reverse relation (tasks sit above plans and are not imported here).
    plan = OuterRef("pk")
    involved = (
        Exists(Plan.addressed_agencies.through.objects.filter(plan=plan, agency=agency))
        | Exists(Plan.objects.filter(pk=plan, tasks__assignments__agency=agency))
        | Exists(AgencyDuty.agencies.through.objects.filter(agencyduty__plan=plan, agency=agency))
    )
    return Plan.objects.filter(Q(issuer=agency) | (involved & ~Q(status=PlanStatus.DRAFT)))


def get_plan_for_user(request, pk, write=False, queryset=None):
    queryset = queryset if queryset is not None else visible_plans(request.user)
    return get_for_user(queryset, request, pk, write, "plans.change_plan")
