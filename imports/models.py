import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A job whose worker has not reported for this long has died (its transaction rolled back).
STALE_AFTER = datetime.timedelta(minutes=10)


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to be checked")
    CHECKING = "checking", _("Checking the rows")
    CHECKED = "checked", _("Checked: ready to import")
    REJECTED = "rejected", _("Not importable")
    CONFIRMED = "confirmed", _("Waiting to be imported")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed: nothing imported")
    CANCELLED = "cancelled", _("Cancelled")


RUNNING = (ImportStatus.QUEUED, ImportStatus.CHECKING, ImportStatus.CONFIRMED,
           ImportStatus.IMPORTING)
WORKING = (ImportStatus.CHECKING, ImportStatus.IMPORTING)
FINISHED = (ImportStatus.REJECTED, ImportStatus.DONE, ImportStatus.FAILED,
            ImportStatus.CANCELLED)


class ImportJob(models.Model):
    """One uploaded spreadsheet on its way: checked (the preview), then, once its user
    confirms, imported, both by the background worker for a big file."""

    resource = models.CharField(_("resource"), max_length=200, editable=False,
                                help_text=_("The import/export resource class that reads it."))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"),
                             on_delete=models.PROTECT, related_name="+")
    language = models.CharField(_("language"), max_length=10, default="vi")
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    format = models.CharField(_("format"), max_length=4)
    status = models.CharField(_("status"), max_length=12, choices=ImportStatus.choices,
                              default=ImportStatus.QUEUED)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    new = models.PositiveIntegerField(_("new"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    problems = models.JSONField(_("bad rows"), default=list, blank=True,
                                help_text=_("Every bad row: its line and reasons."))
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("spreadsheet import")
        verbose_name_plural = _("spreadsheet imports")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "resource", "-created_at"])]

    def __str__(self):
        return self.original_name

    @property
    def is_running(self):
        return self.status in RUNNING

    @property
    def is_stale(self):
        """Being worked on, but its worker stopped reporting (killed, or its machine down)."""
        return (
            self.status in WORKING
            and self.heartbeat_at is not None
            and timezone.now() - self.heartbeat_at > STALE_AFTER
        )

    @property
    def percent(self):
        return round(100 * self.rows_done / self.rows_total) if self.rows_total else 0
