import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from agencies.models import Agency, AgencyGroup
from agencies.provinces import ProvinceQuerySet, province_field, save_with_province
from cchc_plans.files import storage_name
from cchc_plans.search import fold, folded_filter
from plans.models import Measure, OutlineNode, Plan

from .timeline import ScheduleKind

DUE_SOON_DAYS = 14
SCHEDULE_CHOICES = [
    (ScheduleKind.DUE.value, _("one due date")),
    (ScheduleKind.ONGOING.value, _("ongoing")),
    (ScheduleKind.RECURRING.value, _("recurring checkpoints")),
    (ScheduleKind.FOLLOWS.value, _("follows another schedule")),
    (ScheduleKind.UNKNOWN.value, _("not understood")),
]


class Status(models.TextChoices):
    # The one source of the status words: pages, dashboards and reports print these labels.
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", pgettext_lazy("task status", "Cancelled")


# Finished work: no more progress is expected of it.
FINISHED = (Status.DONE, Status.CANCELLED)


class TaskQuerySet(ProvinceQuerySet):
    def search(self, query):
        return self.filter(folded_filter("search_text", query))



class Task(models.Model):
    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="tasks"
    )
    number = models.PositiveSmallIntegerField(_("no."))
    title = models.TextField(_("task"))
    forms = models.TextField(_("forms"), blank=True, help_text=_("One form per line, as written."))
    assignment_text = models.TextField(
        _("assignment as written"),
        blank=True,
        help_text=_("The plan's own wording of who does what."),
    )
    lead_groups = models.ManyToManyField(
        AgencyGroup, verbose_name=_("lead groups"), blank=True, related_name="led_tasks"
    )
    coordinator_groups = models.ManyToManyField(
        AgencyGroup, verbose_name=_("coordinating groups"), blank=True,
        related_name="coordinated_tasks",
    )
    lead_text = models.TextField(
        _("lead as written"), blank=True, help_text=_("The “Cơ quan chủ trì” cell, as written.")
    )
    coordinators_text = models.TextField(
        _("coordinators as written"), blank=True,
        help_text=_("The “Cơ quan phối hợp” cell, as written."),
    )
    timeline_text = models.CharField(_("timeline"), max_length=255, blank=True)
    schedule_kind = models.CharField(
        _("schedule"),
        max_length=10,
        choices=SCHEDULE_CHOICES,
        default=ScheduleKind.UNKNOWN,
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    due_date_set_by_hand = models.BooleanField(_("due date set by hand"), default=False)
    recurrence = models.CharField(_("recurrence"), max_length=10, blank=True)
    expected_output = models.TextField(_("expected output"), blank=True)
    budget_estimate = models.DecimalField(
        _("budget estimate (VND)"), max_digits=18, decimal_places=0, null=True, blank=True
    )
    budget_text = models.TextField(
        _("budget as written"), blank=True, help_text=_("e.g. “Ngân sách tỉnh”, “Lồng ghép”.")
    )
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=Status.choices,
        default=Status.NOT_STARTED,
        help_text=_("Rolled up from the assignments."),
    )
    percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_("Raised on every edit, so that a save based on an older version is refused."),
    )
    search_text = models.TextField(editable=False, default="")
    province = province_field(indexed=False)
    history = HistoricalRecords(
        m2m_fields=[lead_groups, coordinator_groups], excluded_fields=["search_text"]
    )

    objects = TaskQuerySet.as_manager()
    province_source = "plan"

    class Meta:
        verbose_name = _("key task")
        verbose_name_plural = _("key tasks")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="task_number_unique_in_plan"),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["province", "status", "due_date"], name="task_province_status"),
        ]

    def __str__(self):
        return f"{self.number}. {self.title[:80]}"

    def save(self, *args, **kwargs):
        self.refresh_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"title", "forms", "assignment_text"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        save_with_province(self, super().save, *args, **kwargs)

    def refresh_search_text(self):
        """A folded copy makes diacritics-insensitive search work on every database."""
        self.search_text = fold(f"{self.title} {self.forms} {self.assignment_text}")

    @property
    def needs_review(self):
        return self.schedule_kind == ScheduleKind.UNKNOWN and not self.due_date_set_by_hand

    def is_overdue(self, today=None):
        """Overdue today (or on ``today``) by its recorded status (``counting.overdue_on``)."""
        return self.days_late(today) > 0

    def days_late(self, today=None):
        """Days late today (or on ``today``) by its recorded status (``counting.lateness``)."""
        from .counting import lateness  # counting reads these models

        return lateness(self, self.status, today or timezone.localdate())


class TaskField(models.TextChoices):
    """What a column of a key-task table shows of each task."""

    NUMBER = "number", _("Order number")
    TITLE = "title", _("Content")
    FORMS = "forms", _("Forms")
    LEAD = "lead", _("Lead agency")
    COORDINATORS = "coordinators", _("Coordinating agencies")
    ASSIGNMENT = "assignment", _("Assignment (lead and coordinators)")
    TIMELINE = "timeline", _("Timeline")
    OUTPUT = "output", _("Expected output")
    BUDGET = "budget", _("Budget")
    NOTES = "notes", _("Notes")
    # A column the application does not track: each row keeps its cell as written.
    TEXT = "text", _("Other (text as written)")


# The columns of a table with none given: the appendix of the Khánh Hòa 2022 plan.
DEFAULT_COLUMNS = [
    {"heading": "STT", "field": TaskField.NUMBER},
    {"heading": "Nhiệm vụ, hoạt động tuyên truyền", "field": TaskField.TITLE},
    {"heading": "Hình thức tuyên truyền", "field": TaskField.FORMS},
    {"heading": "Phân công chủ trì, phối hợp", "field": TaskField.ASSIGNMENT},
    {"heading": "Tiến độ", "field": TaskField.TIMELINE},
]


class TablePlacement(models.TextChoices):
    INLINE = "inline", _("In the text, at its node")
    APPENDIX = "appendix", _("In an appendix")


class TaskTable(models.Model):
    """A table of key tasks as the plan lays it out: where, under which title, which columns.

    ``columns`` is the ordered list of the plan's column headings as written, each mapped to
    the task field it shows: ``[{"heading": "Cơ quan chủ trì", "field": "lead"}, …]``.
    Its rows are ``TaskTableRow``s in order: a task each, or a heading row spanning the table.
    """

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="task_tables"
    )
    node = models.ForeignKey(
        OutlineNode, verbose_name=_("outline node"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="task_tables",
        help_text=_("Inline: the node it sits in. In an appendix: the node that refers to it."),
    )
    placement = models.CharField(
        _("placement"), max_length=10, choices=TablePlacement.choices,
        default=TablePlacement.APPENDIX,
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    label = models.CharField(
        _("appendix label"), max_length=60, blank=True, help_text=_("e.g. “Phụ lục”, “Phụ lục I”.")
    )
    title = models.TextField(_("title as written"), blank=True)
    subtitle = models.CharField(
        _("“Kèm theo …” line as written"), max_length=500, blank=True,
        help_text=_("Empty: written from the plan's or decision's number and date."),
    )
    landscape = models.BooleanField(_("landscape pages"), default=True)
    columns = models.JSONField(_("columns"), default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("key-task table")
        verbose_name_plural = _("key-task tables")
        ordering = ["plan", "position", "pk"]

    def __str__(self):
        return self.title[:80] or self.label or str(_("key-task table"))

    def clean(self):
        fields = set(TaskField.values)
        if not isinstance(self.columns, list) or not all(
            isinstance(column, dict)
            and isinstance(column.get("heading"), str)
            and column.get("field") in fields
            for column in self.columns
        ):
            raise ValidationError(
                {"columns": _("Each column needs a heading and one of the task fields.")}
            )

    def column_list(self):
        return self.columns or DEFAULT_COLUMNS


class TaskTableRow(models.Model):
    """One row of a key-task table: a task, or a heading row ("A. CẤP TỈNH") spanning it."""

    table = models.ForeignKey(
        TaskTable, verbose_name=_("table"), on_delete=models.CASCADE, related_name="rows"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    task = models.ForeignKey(
        Task, verbose_name=_("task"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="table_rows",
    )
    number_text = models.CharField(
        _("order number as written"), max_length=20, blank=True,
        help_text=_("Empty: the task's number."),
    )
    text = models.TextField(_("heading row text"), blank=True)
    cells = models.JSONField(
        _("other cells as written"), default=dict, blank=True,
        help_text=_("Text of the “other” columns, by column index."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("key-task table row")
        verbose_name_plural = _("key-task table rows")
        ordering = ["table", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(task__isnull=False) | ~models.Q(text=""),
                name="task_table_row_task_or_text",
            ),
        ]

    def __str__(self):
        return str(self.task) if self.task_id else self.text[:80]


class Checkpoint(models.Model):
    """One due date of a recurring task (every quarter, every month)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="checkpoints")
    due_date = models.DateField(_("due date"))

    class Meta:
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")
        ordering = ["due_date"]
        constraints = [
            models.UniqueConstraint(fields=["task", "due_date"], name="checkpoint_unique"),
        ]

    def __str__(self):
        return self.due_date.strftime("%d/%m/%Y")


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    COORDINATOR = "coordinator", _("Coordinating")


def copy_task_plans(assignments):
    """Give each of ``assignments`` its task's plan: from the task when it is loaded, else
    from one query for all those without one."""
    missing = {}
    for assignment in assignments:
        if Assignment.task.field.is_cached(assignment):
            assignment.plan_id = assignment.task.plan_id
        elif assignment.plan_id is None:
            missing.setdefault(assignment.task_id, []).append(assignment)
    if missing:
        plans = dict(Task._base_manager.filter(pk__in=list(missing)).values_list("pk", "plan"))
        for task_id, waiting in missing.items():
            for assignment in waiting:
                assignment.plan_id = plans.get(task_id)


class AssignmentQuerySet(ProvinceQuerySet):
    def open(self):
        return self.exclude(status__in=FINISHED)

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        copy_task_plans(objs)
        return super().bulk_create(objs, *args, **kwargs)


class Assignment(models.Model):
    # Both read through the indexes that start with them (``assignment_unique``, agency and
    # status): an index of their own would only be written.
    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="assignments",
        db_index=False,
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="assignments",
        db_index=False,
    )
    role = models.CharField(_("role"), max_length=12, choices=AssignmentRole.choices)
    via_group = models.ForeignKey(
        AgencyGroup,
        verbose_name=_("through group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    transferred_from = models.ForeignKey(
        Agency,
        verbose_name=_("taken over from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED
    )
    percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    last_update_at = models.DateTimeField(_("last update"), null=True, blank=True)
    province = province_field(indexed=False)
    # The task's plan, copied when the assignment is made (``save``, ``bulk_create``, the
    # importer, the data generator) and when the task moves to another plan (``save_task``,
    # between drafts): an agency's plans are then read from the index on (agency, plan)
    # alone, not by a lookup of each of its tasks. Not in the history: it follows from the
    # task.
    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="+",
        editable=False, db_index=False,
    )
    # Its history is read by assignment (``id``) and date, never by these columns: indexes
    # on them would only be written, for every row of every import.
    history = HistoricalRecords(
        no_db_index=["task", "agency", "via_group", "transferred_from", "province"],
        excluded_fields=["plan"],
    )

    objects = AssignmentQuerySet.as_manager()
    province_source = "task"

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["task", "role", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["task", "agency", "role"], name="assignment_unique"),
        ]
        indexes = [
            models.Index(fields=["agency", "status"]),
            models.Index(fields=["province", "status"], name="assignment_province_status"),
            models.Index(fields=["agency", "plan"], name="assignment_agency_plan"),
        ]

    def __str__(self):
        return f"{self.agency} – {self.task}"

    def save(self, *args, **kwargs):
        if self._state.adding or self.plan_id is None:
            copy_task_plans([self])
        save_with_province(self, super().save, *args, **kwargs)


class ProgressUpdate(models.Model):
    """One entry in an assignment's progress history. Never edited, never deleted."""

    # Read through the index on (assignment, created_at).
    assignment = models.ForeignKey(
        Assignment, verbose_name=_("assignment"), on_delete=models.CASCADE, related_name="updates",
        db_index=False,
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    percent = models.PositiveSmallIntegerField(_("progress (%)"))
    narrative = models.TextField(_("what was done"))
    province = province_field(indexed=False)
    # Whether it came with figures (written with it, never after): the few updates that
    # did are found through their own index, not by probing every update for figures.
    has_figures = models.BooleanField(default=False, editable=False)

    objects = ProvinceQuerySet.as_manager()
    province_source = "assignment"

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["assignment", "-created_at"]),
            models.Index(fields=["province", "-created_at"], name="update_province_created"),
            models.Index(
                fields=["province", "created_at", "assignment"],
                condition=models.Q(has_figures=True), name="update_with_figures",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(percent__lte=100), name="update_percent_max_100"
            ),
        ]

    def __str__(self):
        return f"{self.assignment} @ {self.created_at:%d/%m/%Y}"

    def save(self, *args, **kwargs):
        save_with_province(self, super().save, *args, **kwargs)


class UpdateFigure(models.Model):
    # Read through the unique index on (update, measure).
    update = models.ForeignKey(
        ProgressUpdate, on_delete=models.CASCADE, related_name="figures", db_index=False
    )
    measure = models.ForeignKey(Measure, verbose_name=_("measure"), on_delete=models.PROTECT)
    value = models.PositiveIntegerField(_("value"))

    class Meta:
        verbose_name = _("figure")
        verbose_name_plural = _("figures")
        constraints = [
            models.UniqueConstraint(fields=["update", "measure"], name="figure_unique_per_update"),
        ]

    def __str__(self):
        return f"{self.measure}: {self.value}"


def evidence_path(instance, filename):
    """Stored under a short ASCII name (``original_name`` keeps the one given)."""
    today = datetime.date.today()
    return f"evidence/{today:%Y/%m}/{storage_name(filename)}"


class Evidence(models.Model):
    update = models.ForeignKey(ProgressUpdate, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to=evidence_path, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    link = models.URLField(_("link"), max_length=500, blank=True)
    signature_checks = GenericRelation("signatures.SignatureCheck")

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(file="") | ~models.Q(link=""), name="evidence_file_or_link"
            ),
        ]

    def __str__(self):
        return self.original_name or self.link


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the coordinators' decision")
    CONFIRMED = "confirmed", _("Confirmed: the task is cancelled")
    REJECTED = "rejected", _("Rejected: the task goes on")


class CancellationProposal(models.Model):
    """An agency's proposal to cancel a key task, which only a coordinator decides."""

    REASON_MAX_LENGTH = 2000

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("assignment"), on_delete=models.CASCADE,
        related_name="cancellation_proposals",
    )
    reason = models.TextField(_("reason"), max_length=REASON_MAX_LENGTH)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=12, choices=ProposalStatus.choices,
        default=ProposalStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.TextField(
        _("coordinator's comment"), max_length=REASON_MAX_LENGTH, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cancellation proposal")
        verbose_name_plural = _("cancellation proposals")
        ordering = ["-proposed_at", "-pk"]

    def __str__(self):
        return f"{self.assignment} ({self.get_status_display()})"

    @property
    def is_pending(self):
        return self.status == ProposalStatus.PENDING
