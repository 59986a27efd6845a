import datetime
import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from plans.access import visible_plans

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


class PeriodField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return parse_period(value)
        except ValueError:
            raise ValidationError(
                _("Enter a quarter such as 2022-Q1 or a month such as 2022-03."), code="invalid"
            ) from None


class PeriodFilter(django_filters.Filter):
    """Tasks due in the period, or with a checkpoint in it (recurring tasks)."""

    field_class = PeriodField

    def filter(self, qs, value):
        if not value:
            return qs
        checkpoints = Checkpoint.objects.filter(task=OuterRef("task"), due_date__range=value)
        return qs.filter(Q(task__due_date__range=value) | Exists(checkpoints))


def plans_of_my_work(request):
    """The plans in which the officer's agency has an assignment."""
    worked_on = Assignment.objects.filter(agency=request.user.agency_id).values("task__plan")
    return (
        visible_plans(request.user).filter(pk__in=worked_on).order_by("-period_start_year", "title")
    )


class MyWorkFilter(django_filters.FilterSet):
    plan = django_filters.ModelChoiceFilter(
        label=_("Plan"), field_name="task__plan", queryset=plans_of_my_work, empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Status.choices, empty_label=_("All")
    )
    role = django_filters.ChoiceFilter(
        label=_("Role"), choices=AssignmentRole.choices, empty_label=_("All")
    )
    period = PeriodFilter(
        label=_("Due in"),
        widget=forms.TextInput(attrs={"placeholder": "2022-Q1 / 2022-03", "size": 12}),
    )

    class Meta:
        model = Assignment
        fields = ["plan", "status", "role", "period"]
