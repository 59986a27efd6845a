import datetime
import re

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from cchc_plans.widgets import FastSelect
from plans.access import visible_plans
from plans.filters import PlanChoiceFilter
from plans.models import CHOICE_FIELDS, Plan
from plans.periods import MONTH_CODES, QUARTER_CODES, make_period

from .models import Assignment, AssignmentRole, Checkpoint, Status
from .timeline import month_end, quarter_end

_PERIODS = [
    # 2022-Q1, Q1/2022, 2022-03, 03/2022
    (re.compile(r"(?P<year>[0-9]{4})\s*[-/ ]\s*q(?P<quarter>[1-4])"), "quarter"),
    (re.compile(r"q(?P<quarter>[1-4])\s*[-/ ]\s*(?P<year>[0-9]{4})"), "quarter"),
    (re.compile(r"(?P<year>[0-9]{4})\s*[-/]\s*(?P<month>[0-9]{1,2})"), "month"),
    (re.compile(r"(?P<month>[0-9]{1,2})\s*[-/]\s*(?P<year>[0-9]{4})"), "month"),
]


def parse_period(text):
    """The first and last day of a quarter ("2022-Q1") or a month ("2022-03"); ValueError."""
    text = text.strip().lower()
    for pattern, unit in _PERIODS:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        year = int(match["year"])
        if unit == "quarter":
            quarter = int(match["quarter"])
            return datetime.date(year, quarter * 3 - 2, 1), quarter_end(year, quarter)
        month = int(match["month"])
        return datetime.date(year, month, 1), month_end(year, month)
    raise ValueError(f"not a quarter or a month: {text!r}")


class PeriodField(forms.TypedChoiceField):
    """A quarter or a month, chosen from the years of the agency's plans."""

    widget = FastSelect

    default_error_messages = {
        "invalid_choice": _("Choose a quarter or a month from the list."),
    }

    def __init__(self, **kwargs):
        super().__init__(coerce=parse_period, empty_value=None, **kwargs)


def period_choices(years):
    """Per year, its quarters ("2022-Q1") then its months ("2022-03"), named as documents
    write them ("Quý I/2022", "Tháng 03/2022")."""
    choices = [("", _("Any time"))]
    for year in years:
        quarters = [(f"{year}-{code}", make_period(year, code).label) for code in QUARTER_CODES]
        months = [(f"{year}-{code[1:]}", make_period(year, code).label) for code in MONTH_CODES]
        choices.append((str(year), quarters + months))
    return choices


class PeriodFilter(django_filters.Filter):
    """Tasks due in the period, or with a checkpoint in it (recurring tasks)."""

    field_class = PeriodField

    def filter(self, qs, value):
        if not value:
            return qs
        checkpoints = Checkpoint.objects.filter(task=OuterRef("task"), due_date__range=value)
        return qs.filter(Q(task__due_date__range=value) | Exists(checkpoints))


# What my_work() reads of each plan: its dropdown label and its years.
PLAN_ROW = (*CHOICE_FIELDS, "period_start_year", "period_end_year")


def plans_of_my_work(request):
    """The plans in which the officer's agency has an assignment."""
    # From the index on (agency, plan), distinct: each plan once.
    worked_on = Assignment.objects.filter(agency=request.user.agency_id).values("plan").distinct()
    return (
        visible_plans(request.user).filter(pk__in=worked_on).order_by("-period_start_year", "title")
    )


class MyWorkFilter(django_filters.FilterSet):
    plan = PlanChoiceFilter(
        label=_("Plan"), field_name="plan", queryset=plans_of_my_work, empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Status.choices, empty_label=_("All"), widget=FastSelect
    )
    role = django_filters.ChoiceFilter(
        label=_("Role"), choices=AssignmentRole.choices, empty_label=_("All"), widget=FastSelect
    )
    period = PeriodFilter(label=_("Due in"))

    class Meta:
        model = Assignment
        fields = ["plan", "status", "role", "period"]

    def __init__(self, *args, request=None, plans=None, **kwargs):
        """``plans``: the rows (``PLAN_ROW``) of plans_of_my_work() when already read."""
        super().__init__(*args, request=request, **kwargs)
        if plans is None:
            plans = list(plans_of_my_work(request).values_list(*PLAN_ROW))
        self.filters["plan"].queryset = Plan.objects.filter(pk__in=[row[0] for row in plans])
        self.filters["plan"].extra["rows"] = [row[:len(CHOICE_FIELDS)] for row in plans]
        first = min((row[-2] for row in plans), default=None)
        last = max((row[-1] for row in plans), default=None)
        years = range(first, last + 1) if first else []
        self.filters["period"].extra["choices"] = period_choices(years)
