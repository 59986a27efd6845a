from axes.utils import reset as reset_login_failures
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from cchc_plans.admin_lists import LargeListMixin
from cchc_plans.admin_search import FoldedSearchMixin
from imports.admin import SpreadsheetAdminMixin

from . import services
from .models import Agency, AgencyGroup, AgencyKind, User
from .resources import AgencyResource


@admin.register(Agency)
class AgencyAdmin(LargeListMixin, FoldedSearchMixin, SpreadsheetAdminMixin, SimpleHistoryAdmin):
    resource_classes = [AgencyResource]
    list_display = ["name", "short_name", "code", "kind", "parent", "dissolved_on", "successor"]
    list_filter = ["kind", ("dissolved_on", admin.EmptyFieldListFilter)]
    list_select_related = ["parent", "successor"]
    search_fields = ["name"]
    autocomplete_fields = ["parent", "successor"]
    readonly_fields = ["dissolved_on", "successor"]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "code", "kind", "parent"]}),
        (_("Contact"), {"fields": ["email", "phone", "address", "contact_person"]}),
        (_("Head of the agency"), {"fields": ["head_name", "head_title", "head_email"]}),
        (_("Dissolution"), {"fields": ["dissolved_on", "successor"]}),
    ]

    def save_model(self, request, obj, form, change):
        services.save_agency(agency=obj)

    def get_search_results(self, request, queryset, search_term):
        """A successor is found among the agencies still active (the dissolve page's name
        search): a dissolved one would be refused by the form."""
        queryset, may_have_duplicates = super().get_search_results(
            request, queryset, search_term
        )
        if (request.GET.get("model_name"), request.GET.get("field_name")) == (
            "agency", "successor"
        ) and request.path.endswith("/autocomplete/"):
            queryset = queryset.filter(dissolved_on__isnull=True)
        return queryset, may_have_duplicates


@admin.register(AgencyGroup)
class AgencyGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "scope"]
    list_select_related = ["scope"]
    search_fields = ["name"]
    autocomplete_fields = ["members", "scope"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A group's province among the provinces and top agencies (those without a parent),
        # not among every agency of the country.
        if db_field.name == "province":
            kwargs["queryset"] = Agency.objects.filter(
                Q(kind=AgencyKind.PROVINCE) | Q(parent__isnull=True)
            ).order_by("name")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    actions = ["unlock_login"]
    list_display = ["username", "first_name", "last_name", "role", "agency", "is_active"]
    list_filter = ["role", "is_active", "agency__kind"]
    list_select_related = ["agency"]
    autocomplete_fields = ["agency"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Agency and role"), {"fields": ["agency", "role", "job_title", "language"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        (_("Agency and role"), {"fields": ["agency", "role"]}),
    ]

    @admin.action(description=_("Unlock login after failed attempts"), permissions=["change"])
    def unlock_login(self, request, queryset):
        cleared = sum(reset_login_failures(username=user.username) for user in queryset)
        self.message_user(
            request, _("Login unlocked; %(count)d failed attempts cleared.") % {"count": cleared},
            messages.SUCCESS,
        )
