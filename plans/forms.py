"""Forms of the plan pages. They validate and clean; plans.services writes."""


from django import forms
from django.db.models import Q
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agencies.models import Agency
from agencies.widgets import (
    AgencyChoiceField,
    AgencyMultipleChoiceField,
    limit_agencies,
    pickable_agencies,
    province_of,
)
from cchc_plans.fields import ModelMultipleChoiceField
from cchc_plans.uploads import PDF_OR_DOCX, clean_document, max_upload_mb

from .filters import PlanChoiceField
from .models import (
    AgencyDuty,
    Audience,
    BudgetLine,
    ContentArea,
    LegalBasis,
    OutlineNode,
    Plan,
    PlanChannel,
    PlanSection,
    PlanStatus,
    ReportingPeriodCode,
    Target,
)
from .outline_services import MAX_LEVEL

MIN_YEAR, MAX_YEAR = 1990, 2100
def date_input():
    # An ISO value is what <input type="date"> shows and sends back, whatever the locale.
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def textarea(rows):
    return forms.Textarea(attrs={"rows": rows})


def year_field(name):
    return forms.IntegerField(
        label=capfirst(Plan._meta.get_field(name).verbose_name),
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
    )


def plan_province(plan):
    """The province whose agencies a plan's forms pick: that of the plan's issuer."""
    return province_of(plan.issuer) if plan.issuer_id else None


def parent_choices(plan, province):
    """The plans ``plan`` may implement: the plans in force of ``province`` (issued: a draft
    is implemented by none yet, a closed plan by none any more; every province's when None),
    the plan itself left out and its present parent kept, newest first. A national
    installation has tens of thousands of plans: a dropdown of every one weighed 5 MB."""
    wanted = Q(status=PlanStatus.ISSUED)
    if province is not None:
        wanted &= Q(province=province)
    if plan.parent_id:
        wanted |= Q(pk=plan.parent_id)
    plans = Plan.objects.filter(wanted)
    if plan.pk:
        plans = plans.exclude(pk=plan.pk)
    return plans.order_by("-period_start_year", "title", "pk")


class VersionForm(forms.Form):
    """The plan version a section form was loaded from (see services.edit_plan_section)."""

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


# Sections made of the plan's own fields ----------------------------------------------------


class PlanHeaderForm(forms.ModelForm):
    period_start_year = year_field("period_start_year")
    period_end_year = year_field("period_end_year")

    # Agency officers editing their own agency's plan cannot move it to another issuer or
    # parent plan, nor address other agencies.
    COORDINATOR_ONLY = ["issuer", "parent", "addressed_agencies", "submission_deadline",
                        "submission_deadline_text"]

    class Meta:
        model = Plan
        fields = [
            "issuer",
            "document_number",
            "document_symbol",
            "issued_on",
            "issued_on_text",
            "place",
            "decision_number",
            "decision_symbol",
            "decision_date",
            "decision_title",
            "decision_text",
            "title",
            "period_start_year",
            "period_end_year",
            "parent",
            "addressed_agencies",
            "submission_deadline",
            "submission_deadline_text",
        ]
        field_classes = {
            "parent": PlanChoiceField,
            "issuer": AgencyChoiceField,
            "addressed_agencies": AgencyMultipleChoiceField,
        }
        widgets = {
            "issued_on": date_input(),
            "decision_date": date_input(),
            "submission_deadline": date_input(),
            "title": textarea(2),
            "decision_title": textarea(2),
            "decision_text": textarea(6),
        }

    def __init__(self, *args, coordinator=True, province=None, **kwargs):
        """``province``: whose agencies are picked; by default the province of the plan's
        issuer (a new plan: pass the user's)."""
        super().__init__(*args, **kwargs)
        plan = self.instance
        if not coordinator:
            for name in self.COORDINATOR_ONLY:
                del self.fields[name]
            return
        issuer = [plan.issuer] if plan.issuer_id else []
        addressed = list(plan.addressed_agencies.all()) if plan.pk else []
        if province is None:
            province = plan_province(plan)
        self.fields["issuer"].queryset = pickable_agencies(province, issuer)
        limit_agencies(self.fields["addressed_agencies"], province, addressed)
        self.fields["addressed_agencies"].required = False
        self.fields["parent"].queryset = parent_choices(plan, province)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start_year"), cleaned.get("period_end_year")
        if start and end and end < start:
            self.add_error("period_end_year", _("The last year cannot be before the first year."))
        parent, seen = cleaned.get("parent"), set()
        while parent is not None and self.instance.pk and parent.pk not in seen:
            if parent.pk == self.instance.pk:
                self.add_error("parent", _("A plan cannot implement itself or its own sub-plans."))
                break
            seen.add(parent.pk)
            parent = parent.parent
        return cleaned


class PlanPurposeForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["preamble", "objectives", "requirements", "audiences", "audience_text"]
        field_classes = {"audiences": ModelMultipleChoiceField}
        widgets = {
            "preamble": textarea(5),
            "objectives": textarea(8),
            "requirements": textarea(6),
            "audiences": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, coordinator=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audiences"].queryset = Audience.objects.all()


class PlanBudgetForm(forms.ModelForm):
    reporting_periods = forms.MultipleChoiceField(
        label=capfirst(Plan._meta.get_field("reporting_periods").verbose_name),
        choices=ReportingPeriodCode.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    report_due_day = forms.IntegerField(
        label=capfirst(Plan._meta.get_field("report_due_day").verbose_name),
        min_value=1,
        max_value=31,
        required=False,
    )

    class Meta:
        model = Plan
        fields = [
            "budget_text",
            "budget_amount",
            "reporting_regime",
            "reporting_periods",
            "report_due_day",
            "report_recipient",
        ]
        widgets = {"budget_text": textarea(5), "reporting_regime": textarea(4)}

    def __init__(self, *args, coordinator=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_amount"].help_text = _(
            "With budget lines below, the total of the lines replaces this amount; without "
            "lines, the amount typed here is kept."
        )

    def clean_budget_amount(self):
        amount = self.cleaned_data.get("budget_amount")
        if amount is not None and amount < 0:
            raise forms.ValidationError(_("The budget cannot be negative."))
        return amount

    def clean_reporting_periods(self):
        # Kept in the catalogue's order, whatever order the browser sent.
        chosen = set(self.cleaned_data.get("reporting_periods") or [])
        return [code for code in ReportingPeriodCode.values if code in chosen]


class PlanSignatureForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["signer_authority", "signer_title", "signer_name", "recipients",
                  "electronic_signature"]
        widgets = {"recipients": textarea(8)}

    def __init__(self, *args, coordinator=True, **kwargs):
        super().__init__(*args, **kwargs)


class PlanImplementationForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["key_activities", "appendix_title", "implementation"]
        widgets = {"implementation": textarea(5), "key_activities": textarea(3)}

    def __init__(self, *args, coordinator=True, **kwargs):
        super().__init__(*args, **kwargs)


class PlanChannelsIntroForm(PlanImplementationForm):
    class Meta:
        model = Plan
        fields = ["channels_intro"]
        widgets = {"channels_intro": textarea(3)}


# Sections made of ordered parts ------------------------------------------------------------


class PartFormSet(BaseInlineFormSet):
    """Rows that can be added, removed and put in order (the ORDER number)."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["ORDER"].label = _("Position")
        form.fields["ORDER"].widget.attrs.update({"min": 1, "class": "order"})
        form.fields["DELETE"].label = _("Remove this row")

    def rows(self):
        """The kept rows in their new order, as services.edit_plan_section takes them."""
        rows = []
        for form in self.ordered_forms:
            values = {name: form.cleaned_data.get(name) for name in form._meta.fields}
            if form.instance.pk:
                values["pk"] = form.instance.pk
            rows.append(values)
        return rows


class AgencyDutyFormSetBase(PartFormSet):
    """Each row's agencies are picked among those of the plan's province."""

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if not hasattr(self, "_province"):
            self._province = plan_province(self.instance)
        kwargs["province"] = self._province
        return kwargs


def part_formset(model, form_fields, widgets=None, form=forms.ModelForm, formset=PartFormSet):
    return inlineformset_factory(
        Plan,
        model,
        form=form,
        formset=formset,
        fields=form_fields,
        widgets=widgets or {},
        extra=1,
        can_delete=True,
        can_order=True,
    )


class AgencyDutyForm(forms.ModelForm):
    class Meta:
        model = AgencyDuty
        fields = ["heading", "agencies", "body"]
        field_classes = {"agencies": AgencyMultipleChoiceField}

    def __init__(self, *args, province=None, **kwargs):
        super().__init__(*args, **kwargs)
        named = list(self.instance.agencies.all()) if self.instance.pk else []
        limit_agencies(self.fields["agencies"], province, named)
        self.fields["agencies"].help_text = _(
            "The agencies this paragraph makes responsible, to find it from their side."
        )


LegalBasisFormSet = part_formset(LegalBasis, ["text"], {"text": textarea(2)})
TargetFormSet = part_formset(
    Target,
    [
        "indicator",
        "description",
        "unit",
        "baseline",
        "baseline_label",
        "target_value",
    ],
    {"description": textarea(2)},
)
ContentAreaFormSet = part_formset(
    ContentArea, ["heading", "audience", "pillar", "body"], {"body": textarea(6)}
)
PlanChannelFormSet = part_formset(
    PlanChannel, ["channel", "label", "heading", "body"], {"body": textarea(5)}
)
BudgetLineFormSet = part_formset(BudgetLine, ["source", "item", "amount"])
AgencyDutyFormSet = part_formset(
    AgencyDuty,
    ["heading", "agencies", "body"],
    {"body": textarea(5)},
    form=AgencyDutyForm,
    formset=AgencyDutyFormSetBase,
)

# What each section edits: a form over the plan's fields and/or a formset of its parts
# (with the plan's related name the parts hang from).
SECTION_FORMS = {
    PlanSection.HEADER: (PlanHeaderForm, None, None),
    PlanSection.PURPOSE: (PlanPurposeForm, None, None),
    PlanSection.LEGAL_BASES: (None, LegalBasisFormSet, "legal_bases"),
    PlanSection.TARGETS: (None, TargetFormSet, "targets"),
    PlanSection.CONTENT_AREAS: (None, ContentAreaFormSet, "content_areas"),
    PlanSection.CHANNELS: (PlanChannelsIntroForm, PlanChannelFormSet, "plan_channels"),
    PlanSection.DUTIES: (PlanImplementationForm, AgencyDutyFormSet, "duties"),
    PlanSection.BUDGET: (PlanBudgetForm, BudgetLineFormSet, "budget_lines"),
    PlanSection.SIGNATURE: (PlanSignatureForm, None, None),
}


def plan_form_values(form):
    """(fields, m2m) of a plan section form, as services.edit_plan_section takes them."""
    fields, m2m = {}, {}
    for name in form.fields:
        if name not in form._meta.fields:
            continue
        model_field = Plan._meta.get_field(name)
        target = m2m if model_field.many_to_many else fields
        target[name] = form.cleaned_data[name]
    return fields, m2m


# Agencies' own plans -----------------------------------------------------------------------


class AgencyPlanSubmissionForm(forms.Form):
    """An agency's own plan for a parent plan: its number, date and, if any, the signed file."""

    agency = AgencyChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    received_on = forms.DateField(label=_("Received on"), widget=date_input())
    title = forms.CharField(label=_("Title"), max_length=500, widget=textarea(2))
    document_number = forms.CharField(
        label=_("Document number"), max_length=60, help_text=_("e.g. 25/KH-STP")
    )
    issued_on = forms.DateField(label=_("Date of the document"), widget=date_input())
    document_file = forms.FileField(
        label=_("Signed document"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(PDF_OR_DOCX)}),
    )

    def __init__(self, *args, parent, agency=None, **kwargs):
        """``agency``: the officer's agency; None when a coordinator records for an agency."""
        super().__init__(*args, **kwargs)
        if agency is None:
            self.fields["agency"].queryset = parent.addressed_agencies.order_by("name")
            self.fields["agency"].refusal = _(
                "%(names)s cannot be picked here: the plan is not addressed to it."
            )
            self.fields["received_on"].initial = timezone.localdate
        else:
            del self.fields["agency"]
            del self.fields["received_on"]
        self.fields["title"].initial = parent.title
        self.fields["document_file"].help_text = _(
            "Optional. PDF or DOCX, at most %(size)s MB."
        ) % {"size": max_upload_mb()}

    def clean_issued_on(self):
        issued_on = self.cleaned_data["issued_on"]
        if issued_on > timezone.localdate():
            raise forms.ValidationError(_("The date of the document cannot be in the future."))
        return issued_on

    def clean_received_on(self):
        received_on = self.cleaned_data["received_on"]
        if received_on > timezone.localdate():
            raise forms.ValidationError(_("The date received cannot be in the future."))
        return received_on

    def clean_document_file(self):
        return clean_document(self.cleaned_data.get("document_file"), stem="ke-hoach")


# The outline, node by node ---------------------------------------------------------------


class OutlineNodeForm(forms.ModelForm):
    """A node's heading, numbering, paragraphs and style, and the part it writes."""

    class Meta:
        model = OutlineNode
        fields = [
            "numbering", "heading", "text", "level", "emphasis", "centered", "run_in",
            "attachment", "content_area", "plan_channel", "duty",
        ]
        widgets = {"heading": textarea(2), "text": textarea(8)}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].widget.attrs["max"] = MAX_LEVEL
        self.fields["content_area"].queryset = plan.content_areas.all()
        self.fields["plan_channel"].queryset = plan.plan_channels.all()
        self.fields["duty"].queryset = plan.duties.all()
        for name in ("content_area", "plan_channel", "duty"):
            self.fields[name].empty_label = _("(none)")

    def clean_level(self):
        level = self.cleaned_data["level"]
        if level > MAX_LEVEL:
            raise forms.ValidationError(
                _("A node is at most %(max)s levels below a section.") % {"max": MAX_LEVEL}
            )
        return level


class OutlineActionForm(forms.Form):
    """A button of the outline page: which node, what to do."""

    ACTIONS = ["up", "down", "indent", "outdent", "remove"]

    version = forms.IntegerField(min_value=0)
    action = forms.ChoiceField(choices=[(action, action) for action in ACTIONS])
    node = forms.IntegerField(min_value=1)


# Actuals of targets ------------------------------------------------------------------------


class TargetActualForm(forms.Form):
    """The actual of a target for one period and its source; ``plans.targets`` saves it."""

    period = forms.ChoiceField(label=pgettext_lazy("reporting", "Period"))
    value = forms.DecimalField(label=_("Actual"), max_digits=12, decimal_places=2)
    source = forms.CharField(
        label=_("Source"),
        max_length=500,
        help_text=_("Where the figure comes from, e.g. “PAR INDEX 2022 công bố ngày 16/5/2023”."),
    )
    source_url = forms.URLField(
        label=_("Link to the source"), max_length=500, required=False, assume_scheme="https"
    )

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(period.key, period.label) for period in periods]
