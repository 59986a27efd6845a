import django_filters
from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from agencies.widgets import in_province
from cchc_plans.widgets import FastSelect

from .models import CHOICE_FIELDS, Plan, PlanStatus, choice_label


class YearFilter(django_filters.Filter):
    field_class = forms.IntegerField


class PlanChoiceIterator(ModelChoiceIterator):
    """The choices as rows of the label's columns, not as plans: a dropdown of hundreds of
    plans builds no model instance."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        rows = self.field.rows
        if rows is None:
            rows = self.queryset.values_list(*CHOICE_FIELDS)
        for pk, *label in rows:
            yield (pk, choice_label(*label))


class PlanChoiceField(forms.ModelChoiceField):
    """A plan picked from a dropdown, labelled by its number first (models.choice_label).

    ``rows``: the choices' ``CHOICE_FIELDS`` values already read (the page read its plans
    for something else too), else they are read from the queryset."""

    widget = FastSelect
    iterator = PlanChoiceIterator

    def __init__(self, *args, rows=None, **kwargs):
        self.rows = rows
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return obj.choice_label


class PlanChoiceFilter(django_filters.ModelChoiceFilter):
    """A plan picked from a dropdown, labelled by its number first (Plan.choice_label)."""

    field_class = PlanChoiceField


class PlanFilter(django_filters.FilterSet):
    """The plan list's filters. Invalid values are reported next to their field and ignored."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        help_text=_("Title, number or issuer; accents are optional."),
    )
    year = YearFilter(
        label=_("Year"),
        method="filter_year",
        min_value=1900,
        max_value=2200,
        help_text=_("Plans whose period covers this year."),
    )
    issuer = django_filters.ModelChoiceFilter(
        label=_("Issuer"),
        queryset=Agency.objects.none(),
        empty_label=_("All issuers"),
        widget=FastSelect,
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=PlanStatus.choices, empty_label=_("All statuses"),
        widget=FastSelect,
    )
    parent = PlanChoiceFilter(
        label=_("Implements plan"), queryset=Plan.objects.none(), empty_label=_("Any plan")
    )

    class Meta:
        model = Plan
        fields = []

    def __init__(self, data=None, queryset=None, *, visible, province=None, **kwargs):
        """``visible``: the plans the user may see; the choices come only from them, and
        from the agencies of ``province`` when given (a national list has thousands of
        issuers: each user picks among their own province's)."""
        super().__init__(data, queryset, **kwargs)
        offered = Plan.objects.filter(pk__in=visible.values("pk"))
        if province is not None:
            offered = offered.filter(issuer__in=Agency.objects.filter(in_province(province)))
        # Only what the options show.
        self.filters["issuer"].queryset = Agency.objects.filter(
            pk__in=offered.values("issuer")
        ).only("pk", "name")
        self.filters["parent"].queryset = (
            Plan.objects.filter(pk__in=offered.filter(parent__isnull=False).values("parent"))
            .filter(pk__in=visible.values("pk"))
            .only("pk", "title", "document_number", "decision_number")
        )

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_year(self, queryset, name, value):
        return queryset.for_year(value)
