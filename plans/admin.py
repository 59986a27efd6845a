from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from cchc_plans.admin_search import FoldedSearchMixin

from .models import (
    AgencyDuty,
    Audience,
    Channel,
    ContentArea,
    LegalBasis,
    Measure,
    Plan,
    PlanChannel,
    Reminder,
    Target,
)


class PartInline(admin.StackedInline):
    extra = 0
    classes = ["collapse"]


class LegalBasisInline(admin.TabularInline):
    model = LegalBasis
    extra = 0


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0


class ContentAreaInline(PartInline):
    model = ContentArea


class PlanChannelInline(PartInline):
    model = PlanChannel
    autocomplete_fields = ["channel"]


class AgencyDutyInline(PartInline):
    model = AgencyDuty
    autocomplete_fields = ["agencies"]


class YearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = Plan.objects.values_list("period_start_year", "period_end_year")
        covered = sorted({y for start, end in years for y in range(start, end + 1)}, reverse=True)
        return [(str(y), str(y)) for y in covered]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.for_year(int(self.value()))
        return queryset


@admin.register(Plan)
class PlanAdmin(FoldedSearchMixin, SimpleHistoryAdmin):
    list_display = [
        "title",
        "issuer",
        "document_number",
        "decision_number",
        "period_label",
        "status",
        "parent",
    ]
    list_filter = [
        YearFilter,
        "status",
        "issuer__kind",
        ("issuer", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["issuer", "parent"]
    search_fields = ["title"]
    autocomplete_fields = ["issuer", "parent", "addressed_agencies"]
    filter_horizontal = ["audiences"]
    date_hierarchy = "issued_on"
    inlines = [
        LegalBasisInline,
        TargetInline,
        ContentAreaInline,
        PlanChannelInline,
        AgencyDutyInline,
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "issuer",
                    "title",
                    "status",
                    "parent",
                    "period_start_year",
                    "period_end_year",
                ]
            },
        ),
        (_("Document"), {"fields": ["document_number", "issued_on", "place", "document_file"]}),
        (
            _("Issuing decision"),
            {
                "classes": ["collapse"],
                "fields": ["decision_number", "decision_date", "decision_title", "decision_text"],
            },
        ),
        (_("Purpose"), {"fields": ["preamble", "objectives", "requirements", "audiences"]}),
        (_("Implementation"), {"fields": ["implementation", "budget_text", "budget_amount"]}),
        (
            _("Reporting"),
            {
                "fields": [
                    "reporting_regime",
                    "reporting_periods",
                    "report_due_day",
                    "report_recipient",
                ]
            },
        ),
        (
            _("Agency plans"),
            {
                "fields": [
                    "addressed_agencies",
                    "submission_deadline",
                    "submission_deadline_text",
                    "submitted_at",
                ]
            },
        ),
        (
            _("Signature and recipients"),
            {"fields": ["signer_authority", "signer_title", "signer_name", "recipients"]},
        ),
    ]

    def save_model(self, request, obj, form, change):
        if change:
            # A web form loaded before this save must not overwrite it silently.
            obj.version += 1
        else:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("period"), ordering="period_start_year")
    def period_label(self, obj):
        return obj.period_label


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "is_online", "position"]
    list_editable = ["position"]
    search_fields = ["name", "code"]


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "channel", "position"]
    list_select_related = ["channel"]
    list_filter = ["channel"]
    search_fields = ["name", "code"]


@admin.register(Audience)
class AudienceAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "position"]
    search_fields = ["name"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["plan", "agency", "sent_by", "sent_at"]
    list_select_related = ["plan", "agency", "sent_by"]
    list_filter = ["sent_at"]
    date_hierarchy = "sent_at"

    def has_change_permission(self, request, obj=None):
        return False
