from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cchc_plans.fields import integer_field_for
from cchc_plans.uploads import PDF, clean_document, max_upload_mb
from cchc_plans.widgets import FastSelect
from tasks.models import Status

from .models import AgencyReportFigure

ACTION_SAVE = "save"
ACTION_SUBMIT = "submit"


class AgencyReportForm(forms.Form):
    """The agency's report: narrative, one number per measure, the state of each assignment.

    Built for one report from its measures (grouped by channel in the page) and its task
    states. It validates only; ``periodic.services.save_draft`` writes.
    """

    version = forms.IntegerField(widget=forms.HiddenInput)
    action = forms.ChoiceField(
        choices=[(ACTION_SAVE, ACTION_SAVE), (ACTION_SUBMIT, ACTION_SUBMIT)],
        required=False,
        widget=forms.HiddenInput,
    )
    results = forms.CharField(
        label=_("Results"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the agency did in the period and what it achieved."),
    )
    shortcomings = forms.CharField(
        label=_("Shortcomings and their causes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    lessons = forms.CharField(
        label=_("Lessons learned"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    next_tasks = forms.CharField(
        label=_("Tasks and solutions for the next period"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    proposals = forms.CharField(
        label=_("Proposals"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    signed_copy = forms.FileField(
        label=_("Signed copy (PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf"}),
    )

    def __init__(self, *args, measures, task_states, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signed_copy"].help_text = _(
            "The report as your agency signed it digitally, at most %(size)s MB. A valid "
            "signature made before the report is submitted counts as its submission time."
        ) % {"size": max_upload_mb()}
        self.measures = list(measures)
        self.task_states = list(task_states)
        for measure in self.measures:
            self.fields[f"m{measure.pk}"] = integer_field_for(
                AgencyReportFigure._meta.get_field("value"),
                label=measure.name,
                required=False,
                help_text=measure.unit,
            )
        for state in self.task_states:
            prefix = f"a{state.assignment_id}"
            self.fields[f"{prefix}_status"] = forms.ChoiceField(
                label=_("Status"), choices=Status.choices
            )
            self.fields[f"{prefix}_percent"] = forms.IntegerField(
                label=_("Progress (%)"), min_value=0, max_value=100
            )
            self.fields[f"{prefix}_note"] = forms.CharField(
                label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )

    @staticmethod
    def initial_for(report, figures, task_states):
        """Initial data from the saved report, its figures and its task states."""
        initial = {
            "version": report.version,
            "results": report.results,
            "shortcomings": report.shortcomings,
            "lessons": report.lessons,
            "next_tasks": report.next_tasks,
            "proposals": report.proposals,
        }
        initial.update({f"m{f.measure_id}": f.value for f in figures})
        for state in task_states:
            prefix = f"a{state.assignment_id}"
            initial[f"{prefix}_status"] = state.status
            initial[f"{prefix}_percent"] = state.percent
            initial[f"{prefix}_note"] = state.note
        return initial

    def clean_signed_copy(self):
        return clean_document(self.cleaned_data.get("signed_copy"), types=PDF, stem="bao-cao")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == ACTION_SUBMIT and not (cleaned.get("results") or "").strip():
            self.add_error("results", _("Write the results before submitting the report."))
        return cleaned

    @property
    def wants_submit(self):
        return self.cleaned_data.get("action") == ACTION_SUBMIT

    def figure_groups(self):
        """[(channel, [bound field, …]), …] in catalogue order, for the page."""
        groups = []
        for measure in self.measures:
            if not groups or groups[-1][0] != measure.channel:
                groups.append((measure.channel, []))
            groups[-1][1].append(self[f"m{measure.pk}"])
        return groups

    def task_rows(self):
        """[(task state, status field, percent field, note field), …] for the page."""
        return [
            (
                state,
                self[f"a{state.assignment_id}_status"],
                self[f"a{state.assignment_id}_percent"],
                self[f"a{state.assignment_id}_note"],
            )
            for state in self.task_states
        ]

    def cleaned_figures(self):
        return {m.pk: self.cleaned_data.get(f"m{m.pk}") or 0 for m in self.measures}

    def cleaned_task_states(self):
        return {
            s.assignment_id: (
                self.cleaned_data[f"a{s.assignment_id}_status"],
                self.cleaned_data[f"a{s.assignment_id}_percent"],
                self.cleaned_data[f"a{s.assignment_id}_note"],
            )
            for s in self.task_states
        }


class ReturnForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    comment = forms.CharField(
        label=_("What should the agency change?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )

    def clean_comment(self):
        comment = self.cleaned_data["comment"].strip()
        if not comment:
            raise forms.ValidationError(_("Say what the agency should change."))
        return comment


class ReviewForm(forms.Form):
    """Accept or submit: only the version the user saw."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def _blank(label):
    return [("", label)]


class FilterForm(forms.Form):
    def value(self, name, default=None):
        """The cleaned value of a valid filter, else ``default``."""
        if not self.is_bound:
            return default
        self.is_valid()
        return self.cleaned_data.get(name) or default


class CompletenessFilterForm(FilterForm):
    """Filters of the completeness matrix; a bad value is reported and that filter ignored."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False,
                                  widget=FastSelect)
    period = forms.ChoiceField(label=pgettext_lazy("reporting", "Period"), required=False,
                               widget=FastSelect)
    state = forms.ChoiceField(label=_("State"), required=False, widget=FastSelect)
    kind = forms.ChoiceField(label=_("Agency kind"), required=False, widget=FastSelect)
    signature = forms.ChoiceField(
        label=_("Digital signature"),
        required=False,
        widget=FastSelect,
        choices=[
            ("", _("Signed or not")),
            ("unsigned", _("Submitted without a valid signature")),
            ("signed", _("Submitted with a valid signature")),
        ],
    )

    def __init__(self, *args, years, periods, states, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]
        self.fields["period"].choices = _blank(_("All periods")) + [
            (p.key, p.label) for p in periods
        ]
        self.fields["state"].choices = _blank(_("All states")) + list(states)
        self.fields["kind"].choices = _blank(_("All kinds")) + list(kinds)


class MyReportsFilterForm(FilterForm):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False,
                                  widget=FastSelect)
    state = forms.ChoiceField(label=_("State"), required=False, widget=FastSelect)

    def __init__(self, *args, years, states, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _blank(_("All years")) + [(y, str(y)) for y in years]
        self.fields["state"].choices = _blank(_("All states")) + list(states)
