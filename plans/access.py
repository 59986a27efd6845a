"""The plans a user may read, and one plan for a view (404 for outsiders, 403 on writes)."""

from agencies.provinces import in_users_province
from agencies.rules import is_agency_officer, reads_everything
from cchc_plans.access import get_for_user

from .models import AgencyDuty, Plan, PlanStatus

# The tasks app builds on plans, not the reverse: its models are reached through relations.
Task = Plan._meta.get_field("tasks").related_model
Assignment = Task._meta.get_field("assignments").related_model


def visible_plans(user):
    """Plans the user may read, within the user's province (every province for a national
    user: ``agencies.provinces.users_province``)."""
    return in_users_province(_visible_plans(user), user)


def _visible_plans(user):
    if reads_everything(user):
        return Plan.objects.all()
    if not is_agency_officer(user):
        return Plan.objects.none()
    agency = user.agency_id
    # One UNION of plan ids, each part read from the index on its agency column, rather
    # than an EXISTS or an OR per plan (a scan of every plan) or joins (which multiply the
    # rows). The assignments carry their task's plan: read from (agency, plan) alone.
    involved = (
        Plan.addressed_agencies.through.objects.filter(agency=agency)
        .order_by()
        .values("plan")
        .union(
            Assignment.objects.filter(agency=agency).order_by().values("plan"),
            AgencyDuty.agencies.through.objects.filter(agency=agency)
            .order_by()
            .values("agencyduty__plan"),
        )
    )
    in_force = Plan.objects.filter(pk__in=involved).exclude(status=PlanStatus.DRAFT)
    own = Plan.objects.filter(issuer=agency).order_by().values("pk")
    return Plan.objects.filter(pk__in=own.union(in_force.order_by().values("pk")))


def get_plan_for_user(request, pk, write=False, queryset=None):
    queryset = queryset if queryset is not None else visible_plans(request.user)
    return get_for_user(queryset, request, pk, write, "plans.change_plan")
