from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets

from agencies.models import Agency, AgencyGroup
from agencies.names import name_key
from cchc_plans.locking import FrozenError, StaleError
from cchc_plans.spreadsheets import (
    ImportRefused,
    PreloadedInstanceLoader,
    SafeSpreadsheetMixin,
    SpreadsheetError,
    clean_cell,
    split_names,
)
from plans.models import Plan

from .models import Assignment, AssignmentRole, Task
from .services import TaskImport, import_tasks
from .timeline import ScheduleKind, resolve_timeline

TEXT = widgets.CharWidget  # a blank cell is an empty text, never NULL
MAX_TASK_NUMBER = 32767  # the column is a small integer on every database


def whole_number(value):
    """The integer a cell holds ("3", "3.0", 3), or 0 when it holds anything else."""
    try:
        number = Decimal(str(value))
        return int(number) if number == number.to_integral_value() else 0
    except (InvalidOperation, ValueError, OverflowError):
        return 0


class PlanWidget(widgets.Widget):
    """Exports a plan as its document number, its decision number or its id."""

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value.document_number or value.decision_number or str(value.pk)


class AgencyDirectory:
    """Agencies and groups of the province, indexed once per file by code and names."""

    def __init__(self):
        self.agencies, self.dissolved = {}, {}
        for agency in Agency.objects.select_related("successor"):
            index = self.dissolved if agency.is_dissolved else self.agencies
            for key in (agency.code, agency.name, agency.short_name):
                if key:
                    index.setdefault(name_key(key), agency)
        self.groups = {}
        for group in AgencyGroup.objects.all():
            for wording in group.wordings():
                self.groups[name_key(wording)] = group
        self.members = {}

    def resolve(self, names):
        """(agencies, groups, problems) for the names of one cell."""
        agencies, groups, problems = [], [], []
        for name in names:
            key = name_key(name)
            if key in self.groups:
                groups.append(self.groups[key])
            elif key in self.agencies:
                agencies.append(self.agencies[key])
            elif key in self.dissolved:
                gone = self.dissolved[key]
                problems.append(
                    _("%(name)s has been dissolved; write its successor %(successor)s.")
                    % {"name": name, "successor": gone.current()}
                )
            else:
                problems.append(_("Unknown agency: %(names)s") % {"names": name})
        return agencies, groups, problems

    def members_of(self, group):
        if group.pk not in self.members:
            self.members[group.pk] = list(group.member_agencies())
        return self.members[group.pk]

    @staticmethod
    def render(assignments, groups, role):
        names = [g.name for g in groups] if role == AssignmentRole.LEAD else []
        names += [a.agency.name for a in assignments if a.role == role and not a.via_group_id]
        return "; ".join(names)


@dataclass
class ParsedRow:
    plan: Plan
    number: int
    leads: list | None
    lead_groups: list | None
    coordinators: list | None

    def agencies_key(self):
        if self.leads is None:
            return None
        return (
            frozenset(a.pk for a in self.leads),
            frozenset(g.pk for g in self.lead_groups),
            frozenset(a.pk for a in self.coordinators),
        )


def stored_agencies(tasks):
    """{task id: its direct leads, lead groups and coordinators} as ``ParsedRow.agencies_key``
    gives them, read as plain values (thousands of model instances cost more than the query)."""
    found = {task.pk: (set(), set(), set()) for task in tasks}
    if not found:
        return {}
    groups = Task.lead_groups.through.objects.filter(task_id__in=list(found))
    for task_id, group_id in groups.values_list("task_id", "agencygroup_id"):
        found[task_id][1].add(group_id)
    assignments = Assignment.objects.filter(task_id__in=list(found)).values_list(
        "task_id", "agency_id", "role", "via_group_id"
    )
    for task_id, agency_id, role, via_group_id in assignments:
        if role == AssignmentRole.COORDINATOR:
            found[task_id][2].add(agency_id)
        elif not via_group_id:
            found[task_id][0].add(agency_id)
    return {task_id: tuple(map(frozenset, sets)) for task_id, sets in found.items()}


class TaskResource(SafeSpreadsheetMixin, resources.ModelResource):
    plan = fields.Field(
        attribute="plan", column_name=gettext_lazy("plan"), widget=PlanWidget(), readonly=True
    )
    number = fields.Field(
        attribute="number", column_name=gettext_lazy("no."), widget=widgets.IntegerWidget(),
        readonly=True,
    )
    title = fields.Field(attribute="title", column_name=gettext_lazy("task"), widget=TEXT())
    forms = fields.Field(attribute="forms", column_name=gettext_lazy("forms"), widget=TEXT())
    lead = fields.Field(
        column_name=gettext_lazy("lead agencies"), dehydrate_method="dehydrate_lead"
    )
    coordinators = fields.Field(
        column_name=gettext_lazy("coordinating agencies"), dehydrate_method="dehydrate_coordinators"
    )
    timeline_text = fields.Field(
        attribute="timeline_text", column_name=gettext_lazy("timeline"), widget=TEXT()
    )
    expected_output = fields.Field(
        attribute="expected_output", column_name=gettext_lazy("expected output"), widget=TEXT()
    )
    notes = fields.Field(attribute="notes", column_name=gettext_lazy("notes"), widget=TEXT())

    required_columns = ("plan", "number", "title")
    clean_exclude = ("plan",)
    snapshot_fields = ("title", "forms", "timeline_text", "expected_output", "notes")

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
        use_bulk = True
        skip_diff = True
        instance_loader_class = PreloadedInstanceLoader

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("plan").prefetch_related(
            "lead_groups", "assignments__agency"
        )

    def dehydrate_lead(self, task):
        return AgencyDirectory.render(
            task.assignments.all(), task.lead_groups.all(), AssignmentRole.LEAD
        )

    def dehydrate_coordinators(self, task):
        return AgencyDirectory.render(task.assignments.all(), (), AssignmentRole.COORDINATOR)

    # Import: plans, agencies, groups and the plans' tasks are read once per file ------------

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        values = {clean_cell(value) for value in dataset[self.column("plan")]} - {""}
        condition = Q(document_number__in=values) | Q(decision_number__in=values)
        ids = [int(value) for value in values if value.isdigit()]
        if ids:
            condition |= Q(pk__in=ids)
        self.plans = {}
        for plan in Plan.objects.filter(condition) if values else ():
            for value in {plan.document_number, plan.decision_number, str(plan.pk)} & values:
                self.plans.setdefault(value, []).append(plan)
        found = {plan.pk: plan for plans in self.plans.values() for plan in plans}
        tasks = list(Task.objects.filter(plan__in=found)) if found else []
        self.stored = {}
        for task in tasks:
            task.plan = found[task.plan_id]
            self.stored[(task.plan_id, task.number)] = task
        self.stored_agencies = stored_agencies(tasks)
        self.directory = AgencyDirectory()
        self.agency_columns = self.column("lead") in dataset.headers
        self.schedules = {}
        self.seen = set()

    def match_headers(self, dataset):
        super().match_headers(dataset)
        given = [self.column(name) in dataset.headers for name in ("lead", "coordinators")]
        if any(given) and not all(given):
            raise SpreadsheetError(_(
                "The columns “%(lead)s” and “%(coordinators)s” go together: give both (a task's "
                "agencies are then replaced by the file's) or neither (they are kept)."
            ) % {"lead": self.column("lead"), "coordinators": self.column("coordinators")})

    def stored_instance(self, row):
        return self.stored.get((self.current.plan.pk, self.current.number))

    def init_instance(self, row=None):
        return Task(plan=self.current.plan, number=self.current.number)

    def snapshot(self, instance):
        return tuple(getattr(instance, name) for name in self.snapshot_fields), instance._agencies

    def after_init_instance(self, instance, new, row, **kwargs):
        instance._agencies = None if new else self.stored_agencies[instance.pk]
        super().after_init_instance(instance, new, row, **kwargs)
        if self.current.leads is not None:
            instance._agencies = self.current.agencies_key()

    def schedule(self, plan, text):
        key = (plan.period_start_year, plan.period_end_year, text)
        if key not in self.schedules:
            self.schedules[key] = resolve_timeline(
                text, year=plan.period_start_year, end_year=plan.period_end_year
            )
        return self.schedules[key]

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        self.current = None
        errors = {}
        plan_value = row.get(self.column("plan"))
        plans = self.plans.get(plan_value, [])
        plan = plans[0] if len(plans) == 1 else None
        if not plans:
            errors["plan"] = _("No plan has the number %(value)s.") % {"value": plan_value or "—"}
        elif len(plans) > 1:
            errors["plan"] = _(
                "%(count)s plans have the number %(value)s; write the plan's id instead (%(ids)s)."
            ) % {"count": len(plans), "value": plan_value,
                 "ids": ", ".join(str(p.pk) for p in plans)}
        number = whole_number(row.get(self.column("number")))
        if not 1 <= number <= MAX_TASK_NUMBER:
            errors["number"] = _("The task number must be a whole number from 1 to %(max)s.") % {
                "max": MAX_TASK_NUMBER
            }
        elif plan is not None:
            if (plan.pk, number) in self.seen:
                errors["number"] = _("Task %(number)s of this plan is on another row too.") % {
                    "number": number
                }
            self.seen.add((plan.pk, number))
        if not row.get(self.column("title")):
            errors["title"] = _("The task title is missing.")
        leads = lead_groups = coordinators = None
        if self.agency_columns:
            leads, lead_groups, problems = self.directory.resolve(
                split_names(row.get(self.column("lead")))
            )
            if problems:
                errors["lead"] = problems
            coordinators, coordinator_groups, problems = self.directory.resolve(
                split_names(row.get(self.column("coordinators")))
            )
            if problems:
                errors["coordinators"] = problems
            for group in coordinator_groups:
                coordinators.extend(self.directory.members_of(group))
        timeline = row.get(self.column("timeline_text"), "")
        stored = self.stored.get((plan.pk, number)) if plan else None
        # An empty timeline is left for a person to fill in, as on the task page; a phrase
        # typed on that page and flagged there may come back unchanged.
        if (
            plan is not None
            and timeline
            and self.schedule(plan, timeline).kind == ScheduleKind.UNKNOWN
            and not (stored and stored.timeline_text == timeline)
        ):
            errors["timeline_text"] = _(
                "The timeline “%(text)s” cannot be read; write e.g. “Quý I/2022”, "
                "“Trong năm 2022” or “Thường xuyên”."
            ) % {"text": timeline}
        if errors:
            raise ValidationError(errors)
        self.current = ParsedRow(plan, number, leads, lead_groups, coordinators)

    def check_instance(self, instance):
        # The rule of the task pages: an issued or closed plan's tasks are frozen.
        if not instance.plan.is_editable:
            raise ValidationError({"plan": _(
                "Plan %(plan)s has been issued: its key tasks are frozen. It must be reopened "
                "before this row can be imported."
            ) % {"plan": self.fields["plan"].widget.render(instance.plan)}})

    def pending_row(self, instance, row):
        current = self.current
        return TaskImport(
            task=instance, leads=current.leads, lead_groups=current.lead_groups,
            coordinators=current.coordinators,
        )

    def save_rows(self, rows, user=None):
        try:
            import_tasks(rows=rows, by=user)
        except FrozenError as error:
            raise ImportRefused(_(
                "Plan %(plan)s was issued while the file was being imported: nothing has been "
                "imported. Reopen the plan and import the file again."
            ) % {"plan": self.fields["plan"].widget.render(error.obj)}) from None
        except StaleError as error:
            raise ImportRefused(" ".join(error.messages)) from None


class AssignmentResource(SafeSpreadsheetMixin, resources.ModelResource):
    """Export only: an agency's work list as its officers see it (tasks:my_work)."""

    plan = fields.Field(attribute="task__plan", column_name=gettext_lazy("plan"),
                        widget=PlanWidget())
    number = fields.Field(attribute="task__number", column_name=gettext_lazy("no."),
                          widget=widgets.IntegerWidget(coerce_to_string=False))
    title = fields.Field(attribute="task__title", column_name=gettext_lazy("task"))
    role = fields.Field(column_name=gettext_lazy("role"), dehydrate_method="dehydrate_role")
    timeline = fields.Field(attribute="task__timeline_text", column_name=gettext_lazy("timeline"))
    due_date = fields.Field(attribute="task__due_date", column_name=gettext_lazy("due date"),
                            widget=widgets.DateWidget("%d/%m/%Y"))
    status = fields.Field(column_name=gettext_lazy("status"), dehydrate_method="dehydrate_status")
    percent = fields.Field(attribute="percent", column_name=gettext_lazy("progress (%)"),
                           widget=widgets.IntegerWidget(coerce_to_string=False))
    last_update = fields.Field(column_name=gettext_lazy("last update"),
                               dehydrate_method="dehydrate_last_update")

    class Meta:
        model = Assignment
        fields = ["plan", "number", "title", "role", "timeline", "due_date", "status",
                  "percent", "last_update"]

    def dehydrate_role(self, assignment):
        return assignment.get_role_display()

    def dehydrate_status(self, assignment):
        return assignment.get_status_display()

    def dehydrate_last_update(self, assignment):
        if assignment.last_update_at is None:
            return ""
        return timezone.localtime(assignment.last_update_at).strftime("%d/%m/%Y %H:%M")
