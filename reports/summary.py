"""The summary report of a plan for one reporting period: every number it shows, built once.

``build_summary(plan, year, code)`` reads the plan, its key tasks, their assignments and
progress history, the agencies' own plans and periodic reports, and returns a ``Summary``.
The HTML preview, the PDF (``templates/documents/summary.html``), the xlsx
(``reports/xlsx.py``) and the report page all read that one object, and the tables they show
are the ``Table`` objects of ``Summary.tables``: the same rows, the same numbers.
A fixed number of queries, whatever the number of tasks, assignments or updates.

The counting rules (state at a date, overdue, at risk, on time, the figures of a period, the
agencies' ranking) are in ``reports/counting.py``; the tables' rows and cells in
``reports/tables.py``.
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from agencies.models import Agency, AgencyGroup
from cchc_plans.lists import ShortList, attach, every_field, prefetch_into, read_lists
from documents.pdf import Letterhead, Signature, close_text, number_line, vietnamese_date_line
from documents.plan import decimal_text, lower_first, short_date, slug, subject
from periodic.models import Completeness
from periodic.services import (
    COMPLETENESS_FIELDS,
    completeness_rows,
    completeness_totals,
    plan_period,
    reporting_agencies,
    reports_of_periods,
)
from plans.models import Channel, Measure
from plans.periods import previous_period
from plans.selectors import attach_actuals, target_lists
from tasks.counting import day_end, days_late
from tasks.models import Assignment, Status, Task

from . import evaluation
from .counting import (
    MEASURE_ORDER,
    STATUS_ORDER,
    Figures,
    Scoring,
    Snapshot,
    agency_totals,
    assignment_history,
    following_period,
    measure_rows,
    period_updates,
    periods_figures,
    rank_agencies,
    snapshot,
    submission_completeness,
)
from .models import ReportDraft, SummaryKind
from .summary_charts import chart_captions, summary_charts
from .tables import (
    COMPLETENESS_WORDS,
    STATUS_WORDS,
    SUBMISSION_WORDS,
    Column,
    Percent,
    Table,
    TaskRow,
    lead_names,
    period_heading,
    period_phrase,
    target_rows,
)

logger = logging.getLogger(__name__)

# Before anyone sets the issuer's signer (documents.IssuerSigner).
DEFAULT_SIGNER = ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "")
# Overdue and at-risk tasks stay in the body of the report up to this many rows;
# a longer list moves to an annex.
BODY_LATE_ROWS = 10
NARRATIVE_CHARS = 400  # in the PDF; the xlsx keeps the whole text



# ---------------------------------------------------------------------------------------------
# The summary


@dataclass
class Summary:
    plan: object
    period: object
    previous: object  # the period compared with, or None before the plan's first year
    following: object
    kind: str  # SummaryKind
    as_of: datetime.date
    today: datetime.date
    issuer: Agency
    province: Agency
    draft: ReportDraft | None
    now: Snapshot
    before: Snapshot | None
    task_rows: list
    agency_rows: list
    late_rows: list  # overdue first (most days late first), then at risk by due date
    submissions: object  # counting.SubmissionSummary at as_of
    report_cells: list  # services.CompletenessRow for the period
    report_totals: dict  # Completeness state -> agencies
    measure_rows: list
    channels: list  # counting.ChannelFigures of the period, for the chart
    figures: Figures
    target_rows: list
    scoring: Scoring
    agency_reports: list = field(default_factory=list)  # submitted, with their narratives
    charts: dict = field(default_factory=dict)

    # -- document parts ------------------------------------------------------------------

    @property
    def is_annual(self):
        return self.kind == SummaryKind.ANNUAL

    @property
    def is_issued(self):
        return self.draft is not None and self.draft.is_issued

    @property
    def number(self):
        return self.draft.number if self.is_issued else ""

    @property
    def title(self):
        """The subject line: "Kết quả thực hiện Kế hoạch … quý I năm 2022"."""
        plan_subject = lower_first(subject(self.plan.title))
        suffix = f" năm {self.period.year}"
        if plan_subject.endswith(suffix):
            plan_subject = plan_subject[: -len(suffix)]
        return f"Kết quả thực hiện Kế hoạch {plan_subject} {period_phrase(self.period)}"

    @property
    def period_phrase(self):
        return period_phrase(self.period)

    @property
    def period_heading(self):
        return period_heading(self.period)

    @property
    def previous_phrase(self):
        return period_phrase(self.previous) if self.previous else ""

    @property
    def previous_heading(self):
        return period_heading(self.previous) if self.previous else "Kỳ trước"

    @property
    def letterhead(self):
        # Before issue the signer writes the day and month by hand; the year is that in
        # which the report is due.
        date = self.draft.issued_on if self.is_issued else None
        return Letterhead.for_agency(
            self.issuer,
            number=number_line(self.number, "BC", self.issuer.code),
            date_line=vietnamese_date_line(
                self.plan.place or "", date, year=self.period.due.year
            ),
            kind="BÁO CÁO",
            title=self.title,
            addressees=[self.province.name],
        )

    @property
    def signer(self):
        """(authority, title, name): the report's own copy, else the issuer's signer."""
        draft = self.draft
        if draft and (draft.signer_authority or draft.signer_title or draft.signer_name):
            return draft.signer_authority, draft.signer_title, draft.signer_name
        default = getattr(self.issuer, "signer", None)
        if default is not None:
            return default.authority, default.title, default.name
        return DEFAULT_SIGNER

    @property
    def signature(self):
        authority, title, name = self.signer
        return Signature(
            authority=authority,
            title=title,
            name=name,
            recipients=["Như trên;", "Giám đốc Sở (b/c);", "Lưu: VT, CCHC."],
        )

    @property
    def plan_reference(self):
        """How the report names the plan it reports on."""
        plan = self.plan
        text = f"Kế hoạch {lower_first(subject(plan.title))}"
        if plan.decision_number:
            text += f" ban hành kèm theo Quyết định số {plan.decision_number}"
            if plan.decision_date:
                text += f" ngày {short_date(plan.decision_date)}"
            text += f" của {plan.issuer.name}"
        elif plan.document_number:
            text += f" số {plan.document_number}"
            if plan.issued_on:
                text += f" ngày {short_date(plan.issued_on)}"
            text += f" của {plan.issuer.name}"
        return text

    @property
    def introduction(self):
        """The opening paragraphs: the coordinator's, else the standard one."""
        if self.draft and self.draft.introduction.strip():
            return [line.strip() for line in self.draft.introduction.splitlines() if line.strip()]
        issuer = self.issuer.display_name
        return [
            f"Thực hiện {self.plan_reference}, {issuer} báo cáo kết quả thực hiện "
            f"{period_phrase(self.period)} (số liệu từ ngày {short_date(self.period.start)} "
            f"đến ngày {short_date(self.as_of)}) như sau:"
        ]

    @property
    def following_phrase(self):
        return evaluation.following_phrase(self.period)

    @cached_property
    def evaluation_prefill(self):
        """Section II's five parts as drawn from the agencies' reports: field → text."""
        return evaluation.prefill(self, self.agency_reports)

    @property
    def evaluation(self):
        """Section II as printed: ``evaluation.Part`` each, written or prefilled."""
        return evaluation.parts(self)

    @property
    def late_in_annex(self):
        return len(self.late_rows) > BODY_LATE_ROWS

    @property
    def reporting_agencies(self):
        return len(self.report_cells)

    @property
    def filename_stem(self):
        parts = ["BC", self.period.code, str(self.period.year), slug(self.plan.place)]
        return "-".join(part for part in parts if part)

    # -- the tables ----------------------------------------------------------------------

    @property
    def comparison_columns(self):
        """The previous period's column and the change, when there is a previous period."""
        if self.previous is None:
            return []
        return [
            Column(self.previous_heading, "number", "num"),
            Column("Tăng (+), giảm (−)", "change", "num"),
        ]

    def compared(self, rows):
        """Rows ending with (previous, change), cut to the columns the table has."""
        return rows if self.previous is not None else [row[:-2] for row in rows]

    def overview_table(self):
        now, before = self.now, self.before
        columns = [
            Column("Nội dung"),
            Column(self.period_heading, "number", "num"),
            *self.comparison_columns,
        ]

        def row(label, value, previous):
            change = None if previous is None or value is None else value - previous
            if isinstance(value, Percent) and change is not None:
                change = Percent(change)
            return [label, value, previous, change]

        def pct(value):
            return None if value is None else Percent(value)

        def of(snap, getter):
            return None if snap is None else getter(snap)

        rows = [
            row("Tổng số nhiệm vụ trọng điểm", now.statuses.total,
                of(before, lambda s: s.statuses.total)),
        ]
        for status in STATUS_ORDER:
            rows.append(row(
                f"Nhiệm vụ {STATUS_WORDS[status].lower()}",
                getattr(now.statuses, status.value),
                of(before, lambda s, st=status: getattr(s.statuses, st.value)),
            ))
        rows += [
            row("Nhiệm vụ quá hạn", now.statuses.overdue, of(before, lambda s: s.statuses.overdue)),
            row("Nhiệm vụ có nguy cơ chậm tiến độ", len(now.at_risk),
                of(before, lambda s: len(s.at_risk))),
            row("Nhiệm vụ đến hạn trong kỳ", now.on_time.counted,
                of(before, lambda s: s.on_time.counted)),
            row("Nhiệm vụ đến hạn trong kỳ hoàn thành đúng hạn", now.on_time.on_time,
                of(before, lambda s: s.on_time.on_time)),
            row("Tỷ lệ hoàn thành đúng hạn", pct(now.on_time.percent),
                of(before, lambda s: pct(s.on_time.percent))),
            row("Tỷ lệ hoàn thành kế hoạch", pct(now.completion),
                of(before, lambda s: pct(s.completion))),
        ]
        return Table("overview", "Tổng quan", "Tổng hợp tình hình thực hiện nhiệm vụ", columns,
                     self.compared(rows))

    def completeness_table(self):
        sub = self.submissions
        totals = self.report_totals
        columns = [
            Column("Tình trạng"),
            Column("Kế hoạch của cơ quan, đơn vị", "number", "num"),
            Column(f"Báo cáo {self.period_heading}", "number", "num"),
        ]
        rows = [
            ["Đúng hạn", sub.on_time, totals[Completeness.ON_TIME]],
            ["Trễ hạn", sub.late, totals[Completeness.LATE]],
            ["Đang soạn, trả lại để bổ sung", None,
             totals[Completeness.DRAFT] + totals[Completeness.RETURNED]],
            ["Chưa đến hạn", sub.pending, totals[Completeness.NOT_DUE]],
            ["Chưa gửi", sub.missing, totals[Completeness.MISSING]],
            ["Tổng số cơ quan, đơn vị", sub.addressed, self.reporting_agencies],
        ]
        return Table("completeness", "Kế hoạch, báo cáo",
                     "Tình hình gửi kế hoạch và báo cáo của các cơ quan, đơn vị", columns, rows)

    def channel_table(self):
        columns = [
            Column("Hình thức tuyên truyền", css="col-channel"),
            Column("Loại", css="col-kind"),
            Column("Số liệu"),
            Column("Đơn vị tính", css="col-unit"),
            Column(self.period_heading, "number", "num"),
            *self.comparison_columns,
        ]
        rows = [
            [
                row.measure.channel.name,
                "Trực tuyến" if row.measure.channel.is_online else "Truyền thống",
                row.measure.name,
                row.measure.unit,
                row.current,
                row.previous,
                row.change,
            ]
            for row in self.measure_rows
        ]
        return Table("channels", "Số liệu theo hình thức",
                     "Kết quả tuyên truyền theo hình thức", columns, self.compared(rows))

    def target_table(self):
        columns = [
            Column("STT", "number", "col-no center"),
            Column("Chỉ số", css="col-indicator"),
            Column("Nội dung chỉ tiêu"),
            Column("Hiện trạng", css="col-value"),
            Column("Chỉ tiêu", css="col-value"),
            Column("Kết quả", css="col-value"),
            Column("Nguồn số liệu", css="col-source"),
            Column("Đánh giá", css="col-value"),
        ]
        rows = [
            [index, row.target.indicator, row.target.description, row.baseline, row.goal,
             row.actual, row.source, row.assessment_words]
            for index, row in enumerate(self.target_rows, start=1)
        ]
        return Table("targets", "Chỉ tiêu", "Kết quả thực hiện các chỉ tiêu", columns, rows)

    def late_table(self, *, shorten=False):
        columns = [
            Column("STT", "number", "col-no center"),
            Column("Nhiệm vụ", css="col-task"),
            Column("Cơ quan chủ trì", css="col-lead"),
            Column("Thời hạn", "date", "col-date center"),
            Column("Tiến độ (%)", "number", "num col-pct"),
            Column("Số ngày quá hạn", "number", "num col-days"),
            Column("Ghi chú", css="col-note"),
        ]
        rows = [
            [
                row.task.number,
                row.task.title,
                row.short_leads if shorten else row.leads,
                row.task.due_date,
                row.state.percent,
                row.days_late if row.is_overdue else None,
                "Quá hạn" if row.is_overdue else "Có nguy cơ chậm tiến độ",
            ]
            for row in self.late_rows
        ]
        return Table("late", "Quá hạn, nguy cơ",
                     "Nhiệm vụ quá hạn và có nguy cơ chậm tiến độ", columns, rows)

    def task_table(self, *, shorten=False):
        columns = [
            Column("STT", "number", "col-no center"),
            Column("Nhiệm vụ", css="col-task"),
            Column("Cơ quan chủ trì", css="col-lead"),
            Column("Thời gian thực hiện", css="col-timeline"),
            Column("Tình trạng", css="col-status"),
            Column("Tiến độ (%)", "number", "num col-pct"),
            Column("Kết quả trong kỳ", css="col-result"),
        ]
        rows = []
        for row in self.task_rows:
            narrative = row.narrative
            if shorten and len(narrative) > NARRATIVE_CHARS:
                narrative = narrative[: NARRATIVE_CHARS - 1].rstrip() + "…"
            status = row.status_words
            if row.is_overdue:
                status += f" (quá hạn {row.days_late} ngày)"
            leads = row.short_leads if shorten else row.leads
            rows.append([row.task.number, row.task.title, leads, row.deadline, status,
                         row.state.percent, narrative])
        return Table("tasks", "Nhiệm vụ", "Kết quả thực hiện các nhiệm vụ trọng điểm", columns,
                     rows)

    def agency_table(self):
        columns = [
            Column("STT", "number", "col-no center"),
            Column("Cơ quan, đơn vị", css="col-agency"),
            Column("Nhiệm vụ được giao", "number", "num"),
            Column(STATUS_WORDS[Status.DONE], "number", "num"),
            Column(STATUS_WORDS[Status.IN_PROGRESS], "number", "num"),
            Column(STATUS_WORDS[Status.NOT_STARTED], "number", "num"),
            Column("Quá hạn", "number", "num"),
            Column("Tỷ lệ hoàn thành", "number", "num"),
            Column("Cập nhật trong kỳ", "number", "num"),
            Column("Kế hoạch của cơ quan", css="col-state"),
            Column(f"Báo cáo {self.period_heading}", css="col-state"),
        ]
        rows = []
        for index, row in enumerate(self.agency_rows, start=1):
            share = row.percent_done
            rows.append([
                index,
                row.agency.name,
                row.assignments,
                row.done,
                row.in_progress,
                row.not_started,
                row.overdue,
                None if share is None else Percent(share),
                row.updates,
                SUBMISSION_WORDS.get(row.plan_state, ""),
                COMPLETENESS_WORDS.get(row.report_state, ""),
            ])
        return Table("agencies", "Cơ quan", "Kết quả thực hiện theo cơ quan, đơn vị", columns,
                     rows)

    @property
    def tables(self):
        """Every table of the report, in the order of the document (the xlsx sheets)."""
        return [
            self.overview_table(),
            self.completeness_table(),
            self.channel_table(),
            self.target_table(),
            self.late_table(),
            self.task_table(),
            self.agency_table(),
        ]

    @property
    def document_tables(self):
        """The same tables for the PDF, with long narratives shortened."""
        tables = {table.key: table for table in self.tables}
        tables["tasks"] = self.task_table(shorten=True)
        tables["late"] = self.late_table(shorten=True)
        return tables

    @property
    def online_channels(self):
        return self.scoring.online

    @property
    def traditional_channels(self):
        return self.scoring.traditional


# ---------------------------------------------------------------------------------------------
# Building it


def province_of(agency):
    while agency.parent_id:
        agency = agency.parent
    return agency


def report_issuer(plan, province):
    """The agency of code ``settings.SUMMARY_REPORT_ISSUER``; when empty (or no agency has
    it), the Sở Nội vụ of the plan's province, else the plan's issuer."""
    code = settings.SUMMARY_REPORT_ISSUER
    found = None
    if code:
        found = Agency.objects.select_related("parent", "signer").filter(code=code).first()
        if found is None:
            logger.warning("SUMMARY_REPORT_ISSUER=%r: no agency has this code", code)
    if found is None:
        found = (
            Agency.objects.select_related("parent", "signer")
            .filter(parent=province, name__startswith="Sở Nội vụ", dissolved_on__isnull=True)
            .order_by("pk")
            .first()
        )
    return found or plan.issuer


def _summary_lists(plan, year, code):
    """What the summary reads whole, in one query (``cchc_plans.lists``): the plan's tasks
    with their lead groups, the agencies that report on it with their successors, the
    measure catalogue with its channels, the period's draft, the targets with their actuals.
    """
    reporting = reporting_agencies(plan)
    lists = {
        "tasks": ShortList(Task, plan.tasks.all(), every_field(Task), ("number", "pk")),
        "lead_groups": ShortList(
            AgencyGroup, AgencyGroup.objects.filter(led_tasks__plan=plan),
            every_field(AgencyGroup), ("name", "pk"), extra=(("task_id", F("led_tasks__id")),),
        ),
        "agencies": ShortList(Agency, reporting, every_field(Agency), ("name", "pk")),
        "successors": ShortList(
            Agency, Agency.objects.filter(pk__in=reporting.values("successor")),
            every_field(Agency), ("pk",),
        ),
        "measures": ShortList(Measure, Measure.objects.all(), every_field(Measure), MEASURE_ORDER),
        "channels": ShortList(Channel, Channel.objects.all(), every_field(Channel), ("pk",)),
        "draft": ShortList(
            ReportDraft, ReportDraft.objects.filter(plan=plan, year=year, period_code=code),
            every_field(ReportDraft), ("pk",),
        ),
        **target_lists(plan),
    }
    loaded = read_lists(lists, plan._state.db)
    for task in loaded["tasks"]:
        task.plan = plan
    prefetch_into(loaded["tasks"], "lead_groups", loaded["lead_groups"], "task_id")
    attach(loaded["agencies"], "successor", loaded["successors"])
    attach(loaded["measures"], "channel", loaded["channels"])
    loaded["targets"] = attach_actuals(plan, loaded)
    return loaded


def build_summary(plan, year, code, *, today=None):
    """Everything the summary report of ``plan`` for the period ``year``/``code`` shows.

    Raises ``ValidationError`` when the plan asks for no report for that period.
    """
    today = today or timezone.localdate()
    period = plan_period(plan, year, code)
    as_of = min(period.end, today)
    previous = previous_period(period, plan.reporting_periods)
    if previous.year < plan.period_start_year:
        previous = None
    following = following_period(plan, period)

    province = province_of(plan.issuer)
    issuer = report_issuer(plan, province)
    lists = _summary_lists(plan, year, code)
    tasks = lists["tasks"]
    assignments = list(
        Assignment.objects.filter(task__plan=plan)
        .select_related("agency")
        .order_by("task_id", "role", "agency__name", "pk")
    )
    history = assignment_history(plan, day_end(as_of))
    now = snapshot(tasks, assignments, history, as_of, risk_until=following.end,
                   due_from=period.start)
    before = None
    if previous is not None:
        before = snapshot(tasks, assignments, history, previous.end, risk_until=period.end,
                          due_from=previous.start)
    narratives, update_counts = period_updates(plan, period, as_of)

    by_task = defaultdict(list)
    for assignment in assignments:
        by_task[assignment.task_id].append(assignment)
    names = {a.agency_id: a.agency.display_name for a in assignments}
    task_rows = []
    for task in tasks:
        mine = by_task.get(task.pk, [])
        narrative = ""
        if task.pk in narratives:
            agency_id, text = narratives[task.pk]
            narrative = " ".join(text.split())
            if len({a.agency_id for a in mine}) > 1:
                narrative = f"{names.get(agency_id, '')}: {narrative}"
        state = now.tasks[task.pk]
        overdue = task.pk in now.overdue
        task_rows.append(TaskRow(
            task=task,
            state=state,
            lead_names=lead_names(task, mine),
            narrative=narrative,
            is_overdue=overdue,
            is_at_risk=task.pk in now.at_risk,
            days_late=days_late(task, as_of) if overdue else 0,
        ))
    late_rows = sorted(
        (row for row in task_rows if row.is_overdue),
        key=lambda row: (-row.days_late, row.task.number),
    ) + sorted(
        (row for row in task_rows if row.is_at_risk),
        key=lambda row: (row.task.due_date, row.task.number),
    )

    # The agencies' reports of the period and the one before, read once for the
    # completeness, the figures and the evaluation.
    periods = [period, previous] if previous else [period]
    reports = list(
        reports_of_periods(plan, periods)
        .select_related("agency")
        .only(*{*COMPLETENESS_FIELDS, *evaluation.REPORT_FIELDS})
        .order_by(*evaluation.REPORT_ORDER)
    )

    # Completeness: the agencies' own plans at as_of, their periodic reports as they stand.
    submissions = submission_completeness(plan, as_of=as_of)
    agencies = lists["agencies"]
    report_cells = completeness_rows(plan=plan, periods=[period], agencies=agencies,
                                     today=today, reports=reports)
    report_totals = completeness_totals(report_cells, [period])[period.key]

    agency_rows = rank_agencies(
        tasks, assignments, now, agencies, submissions, report_cells, update_counts
    )

    # Figures per channel, of the period and the one before together.
    figures, *before_figures = periods_figures(plan, periods, reports)
    previous_figures = before_figures[0] if before_figures else None
    rows, channels = measure_rows(figures, previous_figures, catalogue=lists["measures"])

    online = [c.name for c in channels if c.is_online]
    traditional = [c.name for c in channels if not c.is_online]
    summary = Summary(
        plan=plan,
        period=period,
        previous=previous,
        following=following,
        kind=SummaryKind.ANNUAL if code == "Y" else SummaryKind.PERIOD,
        as_of=as_of,
        today=today,
        issuer=issuer,
        province=province,
        draft=next(iter(lists["draft"]), None),
        now=now,
        before=before,
        task_rows=task_rows,
        agency_rows=agency_rows,
        late_rows=late_rows,
        submissions=submissions,
        report_cells=report_cells,
        report_totals=report_totals,
        measure_rows=rows,
        channels=channels,
        figures=figures,
        target_rows=target_rows(lists["targets"], period),
        scoring=Scoring(
            done=now.statuses.done, planned=now.planned, online=online, traditional=traditional
        ),
        agency_reports=evaluation.submitted_reports(plan, period, reports),
    )
    summary.charts = summary_charts(summary)
    return summary


# ---------------------------------------------------------------------------------------------
# The document's template context


def annex_subtitle(summary):
    """ "(Kèm theo Báo cáo số 12/BC-SNV ngày 05/04/2022 của Sở Nội vụ tỉnh Khánh Hòa)"."""
    issuer = summary.issuer.name
    if summary.is_issued:
        return (
            f"(Kèm theo Báo cáo số {summary.number} ngày "
            f"{short_date(summary.draft.issued_on)} của {issuer})"
        )
    return f"(Kèm theo Báo cáo số …/BC-{summary.issuer.code} của {issuer})"


def table_captions(summary, tables):
    """ "Bảng 2. …": the body's tables numbered in the order printed, those left out (a
    sentence said there was nothing to show) skipped, so the numbers run 1, 2, 3…"""
    shown = [
        ("overview", True),
        ("late", bool(summary.late_rows)),
        ("channels", bool(summary.measure_rows)),
        ("completeness", True),
        ("targets", bool(summary.target_rows)),
    ]
    captions = {}
    for number, key in enumerate((key for key, printed in shown if printed), start=1):
        captions[key] = f"Bảng {number}. {tables[key].title}"
    if "late" in captions and summary.late_in_annex:
        captions["late"] += " (trích)"
    return captions


def document_context(summary):
    """The context of ``documents/summary.html``: the PDF and its HTML preview."""
    tables = summary.document_tables
    agencies = agency_totals(summary.agency_rows)
    parts = summary.evaluation
    last = next((part for part in reversed(parts) if part.lines), None)
    if last is not None:
        last.lines[-1] = close_text(last.lines[-1])
    scoring = summary.scoring
    return {
        "summary": summary,
        "document_title": f"Báo cáo {lower_first(summary.title)}",
        "letterhead": summary.letterhead,
        "signature": summary.signature,
        "tables": tables,
        "body_late": tables["late"].head(BODY_LATE_ROWS),
        "carrying": agencies.carrying,
        "all_done": agencies.all_done,
        "with_overdue": agencies.with_overdue,
        "points": {
            "total": decimal_text(scoring.points),
            "completion": decimal_text(scoring.completion_points),
            "channels": decimal_text(scoring.channel_points),
        },
        "evaluation": parts,
        "captions": chart_captions(summary.charts),
        "table_captions": table_captions(summary, tables),
        "subtitle": annex_subtitle(summary),
    }
