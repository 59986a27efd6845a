from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from agencies.models import Agency
from agencies.provinces import ProvinceQuerySet, province_field, save_with_province
from plans.models import Measure, Plan
from plans.periods import make_period
from tasks.models import Assignment, Status


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned for changes")


EDITABLE_STATUSES = (ReportStatus.DRAFT, ReportStatus.RETURNED)


class Completeness(models.TextChoices):
    """What the completeness matrix shows for one agency and one period."""

    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")
    MISSING = "missing", _("Missing")
    RETURNED = "returned", _("Returned")
    DRAFT = "draft", _("Draft, not submitted")
    NOT_DUE = "not_due", _("Not due yet")


class AgencyReport(models.Model):
    """An agency's periodic report on a plan: figures, task states and narrative."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="agency_reports"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="periodic_reports"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    period_code = models.CharField(pgettext_lazy("reporting", "period"), max_length=3)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    results = models.TextField(_("results"), blank=True)
    shortcomings = models.TextField(_("shortcomings and their causes"), blank=True)
    lessons = models.TextField(_("lessons learned"), blank=True)
    next_tasks = models.TextField(_("tasks and solutions for the next period"), blank=True)
    proposals = models.TextField(_("proposals"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # The report as the agency signed it (a PDF): checked for its signatures on upload; a
    # valid one signed before the submission counts as submitted at its signing time.
    signed_copy = models.FileField(_("signed copy"), upload_to="periodic/%Y/", blank=True)
    signature_checks = GenericRelation("signatures.SignatureCheck")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    return_comment = models.TextField(_("coordinator's comment"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Bumped by every write; a form posted with an older version was overtaken by another.
    version = models.PositiveIntegerField(_("version"), default=1)
    province = province_field(indexed=False)
    history = HistoricalRecords(table_name="reports_historicalagencyreport")

    objects = ProvinceQuerySet.as_manager()
    province_source = "plan"

    class Meta:
        verbose_name = _("agency periodic report")
        verbose_name_plural = _("agency periodic reports")
        # The table keeps the name it had when these models lived in ``reports``.
        db_table = "reports_agencyreport"
        ordering = ["-year", "period_code", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "agency", "year", "period_code"],
                name="agency_report_unique_per_period",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "status"]),
            # This ordering (the admin's list), and the years of its year filter.
            models.Index(
                models.F("year").desc(), "period_code", "id", name="agency_report_order_idx"
            ),
            models.Index(fields=["province", "year", "period_code"], name="report_province_period"),
        ]

    def __str__(self):
        return f"{self.agency} – {self.period.label}"

    def save(self, *args, **kwargs):
        save_with_province(self, super().save, *args, **kwargs)

    @property
    def period(self):
        """The reporting period, with its cut-off and due date (reads ``plan``)."""
        return make_period(self.year, self.period_code, due_day=self.plan.report_due_day)

    @property
    def is_editable(self):
        """Only drafts and returned reports can be changed by their agency."""
        return self.status in EDITABLE_STATUSES

    def timeliness(self, period=None):
        """On time or late, by the last submission against the due date; None if never sent."""
        if self.submitted_at is None:
            return None
        period = period or self.period
        if timezone.localdate(self.submitted_at) > period.due:
            return Completeness.LATE
        return Completeness.ON_TIME

    def completeness(self, period=None):
        """On time, late, returned or draft, as the completeness matrix shows it."""
        if self.status == ReportStatus.RETURNED:
            return Completeness.RETURNED
        if self.status == ReportStatus.DRAFT or self.submitted_at is None:
            return Completeness.DRAFT
        return self.timeliness(period)


class AgencyReportFigure(models.Model):
    report = models.ForeignKey(AgencyReport, on_delete=models.CASCADE, related_name="figures")
    measure = models.ForeignKey(Measure, verbose_name=_("measure"), on_delete=models.PROTECT)
    value = models.PositiveIntegerField(_("value"))

    class Meta:
        db_table = "reports_agencyreportfigure"
        verbose_name = _("report figure")
        verbose_name_plural = _("report figures")
        constraints = [
            models.UniqueConstraint(fields=["report", "measure"], name="report_figure_unique"),
        ]

    def __str__(self):
        return f"{self.measure}: {self.value}"


class AgencyReportTaskState(models.Model):
    """How one of the agency's assignments stood when the report was written."""

    report = models.ForeignKey(AgencyReport, on_delete=models.CASCADE, related_name="task_states")
    assignment = models.ForeignKey(
        Assignment, verbose_name=_("assignment"), on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        db_table = "reports_agencyreporttaskstate"
        verbose_name = _("task state")
        verbose_name_plural = _("task states")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "assignment"], name="report_task_state_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(percent__lte=100), name="report_task_percent_max_100"
            ),
        ]

    def __str__(self):
        return f"{self.assignment}: {self.get_status_display()}"
