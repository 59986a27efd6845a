import datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from cchc_plans.access import permission_required
from cchc_plans.widgets import FastSelect
from plans.access import get_plan_for_user, visible_plans
from plans.models import PlanStatus
from tasks.models import Task

from . import charts, counting
from .dashboard import dashboard as dashboard_data

OVERDUE_ROWS = 20
LONG_TABLE = 20  # longer tables start folded
TABLE_ROWS = 20  # rows of the agency tables a page; the others are a click away
YEAR_PLANS = 20  # plans named on a year's dashboard; the plan list of the year has them all
DATE_INPUTS = ["%Y-%m-%d", "%d/%m/%Y"]
# Reporting periods are counted around a date; far outside any plan they have no meaning.
EARLIEST, LATEST = datetime.date(2000, 1, 1), datetime.date(2099, 12, 31)


class AsOfForm(forms.Form):
    as_of = forms.DateField(
        label=_("As of"),
        required=False,
        input_formats=DATE_INPUTS,
        # A text box: a native date picker shows the browser's order (mm/dd/yyyy), not ours.
        widget=forms.DateInput(
            attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "size": 10},
            format="%d/%m/%Y",
        ),
    )

    def clean_as_of(self):
        as_of = self.cleaned_data["as_of"]
        if as_of is not None and not EARLIEST <= as_of <= LATEST:
            raise forms.ValidationError(
                _("Choose a date between %(start)s and %(end)s."),
                code="out_of_range",
                params={"start": EARLIEST.strftime("%d/%m/%Y"), "end": LATEST.strftime("%d/%m/%Y")},
            )
        return as_of


class PlanChoiceForm(AsOfForm):
    plan = forms.TypedChoiceField(
        label=_("Plan"), required=False, coerce=int, empty_value=None, widget=FastSelect
    )
    field_order = ["plan", "as_of"]

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, auto_id="plan-%s", **kwargs)
        self.fields["plan"].choices = [("", "—")] + [
            (plan.pk, f"{plan.period_label} · {plan.title}") for plan in plans
        ]


class YearChoiceForm(AsOfForm):
    year = forms.TypedChoiceField(
        label=_("Year"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("All plans covering the year."),
    )
    field_order = ["year", "as_of"]

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, auto_id="year-%s", **kwargs)
        self.fields["year"].choices = [("", "—")] + [(year, str(year)) for year in years]


def default_plan(plans):
    """The most recent plan in force, preferring one that has key tasks."""
    in_force = [
        plan for plan in plans if plan.status != PlanStatus.DRAFT and plan.parent_id is None
    ]
    with_tasks = [plan for plan in in_force if plan.has_tasks]
    return (with_tasks or in_force or [None])[0]


def dashboard_plans(user, plan=None):
    """The plans to choose from: every visible plan not made under another, and ``plan``."""
    chosen = Q(parent=None) | Q(pk=plan.pk) if plan else Q(parent=None)
    return list(
        visible_plans(user)
        .filter(chosen)
        .annotate(has_tasks=Exists(Task.objects.filter(plan=OuterRef("pk"))))
    )


def plan_years(plans):
    """Years covered by the plans in force, latest first."""
    years = {
        year
        for plan in plans
        if plan.status != PlanStatus.DRAFT
        for year in range(plan.period_start_year, plan.period_end_year + 1)
    }
    return sorted(years, reverse=True)


def table_page(request, rows, param, page=None):
    """One page of a dashboard table (``page``, or of ``rows``), with the links to the
    others (the query kept)."""
    if page is None:
        page = Paginator(rows, TABLE_ROWS).get_page(request.GET.get(param))

    def link(number):
        query = request.GET.copy()
        query[param] = number
        return f"?{query.urlencode()}#{param}"

    page.previous_url = link(page.previous_page_number()) if page.has_previous() else None
    page.next_url = link(page.next_page_number()) if page.has_next() else None
    page.chosen = param in request.GET
    return page


def render_dashboard(request, plan=None):
    """The dashboard of ``plan``, of the plan or year chosen in the query, or of the default.

    Bad query values are reported next to their field and the default is used instead.
    """
    plans = dashboard_plans(request.user, plan)
    years = plan_years(plans)
    as_of_form = AsOfForm(request.GET)
    plan_form = PlanChoiceForm(request.GET, plans=plans)
    year_form = YearChoiceForm(request.GET, years=years)
    for form in (as_of_form, plan_form, year_form):
        form.is_valid()  # a field with a bad value is left out of cleaned_data
    as_of = as_of_form.cleaned_data.get("as_of") or timezone.localdate()
    year = year_form.cleaned_data.get("year")
    if year is not None:
        plan = None
    elif plan is None:
        chosen = plan_form.cleaned_data.get("plan")
        plan = {p.pk: p for p in plans}.get(chosen) or default_plan(plans)

    # The year's plans the reader may read: their province's, not the whole country's.
    scope = (
        counting.plans_of_year(year, visible_plans(request.user)) if year is not None else plan
    )
    data = charts_of = tables = None
    if scope is not None:
        data = dashboard_data(
            scope, as_of=as_of, overdue_limit=OVERDUE_ROWS,
            overdue_page=request.GET.get("overdue_page"),
        )
        charts_of = {
            "status": charts.status_chart(data.statuses),
            "ranking": charts.ranking_charts(data.ranking),
            "submissions": charts.submission_chart(data.submissions),
            "channels": charts.channel_chart(data.channels),
        }
        tables = {
            "overdue": table_page(request, None, "overdue_page", data.overdue_pages),
            "ranking": table_page(request, data.ranking, "ranking_page"),
            "submissions": table_page(request, data.submissions.rows, "submissions_page"),
        }
    # Valid choices are shown as chosen (defaults included); wrong ones stay with their error.
    if not plan_form.errors:
        plan_form = PlanChoiceForm(
            initial={"plan": plan.pk if plan else None, "as_of": as_of}, plans=plans
        )
    if not year_form.errors:
        year_form = YearChoiceForm(initial={"year": year, "as_of": as_of}, years=years)
    year_plans = [
        p
        for p in plans
        if year
        and p.status != PlanStatus.DRAFT
        and p.period_start_year <= year <= p.period_end_year
    ]
    return render(
        request,
        "reports/dashboard.html",
        {
            "plan": plan,
            "year": year,
            "year_plans": year_plans[:YEAR_PLANS],
            "more_year_plans": len(year_plans) - YEAR_PLANS,
            "as_of": as_of,
            "plan_form": plan_form,
            "year_form": year_form,
            "data": data,
            "charts": charts_of,
            "tables": tables,
            "long_table": LONG_TABLE,
        },
    )


@require_GET
@login_required
@permission_required("reports.view_dashboard")
def dashboard(request):
    return render_dashboard(request)


@require_GET
@login_required
@permission_required("reports.view_dashboard")
def plan_dashboard(request, pk):
    return render_dashboard(request, plan=get_plan_for_user(request, pk))
