from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cchc_plans.admin_lists import LargeListMixin
from plans.admin import ProvincePlanFilter

from .models import AgencyReport, AgencyReportFigure, AgencyReportTaskState


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class FigureInline(ReadOnlyInline):
    model = AgencyReportFigure
    fields = ["measure", "value"]
    readonly_fields = fields


class TaskStateInline(ReadOnlyInline):
    model = AgencyReportTaskState
    fields = ["assignment", "status", "percent", "note"]
    readonly_fields = fields


@admin.register(AgencyReport)
class AgencyReportAdmin(LargeListMixin, SimpleHistoryAdmin):
    """Read-mostly: agencies write reports and coordinators review them in the app."""

    list_display = ["agency", "plan", "year", "period_code", "status", "submitted_at"]
    list_filter = [
        "status",
        "year",
        "period_code",
        "agency__kind",
        ("plan", ProvincePlanFilter),
    ]
    list_select_related = ["agency", "plan"]
    search_fields = ["agency__name", "agency__code", "plan__title"]
    date_hierarchy = "submitted_at"
    inlines = [FigureInline, TaskStateInline]
    readonly_fields = [
        "plan",
        "agency",
        "year",
        "period_code",
        "status",
        "results",
        "shortcomings",
        "lessons",
        "next_tasks",
        "proposals",
        "submitted_at",
        "submitted_by",
        "reviewed_at",
        "reviewed_by",
        "return_comment",
        "created_by",
        "created_at",
        "updated_at",
        "version",
    ]

    def has_add_permission(self, request):
        return False

    # Reports are written by their agencies and reviewed by coordinators, in the app only.
    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
