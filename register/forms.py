from django import forms
from django.utils.translation import gettext_lazy as _


class EntryForm(forms.Form):
    """The clerk's columns of a register line; the number, date and subject never change."""

    recipients = forms.CharField(
        label=_("Recipients"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line."),
    )
    kept_by = forms.CharField(label=_("Copy kept by"), max_length=255, required=False)
    copies = forms.IntegerField(label=_("Copies"), min_value=1, max_value=9999)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
