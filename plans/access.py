"""The plans a user may read, and one plan for a view (404 for outsiders, 403 on writes)."""

from django.db.models import Q

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
    # Each way in is a subquery that does not depend on the outer row (PostgreSQL hashes its
    # plan ids once, from the indexes on the agency columns), not an EXISTS per plan; and not
    # joins, which would multiply the rows. The assignments are reached through the plan's
    # reverse relation (tasks sit above plans and are not imported here).
    involved = (
        Q(pk__in=Plan.addressed_agencies.through.objects.filter(agency=agency).values("plan"))
        | Q(pk__in=Plan.objects.filter(tasks__assignments__agency=agency).values("pk"))
        | Q(
            pk__in=AgencyDuty.agencies.through.objects.filter(agency=agency).values(
                "agencyduty__plan"
            )
        )
    )
    return Plan.objects.filter(Q(issuer=agency) | (involved & ~Q(status=PlanStatus.DRAFT)))


def get_plan_for_user(request, pk, write=False, queryset=None):
    queryset = queryset if queryset is not None else visible_plans(request.user)
    return get_for_user(queryset, request, pk, write, "plans.change_plan")
