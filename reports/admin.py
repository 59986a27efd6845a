from django.contrib import admin

from .models import GeneratedReport, ReportDraft


@admin.register(GeneratedReport)
class GeneratedReportAdmin(admin.ModelAdmin):
    """Generated files are listed for follow-up (a stuck or failed generation); never edited."""

    list_display = ["plan", "year", "period_code", "kind", "format", "status", "requested_by",
                    "created_at", "finished_at"]
    list_select_related = ["plan", "requested_by"]
    list_filter = ["status", "kind", "format", "year"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReportDraft)
class ReportDraftAdmin(admin.ModelAdmin):
    list_display = ["__str__"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
