from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import services
from .kinds import Kind
from .models import Notification, NotificationSetting


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """What was notified to whom, and whether its e-mail went: read only."""

    list_display = ["subject", "recipient", "kind", "created_at", "read_at", "mail", "emailed_at"]
    list_filter = ["kind", "mail", ("read_at", admin.EmptyFieldListFilter),
                   ("emailed_at", admin.EmptyFieldListFilter)]
    list_select_related = ["recipient"]
    search_fields = ["subject", "recipient__username", "event_key"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class NotificationSettingForm(forms.ModelForm):
    no_email_kinds = forms.MultipleChoiceField(
        label=_("Kinds not sent by e-mail"), choices=Kind.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Ticked kinds stay in the inbox only."),
    )

    class Meta:
        model = NotificationSetting
        fields = ["user", "no_email_kinds", "daily_digest"]


@admin.register(NotificationSetting)
class NotificationSettingAdmin(admin.ModelAdmin):
    """The row without a user holds the defaults of every user who has not chosen."""

    form = NotificationSettingForm
    list_display = ["__str__", "daily_digest"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    search_fields = ["user__username"]

    def get_readonly_fields(self, request, obj=None):
        # A row is one user's choices (or the defaults): it is not moved to another user.
        return ["user"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        saved = services.save_setting(
            obj.user, no_email_kinds=form.cleaned_data["no_email_kinds"],
            daily_digest=form.cleaned_data["daily_digest"],
        )
        obj.pk = saved.pk
