from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from agencies.admin import AgencyAdmin
from agencies.models import Agency
from cchc_plans.admin_lists import LargeListMixin
from cchc_plans.admin_search import FoldedSearchMixin
from cchc_plans.admin_writes import ServiceWritesMixin
from imports.admin import SpreadsheetAdminMixin
from plans.admin import FrozenWithPlanInline, PlanAdmin, PlanYearFilter, ProvincePlanFilter
from plans.models import Plan, PlanStatus

from .models import Assignment, CancellationProposal, Evidence, ProgressUpdate, Task, UpdateFigure
from .resources import TaskResource
from .services import (
    TaskHasProgressError,
    delete_task,
    dissolve_agency,
    fan_out_groups,
    plan_dissolution,
    refresh_task_status,
    save_task,
    schedule_task,
)

HAS_PROGRESS = _("Task %(number)d carries progress updates, which are never deleted: it is kept.")


@transaction.atomic
def delete_tasks(tasks):
    """Delete through the service; a task with progress refuses them all."""
    for task in tasks:
        try:
            delete_task(task=task)
        except TaskHasProgressError:
            raise ValidationError(HAS_PROGRESS % {"number": task.number}) from None


class TaskInline(FrozenWithPlanInline, admin.TabularInline):
    """The appendix table; each task's assignments and details open from its change link."""

    model = Task
    extra = 0
    show_change_link = True
    fields = ["number", "title", "forms", "lead_groups", "timeline_text", "due_date",
              "due_date_set_by_hand"]
    autocomplete_fields = ["lead_groups"]
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 40})},
    }


class PlanWithTasksAdmin(PlanAdmin):
    inlines = [*PlanAdmin.inlines, TaskInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not Task:
            return super().save_formset(request, form, formset, change)
        # The plan's row is locked by save_plan until the end of this transaction.
        formset.save(commit=False)
        delete_tasks(formset.deleted_objects)
        for task in [*formset.new_objects, *(task for task, _fields in formset.changed_objects)]:
            schedule_task(task=task)
        formset.save_m2m()
        for task in [*formset.new_objects, *(task for task, _fields in formset.changed_objects)]:
            fan_out_groups(task=task)


admin.site.unregister(Plan)
admin.site.register(Plan, PlanWithTasksAdmin)


class DissolveForm(forms.Form):
    successor = forms.ModelChoiceField(
        label=_("successor"), queryset=Agency.objects.active(),
        help_text=_("The agency that takes over the open assignments."),
    )
    on = forms.DateField(label=_("dissolved on"), initial=timezone.localdate)

    def __init__(self, *args, agency, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        successor = self.fields["successor"]
        successor.queryset = Agency.objects.active().exclude(pk=agency.pk)
        # Found by name as the agency form's successor is (any province's, after a merger),
        # not a list of every active agency of the country.
        successor.widget = AutocompleteSelect(Agency._meta.get_field("successor"), admin_site)
        successor.widget.choices = successor.choices
        successor.widget.is_required = True


class AgencyWithDissolutionAdmin(AgencyAdmin):
    """Dissolving moves open assignments, which belong to the tasks app: hence the view here."""

    readonly_fields = [*AgencyAdmin.readonly_fields, "dissolve_link"]
    fieldsets = [
        *AgencyAdmin.fieldsets[:-1],
        (_("Dissolution"), {"fields": ["dissolved_on", "successor", "dissolve_link"]}),
    ]

    def get_urls(self):
        return [
            path("<int:pk>/dissolve/", self.admin_site.admin_view(self.dissolve_view),
                 name="agencies_agency_dissolve"),
            *super().get_urls(),
        ]

    @admin.display(description=_("dissolve"))
    def dissolve_link(self, obj):
        if obj.pk is None or obj.is_dissolved:
            return "—"
        url = reverse("admin:agencies_agency_dissolve", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Dissolve and name a successor…"))

    def dissolve_view(self, request, pk):
        """Two steps: choose the successor, then confirm what will move and what will close
        (announced from ``plan_dissolution``, so that the result reports the same)."""
        agency = get_object_or_404(Agency, pk=pk)
        if not self.has_change_permission(request, agency):
            raise PermissionDenied
        if agency.is_dissolved:
            messages.error(request, _("This agency is already dissolved."))
            return redirect("admin:agencies_agency_change", agency.pk)
        form = DissolveForm(request.POST or None, agency=agency, admin_site=self.admin_site)
        preview = None
        if request.method == "POST" and form.is_valid():
            successor = form.cleaned_data["successor"]
            if "confirm" not in request.POST:
                preview = plan_dissolution(agency=agency, successor=successor)
            else:
                done = dissolve_agency(agency=agency, successor=successor,
                                       on=form.cleaned_data["on"])
                messages.success(request, dissolution_message(agency, done))
                return redirect("admin:agencies_agency_change", agency.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Dissolve %(agency)s") % {"agency": agency},
            "agency": agency,
            "form": form,
            "opts": self.opts,
            "open_assignments": agency.assignments.open().count(),
            "preview": preview,
        }
        return TemplateResponse(request, "admin/agencies/agency/dissolve.html", context)


def dissolution_message(agency, done):
    moved, closed = len(done.moving), len(done.closing)
    message = ngettext(
        "%(agency)s is dissolved; %(count)d open assignment moved to %(successor)s.",
        "%(agency)s is dissolved; %(count)d open assignments moved to %(successor)s.",
        moved,
    ) % {"agency": agency, "count": moved, "successor": done.successor}
    if closed:
        message += " " + ngettext(
            "%(count)d did not move but was closed, because %(successor)s already holds the "
            "same duty on that task (%(tasks)s).",
            "%(count)d did not move but were closed, because %(successor)s already holds the "
            "same duty on those tasks (%(tasks)s).",
            closed,
        ) % {"count": closed, "successor": done.successor,
             "tasks": task_list(done.closing)}
    return message


def task_list(assignments):
    return "; ".join(
        _("task %(number)d of %(plan)s") % {"number": a.task.number, "plan": a.task.plan.title}
        for a in assignments
    )


admin.site.unregister(Agency)
admin.site.register(Agency, AgencyWithDissolutionAdmin)


class AssignmentInline(FrozenWithPlanInline, admin.TabularInline):
    model = Assignment
    extra = 0
    fields = ["agency", "role", "via_group", "status", "percent", "last_update_at"]
    readonly_fields = ["via_group", "status", "percent", "last_update_at"]
    autocomplete_fields = ["agency"]

    @staticmethod
    def plan_of(task):
        return task.plan


@admin.register(Task)
class TaskAdmin(
    LargeListMixin,
    ServiceWritesMixin,
    FoldedSearchMixin,
    SpreadsheetAdminMixin,
    SimpleHistoryAdmin,
):
    """Tasks are written here only while their plan is a draft, through ``tasks.services``."""

    resource_classes = [TaskResource]
    list_display = [
        "number",
        "title_short",
        "plan",
        "timeline_text",
        "due_date",
        "status",
        "percent",
    ]
    list_display_links = ["number", "title_short"]
    list_filter = [
        "status",
        "schedule_kind",
        PlanYearFilter,
        ("plan", ProvincePlanFilter),
    ]
    list_select_related = ["plan"]
    search_fields = ["title", "plan__title"]
    autocomplete_fields = ["plan", "lead_groups"]
    readonly_fields = ["schedule_kind", "recurrence", "status", "percent"]
    inlines = [AssignmentInline]
    fields = [
        "plan",
        "number",
        "title",
        "forms",
        "assignment_text",
        "lead_groups",
        "timeline_text",
        "schedule_kind",
        "recurrence",
        "due_date",
        "due_date_set_by_hand",
        "expected_output",
        "budget_estimate",
        "notes",
        "status",
        "percent",
        "loaded_version",
    ]

    @admin.display(description=_("task"), ordering="title")
    def title_short(self, obj):
        return obj.title[:90]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or obj.plan.is_editable
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or obj.plan.is_editable
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "plan":
            kwargs["queryset"] = Plan.objects.filter(status=PlanStatus.DRAFT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        save_task(task=form.loaded_into_instance())

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        task = form.instance
        fan_out_groups(task=task)
        refresh_task_status(task=task)

    def delete_model(self, request, obj):
        delete_tasks([obj])

    def delete_queryset(self, request, queryset):
        delete_tasks(queryset.select_related("plan"))


class FigureInline(admin.TabularInline):
    model = UpdateFigure
    extra = 0


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(LargeListMixin, admin.ModelAdmin):
    """Read-only: the progress history is append-only and written through the web pages."""

    list_display = ["assignment", "status", "percent", "author", "created_at"]
    list_select_related = ["assignment__agency", "assignment__task", "author"]
    # A date filter rather than a date hierarchy, whose years are a scan of every update.
    list_filter = ["status", "assignment__agency__kind", "created_at"]
    inlines = [FigureInline, EvidenceInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CancellationProposal)
class CancellationProposalAdmin(LargeListMixin, admin.ModelAdmin):
    """Read-only: proposed by agencies and decided by coordinators on the task page."""

    list_display = ["assignment", "status", "proposed_by", "proposed_at", "decided_by"]
    list_select_related = ["assignment__agency", "assignment__task", "proposed_by", "decided_by"]
    list_filter = ["status"]
    date_hierarchy = "proposed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
