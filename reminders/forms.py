from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.widgets import pickable_agencies
from cchc_plans.widgets import FastSelect
from notifications.kinds import Kind

# The kinds the daily run sends (the manual reminders are shown on their rows).
SENT_KINDS = [
    Kind.ASSIGNMENT_DUE, Kind.ASSIGNMENT_OVERDUE, Kind.CHECKPOINT_DUE, Kind.CHECKPOINT_OVERDUE,
    Kind.REPORT_DUE, Kind.AGENCY_PLAN_DUE, Kind.ESCALATION, Kind.COORDINATOR_DIGEST,
]


class SentFilterForm(forms.Form):
    """The filters of the reminders sent; every field may be left empty."""

    day_from = forms.DateField(label=_("Sent from"), required=False,
                               widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}))
    day_to = forms.DateField(label=_("to"), required=False,
                             widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}))
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=None, required=False,
                                    empty_label=_("All agencies"), widget=FastSelect)
    kind = forms.ChoiceField(label=_("Kind"), required=False, widget=FastSelect)

    def __init__(self, *args, province=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = pickable_agencies(province)
        self.fields["kind"].choices = [("", _("All kinds"))] + [
            (kind.value, kind.label) for kind in SENT_KINDS
        ]

    def clean(self):
        data = super().clean()
        start, end = data.get("day_from"), data.get("day_to")
        if start and end and start > end:
            self.add_error("day_to", _("The end of the period is before its start."))
        return data
