from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from agencies.widgets import pickable_agencies
from cchc_plans.widgets import FastSelect
from plans.filters import PlanChoiceField
from plans.forms import parent_choices
from plans.models import Plan

from .reading import MAX_BYTES


class AgencyPlanImportForm(forms.Form):
    """An officer's own agency plan: the file or its text; issuer and parent are the page's."""

    file = forms.FileField(
        label=_("Plan file"), required=False,
        help_text=_("A Word file (.docx) or a PDF with a text layer, at most 20 MB."),
    )
    text = forms.CharField(
        label=_("Or paste the plan's text"), required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def clean(self):
        cleaned = super().clean()
        upload, text = cleaned.get("file"), (cleaned.get("text") or "").strip()
        if not upload and not text:
            raise forms.ValidationError(_("Choose a file or paste the plan's text."))
        if upload and upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return cleaned

    def content(self):
        """(bytes, file name) of the upload, or of the pasted text."""
        upload = self.cleaned_data.get("file")
        if upload:
            return upload.read(), upload.name
        return self.cleaned_data["text"].encode("utf-8"), "ke-hoach.txt"


class PlanImportForm(AgencyPlanImportForm):
    """A coordinator's import: the issuer (else read from the header) and the parent plan."""

    issuer = forms.ModelChoiceField(
        label=_("Issuing agency"), required=False, queryset=Agency.objects.none(),
        widget=FastSelect, help_text=_("Empty: read from the document's header."),
    )
    parent = PlanChoiceField(
        label=_("Implements plan"), required=False, queryset=Plan.objects.none(),
    )

    def __init__(self, *args, province, **kwargs):
        """``province``: the coordinator's (None: every province's, for a national user),
        whose active agencies issue and whose plans in force are implemented; a national
        installation's every agency and plan would be a page of megabytes."""
        super().__init__(*args, **kwargs)
        self.fields["issuer"].queryset = pickable_agencies(province)
        self.fields["parent"].queryset = parent_choices(Plan(), province)
