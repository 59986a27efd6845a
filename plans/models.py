import datetime
import re
import unicodedata

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator, add_truncation_text
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agencies.models import Agency
from agencies.provinces import (
    ProvinceQuerySet,
    copy_plan_provinces,
    province_field,
    save_with_province,
)
from cchc_plans.search import fold, folded_filter

# The outline's models live in their own module; importing them here registers them.
from .outline import (  # noqa: F401
    Attachment,
    Emphasis,
    OutlineNode,
    OutlinePart,
    OutlineSource,
)
from .periods import make_period

CHOICE_TITLE_CHARS = 70


class Pillar(models.TextChoices):
    """The six CCHC pillars of Resolution 76/NQ-CP, plus direction and management."""

    DIRECTION = "direction", _("Direction and management")
    INSTITUTIONS = "institutions", _("Institutional reform")
    PROCEDURES = "procedures", _("Administrative procedure reform")
    ORGANISATION = "organisation", _("Organisational apparatus reform")
    CIVIL_SERVICE = "civil_service", _("Civil service reform")
    PUBLIC_FINANCE = "public_finance", _("Public finance reform")
    DIGITAL_GOVERNMENT = "digital_government", _("E-government and digital government")


class Audience(models.Model):
    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=255)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class Channel(models.Model):
    """A form of communication from the reference catalogue (press, portal, conferences…)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=255)
    is_online = models.BooleanField(
        _("online channel"),
        default=False,
        help_text=_("Portal, social media and screens count as online; the rest as traditional."),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class Measure(models.Model):
    """A figure reported per channel: news items, participants, leaflets…"""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=255)
    unit = models.CharField(_("unit"), max_length=50)
    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), on_delete=models.PROTECT, related_name="measures"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["position", "name"]

    def __str__(self):
        return f"{self.name} ({self.unit})"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")
    CLOSED = "closed", _("Closed")


class ReportingPeriodCode(models.TextChoices):
    Q1 = "Q1", _("First quarter")
    H1 = "H1", _("Six months")
    M9 = "M9", _("Nine months")
    YEAR = "Y", _("Year")
    QUARTERLY = "quarterly", _("Every quarter")
    MONTHLY = "monthly", _("Every month")
    ON_REQUEST = "on_request", _("On request")


class PlanSection(models.TextChoices):
    """The parts of a plan edited one at a time in the browser."""

    HEADER = "header", _("Header, title and period")
    PURPOSE = "purpose", _("Objectives, requirements and audiences")
    LEGAL_BASES = "legal_bases", _("Legal bases")
    TARGETS = "targets", _("Targets")
    CONTENT_AREAS = "content_areas", _("Content areas")
    CHANNELS = "channels", _("Channels")
    DUTIES = "duties", _("Agency duties")
    BUDGET = "budget", _("Budget and reporting")
    SIGNATURE = "signature", _("Signature and recipients")


class ChangeReason(models.TextChoices):
    """Why a history record was written; section edits use "section:<PlanSection>"."""

    CREATED = "created", _("Plan created")
    ISSUED = "issued", _("Plan issued")
    REOPENED = "reopened", _("Plan reopened for editing")
    CLOSED = "closed", _("Plan closed")
    SUBMITTED = "submitted", _("Agency plan submitted")
    SIGNED = "signed", _("Counted as submitted at its signing time")
    ACTUAL = "target_actual", _("Actual of a target recorded")


class SubmissionState(models.TextChoices):
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")
    PENDING = "pending", _("Not yet due")
    MISSING = "missing", _("Missing")


# The order submissions are listed in, everywhere: who is missing first.
SUBMISSION_ORDER = [
    SubmissionState.MISSING,
    SubmissionState.PENDING,
    SubmissionState.LATE,
    SubmissionState.ON_TIME,
]


def submission_state(submitted_at, deadline, today=None):
    """State of an agency's own plan against the parent plan's deadline (local dates).

    Submitted on or before the deadline day: on time; after it: late. Not submitted:
    missing once the deadline has passed, pending before it or when there is no deadline.
    """
    if submitted_at is not None:
        if deadline and timezone.localdate(submitted_at) > deadline:
            return SubmissionState.LATE
        return SubmissionState.ON_TIME
    today = today or timezone.localdate()
    if deadline is None or deadline >= today:
        return SubmissionState.PENDING
    return SubmissionState.MISSING


def budget_total(amounts, typed):
    """A plan's budget estimate: the sum of its budget lines when it has any, else the total
    typed by hand (plans written before budget lines, or without a breakdown)."""
    amounts = list(amounts)
    return sum(amounts) if amounts else typed


def format_vnd(amount):
    """1234567 -> "1.234.567 đ", the way Vietnamese documents write money."""
    if amount is None:
        return ""
    return f"{int(amount):,} đ".replace(",", ".")


class PlanQuerySet(ProvinceQuerySet):
    def search(self, query):
        return self.filter(folded_filter("search_text", query))

    def for_year(self, year):
        return self.filter(period_start_year__lte=year, period_end_year__gte=year)


# The plan list's order of plans within a year (plans.selectors.PLAN_ORDER): the latest
# issued first, undated ones last. A COALESCE rather than NULLS LAST, which SQLite's indexes
# refuse.
ISSUED_UNDATED_LAST = Coalesce("issued_on", models.Value(datetime.date.min))


# What a plan's dropdown label is made of (plans.filters.PlanChoiceField reads only these).
CHOICE_FIELDS = ("pk", "title", "document_number", "decision_number")


_COMBINING = re.compile(r"[\u0300-\u036f\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def _cut(text, length):
    """``Truncator(text).chars(length)``, without its walk over every character of a title
    that has no combining mark (a dropdown of hundreds of plans cuts hundreds of titles)."""
    text = unicodedata.normalize("NFC", text)
    if len(text) <= length:
        return text
    if _COMBINING.search(text):
        return Truncator(text).chars(length)
    return add_truncation_text(text[: length - 1])


def choice_label(title, document_number, decision_number):
    """A plan in a dropdown: its number first, so that a cut-off title still tells it apart
    ("286/KH-UBND · Kế hoạch tuyên truyền cải cách hành chính tỉnh…")."""
    title = _cut(title, CHOICE_TITLE_CHARS)
    number = document_number or decision_number
    return f"{number} · {title}" if number else title


class Plan(models.Model):
    issuer = models.ForeignKey(
        Agency, verbose_name=_("issuer"), on_delete=models.PROTECT, related_name="issued_plans"
    )
    title = models.CharField(_("title"), max_length=500)
    document_number = models.CharField(
        _("document number"), max_length=60, blank=True, help_text=_("e.g. 2405/KH-SNV")
    )
    document_symbol = models.CharField(
        _("document symbol as written"), max_length=40, blank=True,
        help_text=_(
            "The symbol after the number, e.g. “KH-UBND”: printed after a blank number "
            "(“Số:      /KH-UBND”) and kept when the register gives the number; empty: the "
            "document type and the issuer's code."
        ),
    )
    decision_number = models.CharField(
        _("issuing decision number"), max_length=60, blank=True, help_text=_("e.g. 286/QĐ-UBND")
    )
    decision_symbol = models.CharField(
        _("decision symbol as written"), max_length=40, blank=True,
        help_text=_("The symbol after the decision's number, e.g. “QĐ-UBND”."),
    )
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_title = models.CharField(_("decision subject"), max_length=500, blank=True)
    decision_text = models.TextField(
        _("decision articles"), blank=True, help_text=_("The articles of the decision, as written.")
    )
    issued_on = models.DateField(_("date"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=100, blank=True)
    period_start_year = models.PositiveSmallIntegerField(_("first year"))
    period_end_year = models.PositiveSmallIntegerField(_("last year"))
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("implements plan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    preamble = models.TextField(_("preamble"), blank=True)
    objectives = models.TextField(_("objectives"), blank=True, help_text=_("One per line."))
    requirements = models.TextField(_("requirements"), blank=True, help_text=_("One per line."))
    audiences = models.ManyToManyField(Audience, verbose_name=_("audiences"), blank=True)
    audience_text = models.TextField(
        _("audiences as written"), blank=True, help_text=_("The plan's own description, if any.")
    )
    channels_intro = models.TextField(
        _("introduction to the channels"), blank=True,
        help_text=_("The paragraph before the list of channels."),
    )
    key_activities = models.TextField(
        _("key activities section"), blank=True,
        help_text=_("The text that introduces the key tasks, as written."),
    )
    appendix_title = models.CharField(_("appendix title"), max_length=500, blank=True)
    issued_on_text = models.CharField(
        _("date as written"), max_length=100, blank=True,
        help_text=_("When the date is incomplete, e.g. “ngày   tháng 02 năm 2024”."),
    )
    subtitle_text = models.CharField(
        _("line under the title as written"), max_length=500, blank=True,
        help_text=_("e.g. “(Ban hành kèm theo Quyết định số 286/QĐ-UBND ngày 26/01/2022 …)”."),
    )
    header_issuer_text = models.TextField(
        _("issuing body as written in the header"), blank=True,
        help_text=_(
            "As printed: the parent body's lines, an empty line, the issuing body's lines; "
            "empty: from the issuer's name."
        ),
    )
    decision_authority = models.CharField(
        _("decision's issuing authority line"), max_length=255, blank=True,
        help_text=_("e.g. “ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA”, “GIÁM ĐỐC SỞ XÂY DỰNG KHÁNH HÒA”."),
    )
    decision_date_text = models.CharField(
        _("decision's place and date as written"), max_length=150, blank=True,
        help_text=_("e.g. “Khánh Hòa, ngày 26 tháng 01 năm 2022”."),
    )
    decision_signer_authority = models.CharField(
        _("decision's signing authority"), max_length=120, blank=True,
        help_text=_("Empty: the plan's."),
    )
    decision_signer_title = models.CharField(
        _("decision signer's title"), max_length=120, blank=True
    )
    decision_signer_name = models.CharField(_("decision signer's name"), max_length=120, blank=True)
    decision_recipients = models.TextField(
        _("decision's recipients"), blank=True, help_text=_("One per line; empty: the plan's.")
    )
    outline_source = models.CharField(
        _("outline"), max_length=10, choices=OutlineSource.choices,
        default=OutlineSource.GENERATED,
    )
    electronic_signature = models.CharField(
        _("electronic signature stamp"), max_length=500, blank=True,
        help_text=_("Signed by, e-mail and time, as stamped on the signed file."),
    )
    implementation = models.TextField(
        _("organisation of implementation"),
        blank=True,
        help_text=_("General provisions of the implementation section."),
    )
    budget_text = models.TextField(_("budget"), blank=True)
    budget_amount = models.DecimalField(
        _("budget estimate (VND)"), max_digits=18, decimal_places=0, null=True, blank=True
    )
    reporting_regime = models.TextField(_("reporting regime"), blank=True)
    reporting_periods = models.JSONField(
        _("reporting periods"), default=list, blank=True, help_text=_("Codes: Q1, H1, M9, Y…")
    )
    report_due_day = models.PositiveSmallIntegerField(
        _("report due day of the period's last month"), null=True, blank=True
    )
    report_recipient = models.CharField(
        _("reports sent to"), max_length=255, blank=True, help_text=_("An agency or an e-mail.")
    )
    addressed_agencies = models.ManyToManyField(
        Agency,
        verbose_name=_("agencies that submit their own plan"),
        blank=True,
        related_name="addressed_plans",
    )
    submission_deadline = models.DateField(_("deadline for agency plans"), null=True, blank=True)
    submission_deadline_text = models.CharField(
        _("deadline as written"), max_length=255, blank=True
    )
    submitted_at = models.DateTimeField(
        _("submitted to the parent plan's issuer at"), null=True, blank=True
    )
    document_file = models.FileField(_("signed document"), upload_to="plans/%Y/", blank=True)
    signature_checks = GenericRelation("signatures.SignatureCheck")
    signer_authority = models.CharField(
        _("signing authority"), max_length=120, blank=True, help_text=_("e.g. TM. ỦY BAN NHÂN DÂN")
    )
    signer_title = models.CharField(_("signer's title"), max_length=120, blank=True)
    signer_name = models.CharField(_("signer's name"), max_length=120, blank=True)
    recipients = models.TextField(_("recipients"), blank=True, help_text=_("One per line."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Raised by every save through plans.services, so that an edit based on an older
    # version is refused instead of silently overwriting the newer one.
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    search_text = models.TextField(editable=False, default="")
    province = province_field(indexed=False)
    history = HistoricalRecords(m2m_fields=[audiences, addressed_agencies])

    objects = PlanQuerySet.as_manager()
    province_source = "issuer"

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-period_start_year", "-issued_on", "-pk"]
        indexes = [
            models.Index(fields=["period_start_year", "period_end_year"]),
            # The last year of any plan (the admin's year filter): MAX from an index.
            models.Index(fields=["period_end_year"], name="plan_end_year_idx"),
            models.Index(fields=["status"]),
            # The plan list and the periodic overview (plans.selectors.PLAN_ORDER): a page,
            # however deep, read from the index.
            models.Index(
                models.F("period_start_year").desc(),
                ISSUED_UNDATED_LAST.desc(),
                models.F("id").desc(),
                name="plan_list_order_idx",
            ),
            # This ordering: the admin's plans, and its tasks ordered by their plan.
            models.Index(
                models.F("period_start_year").desc(),
                models.F("issued_on").desc(),
                models.F("id").desc(),
                name="plan_default_order_idx",
            ),
            # A province's plans in the list's order (plans.selectors.PLAN_ORDER).
            models.Index(
                "province",
                models.F("period_start_year").desc(),
                ISSUED_UNDATED_LAST.desc(),
                models.F("id").desc(),
                name="plan_province_list_order_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end_year__gte=models.F("period_start_year")),
                name="plan_period_ordered",
            )
        ]

    def __str__(self):
        if self.document_number:
            return f"{self.title} ({self.document_number})"
        return self.title

    def save(self, *args, **kwargs):
        self.search_text = fold(
            f"{self.title} {self.document_number} {self.decision_number} {self.issuer.name}"
        )
        before = None if self._state.adding else self.province_id
        save_with_province(self, super().save, *args, **kwargs)
        if before is not None and self.province_id != before:
            # Given to another province's issuer: its tasks, assignments, updates and
            # reports go with it, or the new province's pages would not show them.
            copy_plan_provinces(self.pk)

    def get_absolute_url(self):
        return reverse("plans:detail", args=[self.pk])

    @property
    def choice_label(self):
        return choice_label(self.title, self.document_number, self.decision_number)

    @property
    def period_label(self):
        if self.period_start_year == self.period_end_year:
            return str(self.period_start_year)
        return f"{self.period_start_year}–{self.period_end_year}"

    @property
    def is_editable(self):
        return self.status == PlanStatus.DRAFT

    @property
    def has_decision(self):
        """Issued by a decision: the decision carries the number and date, not the plan."""
        return bool(self.decision_number or self.decision_title or self.decision_text)

    def objective_lines(self):
        return [line for line in self.objectives.splitlines() if line.strip()]

    def requirement_lines(self):
        return [line for line in self.requirements.splitlines() if line.strip()]

    def recipient_lines(self):
        return [line for line in self.recipients.splitlines() if line.strip()]

    def decision_recipient_lines(self):
        lines = [line for line in self.decision_recipients.splitlines() if line.strip()]
        return lines or self.recipient_lines()

    @property
    def budget_amount_display(self):
        return format_vnd(self.budget_amount)

    def reporting_period_labels(self):
        labels = dict(ReportingPeriodCode.choices)
        return [labels.get(code, code) for code in self.reporting_periods]

    def submission_state(self, today=None):
        """On time, late, pending or missing, for a plan submitted to its parent plan."""
        deadline = self.parent.submission_deadline if self.parent_id else None
        return submission_state(self.submitted_at, deadline, today)


class PlanPart(models.Model):
    """An ordered, numbered part of a plan's text."""

    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]


class LegalBasis(PlanPart):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="legal_bases")
    text = models.TextField(_("cited document"))
    history = HistoricalRecords()

    class Meta(PlanPart.Meta):
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases")

    def __str__(self):
        return self.text[:80]


class Target(PlanPart):
    class Unit(models.TextChoices):
        RANK = "rank", _("rank")
        SCORE = "score", _("points")
        PERCENT = "percent", _("percent")
        COUNT = "count", _("count")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    indicator = models.CharField(
        _("indicator"), max_length=60, help_text=_("PAR INDEX, PCI, SIPAS…")
    )
    description = models.TextField(_("description"))
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    baseline = models.DecimalField(
        _("baseline"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    baseline_label = models.CharField(_("baseline year or source"), max_length=60, blank=True)
    target_value = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    history = HistoricalRecords()

    class Meta(PlanPart.Meta):
        verbose_name = _("target")
        verbose_name_plural = _("targets")

    def __str__(self):
        return f"{self.indicator}: {self.target_value}"

    @property
    def lower_is_better(self):
        return self.unit == self.Unit.RANK

    def is_met_by(self, value):
        """Whether an actual ``value`` reaches the target (a rank is met at or below it)."""
        if self.lower_is_better:
            return value <= self.target_value
        return value >= self.target_value


class TargetActual(models.Model):
    """What a target's indicator actually reached in one reporting period, and where that
    figure comes from (e.g. the PAR INDEX as published). ``plans.targets.actual_at`` says
    which one counts at a date."""

    target = models.ForeignKey(
        Target, verbose_name=_("target"), on_delete=models.CASCADE, related_name="actuals"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    period_code = models.CharField(_("period"), max_length=4, help_text=_("Q1, H1, M9, Y…"))
    value = models.DecimalField(_("actual"), max_digits=12, decimal_places=2)
    source = models.CharField(
        _("source"), max_length=500,
        help_text=_("Where the figure comes from, e.g. “PAR INDEX 2022 công bố ngày 16/5/2023”."),
    )
    source_url = models.URLField(_("link to the source"), max_length=500, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("actual of a target")
        verbose_name_plural = _("actuals of targets")
        ordering = ["target", "year", "period_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["target", "year", "period_code"], name="target_actual_once_per_period"
            )
        ]

    def __str__(self):
        return f"{self.target.indicator} {self.year}-{self.period_code}: {self.value}"

    @property
    def period(self):
        return make_period(self.year, self.period_code)

    @property
    def is_met(self):
        return self.target.is_met_by(self.value)


class BudgetLine(PlanPart):
    """One line of a plan's budget estimate: where the money comes from, what for, how much."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="budget_lines")
    source = models.CharField(
        _("funding source"), max_length=255, help_text=_("e.g. Ngân sách tỉnh")
    )
    item = models.CharField(_("item"), max_length=500)
    amount = models.DecimalField(_("amount (VND)"), max_digits=18, decimal_places=0)
    history = HistoricalRecords()

    class Meta(PlanPart.Meta):
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")

    def __str__(self):
        return f"{self.source}: {self.item} ({format_vnd(self.amount)})"

    def clean(self):
        if self.amount is not None and self.amount < 0:
            raise ValidationError({"amount": _("An amount cannot be negative.")})

    @property
    def amount_display(self):
        return format_vnd(self.amount)


class ContentArea(PlanPart):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="content_areas")
    heading = models.CharField(_("heading"), max_length=500)
    audience = models.ForeignKey(
        Audience, verbose_name=_("audience"), null=True, blank=True, on_delete=models.PROTECT
    )
    pillar = models.CharField(_("CCHC pillar"), max_length=30, choices=Pillar.choices, blank=True)
    body = models.TextField(_("content"), blank=True, help_text=_("One item per line."))
    history = HistoricalRecords()

    class Meta(PlanPart.Meta):
        verbose_name = _("content area")
        verbose_name_plural = _("content areas")

    def __str__(self):
        return self.heading

    def body_lines(self):
        return [line for line in self.body.splitlines() if line.strip()]


class PlanChannel(PlanPart):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="plan_channels")
    channel = models.ForeignKey(Channel, verbose_name=_("channel"), on_delete=models.PROTECT)
    label = models.CharField(_("label"), max_length=10, blank=True, help_text=_("e.g. a), b)"))
    heading = models.CharField(_("heading"), max_length=500)
    body = models.TextField(_("content"), blank=True, help_text=_("One item per line."))
    history = HistoricalRecords()

    class Meta(PlanPart.Meta):
        verbose_name = _("channel of the plan")
        verbose_name_plural = _("channels of the plan")

    def __str__(self):
        return self.heading

    def body_lines(self):
        return [line for line in self.body.splitlines() if line.strip()]


class AgencyDuty(PlanPart):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="duties")
    heading = models.CharField(_("responsible agencies as written"), max_length=500)
    agencies = models.ManyToManyField(Agency, verbose_name=_("agencies"), blank=True)
    body = models.TextField(_("duties"), help_text=_("One item per line."))
    history = HistoricalRecords(m2m_fields=[agencies])

    class Meta(PlanPart.Meta):
        verbose_name = _("agency duty")
        verbose_name_plural = _("agency duties")

    def __str__(self):
        return self.heading

    def body_lines(self):
        return [line for line in self.body.splitlines() if line.strip()]


class ReminderTopic:
    """What a coordinator's reminder (đôn đốc) is about: every one belongs to a plan."""

    AGENCY_PLAN = "plan"  # the agency's own plan for the plan
    REPORTS = "reports"  # the agency's periodic reports on the plan

    @staticmethod
    def task(task_id):
        return f"task:{task_id}"


class Reminder(models.Model):
    """A reminder a coordinator sent to an agency about ``plan``: its own plan for it (the
    default), its periodic reports on it, or one of its tasks (``topic``)."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="reminders"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="plan_reminders"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    topic = models.CharField(_("about"), max_length=40, default=ReminderTopic.AGENCY_PLAN)
    message = models.TextField(_("message"), blank=True)
    notified = models.PositiveSmallIntegerField(_("users notified"), default=0)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["plan", "agency", "-sent_at"])]

    def __str__(self):
        return f"{self.agency} – {self.plan} @ {self.sent_at:%d/%m/%Y}"

