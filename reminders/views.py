"""The reminders sent by the daily runs, for the coordinators (their province's)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from agencies.widgets import province_of_user
from cchc_plans.access import permission_required

from . import selectors
from .forms import SentFilterForm

PER_PAGE = 50


@require_GET
@login_required
@permission_required("reminders.view_sent")
def sent(request):
    province = province_of_user(request.user)
    form = SentFilterForm(request.GET or None, province=province)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    rows = selectors.sent_reminders(
        province, day_from=filters.get("day_from"), day_to=filters.get("day_to"),
        agency=filters.get("agency"), kind=filters.get("kind", ""),
    )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "reminders/sent.html", {
        "form": form, "page": page, "rows": selectors.describe(list(page.object_list)),
    })
