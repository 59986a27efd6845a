from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets

from agencies.models import Agency, AgencyGroup
from cchc_plans.search import fold
from cchc_plans.spreadsheets import SafeSpreadsheetMixin, split_names
from plans.models import Plan

from .models import AssignmentRole, Task
from .services import schedule_task, set_task_agencies
from .timeline import ScheduleKind, resolve_timeline


class PlanWidget(widgets.ForeignKeyWidget):
    """A plan named by its document number, its decision number or its id."""

    def __init__(self):
        super().__init__(Plan)

    def clean(self, value, row=None, **kwargs):
        if not value:
            return None
        value = str(value).strip()
        condition = Q(document_number=value) | Q(decision_number=value)
        if value.isdigit():
            condition |= Q(pk=int(value))
        plans = list(Plan.objects.filter(condition)[:2])
        if len(plans) != 1:
            return None
        return plans[0]

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value.document_number or value.decision_number or str(value.pk)


class AgencyDirectory:
    """Agencies and groups of the province, indexed once per file by code and folded names."""

    def __init__(self):
        self.agencies = {}
        for agency in Agency.objects.active():
            for key in (agency.code, agency.name, agency.short_name):
                if key:
                    self.agencies.setdefault(fold(key), agency)
        self.groups = {}
        for group in AgencyGroup.objects.all():
            for wording in group.wordings():
                self.groups[fold(wording)] = group

    def resolve(self, names):
        agencies, groups, unknown = [], [], []
        for name in names:
            key = fold(name)
            if key in self.groups:
                groups.append(self.groups[key])
            elif key in self.agencies:
                agencies.append(self.agencies[key])
            else:
                unknown.append(name)
        return agencies, groups, unknown

    @staticmethod
    def render(assignments, groups, role):
        names = [g.name for g in groups] if role == AssignmentRole.LEAD else []
        names += [a.agency.name for a in assignments if a.role == role and not a.via_group_id]
        return "; ".join(names)


class TaskResource(SafeSpreadsheetMixin, resources.ModelResource):
    plan = fields.Field(attribute="plan", column_name=gettext_lazy("plan"), widget=PlanWidget())
    number = fields.Field(
        attribute="number", column_name=gettext_lazy("no."), widget=widgets.IntegerWidget()
    )
    title = fields.Field(attribute="title", column_name=gettext_lazy("task"))
    forms = fields.Field(attribute="forms", column_name=gettext_lazy("forms"))
    lead = fields.Field(
        column_name=gettext_lazy("lead agencies"), dehydrate_method="dehydrate_lead"
    )
    coordinators = fields.Field(
        column_name=gettext_lazy("coordinating agencies"), dehydrate_method="dehydrate_coordinators"
    )
    timeline_text = fields.Field(attribute="timeline_text", column_name=gettext_lazy("timeline"))
    expected_output = fields.Field(
        attribute="expected_output", column_name=gettext_lazy("expected output")
    )
    notes = fields.Field(attribute="notes", column_name=gettext_lazy("notes"))

    class Meta:
        model = Task
        import_id_fields = ["plan", "number"]
        fields = [
            "plan",
            "number",
            "title",
            "forms",
            "lead",
            "coordinators",
            "timeline_text",
            "expected_output",
            "notes",
        ]
        clean_model_instances = True

    def get_export_queryset(self, request=None, **kwargs):
        return Task.objects.select_related("plan").prefetch_related(
            "lead_groups", "assignments__agency"
        )

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.directory = AgencyDirectory()
        self.parsed = {}

    def column(self, name):
        return str(self.fields[name].column_name)

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        errors = {}
        plan_value = row.get(self.column("plan"))
        plan = self.fields["plan"].widget.clean(plan_value)
        if plan is None:
            errors["plan"] = _("No plan has the number %(value)s.") % {"value": plan_value or "—"}
        number = str(row.get(self.column("number")) or "").strip()
        if not number.isdigit() or int(number) < 1:
            errors["number"] = _("The task number must be a whole number from 1.")
        if not str(row.get(self.column("title")) or "").strip():
            errors["title"] = _("The task title is missing.")
        leads, lead_groups, unknown_leads = self.directory.resolve(
            split_names(row.get(self.column("lead")))
        )
        coordinators, coordinator_groups, unknown_coordinators = self.directory.resolve(
            split_names(row.get(self.column("coordinators")))
        )
        for group in coordinator_groups:
            coordinators.extend(group.member_agencies())
        if unknown_leads:
            errors["lead"] = _("Unknown agency: %(names)s") % {"names": ", ".join(unknown_leads)}
        if unknown_coordinators:
            errors["coordinators"] = _("Unknown agency: %(names)s") % {
                "names": ", ".join(unknown_coordinators)
            }
        timeline = str(row.get(self.column("timeline_text")) or "").strip()
        if plan is not None:
            schedule = resolve_timeline(
                timeline, year=plan.period_start_year, end_year=plan.period_end_year
            )
            if schedule.kind == ScheduleKind.UNKNOWN:
                errors["timeline_text"] = _(
                    "The timeline “%(text)s” cannot be read; write e.g. “Quý I/2022”, "
                    "“Trong năm 2022” or “Thường xuyên”."
                ) % {"text": timeline}
        if errors:
            raise ValidationError(errors)
        self.parsed[kwargs.get("row_number")] = (leads, lead_groups, coordinators)

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        if kwargs.get("dry_run") and not kwargs.get("using_transactions"):
            return
        leads, lead_groups, coordinators = self.parsed.pop(kwargs.get("row_number"))
        schedule_task(task=instance)
        set_task_agencies(
            task=instance, leads=leads, lead_groups=lead_groups, coordinators=coordinators
        )

    def dehydrate_lead(self, task):
        return AgencyDirectory.render(
            task.assignments.all(), task.lead_groups.all(), AssignmentRole.LEAD
        )

    def dehydrate_coordinators(self, task):
        return AgencyDirectory.render(task.assignments.all(), (), AssignmentRole.COORDINATOR)
