"""Agency periodic reports: the agency's list and form, the coordinators' completeness matrix."""

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agencies.models import AgencyKind
from cchc_plans.access import permission_required
from cchc_plans.once import ALREADY_DONE, earlier_outcome, run_once
from documents.pdf import render_pdf
from plans import services as plan_services
from plans.access import visible_plans
from plans.models import Measure, Plan, PlanStatus, ReminderTopic, ReportingPeriodCode
from plans.periods import periods_for_plan
from plans.reminders import ReminderForm, show_result
from plans.selectors import PLAN_ORDER, last_reminders
from signatures.models import SUBMISSION_RULE

from . import services
from .access import get_agency_report_for_user, visible_agency_reports
from .document import TEMPLATE, report_document, report_filename
from .forms import (
    AgencyReportForm,
    CompletenessFilterForm,
    MyReportsFilterForm,
    ReturnForm,
    ReviewForm,
)
from .models import Completeness

PAGE_SIZE = 25
# Reporting codes that give no period: the plan asks for no periodic report.
NO_REPORTS = ([], [ReportingPeriodCode.ON_REQUEST.value])
MATRIX_PAGE_SIZE = 50
REVIEW = "periodic.review_agency_report"


def _page(request, rows, size):
    return Paginator(rows, size).get_page(request.GET.get("page"))


def _reports(request):
    return visible_agency_reports(request.user).select_related(
        "plan", "agency__successor", "submitted_by", "reviewed_by"
    )


def _posted_version(request):
    """The report version the form was built on; None (no check) when absent or not a number."""
    form = ReviewForm(request.POST)
    return form.cleaned_data["version"] if form.is_valid() else None


@require_GET
@login_required
@permission_required("periodic.view_own_reports")
def my_reports(request):
    """The agency's reports: every started period of every plan it reports on."""
    today = timezone.localdate()
    rows = services.agency_report_rows(agency=request.user.agency, today=today)
    form = MyReportsFilterForm(
        request.GET or None,
        years=sorted({row.period.year for row in rows}, reverse=True),
        states=Completeness.choices,
    )
    year, state = form.value("year"), form.value("state")
    if year:
        rows = [row for row in rows if row.period.year == year]
    if state:
        rows = [row for row in rows if row.state == state]
    return render(
        request,
        "periodic/my_reports.html",
        {
            "page": _page(request, rows, PAGE_SIZE),
            "form": form,
            "today": today,
            "filtered": any(key != "page" for key in request.GET),
        },
    )


@require_POST
@login_required
@permission_required("periodic.add_agency_report")
def report_start(request, plan_pk, year, code):
    """Open the agency's report for the plan and period, creating it on first use."""
    agency = request.user.agency
    plan = get_object_or_404(services.plans_reported_by(agency), pk=plan_pk)
    try:
        report = services.start_report(
            plan=plan, agency=agency, year=year, period_code=code, user=request.user
        )
    except ValidationError:
        raise Http404("no such period") from None
    if report.is_editable:
        return redirect("periodic:report_edit", pk=report.pk)
    return redirect("periodic:report_detail", pk=report.pk)


@require_http_methods(["GET", "POST"])
@login_required
def report_edit(request, pk):
    """The agency fills its draft: figures per channel, its assignments, the narrative."""
    report = get_agency_report_for_user(request, pk, write=True, queryset=_reports(request))
    if not report.is_editable:
        if earlier := earlier_outcome(request):
            messages.info(request, ALREADY_DONE)
            return redirect(earlier.url)
        messages.error(
            request, _("This report has been submitted and can no longer be changed.")
        )
        return redirect("periodic:report_detail", pk=report.pk)
    measures = Measure.objects.select_related("channel").order_by(
        "channel__position", "channel__name", "position", "name"
    )
    task_states = report.task_states.select_related("assignment__task").order_by(
        "assignment__task__number", "assignment__role", "pk"
    )
    form = AgencyReportForm(
        request.POST or None,
        request.FILES or None,
        measures=measures,
        task_states=task_states,
        initial=AgencyReportForm.initial_for(report, report.figures.all(), task_states),
    )
    if request.method == "POST" and form.is_valid():

        def save():
            saved = services.save_draft(
                report=report,
                user=request.user,
                version=form.cleaned_data["version"],
                results=form.cleaned_data["results"],
                shortcomings=form.cleaned_data["shortcomings"],
                lessons=form.cleaned_data["lessons"],
                next_tasks=form.cleaned_data["next_tasks"],
                proposals=form.cleaned_data["proposals"],
                figures=form.cleaned_figures(),
                task_states=form.cleaned_task_states(),
                signed_copy=form.cleaned_data["signed_copy"],
            )
            if form.wants_submit:
                services.submit(report=saved, user=request.user, version=saved.version)
                return reverse("periodic:report_detail", args=[saved.pk])
            return reverse("periodic:report_edit", args=[saved.pk])

        try:
            outcome = run_once(request, save)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if outcome.repeated:
                messages.info(request, ALREADY_DONE)
            elif form.wants_submit:
                messages.success(request, _("The report has been submitted."))
            else:
                messages.success(request, _("The draft has been saved."))
            return redirect(outcome.url)
    return render(
        request,
        "periodic/report_form.html",
        _report_context(report, form=form),
    )


def _report_context(report, **extra):
    period = report.period
    return {
        "report": report,
        "period": period,
        "timeliness": report.timeliness(period),
        "submission_rule": SUBMISSION_RULE,
        **extra,
    }


def _add_errors(form, error):
    """A service's ValidationError shown next to its field, or above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@require_POST
@login_required
def report_submit(request, pk):
    report = get_agency_report_for_user(request, pk, write=True)

    def submit():
        services.submit(report=report, user=request.user, version=_posted_version(request))
        return reverse("periodic:report_detail", args=[report.pk])

    try:
        outcome = run_once(request, submit)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        if report.is_editable:
            return redirect("periodic:report_edit", pk=report.pk)
    else:
        if outcome.repeated:
            messages.info(request, ALREADY_DONE)
        else:
            messages.success(request, _("The report has been submitted."))
        return redirect(outcome.url)
    return redirect("periodic:report_detail", pk=report.pk)


def _figures_and_states(report):
    figures = report.figures.select_related("measure__channel").order_by(
        "measure__channel__position", "measure__channel__name", "measure__position"
    )
    task_states = report.task_states.select_related("assignment__task").order_by(
        "assignment__task__number", "assignment__role", "pk"
    )
    return figures, task_states


def _detail(request, report, return_form=None):
    figures, task_states = _figures_and_states(report)
    return render(
        request,
        "periodic/report_detail.html",
        _report_context(
            report,
            figures=figures,
            task_states=task_states,
            return_form=return_form or ReturnForm(initial={"version": report.version}),
            can_review=request.user.has_perm(REVIEW),
            can_edit=request.user.has_perm("periodic.change_agency_report", report),
        ),
    )


@require_GET
@login_required
def report_detail(request, pk):
    report = get_agency_report_for_user(request, pk, queryset=_reports(request))
    return _detail(request, report)


@require_GET
@login_required
def report_pdf(request, pk):
    """The report as a printable document, for its agency and for those who read reports."""
    report = get_agency_report_for_user(request, pk, queryset=_reports(request))
    figures, task_states = _figures_and_states(report)
    context = report_document(report, figures=figures, task_states=task_states)
    response = HttpResponse(render_pdf(TEMPLATE, context), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, report_filename(report))
    return response


@require_GET
@login_required
def report_signed_copy(request, pk):
    """The report as its agency signed it, for whoever reads the report."""
    report = get_agency_report_for_user(request, pk, queryset=_reports(request))
    if not report.signed_copy:
        raise Http404("This report has no signed copy.")
    try:
        handle = report.signed_copy.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing.") from None
    return FileResponse(handle, as_attachment=True, content_type="application/pdf",
                        filename=os.path.basename(report.signed_copy.name))


@require_POST
@login_required
def report_accept(request, pk):
    report = get_agency_report_for_user(request, pk, write=True, perm=REVIEW)
    try:
        services.accept(report=report, user=request.user, version=_posted_version(request))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The report has been accepted."))
    return redirect("periodic:report_detail", pk=report.pk)


@require_POST
@login_required
def report_return(request, pk):
    report = get_agency_report_for_user(
        request, pk, write=True, perm=REVIEW, queryset=_reports(request)
    )
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.return_report(
                report=report,
                user=request.user,
                comment=form.cleaned_data["comment"],
                version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The report has been returned to the agency."))
            return redirect("periodic:report_detail", pk=report.pk)
    return _detail(request, report, return_form=form)


@require_GET
@login_required
@permission_required("periodic.view_completeness")
def overview(request):
    """The plans in force that ask agencies for periodic reports, each to its matrix."""
    # The page is cut in the database, then only its plans get their periods: a national
    # installation has tens of thousands of plans.
    plans = (
        visible_plans(request.user)
        .exclude(status=PlanStatus.DRAFT)
        .exclude(reporting_periods__in=NO_REPORTS)
        .order_by(*PLAN_ORDER)
    )
    page = _page(request, plans.values("pk"), PAGE_SIZE)
    shown = Plan.objects.filter(pk__in=page.object_list).select_related("issuer")
    page.object_list = [(plan, periods_for_plan(plan)) for plan in shown.order_by(*PLAN_ORDER)]
    return render(request, "periodic/overview.html", {"page": page})


def _default_year(years, today):
    if today.year in years:
        return today.year
    past = [year for year in years if year < today.year]
    return past[-1] if past else years[0]


@require_GET
@login_required
@permission_required("periodic.view_completeness")
def completeness(request, plan_pk):
    """Agencies × periods of one plan: who reported on time, late, not at all."""
    plan = get_object_or_404(visible_plans(request.user).select_related("issuer"), pk=plan_pk)
    today = timezone.localdate()
    all_periods = periods_for_plan(plan)
    years = sorted({period.year for period in all_periods})
    data = None
    if request.GET and years:
        data = request.GET.copy()
        chosen = next((p for p in all_periods if p.key == data.get("period")), None)
        # A chosen period shows its own year in the year filter.
        data["year"] = str(chosen.year) if chosen else data.get("year") or str(
            _default_year(years, today)
        )
    form = CompletenessFilterForm(
        data,
        initial={"year": _default_year(years, today)} if years else {},
        years=years,
        periods=all_periods,
        states=Completeness.choices,
        kinds=AgencyKind.choices,
    )
    period_key = form.value("period")
    if period_key:
        periods = [p for p in all_periods if p.key == period_key]
    elif years:
        year = form.value("year", _default_year(years, today))
        periods = [p for p in all_periods if p.year == year]
    else:
        periods = []
    agencies = services.reporting_agencies(plan)
    kind = form.value("kind")
    if kind:
        agencies = agencies.filter(kind=kind)
    rows = services.completeness_rows(
        plan=plan, periods=periods, agencies=services.by_name(agencies), today=today
    )
    totals = services.completeness_totals(rows, periods)
    state = form.value("state")
    if state:
        rows = [row for row in rows if row.has_state(state)]
    signature = form.value("signature")
    if signature:
        rows = [row for row in rows if row.has_signature(signature == "signed")]
    page = _page(request, rows, MATRIX_PAGE_SIZE)
    can_remind = plan.status == PlanStatus.ISSUED and request.user.has_perm(
        "periodic.send_reminder", plan
    )
    reminded = last_reminders(plan, ReminderTopic.REPORTS)
    shown = [
        (row, reminded.get(row.agency.pk), can_remind and not row.agency.is_dissolved
         and bool(services.awaited_periods(row, today)))
        for row in page.object_list
    ]
    return render(
        request,
        "periodic/completeness.html",
        {
            "plan": plan,
            "periods": periods,
            "totals": [(period, totals[period.key]) for period in periods],
            "page": page,
            "shown": shown,
            "form": form,
            "states": Completeness,
            "today": today,
            "filtered": any(key != "page" for key in request.GET),
            "remind_form": ReminderForm(auto_id=False) if can_remind else None,
            "query": request.GET.urlencode(),
        },
    )


@require_POST
@login_required
@permission_required("periodic.view_completeness")
def completeness_remind(request, plan_pk, agency_pk):
    """A coordinator reminds one agency of its reports on the plan that are due and not in."""
    plan = get_object_or_404(visible_plans(request.user), pk=plan_pk)
    if not request.user.has_perm("periodic.send_reminder", plan):
        raise PermissionDenied
    agency = get_object_or_404(services.reporting_agencies(plan), pk=agency_pk)
    back = reverse("periodic:completeness", args=[plan.pk])
    if request.GET:
        back = f"{back}?{request.GET.urlencode()}"
    today = timezone.localdate()
    row = services.completeness_rows(
        plan=plan, periods=periods_for_plan(plan), agencies=[agency], today=today
    )[0]
    awaited = services.awaited_periods(row, today)
    form = ReminderForm(request.POST)
    if plan.status != PlanStatus.ISSUED or agency.is_dissolved or not awaited:
        messages.error(request, _("%(agency)s owes no report on this plan: nothing to remind.")
                       % {"agency": agency.display_name})
    elif not form.is_valid():
        for error in form.errors.get("message", []):
            messages.error(request, error)
    else:
        result = plan_services.remind(
            plan=plan, agencies=[agency], topic=ReminderTopic.REPORTS,
            url=reverse("periodic:my_reports"), sent_by=request.user,
            message=form.cleaned_data["message"],
            context={"about": "reports",
                     "periods": ", ".join(str(period.label) for period in awaited)},
        )
        show_result(request, result)
    return redirect(back)
