from django.contrib import admin

from cchc_plans.admin_lists import LargeListMixin

from .models import SignatureCheck


@admin.register(SignatureCheck)
class SignatureCheckAdmin(LargeListMixin, admin.ModelAdmin):
    """Read only: checks are made by the services when a file is uploaded."""

    list_display = ["summary", "verdict", "signer", "signed_at", "content_type", "object_id",
                    "state", "checked_at"]
    list_filter = ["verdict", "state", "timestamped", "content_type"]
    search_fields = ["signer", "summary"]
    list_select_related = ["content_type"]
    date_hierarchy = "requested_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
