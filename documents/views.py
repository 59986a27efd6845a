"""Documents as PDF: the plan with its appendix of key tasks, and its HTML preview."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from plans.access import get_plan_for_user, visible_plans

from .pdf import render_pdf
from .plan import PLAN_TEMPLATE, plan_document, plan_document_queryset, plan_filename


def _plan(request, pk):
    queryset = plan_document_queryset(visible_plans(request.user))
    return get_plan_for_user(request, pk, queryset=queryset)


@require_GET
@login_required
def plan_pdf(request, pk):
    plan = _plan(request, pk)
    response = HttpResponse(
        render_pdf(PLAN_TEMPLATE, plan_document(plan)), content_type="application/pdf"
    )
    response["Content-Disposition"] = content_disposition_header(False, plan_filename(plan))
    return response


@require_GET
@login_required
def plan_preview(request, pk):
    plan = _plan(request, pk)
    return render(request, PLAN_TEMPLATE, plan_document(plan))
