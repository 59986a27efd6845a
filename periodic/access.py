"""The periodic reports a user may read, and one report for a view."""

from agencies.provinces import in_users_province
from agencies.rules import is_agency_officer, reads_everything
from cchc_plans.access import get_for_user

from .models import AgencyReport


def visible_agency_reports(user):
    """Periodic reports the user may read: all for readers of everything, else their agency's;
    within the user's province."""
    if reads_everything(user):
        return in_users_province(AgencyReport.objects.all(), user)
    if is_agency_officer(user):
        return in_users_province(AgencyReport.objects.filter(agency_id=user.agency_id), user)
    return AgencyReport.objects.none()


def get_agency_report_for_user(
    request, pk, write=False, queryset=None, perm="periodic.change_agency_report"
):
    """404 for a report the user may not read; 403 on ``write`` without ``perm``.

    Writing is the agency's own officer (``periodic.change_agency_report``, the default) or a
    coordinator reviewing (``periodic.review_agency_report``).
    """
    queryset = queryset if queryset is not None else visible_agency_reports(request.user)
    return get_for_user(queryset, request, pk, write, perm)
