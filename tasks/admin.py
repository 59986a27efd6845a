from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from cchc_plans.admin_search import FoldedSearchMixin
from plans.admin import PlanAdmin
from plans.models import Plan

from .models import Assignment, Evidence, ProgressUpdate, Task, UpdateFigure
from .resources import TaskResource
from .services import fan_out_groups, refresh_task_status, schedule_task


class TaskInline(admin.TabularInline):
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
        super().save_formset(request, form, formset, change)
        if formset.model is Task:
            for task_form in formset.forms:
                task = task_form.instance
                if task.pk and task_form.has_changed() and task not in formset.deleted_objects:
                    schedule_task(task=task)
                    fan_out_groups(task=task)


admin.site.unregister(Plan)
admin.site.register(Plan, PlanWithTasksAdmin)


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    fields = ["agency", "role", "via_group", "status", "percent", "last_update_at"]
    readonly_fields = ["via_group", "status", "percent", "last_update_at"]
    autocomplete_fields = ["agency"]


@admin.register(Task)
class TaskAdmin(FoldedSearchMixin, ImportExportMixin, SimpleHistoryAdmin):
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
        "plan__period_start_year",
        ("plan", admin.RelatedOnlyFieldListFilter),
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
    ]

    @admin.display(description=_("task"), ordering="title")
    def title_short(self, obj):
        return obj.title[:90]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        task = form.instance
        schedule_task(task=task)
        fan_out_groups(task=task)
        refresh_task_status(task=task)


class FigureInline(admin.TabularInline):
    model = UpdateFigure
    extra = 0


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(admin.ModelAdmin):
    """Read-only: the progress history is append-only and written through the web pages."""

    list_display = ["assignment", "status", "percent", "author", "created_at"]
    list_select_related = ["assignment__agency", "assignment__task", "author"]
    list_filter = ["status", "assignment__agency__kind"]
    date_hierarchy = "created_at"
    inlines = [FigureInline, EvidenceInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
