"""Summary reports for leadership: the text a coordinator writes, and the files generated."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from plans.models import Plan
from plans.periods import make_period


class SummaryKind(models.TextChoices):
    PERIOD = "period", _("Period summary")
    ANNUAL = "annual", _("Annual report")
    PLAN = "plan", _("Plan document")


class SummaryFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", _("Word (docx)")
    XLSX = "xlsx", _("Excel (xlsx)")


class GenerationStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ReportDraft(models.Model):
    """What a coordinator writes into the summary report of a period before issuing it.

    The numbers of the report are computed; the introduction, the five parts of the
    evaluation, the signature block and, once issued, the document number and date are
    written by hand. An issued report keeps
    its text: every file generated afterwards carries the same words and number.
    """

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="report_drafts"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    period_code = models.CharField(pgettext_lazy("reporting", "period"), max_length=3)
    introduction = models.TextField(
        _("introduction"), blank=True, help_text=_("Replaces the standard opening paragraph.")
    )
    # Section II, "Đánh giá, kiến nghị", in the outline such reports follow; each part is
    # prefilled from the agencies' own reports (reports/evaluation.py) until written here.
    results = models.TextField(_("results achieved"), blank=True)
    shortcomings = models.TextField(_("shortcomings and their causes"), blank=True)
    lessons = models.TextField(_("lessons learned"), blank=True)
    next_tasks = models.TextField(_("tasks and solutions for the next period"), blank=True)
    proposals = models.TextField(_("proposals"), blank=True)
    # The report's own copy of its signature block, first taken from the issuer's signer.
    signer_authority = models.CharField(_("signing authority"), max_length=120, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=120, blank=True)
    signer_name = models.CharField(_("signer's name"), max_length=120, blank=True)
    number = models.CharField(_("document number"), max_length=60, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Bumped by every write; a form posted over an older version is refused.
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("summary report text")
        verbose_name_plural = _("summary report texts")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "year", "period_code"], name="report_draft_unique_per_period"
            ),
        ]

    def __str__(self):
        return f"{self.plan} – {self.year}-{self.period_code}"

    def get_absolute_url(self):
        return reverse("leadership:report", args=[self.plan_id, self.year, self.period_code])

    @property
    def is_issued(self):
        return self.issued_on is not None


def generated_report_path(instance, filename):
    # A folder per generated file: a retried generation writes the same name again.
    return f"reports/{instance.plan_id}/{instance.pk}/{filename}"


class GeneratedReport(models.Model):
    """A file rendered in the background: queued → running → done (with its file) or failed.

    The file is written only once fully rendered, so a failed generation leaves none. A
    generation whose worker died is queued again, at most ``GENERATION_MAX_ATTEMPTS`` times
    in all (``generation.recover_generations``).
    """

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="generated_reports"
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    period_code = models.CharField(pgettext_lazy("reporting", "period"), max_length=3, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=SummaryKind.choices)
    format = models.CharField(_("format"), max_length=5, choices=SummaryFormat.choices)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=GenerationStatus.choices,
        default=GenerationStatus.QUEUED,
    )
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(_("file"), upload_to=generated_report_path, blank=True)
    # An issued PDF is signed when its issuer has a signing key: ``file`` is then the signed
    # document, ``draft_file`` the same document unsigned (for coordinators only).
    draft_file = models.FileField(
        _("unsigned draft"), upload_to=generated_report_path, blank=True
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_by = models.CharField(_("signed by"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    number = models.CharField(
        _("document number"), max_length=60, blank=True, help_text=_("Blank for a draft.")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The background task now in charge, and how many times a worker has started on it.
    task_id = models.CharField(_("background task"), max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    class Meta:
        verbose_name = _("generated report")
        verbose_name_plural = _("generated reports")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["plan", "-created_at"])]

    def __str__(self):
        return f"{self.plan} – {self.period_key or self.kind} ({self.format})"

    @property
    def period_key(self):
        return f"{self.year}-{self.period_code}" if self.year and self.period_code else ""

    @property
    def period(self):
        """The reporting period of a summary (reads ``plan``); None for the plan document."""
        if not self.period_key:
            return None
        return make_period(self.year, self.period_code, due_day=self.plan.report_due_day)

    @property
    def is_signed(self):
        return self.signed_at is not None

    @property
    def is_finished(self):
        return self.status in (GenerationStatus.DONE, GenerationStatus.FAILED)
