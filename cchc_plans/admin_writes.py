"""What every admin that writes tracked data shares: the version a form was loaded at, and the
services' refusals shown as messages.

An admin's ``save_model``/``delete_model`` call the app's services, which lock the rows and
refuse a frozen or stale write (``cchc_plans.locking``) with a ``ValidationError``. The change
form's transaction is then rolled back and the page shows the service's message instead of an
error page.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect


class VersionedAdminForm(forms.ModelForm):
    """The version the form was loaded at goes back with it (list ``loaded_version`` among the
    admin's fields): the service refuses a save over a newer one."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["loaded_version"].initial = self.instance.version

    def loaded_into_instance(self):
        """The instance, carrying the version it was loaded at (as the services expect)."""
        if self.instance.pk is not None:
            self.instance.version = self.cleaned_data.get("loaded_version")
        return self.instance


class ServiceWritesMixin:
    form = VersionedAdminForm

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            return self._refused(request, error)

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except ValidationError as error:  # an action (e.g. deleting the selected) refused
            return self._refused(request, error)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as error:
            return self._refused(request, error)

    def _refused(self, request, error):
        for message in error.messages:
            self.message_user(request, message, messages.ERROR)
        return redirect(request.path)
