from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Max, Min
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from agencies.models import AgencyKind
from cchc_plans.admin_lists import BoundedRelatedFilter, LargeListMixin
from cchc_plans.admin_search import FoldedSearchMixin
from cchc_plans.admin_writes import ServiceWritesMixin

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
from .services import TransitionError, close_plan, delete_plan, issue_plan, reopen_plan, save_plan


class ProvincePlanFilter(BoundedRelatedFilter):
    """The provinces' own plans (those implementing none), newest first."""

    title = _("province's plan")

    def offered(self, model):
        return model.objects.filter(parent__isnull=True).order_by("-period_start_year", "-pk")


class ProvinceIssuerFilter(BoundedRelatedFilter):
    """The provinces' People's Committees as issuers."""

    title = _("issuing provincial People's Committee")

    def offered(self, model):
        return model.objects.filter(kind=AgencyKind.PROVINCE).order_by("name")


class FrozenWithPlanInline:
    """A part of a plan is read-only once the plan is issued, like the plan itself."""

    @staticmethod
    def plan_of(obj):
        return obj

    def _open(self, obj):
        return obj is None or self.plan_of(obj).is_editable

    def has_add_permission(self, request, obj=None):
        return self._open(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._open(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._open(obj) and super().has_delete_permission(request, obj)


class PartInline(FrozenWithPlanInline, admin.StackedInline):
    extra = 0
    classes = ["collapse"]


class LegalBasisInline(FrozenWithPlanInline, admin.TabularInline):
    model = LegalBasis
    extra = 0


class TargetInline(FrozenWithPlanInline, admin.TabularInline):
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
    """The plans in force in a year; for another model, the rows of those plans
    (``plan_path``: the path to the plan)."""

    title = _("year")
    parameter_name = "year"
    plan_path = ""

    def lookups(self, request, model_admin):
        # From the first plan's year to the last's (one aggregate, read from two indexes),
        # not the distinct periods of every plan.
        years = Plan.objects.aggregate(first=Min("period_start_year"), last=Max("period_end_year"))
        if years["first"] is None:
            return []
        return [(str(y), str(y)) for y in range(years["last"], years["first"] - 1, -1)]

    def queryset(self, request, queryset):
        value = self.value()
        if not value or not value.isdigit():
            return queryset
        if not self.plan_path:
            return queryset.for_year(int(value))
        return queryset.filter(**{f"{self.plan_path}__in": Plan.objects.for_year(int(value))})


class PlanYearFilter(YearFilter):
    plan_path = "plan"


@admin.register(Plan)
class PlanAdmin(LargeListMixin, ServiceWritesMixin, FoldedSearchMixin, SimpleHistoryAdmin):
    """Plans are written here only while they are drafts, through ``plans.services``; the
    status changes only with the issue, reopen and close actions (the same services as the
    plan pages)."""

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
        ("issuer", ProvinceIssuerFilter),
        ("issued_on", admin.DateFieldListFilter),
    ]
    list_select_related = ["issuer", "parent"]
    search_fields = ["title"]
    autocomplete_fields = ["issuer", "parent", "addressed_agencies"]
    filter_horizontal = ["audiences"]
    readonly_fields = ["status"]
    actions = ["issue", "reopen", "close"]
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
                    "loaded_version",
                    "parent",
                    "period_start_year",
                    "period_end_year",
                ]
            },
        ),
        (_("Document"), {"fields": ["document_number", "document_symbol", "issued_on", "place",
                                   "document_file"]}),
        (
            _("Issuing decision"),
            {
                "classes": ["collapse"],
                "fields": ["decision_number", "decision_symbol", "decision_date", "decision_title",
                           "decision_text"],
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

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.is_editable)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.is_editable)

    def has_issue_permission(self, request):
        return request.user.has_perm("plans.issue_plan")

    def save_model(self, request, obj, form, change):
        save_plan(plan=form.loaded_into_instance(), created_by=request.user)

    def delete_model(self, request, obj):
        delete_plan(plan=obj)

    def delete_queryset(self, request, queryset):
        for plan in queryset:
            try:
                delete_plan(plan=plan)
            except ValidationError as error:
                self.message_user(request, f"{plan}: {' '.join(error.messages)}", messages.ERROR)

    def _transition(self, request, queryset, service, done):
        changed = 0
        for plan in queryset:
            try:
                service(plan=plan)
            except TransitionError:
                self.message_user(
                    request,
                    _("%(plan)s: not possible while the plan is %(status)s.")
                    % {"plan": plan, "status": plan.get_status_display()},
                    messages.ERROR,
                )
            else:
                changed += 1
        if changed:
            self.message_user(request, done % {"count": changed}, messages.SUCCESS)

    @admin.action(description=_("Issue the selected draft plans"), permissions=["issue"])
    def issue(self, request, queryset):
        self._transition(request, queryset, issue_plan, _("%(count)d plans issued."))

    @admin.action(description=_("Reopen the selected plans as drafts"), permissions=["issue"])
    def reopen(self, request, queryset):
        self._transition(request, queryset, reopen_plan, _("%(count)d plans reopened."))

    @admin.action(description=_("Close the selected issued plans"), permissions=["issue"])
    def close(self, request, queryset):
        self._transition(request, queryset, close_plan, _("%(count)d plans closed."))

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
class ReminderAdmin(LargeListMixin, admin.ModelAdmin):
    """Read-only: a reminder is sent (mail, notification, escalation) from the submissions,
    completeness and task pages; one added here would be a record of a mail never sent."""

    list_display = ["plan", "agency", "topic", "sent_by", "sent_at", "notified"]
    list_select_related = ["plan", "agency", "sent_by"]
    list_filter = ["sent_at"]
    date_hierarchy = "sent_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
