from django.contrib import admin
from django.db.models import Max, Min
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from cchc_plans.admin_lists import LargeListMixin
from plans.admin import ProvincePlanFilter
from plans.models import ReportingPeriodCode
from plans.periods import ALL_CODES

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


class ReportYearFilter(admin.SimpleListFilter):
    """The years from the first report's to the last's: two ends of an index, where a list
    of the distinct years reads every report."""

    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = AgencyReport.objects.aggregate(first=Min("year"), last=Max("year"))
        if years["first"] is None:
            return []
        return [(str(y), str(y)) for y in range(years["last"], years["first"] - 1, -1)]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(year=int(value)) if value and value.isdigit() else queryset


class PeriodCodeFilter(admin.SimpleListFilter):
    """Every period code a plan may ask for, without reading the reports."""

    title = pgettext_lazy("reporting", "period")
    parameter_name = "period_code"

    def lookups(self, request, model_admin):
        labels = dict(ReportingPeriodCode.choices)
        return [(code, labels.get(code, code)) for code in ALL_CODES]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(period_code=value) if value in ALL_CODES else queryset


@admin.register(AgencyReport)
class AgencyReportAdmin(LargeListMixin, SimpleHistoryAdmin):
    """Read-mostly: agencies write reports and coordinators review them in the app."""

    list_display = ["agency", "plan", "year", "period_code", "status", "submitted_at"]
    list_filter = [
        "status",
        ReportYearFilter,
        PeriodCodeFilter,
        "agency__kind",
        ("plan", ProvincePlanFilter),
        ("submitted_at", admin.DateFieldListFilter),
    ]
    list_select_related = ["agency", "plan"]
    search_fields = ["agency__name", "agency__code", "plan__title"]
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
