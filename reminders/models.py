"""What the daily reminders sent: one row per item and step (its event key), the mails to
agency heads, who often have no account, and the days the daily run was started."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency


class Dispatch(models.Model):
    """One item (an assignment, a checkpoint, a report, an agency plan) reminded at one step
    ("due in 7 days", "overdue", "escalated after 15 days"): never sent twice."""

    event_key = models.CharField(_("event"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=40)
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), null=True, on_delete=models.CASCADE, related_name="+"
    )
    due_date = models.DateField(_("due date"), null=True)
    day = models.DateField(_("sent on"))
    recipients = models.PositiveSmallIntegerField(_("users notified"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["-day", "pk"]
        indexes = [models.Index(fields=["due_date"]), models.Index(fields=["kind", "day"])]

    def __str__(self):
        return self.event_key


class HeadMail(models.Model):
    """A mail to an agency's head about its work still late (escalation), rendered when it
    is decided and sent by the worker; the head may have no user account."""

    event_key = models.CharField(_("event"), max_length=200, unique=True)
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="head_mails"
    )
    email = models.EmailField(_("e-mail"))
    name = models.CharField(_("name"), max_length=250, blank=True)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    body_html = models.TextField(_("HTML text"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("mail to an agency's head")
        verbose_name_plural = _("mails to agencies' heads")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.email}: {self.subject}"


class DailyRun(models.Model):
    """The daily run of one day, claimed by the first worker that reaches it."""

    day = models.DateField(_("day"), unique=True)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        verbose_name = _("daily reminder run")
        verbose_name_plural = _("daily reminder runs")
        ordering = ["-day"]

    def __str__(self):
        return self.day.strftime("%d/%m/%Y")
