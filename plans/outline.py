"""The plan's text as written: an ordered outline of headed nodes.

A plan (and its issuing decision) keeps its body as a flat, ordered list of nodes, each with
its level, its numbering as written ("I.", "1.", "a)", "3.1.", "-", "+", "Điều 1."), its
heading as written and its paragraphs. The parts the application tracks (legal bases,
objectives, targets, content areas, channels, duties, budget, reporting, key tasks) are
attached to the node where the plan writes them, so that they print where the original put
them; text with no structured home stays in its node.

The node is what prints. A node attached to a table-like part (targets, a key-task table)
prints that table after its paragraphs.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class OutlinePart(models.TextChoices):
    """Which document of the plan a node belongs to, in print order."""

    DECISION = "decision", _("Issuing decision")
    PLAN = "plan", _("Plan")


class Attachment(models.TextChoices):
    """The structured part of a plan that a node writes."""

    NONE = "", _("Text only")
    LEGAL_BASES = "legal_bases", _("Legal bases")
    PREAMBLE = "preamble", _("Preamble")
    OBJECTIVES = "objectives", _("Objectives")
    REQUIREMENTS = "requirements", _("Requirements")
    TARGETS = "targets", _("Targets")
    # Prints the plan's targets as a table after the node's paragraphs.
    TARGETS_TABLE = "targets_table", _("Targets table")
    AUDIENCES = "audiences", _("Audiences")
    CONTENT_AREA = "content_area", _("Content area")
    CHANNELS = "channels", _("Channels")
    CHANNEL = "channel", _("Channel")
    DUTY = "duty", _("Agency duty")
    KEY_TASKS = "key_tasks", _("Key tasks")
    BUDGET = "budget", _("Budget")
    REPORTING = "reporting", _("Reporting regime")
    SUBMISSION = "submission", _("Agency plans to submit")
    IMPLEMENTATION = "implementation", _("Organisation of implementation")
    ARTICLE = "article", _("Article of the decision")


class Emphasis(models.TextChoices):
    """How a heading is set; empty: as its level usually is (bold for I. and 1.)."""

    USUAL = "", _("As usual for its level")
    PLAIN = "plain", _("Plain")
    BOLD = "bold", _("Bold")
    ITALIC = "italic", _("Italic")
    BOLD_ITALIC = "bold_italic", _("Bold italic")


class OutlineSource(models.TextChoices):
    """Where a plan's outline comes from."""

    # Built from the plan's fields and parts, and built again when a section is edited.
    GENERATED = "generated", _("Built from the plan's sections")
    # Written as such (imported, or edited node by node): the section forms leave it alone.
    WRITTEN = "written", _("Written as an outline")


class OutlineNodeQuerySet(models.QuerySet):
    def of_part(self, part):
        return self.filter(part=part).order_by("position", "pk")


class OutlineNode(models.Model):
    """One heading (or headless block) of a plan's text, with its paragraphs."""

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.CASCADE,
        related_name="outline_nodes",
    )
    part = models.CharField(
        _("document"), max_length=10, choices=OutlinePart.choices, default=OutlinePart.PLAN
    )
    position = models.PositiveIntegerField(_("order"), default=0)
    level = models.PositiveSmallIntegerField(
        _("level"), default=0, help_text=_("0 for the sections (I., II.), 1 below them, …")
    )
    numbering = models.CharField(
        _("numbering as written"), max_length=20, blank=True,
        help_text=_("I., 1., a), 3.1., -, +, Điều 1.; empty when the heading has none."),
    )
    heading = models.TextField(_("heading as written"), blank=True)
    emphasis = models.CharField(
        _("heading style"), max_length=12, choices=Emphasis.choices, blank=True, default=""
    )
    centered = models.BooleanField(_("heading centred"), default=False)
    run_in = models.BooleanField(
        _("text continues the heading line"), default=False,
        help_text=_("“4. Chế độ báo cáo: Các cơ quan…” on one line."),
    )
    text = models.TextField(_("paragraphs"), blank=True, help_text=_("One paragraph per line."))
    attachment = models.CharField(
        _("structured part"), max_length=20, choices=Attachment.choices, blank=True, default=""
    )
    content_area = models.ForeignKey(
        "plans.ContentArea", verbose_name=_("content area"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="outline_nodes",
    )
    plan_channel = models.ForeignKey(
        "plans.PlanChannel", verbose_name=_("channel"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="outline_nodes",
    )
    duty = models.ForeignKey(
        "plans.AgencyDuty", verbose_name=_("agency duty"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="outline_nodes",
    )
    history = HistoricalRecords()

    objects = OutlineNodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("outline node")
        verbose_name_plural = _("outline nodes")
        ordering = ["plan", "part", "position", "pk"]
        indexes = [models.Index(fields=["plan", "part", "position"])]

    def __str__(self):
        return " ".join(filter(None, [self.numbering, self.heading[:80]])) or self.text[:80]

    def paragraphs(self):
        return [line.strip() for line in self.text.splitlines() if line.strip()]
