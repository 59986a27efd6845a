from django.contrib import admin

from . import services
from .models import IssuerSigner


@admin.register(IssuerSigner)
class IssuerSignerAdmin(admin.ModelAdmin):
    list_display = ["agency", "authority", "title", "name", "updated_at"]
    list_select_related = ["agency"]
    search_fields = ["agency__name", "name"]
    autocomplete_fields = ["agency"]
    fields = ["agency", "authority", "title", "name"]

    def save_model(self, request, obj, form, change):
        # The same write as the signer page: whitespace tidied, version raised, who and when.
        saved = services.save_signer(
            agency=obj.agency,
            user=request.user,
            authority=obj.authority,
            title=obj.title,
            name=obj.name,
        )
        obj.pk, obj.version = saved.pk, saved.version
