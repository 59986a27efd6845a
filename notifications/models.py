"""The inbox: one ``Notification`` per recipient and event, and each user's choices of what also
comes by e-mail (``NotificationSetting``; the row without a user holds the administrator's
defaults)."""

from django.conf import settings
from django.db import models
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .kinds import Kind


class Mail(models.TextChoices):
    """How a notification goes by e-mail, decided from the recipient's settings when it is
    created."""

    NONE = "none", _("not by e-mail")
    SINGLE = "single", _("one e-mail")
    DIGEST = "digest", _("in the daily digest")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    # What happened, once: the same recipient is never notified twice of the same key
    # ("report-returned:<report id>:<version>").
    event_key = models.CharField(_("event"), max_length=200)
    url = models.CharField(_("link"), max_length=500)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    body_html = models.TextField(_("HTML text"), blank=True)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sender"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    mail = models.CharField(_("by e-mail"), max_length=10, choices=Mail.choices,
                            default=Mail.SINGLE)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    # A sender claims the mail before sending it (so that two never send it), and counts tries.
    email_claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    email_attempts = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "event_key"], name="notification_once_per_event"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"],
                         name="notification_inbox"),
            models.Index(fields=["mail", "emailed_at"], name="notification_unmailed"),
        ]

    def __str__(self):
        return self.subject

    @property
    def is_read(self):
        return self.read_at is not None


class NotificationSetting(models.Model):
    """A user's choices; the one row without a user holds the defaults the administrator set
    for every user who has not chosen."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="notification_setting",
        help_text=_("Empty: the defaults for every user who has not chosen."),
    )
    # Kinds that come in the application only (a list of Kind values); every other kind also
    # comes by e-mail.
    no_email_kinds = models.JSONField(_("kinds not sent by e-mail"), default=list, blank=True)
    daily_digest = models.BooleanField(
        _("one daily digest instead of single e-mails"), default=False,
    )

    class Meta:
        verbose_name = _("notification setting")
        verbose_name_plural = _("notification settings")
        constraints = [
            # One row per user, and one row of defaults (no user).
            models.UniqueConstraint(Coalesce("user", Value(0)), name="notification_setting_once"),
        ]

    def __str__(self):
        return str(self.user) if self.user_id else str(_("Defaults for every user"))

    def mail_for(self, kind):
        """How a notification of ``kind`` goes by e-mail under these choices."""
        if kind in self.no_email_kinds:
            return Mail.NONE
        return Mail.DIGEST if self.daily_digest else Mail.SINGLE
