"""Summary reports for leadership: choose a plan and a period, read the report, add the
coordinator's text, issue it, and have its PDF or xlsx generated in the background."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from cchc_plans.access import permission_required
from cchc_plans.once import ALREADY_DONE, run_once
from periodic.services import plan_period
from plans.access import get_plan_for_user, visible_plans
from plans.models import PlanStatus
from plans.periods import periods_for_plan
from register.models import DocumentType
from register.services import next_number_symbol
from tasks.models import Task

from . import charts, generation, summary_services
from .models import GeneratedReport, GenerationStatus, SummaryFormat
from .summary import build_summary

PAGE_SIZE = 20
PERIOD_FILES = 5  # latest files listed on a period's page
VIEW = "reports.view_summary"
WRITE = "reports.write_summary"
PLAN_DOCUMENT = "plan"


# ---------------------------------------------------------------------------------------------
# Forms


class GenerateForm(forms.Form):
    period = forms.ChoiceField(label=gettext_lazy("Report"))
    format = forms.ChoiceField(label=gettext_lazy("Format"), choices=SummaryFormat.choices)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [
            (period.key, period.label) for period in periods_for_plan(plan)
        ] + [(PLAN_DOCUMENT, _("The plan itself (PDF or Word)"))]

    def clean(self):
        data = super().clean()
        if data.get("period") == PLAN_DOCUMENT and data.get("format") == SummaryFormat.XLSX:
            self.add_error("format", _("The plan document is made as a PDF or a Word file."))
        return data

    def period_code(self):
        """(year, code) of the chosen period; (None, "") for the plan document."""
        key = self.cleaned_data["period"]
        if key == PLAN_DOCUMENT:
            return None, ""
        year, code = key.split("-", 1)
        return int(year), code


class ReportTextForm(forms.Form):
    introduction = forms.CharField(
        label=gettext_lazy("Introduction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Leave empty to open with the standard paragraph."),
    )
    results = forms.CharField(
        label=gettext_lazy("Results achieved"), required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    shortcomings = forms.CharField(
        label=gettext_lazy("Shortcomings and their causes"), required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    lessons = forms.CharField(
        label=gettext_lazy("Lessons learned"), required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    next_tasks = forms.CharField(
        label=gettext_lazy("Tasks and solutions for the next period"), required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    proposals = forms.CharField(
        label=gettext_lazy("Proposals"), required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    signer_authority = forms.CharField(
        label=gettext_lazy("Signing authority"), max_length=120, required=False,
        help_text=gettext_lazy("e.g. KT. GIÁM ĐỐC"),
    )
    signer_title = forms.CharField(
        label=gettext_lazy("Signer's title"), max_length=120, required=False,
        help_text=gettext_lazy("e.g. PHÓ GIÁM ĐỐC"),
    )
    signer_name = forms.CharField(
        label=gettext_lazy("Signer's name"), max_length=120, required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    EVALUATION = ["results", "shortcomings", "lessons", "next_tasks", "proposals"]
    SIGNER = ["signer_authority", "signer_title", "signer_name"]

    @classmethod
    def initial_for(cls, summary):
        """The report's own text, else what the report prints without it (the prefill)."""
        draft = summary.draft
        initial = {"introduction": draft.introduction if draft else "",
                   "version": draft.version if draft else None}
        for name in cls.EVALUATION:
            written = getattr(draft, name, "") if draft else ""
            initial[name] = written or summary.evaluation_prefill[name]
        initial.update(zip(cls.SIGNER, summary.signer, strict=True))
        return initial

    def evaluation_fields(self):
        return [self[name] for name in self.EVALUATION]

    def signer_fields(self):
        return [self[name] for name in self.SIGNER]


class IssueForm(forms.Form):
    number = forms.CharField(
        label=gettext_lazy("Document number"),
        max_length=60,
        required=False,
    )
    issued_on = forms.DateField(
        label=gettext_lazy("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


# ---------------------------------------------------------------------------------------------
# Helpers


def _plans(user):
    """Plans a summary can be made of: the visible plans in force (drafts have no reports)."""
    return visible_plans(user).exclude(status=PlanStatus.DRAFT).select_related("issuer")


def _plan(request, pk):
    return get_plan_for_user(request, pk, queryset=_plans(request.user))


def _period(plan, year, code):
    try:
        return plan_period(plan, year, code)
    except ValidationError:
        raise Http404("The plan asks for no report for this period.") from None


def _files(plan):
    return GeneratedReport.objects.filter(plan=plan).select_related("plan", "requested_by")


def _require(request, perm):
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _summary_page(request, plan, period, *, text_form=None, issue_form=None, status=200):
    summary = build_summary(plan, period.year, period.code)
    draft = summary.draft
    version = draft.version if draft else None
    if text_form is None:
        text_form = ReportTextForm(initial=ReportTextForm.initial_for(summary))
    if issue_form is None:
        issue_form = IssueForm(initial={"version": version}, auto_id="issue-%s")
    if request.user.has_perm("reports.write_summary") and not summary.is_issued:
        issue_form.fields["number"].help_text = _(
            "Leave empty to take the next number of the register of the date's year (in "
            "%(year)s: %(number)s), or type the number the register gave."
        ) % {
            "year": period.year,
            "number": next_number_symbol(summary.issuer, DocumentType.REPORT, period.year),
        }
    files = list(
        _files(plan).filter(year=period.year, period_code=period.code)[:PERIOD_FILES]
    )
    return render(
        request,
        "reports/summary/report.html",
        {
            "plan": plan,
            "period": period,
            "summary": summary,
            "status_chart": charts.status_chart(summary.now.statuses),
            "text_form": text_form,
            "issue_form": issue_form,
            "files": files,
            "formats": SummaryFormat.choices,
        },
        status=status,
    )


# ---------------------------------------------------------------------------------------------
# Pages


@require_GET
@login_required
@permission_required(VIEW)
def index(request):
    """The plans in force not made under another, each with the periods it is reported on.

    (An agency's own plan has a report page too, reached from its address.)
    """
    plans = _plans(request.user).filter(parent=None).annotate(
        has_tasks=Exists(Task.objects.filter(plan=OuterRef("pk")))
    )
    page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(plan, periods_for_plan(plan)) for plan in page.object_list]
    return render(request, "reports/summary/index.html", {"page": page, "rows": rows})


@require_GET
@login_required
@permission_required(VIEW)
def reports(request, pk):
    """A plan's reports: its periods, the files generated so far, and a form for a new one."""
    plan = _plan(request, pk)
    page = Paginator(_files(plan), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/summary/reports.html",
        {
            "plan": plan,
            "periods": periods_for_plan(plan),
            "page": page,
            "form": GenerateForm(plan=plan),
        },
    )


@require_GET
@login_required
@permission_required(VIEW)
def report(request, pk, year, code):
    """The summary of one period: its key numbers, the text form, its files."""
    plan = _plan(request, pk)
    return _summary_page(request, plan, _period(plan, year, code))


@require_GET
@login_required
@permission_required(VIEW)
def preview(request, pk, year, code):
    """The report document as HTML: what the PDF prints."""
    plan = _plan(request, pk)
    period = _period(plan, year, code)
    rendered = generation.render_report(plan, period.year, period.code, "html")
    return HttpResponse(rendered.content, content_type=rendered.content_type)


@require_POST
@login_required
@permission_required(VIEW)
def save_text(request, pk, year, code):
    _require(request, "reports.write_summary")
    plan = _plan(request, pk)
    period = _period(plan, year, code)
    form = ReportTextForm(request.POST)
    if form.is_valid():
        try:
            summary_services.save_report_text(
                plan=plan,
                period=period,
                user=request.user,
                version=form.cleaned_data["version"],
                **{name: value for name, value in form.cleaned_data.items()
                   if name != "version"},
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The report's text is saved."))
            return redirect("leadership:report", pk=plan.pk, year=period.year, code=period.code)
    return _summary_page(request, plan, period, text_form=form, status=400)


@require_POST
@login_required
@permission_required(VIEW)
def issue(request, pk, year, code):
    _require(request, "reports.write_summary")
    plan = _plan(request, pk)
    period = _period(plan, year, code)
    form = IssueForm(request.POST, auto_id="issue-%s")
    if form.is_valid():
        try:
            summary_services.issue_report(
                plan=plan,
                period=period,
                user=request.user,
                number=form.cleaned_data["number"],
                issued_on=form.cleaned_data["issued_on"],
                version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The report is issued. Generate its PDF to file it."))
            return redirect("leadership:report", pk=plan.pk, year=period.year, code=period.code)
    return _summary_page(request, plan, period, issue_form=form, status=400)


@require_POST
@login_required
@permission_required(VIEW)
def generate(request, pk):
    """Queue a file for the chosen period and format; then follow its progress."""
    _require(request, "reports.generate_summary")
    plan = _plan(request, pk)
    form = GenerateForm(request.POST, plan=plan)
    if form.is_valid():
        year, code = form.period_code()

        def generate_file():
            generated = generation.request_generation(
                plan=plan,
                year=year,
                period_code=code,
                fmt=form.cleaned_data["format"],
                user=request.user,
            )
            return reverse("leadership:generated", args=[generated.pk])

        try:
            outcome = run_once(request, generate_file)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if outcome.repeated:
                messages.info(request, ALREADY_DONE)
            return redirect(outcome.url)
    page = Paginator(_files(plan), PAGE_SIZE).get_page(1)
    return render(
        request,
        "reports/summary/reports.html",
        {"plan": plan, "periods": periods_for_plan(plan), "page": page, "form": form},
        status=400,
    )


def _generated(request, pk):
    return get_object_or_404(
        GeneratedReport.objects.select_related("plan", "requested_by").filter(
            plan__in=_plans(request.user)
        ),
        pk=pk,
    )


@require_GET
@login_required
@permission_required(VIEW)
def generated(request, pk):
    """One generated file: its progress, the reason it failed, or the download."""
    item = _generated(request, pk)
    return render(request, "reports/summary/generated.html", {"item": item})


@require_GET
@login_required
@permission_required(VIEW)
def status(request, pk):
    """The progress of a generated file as JSON, for the page's poll."""
    item = _generated(request, pk)
    data = {
        "id": item.pk,
        "status": item.status,
        "status_label": item.get_status_display(),
        "finished": item.is_finished,
        "error": item.error,
        "download_url": "",
    }
    if item.status == GenerationStatus.DONE:
        data["download_url"] = reverse("leadership:download", kwargs={"pk": item.pk})
    return JsonResponse(data)


@require_GET
@login_required
@permission_required(VIEW)
def download(request, pk):
    """The generated file: for an issued, signed PDF the signed document."""
    return _file_response(_generated(request, pk), "file")


@require_GET
@login_required
@permission_required(WRITE)
def download_draft(request, pk):
    """The unsigned draft of a signed PDF, for the coordinators who issue it."""
    return _file_response(_generated(request, pk), "draft_file")


def _file_response(item, field):
    file = getattr(item, field)
    if item.status != GenerationStatus.DONE or not file:
        raise Http404("This file is not ready.")
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing.") from None
    name = file.name.rsplit("/", 1)[-1]
    response = FileResponse(handle, content_type=generation.CONTENT_TYPES[item.format])
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
