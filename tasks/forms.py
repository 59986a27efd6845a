from pathlib import PurePath

import filetype
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import Agency, AgencyGroup
from agencies.widgets import (
    AgencyMultipleChoiceField,
    GroupMultipleChoiceField,
    limit_agencies,
    pickable_groups,
)
from cchc_plans.fields import integer_field_for
from cchc_plans.files import check_office_package, shorten_name
from plans.models import Measure

from .models import AssignmentRole, CancellationProposal, Evidence, Status, UpdateFigure

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Extension → (content type stored and served, what filetype may recognise the bytes as,
# folder the Office Open XML package must hold: filetype often sees a docx as a plain zip).
EVIDENCE_TYPES = {
    "pdf": ("application/pdf", {"application/pdf"}, None),
    "jpg": ("image/jpeg", {"image/jpeg"}, None),
    "jpeg": ("image/jpeg", {"image/jpeg"}, None),
    "png": ("image/png", {"image/png"}, None),
    "docx": (DOCX, {"application/zip", DOCX}, "word/"),
    "xlsx": (XLSX, {"application/zip", XLSX}, "xl/"),
}


def check_evidence_file(upload):
    """Return the content type of an allowed evidence file, or raise naming the file.

    The bytes decide, not the name: a text file called "report.pdf" is refused. A name too
    long for a disk is shortened, keeping its extension.
    """
    upload.name = shorten_name(upload.name)
    name = upload.name
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("“%(name)s” is %(size)s; a file may be at most %(max)s.")
            % {
                "name": name,
                "size": filesizeformat(upload.size),
                "max": filesizeformat(settings.EVIDENCE_MAX_BYTES),
            }
        )
    extension = PurePath(name).suffix.lower().lstrip(".")
    if extension not in EVIDENCE_TYPES:
        raise ValidationError(
            _("“%(name)s”: only PDF, DOCX, XLSX, JPG and PNG files are accepted.") % {"name": name}
        )
    content_type, recognised, folder = EVIDENCE_TYPES[extension]
    upload.seek(0)
    kind = filetype.guess(upload.read(8192))
    upload.seek(0)
    valid = kind is not None and kind.mime in recognised
    if valid and folder:
        valid = check_office_package(upload, folder)
    if not valid:
        raise ValidationError(
            _("“%(name)s” is not a real %(kind)s file (its content does not match its name).")
            % {"name": name, "kind": extension.upper()}
        )
    return content_type


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list of (upload, content type) pairs."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else [data] if data else []
        checked, errors = [], []
        for upload in uploads:
            try:
                upload = super().clean(upload, initial)
                checked.append((upload, check_evidence_file(upload)))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return checked


class ProgressUpdateForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=Status.choices)
    percent = forms.IntegerField(
        label=gettext_lazy("Progress (%)"),
        min_value=0,
        max_value=100,
        help_text=gettext_lazy("“Done” counts as 100 %."),
    )
    narrative = forms.CharField(
        label=gettext_lazy("What was done"),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    files = MultipleFileField(
        label=gettext_lazy("Evidence files"),
        required=False,
        help_text=gettext_lazy("PDF, DOCX, XLSX, JPG or PNG, at most %(max)s each."),
    )
    links = forms.CharField(
        label=gettext_lazy("Links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One web address (http or https) per line."),
    )

    def __init__(self, *args, measures=(), channels=(), may_cancel=True, **kwargs):
        """``channels``: the ids of the channels the task uses, whose figures come first."""
        super().__init__(*args, **kwargs)
        self.channels = set(channels)
        if not may_cancel:
            # An agency proposes a cancellation instead (CancellationProposalForm).
            self.fields["status"].choices = [
                choice for choice in Status.choices if choice[0] != Status.CANCELLED
            ]
        self.fields["files"].help_text = self.fields["files"].help_text % {
            "max": filesizeformat(settings.EVIDENCE_MAX_BYTES)
        }
        self.fields["files"].widget.attrs["accept"] = ",".join(
            f".{extension}" for extension in EVIDENCE_TYPES
        )
        self.measures = list(measures)
        for measure in self.measures:
            self.fields[self.figure_field(measure)] = integer_field_for(
                UpdateFigure._meta.get_field("value"),
                label=measure.name,
                required=False,
                help_text=measure.unit,
            )

    @staticmethod
    def figure_field(measure):
        return f"figure_{measure.pk}"

    def figure_groups(self):
        """Figure fields grouped by channel, in the catalogue's order."""
        groups = {}
        for measure in self.measures:
            groups.setdefault(measure.channel, []).append(self[self.figure_field(measure)])
        return list(groups.items())

    def task_figure_groups(self):
        """The groups of the task's own channels (all of them when it names none)."""
        groups = self.figure_groups()
        if not self.channels:
            return groups
        return [(channel, fields) for channel, fields in groups if channel.pk in self.channels]

    def other_figure_groups(self):
        """The other channels' groups, shown folded."""
        if not self.channels:
            return []
        return [
            (channel, fields)
            for channel, fields in self.figure_groups()
            if channel.pk not in self.channels
        ]

    def other_figures_given(self):
        """Unfold the other channels when one of their fields holds a value or an error."""
        return any(
            field.errors or field.value() not in (None, "")
            for _channel, fields in self.other_figure_groups()
            for field in fields
        )

    def clean_links(self):
        validate = URLValidator(schemes=["http", "https"])
        max_length = Evidence._meta.get_field("link").max_length
        links, errors = [], []
        for line in self.cleaned_data["links"].splitlines():
            link = line.strip()
            if not link:
                continue
            try:
                if len(link) > max_length:
                    raise ValidationError("too long")
                validate(link)
            except ValidationError:
                errors.append(
                    _("“%(link)s” is not a web address starting with http:// or https://.")
                    % {"link": link[:100]}
                )
            else:
                links.append(link)
        if errors:
            raise ValidationError(errors)
        return links

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Status.DONE:
            cleaned["percent"] = 100
        return cleaned

    def figures(self):
        """Measure → value for the figures filled in; a blank counts as 0."""
        return {
            measure: self.cleaned_data.get(self.figure_field(measure)) or 0
            for measure in self.measures
        }


class CancellationProposalForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why should this task be cancelled?"),
        max_length=CancellationProposal.REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("The coordinators read it and decide; it stays in the task's "
                               "history."),
    )


class CancellationDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("confirm", "confirm"), ("reject", "reject")])
    comment = forms.CharField(
        label=gettext_lazy("Comment"), required=False,
        max_length=CancellationProposal.REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def measures_for_update_form():
    return Measure.objects.select_related("channel").order_by(
        "channel__position", "channel__name", "position", "name"
    )


class TaskForm(forms.Form):
    """A key task as the coordinator types it. Agencies and groups are picked with the agency
    picker (agencies/widgets.py), among those of the plan's province."""

    field_order = [
        "title",
        "forms",
        "assignment_text",
        "leads",
        "lead_groups",
        "coordinators",
        "timeline_text",
        "due_date",
        "expected_output",
        "budget_estimate",
        "notes",
        "version",
    ]

    title = forms.CharField(label=gettext_lazy("Task"), widget=forms.Textarea(attrs={"rows": 3}))
    assignment_text = forms.CharField(
        label=gettext_lazy("Assignment as written"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("The plan's own wording of who leads and who coordinates."),
    )
    leads = AgencyMultipleChoiceField(
        label=gettext_lazy("Lead agencies"),
        queryset=Agency.objects.none(),
        required=False,
    )
    lead_groups = GroupMultipleChoiceField(
        label=gettext_lazy("Lead groups"),
        queryset=AgencyGroup.objects.none(),
        required=False,
        help_text=gettext_lazy("Every member agency of a group gets its own assignment."),
    )
    coordinators = AgencyMultipleChoiceField(
        label=gettext_lazy("Coordinating agencies"),
        queryset=Agency.objects.none(),
        required=False,
    )
    timeline_text = forms.CharField(
        label=gettext_lazy("Timeline"),
        required=False,
        max_length=255,
        help_text=gettext_lazy("As written in the plan, e.g. “Quý II/2022” or “Thường xuyên”."),
    )
    due_date = forms.DateField(
        label=gettext_lazy("Due date set by hand"),
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(
            attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "size": 10},
            format="%d/%m/%Y",
        ),
        help_text=gettext_lazy("Only when the timeline gives no date, e.g. “Theo tiến độ…”."),
    )
    expected_output = forms.CharField(
        label=gettext_lazy("Expected output"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    budget_estimate = forms.DecimalField(
        label=gettext_lazy("Budget estimate (VND)"),
        required=False,
        min_value=0,
        max_digits=18,
        decimal_places=0,
        widget=forms.NumberInput(attrs={"min": 0, "step": 1, "inputmode": "numeric"}),
    )
    notes = forms.CharField(
        label=gettext_lazy("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Declared last: from here on the name "forms" is this field, not the django.forms module.
    forms = forms.CharField(
        label=gettext_lazy("Forms"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One form per line, as written."),
    )

    def __init__(self, *args, province=None, **kwargs):
        """``province``: the plan's province, whose agencies and groups may be picked."""
        super().__init__(*args, **kwargs)
        limit_agencies(self.fields["leads"], province)
        limit_agencies(self.fields["coordinators"], province)
        self.fields["lead_groups"].queryset = pickable_groups(province)

    @classmethod
    def initial_for(cls, task):
        """The form's initial data for an existing task."""
        assignments = [a for a in task.assignments.all() if a.via_group_id is None]
        return {
            "title": task.title,
            "forms": task.forms,
            "assignment_text": task.assignment_text,
            "leads": [a.agency_id for a in assignments if a.role == AssignmentRole.LEAD],
            "lead_groups": [g.pk for g in task.lead_groups.all()],
            "coordinators": [
                a.agency_id for a in assignments if a.role == AssignmentRole.COORDINATOR
            ],
            "timeline_text": task.timeline_text,
            "due_date": task.due_date if task.due_date_set_by_hand else None,
            "expected_output": task.expected_output,
            "budget_estimate": task.budget_estimate,
            "notes": task.notes,
            "version": task.version,
        }

    def clean(self):
        cleaned = super().clean()
        both = set(cleaned.get("leads") or ()) & set(cleaned.get("coordinators") or ())
        if both:
            self.add_error(
                "coordinators",
                _("An agency cannot both lead and coordinate: %(names)s.")
                % {"names": ", ".join(sorted(a.name for a in both))},
            )
        return cleaned

    def service_arguments(self):
        """The keyword arguments of tasks.services.create_task/update_task."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "forms": data["forms"],
            "assignment_text": data["assignment_text"],
            "timeline_text": data["timeline_text"],
            "due_date": data["due_date"],
            "expected_output": data["expected_output"],
            "budget_estimate": data["budget_estimate"],
            "notes": data["notes"],
            "leads": list(data["leads"]),
            "lead_groups": list(data["lead_groups"]),
            "coordinators": list(data["coordinators"]),
        }


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])
