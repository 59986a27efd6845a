"""A coordinator's reminder (đôn đốc) as the pages send it: the form with its optional
message, and what the page says afterwards. The submissions page, the completeness matrix
of periodic reports and the task page share them; the work is ``services.remind``."""

from django import forms
from django.contrib import messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .services import REMIND_AGAIN_AFTER

MESSAGE_MAX_CHARS = 2000


class ReminderForm(forms.Form):
    message = forms.CharField(
        label=_("Message (optional)"),
        required=False,
        max_length=MESSAGE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2, "aria-label": _("Message (optional)")}),
    )


def show_result(request, result):
    """Say who was reminded, who was not again (reminded within the hour), who has no user."""
    if result.sent:
        messages.success(request, ngettext(
            "Reminded %(count)s agency: its officers were notified.",
            "Reminded %(count)s agencies: their officers were notified.",
            len(result.sent),
        ) % {"count": len(result.sent)})
    for agency, reminder in result.refused:
        messages.error(request, _(
            "%(agency)s was already reminded of this at %(time)s by %(name)s: a new reminder "
            "can be sent from %(again)s."
        ) % {
            "agency": agency.display_name,
            "time": timezone.localtime(reminder.sent_at).strftime("%d/%m/%Y %H:%M"),
            "name": reminder.sent_by or "—",
            "again": timezone.localtime(reminder.sent_at + REMIND_AGAIN_AFTER).strftime("%H:%M"),
        })
    if result.unreached:
        messages.warning(request, _(
            "No active user account at %(names)s: the reminder is recorded but nobody there "
            "was notified."
        ) % {"names": ", ".join(agency.display_name for agency in result.unreached)})
