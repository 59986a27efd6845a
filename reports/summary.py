"""The summary report of a plan for one reporting period: every number it shows, built once.

``build_summary(plan, year, code)`` reads the plan, its key tasks, their assignments and
progress history, the agencies' own plans and periodic reports, and returns a ``Summary``.
The HTML preview, the PDF (``templates/documents/summary.html``), the xlsx
(``reports/xlsx.py``) and the report page all read that one object, and the tables they show
are the ``Table`` objects of ``Summary.tables``: the same rows, the same numbers.
A fixed number of queries, whatever the number of tasks, assignments or updates.

**As of.** A summary describes the plan as it stood at the end of the period's data
cut-off (``period.end``: 14/03/2022 for Q1 2022 under Decree 09/2019, 31/03/2022 with
calendar quarters), or today while the period is still running: that day is ``as_of``.
Each assignment's status and percent at ``as_of`` are those of its last progress update
posted on or before that day (none: not started; cancelled when its agency was dissolved on
or before that day and it was closed without an update); a task rolls up from its
assignments exactly as ``tasks.services.refresh_task_status`` does. Overdue, at risk,
on-time completion and the agencies' plans sent are all measured at ``as_of``; the previous
period is measured the same way at its own end, so "change since the previous period"
compares like with like. Periodic agency reports are written after a period ends, so they
count as they stand when the summary is built (``today``).

**Figures per channel.** For each agency: the figures of its periodic report for the
period when that report is submitted or accepted (the agency's own account, reviewed by
the Sở Nội vụ); otherwise the sum of the figures of its progress updates on the plan's
tasks posted within the period's bounds. Never both for one agency: a report is prefilled
from those same updates, so adding them would count twice. Drafts and returned reports do
not count.

**At risk.** A dated task (not ongoing, recurring or following another plan) that is not
finished at ``as_of``, is not yet overdue, falls due by the end of the plan's next
reporting period, and stands below 50 %.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from agencies.models import Agency
from documents.pdf import Letterhead, Signature, close_text, number_line, vietnamese_date_line
from documents.plan import UNIT_FORMATS, decimal_text, lower_first, short_date, slug, subject
from periodic.models import AgencyReport, AgencyReportFigure, Completeness, ReportStatus
from periodic.services import (
    completeness_rows,
    completeness_totals,
    period_datetimes,
    plan_period,
    reporting_agencies,
)
from plans.models import Measure, SubmissionState
from plans.periods import ROMAN, expand_codes, make_period, previous_period
from tasks.models import Assignment, AssignmentRole, ProgressUpdate, Status, UpdateFigure
from tasks.services import roll_up as task_roll_up
from tasks.timeline import ScheduleKind

from . import charts
from .models import ReportDraft, SummaryKind
from .selectors import (
    FINISHED,
    STATUS_ORDER,
    ChannelFigures,
    OnTimeRate,
    StatusCounts,
    percent,
    submission_completeness,
)

AT_RISK_BELOW = 50  # percent
UNDATED = {ScheduleKind.ONGOING, ScheduleKind.RECURRING, ScheduleKind.FOLLOWS}
NOT_OVERDUE_KINDS = {ScheduleKind.ONGOING, ScheduleKind.RECURRING}
# Overdue and at-risk tasks stay in the body of the report up to this many rows;
# a longer list moves to an annex.
BODY_LATE_ROWS = 10
NARRATIVE_CHARS = 400  # in the PDF; the xlsx keeps the whole text

# The document is a Vietnamese administrative report: its wording is Vietnamese in every
# interface language, as the plan document's is (documents/plan.py).
STATUS_WORDS = {
    Status.NOT_STARTED: "Chưa triển khai",
    Status.IN_PROGRESS: "Đang thực hiện",
    Status.DONE: "Hoàn thành",
    Status.CANCELLED: "Dừng thực hiện",
}
SUBMISSION_WORDS = {
    SubmissionState.ON_TIME: "Đúng hạn",
    SubmissionState.LATE: "Trễ hạn",
    SubmissionState.PENDING: "Chưa đến hạn",
    SubmissionState.MISSING: "Chưa gửi",
}
COMPLETENESS_WORDS = {
    Completeness.ON_TIME: "Đúng hạn",
    Completeness.LATE: "Trễ hạn",
    Completeness.MISSING: "Chưa gửi",
    Completeness.RETURNED: "Trả lại để bổ sung",
    Completeness.DRAFT: "Đang soạn",
    Completeness.NOT_DUE: "Chưa đến hạn",
}
TARGET_WORDS = {"met": "Đạt", "not_met": "Chưa đạt", "no_data": "Chưa có số liệu"}
OFFICIAL_REPORTS = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)


# ---------------------------------------------------------------------------------------------
# Period wording


def period_phrase(period):
    """The period inside a sentence: "quý I năm 2022", "06 tháng đầu năm 2022", "năm 2022"."""
    code, year = period.code, period.year
    if code in ("Q1", "Q2", "Q3", "Q4"):
        return f"quý {ROMAN[int(code[1])]} năm {year}"
    if code == "H1":
        return f"06 tháng đầu năm {year}"
    if code == "M9":
        return f"09 tháng đầu năm {year}"
    if code == "Y":
        return f"năm {year}"
    return f"tháng {code[1:]} năm {year}"


def period_heading(period):
    """The period as a column heading: "Quý I/2022", "6 tháng 2022", "Năm 2022"."""
    code, year = period.code, period.year
    if code in ("Q1", "Q2", "Q3", "Q4"):
        return f"Quý {ROMAN[int(code[1])]}/{year}"
    if code == "H1":
        return f"6 tháng/{year}"
    if code == "M9":
        return f"9 tháng/{year}"
    if code == "Y":
        return f"Năm {year}"
    return f"Tháng {code[1:]}/{year}"


def day_end(day):
    """The first moment after ``day`` in local time: what "on or before ``day``" stops at."""
    return datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time.min, tzinfo=timezone.get_current_timezone()
    )


def following_period(plan, period):
    """The plan's next reporting period after ``period`` (the next year's first at the end)."""
    codes = expand_codes(plan.reporting_periods) or [period.code]
    candidates = [
        make_period(year, code, period.cutoff, period.due_day)
        for year in (period.year, period.year + 1)
        for code in codes
    ]
    later = [p for p in candidates if p.end > period.end]
    return min(later, key=lambda p: (p.end, -p.start.toordinal()))


# ---------------------------------------------------------------------------------------------
# The plan at one date, rebuilt from the progress history


@dataclass(frozen=True)
class State:
    status: str
    percent: int


NOT_STARTED = State(Status.NOT_STARTED, 0)


def roll_up(states):
    """A task's state from its assignments' ``(role, State)``, by ``tasks.services.roll_up``."""
    return State(*task_roll_up((role, state.status, state.percent) for role, state in states))


@dataclass
class Snapshot:
    """Task and assignment states at ``as_of``, and what they add up to."""

    as_of: datetime.date
    assignments: dict  # assignment id -> State
    tasks: dict  # task id -> State
    completed_at: dict  # task id -> datetime the task was last brought to done, or None
    statuses: StatusCounts
    on_time: OnTimeRate
    overdue: set  # task ids
    at_risk: set  # task ids

    def state(self, task):
        return self.tasks[task.pk]

    @property
    def planned(self):
        """Tasks the plan still means to carry out (cancelled ones left out)."""
        return self.statuses.total - self.statuses.cancelled

    @property
    def completion(self):
        """Share of the planned tasks done, in whole percent (None when nothing is planned)."""
        return percent(self.statuses.done, self.planned)


def is_overdue(task, state, as_of):
    return (
        task.due_date is not None
        and task.due_date < as_of
        and task.schedule_kind not in NOT_OVERDUE_KINDS
        and state.status not in FINISHED
    )


def snapshot(tasks, assignments, history, as_of, *, risk_until=None):
    """The plan at the end of ``as_of`` (local date), from the updates in ``history``.

    ``history`` maps an assignment id to its updates ``(created_at, status, percent)`` in
    chronological order. ``risk_until``: the last due date that counts as "at risk".
    """
    cutoff = day_end(as_of)
    states, reached = {}, {}
    for assignment in assignments:
        state, reached_done = NOT_STARTED, None
        updates = history.get(assignment.pk, ())
        for created_at, status, pct in updates:
            if created_at >= cutoff:
                break
            if status == Status.DONE and state.status != Status.DONE:
                reached_done = created_at
            elif status != Status.DONE:
                reached_done = None
            state = State(status, pct)
        dissolved = assignment.agency.dissolved_on
        closed_without_update = assignment.status == Status.CANCELLED and not any(
            status == Status.CANCELLED for _at, status, _pct in updates
        )
        if closed_without_update and dissolved and dissolved <= as_of:
            state = State(Status.CANCELLED, 0)
        states[assignment.pk] = state
        reached[assignment.pk] = reached_done

    by_task = defaultdict(list)
    for assignment in assignments:
        by_task[assignment.task_id].append(assignment)
    task_states, completed_at, overdue, at_risk = {}, {}, set(), set()
    counts = dict.fromkeys([s.value for s in STATUS_ORDER], 0)
    on_time = counted = 0
    for task in tasks:
        mine = by_task.get(task.pk, [])
        state = roll_up([(a.role, states[a.pk]) for a in mine])
        task_states[task.pk] = state
        counts[state.status] += 1
        carrying = [a for a in mine if a.role == AssignmentRole.LEAD] or mine
        finished = [
            reached[a.pk] for a in carrying
            if states[a.pk].status == Status.DONE and reached[a.pk] is not None
        ]
        completed_at[task.pk] = max(finished) if finished else None
        if state.status == Status.DONE and task.due_date is not None:
            counted += 1
            done_at = completed_at[task.pk]
            if done_at is not None and timezone.localdate(done_at) <= task.due_date:
                on_time += 1
        if is_overdue(task, state, as_of):
            overdue.add(task.pk)
        elif (
            risk_until is not None
            and task.due_date is not None
            and task.schedule_kind not in UNDATED
            and state.status not in FINISHED
            and as_of <= task.due_date <= risk_until
            and state.percent < AT_RISK_BELOW
        ):
            at_risk.add(task.pk)
    return Snapshot(
        as_of=as_of,
        assignments=states,
        tasks=task_states,
        completed_at=completed_at,
        statuses=StatusCounts(**counts, overdue=len(overdue)),
        on_time=OnTimeRate(on_time=on_time, counted=counted),
        overdue=overdue,
        at_risk=at_risk,
    )


# ---------------------------------------------------------------------------------------------
# Figures per channel


@dataclass
class MeasureRow:
    measure: Measure
    current: int = 0
    previous: int | None = None

    @property
    def change(self):
        return None if self.previous is None else self.current - self.previous


@dataclass
class Figures:
    """Per agency and measure, the figures of one period; where each agency's came from."""

    by_agency: dict  # agency id -> {measure id: total}
    from_reports: set  # agency ids whose submitted or accepted report gave their figures

    def totals(self):
        totals = defaultdict(int)
        for figures in self.by_agency.values():
            for measure_id, value in figures.items():
                totals[measure_id] += value
        return totals

    @property
    def from_updates(self):
        return {agency for agency in self.by_agency if agency not in self.from_reports}


def period_figures(plan, period, reports):
    """Figures of ``period`` by the rule of the module docstring: two queries."""
    official = {
        report.agency_id: report.pk
        for report in reports
        if report.year == period.year
        and report.period_code == period.code
        and report.status in OFFICIAL_REPORTS
    }
    by_agency = defaultdict(lambda: defaultdict(int))
    rows = AgencyReportFigure.objects.filter(report__in=list(official.values())).values_list(
        "report__agency_id", "measure_id", "value"
    )
    for agency_id, measure_id, value in rows:
        by_agency[agency_id][measure_id] += value
    start, end = period_datetimes(period)
    rows = (
        UpdateFigure.objects.filter(
            update__assignment__task__plan=plan,
            update__created_at__gte=start,
            update__created_at__lt=end,
        )
        .exclude(update__assignment__agency__in=list(official))
        .values_list("update__assignment__agency_id", "measure_id")
        .annotate(total=Sum("value"))
        .order_by()
    )
    for agency_id, measure_id, total in rows:
        by_agency[agency_id][measure_id] += total
    by_agency = {
        agency: {m: v for m, v in figures.items() if v}
        for agency, figures in by_agency.items()
        if any(figures.values())
    }
    return Figures(by_agency=by_agency, from_reports=set(official) & set(by_agency))


# ---------------------------------------------------------------------------------------------
# Rows of the tables


LEAD_NAMES_SHOWN = 4  # in the PDF; the xlsx names every lead


@dataclass
class TaskRow:
    task: object
    state: State
    lead_names: list
    narrative: str
    is_overdue: bool
    is_at_risk: bool
    days_late: int

    @property
    def leads(self):
        return "; ".join(self.lead_names)

    @property
    def short_leads(self):
        """The leads, the first few named and the others counted."""
        if len(self.lead_names) <= LEAD_NAMES_SHOWN + 1:
            return self.leads
        shown = "; ".join(self.lead_names[:LEAD_NAMES_SHOWN])
        return f"{shown} và {len(self.lead_names) - LEAD_NAMES_SHOWN} cơ quan khác"

    @property
    def status_words(self):
        return STATUS_WORDS[self.state.status]

    @property
    def deadline(self):
        return self.task.timeline_text or short_date(self.task.due_date)


@dataclass
class AgencyRow:
    agency: Agency
    assignments: int = 0
    done: int = 0
    in_progress: int = 0
    not_started: int = 0
    overdue: int = 0
    updates: int = 0
    plan_state: str = ""  # SubmissionState, or "" when the plan does not address the agency
    report_state: str = ""  # Completeness of the period's report

    @property
    def display_name(self):
        return self.agency.display_name

    @property
    def percent_done(self):
        return percent(self.done, self.assignments)


@dataclass
class TargetRow:
    target: object
    baseline: str
    goal: str
    actual: str
    assessment: str  # met / not_met / no_data

    @property
    def assessment_words(self):
        return TARGET_WORDS[self.assessment]


def target_value(target, value):
    if value is None:
        return ""
    return UNIT_FORMATS.get(target.unit, "{}").format(decimal_text(value))


def target_rows(targets):
    rows = []
    for target in targets:
        baseline = target_value(target, target.baseline)
        if target.baseline_label:
            label = target.baseline_label
            baseline = f"{baseline} ({label})" if baseline else label
        if target.actual_value is None:
            assessment = "no_data"
        elif target.lower_is_better:
            assessment = "met" if target.actual_value <= target.target_value else "not_met"
        else:
            assessment = "met" if target.actual_value >= target.target_value else "not_met"
        rows.append(TargetRow(
            target=target,
            baseline=baseline,
            goal=target_value(target, target.target_value),
            actual=target_value(target, target.actual_value),
            assessment=assessment,
        ))
    return rows


def lead_names(task, assignments):
    """Who leads the task: its lead groups, then the agencies it names itself."""
    names = []
    for group in task.lead_groups.all():
        members = sum(1 for a in assignments if a.via_group_id == group.pk)
        names.append(f"{group.name} ({members} cơ quan)" if members else group.name)
    names += [
        a.agency.display_name
        for a in assignments
        if a.role == AssignmentRole.LEAD and a.via_group_id is None
    ]
    if names:
        return names
    if assignments:
        return ["Không giao chủ trì (các cơ quan phối hợp thực hiện)"]
    return ["Chưa phân công"]


# ---------------------------------------------------------------------------------------------
# Tables: what the PDF, the preview and the xlsx show, cell for cell


class Percent(int):
    """A whole percentage: shown "63%", written to the xlsx as the number 63."""


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = "text"  # text, number, change, date
    css: str = ""


@dataclass
class Table:
    key: str
    sheet: str  # the xlsx sheet name (≤ 31 characters)
    title: str
    columns: list
    rows: list = field(default_factory=list)

    @property
    def cells(self):
        return [
            [(display(value, column.kind), column.css)
             for value, column in zip(row, self.columns, strict=True)]
            for row in self.rows
        ]

    def head(self, count):
        """The same table with its first ``count`` rows."""
        return Table(self.key, self.sheet, self.title, self.columns, self.rows[:count])

    def row(self, label):
        """The first row whose first cell is ``label``."""
        return next(row for row in self.rows if row[0] == label)


def number_text(value):
    return decimal_text(int(value))


def display(value, kind="text"):
    """A cell as the document prints it: 1.234, 63%, +3 / −2, 05/04/2022, – for nothing."""
    if value is None or value == "":
        return "–" if kind != "text" else ""
    if isinstance(value, datetime.date):
        return short_date(value)
    if isinstance(value, Percent):
        text = f"{int(value)}%"
    elif isinstance(value, int) and not isinstance(value, bool):
        text = number_text(abs(value) if kind == "change" else value)
    else:
        return str(value)
    if kind == "change":
        # A change of a percentage is in percentage points: a plain signed number.
        text = number_text(abs(int(value)))
        return "0" if value == 0 else ("+" if value > 0 else "−") + text
    return text


# ---------------------------------------------------------------------------------------------
# The summary


@dataclass
class Scoring:
    """The CCHC index's communication criterion (DESIGN.md), as an indication."""

    done: int
    planned: int
    online: list  # channel names used in the period
    traditional: list

    @property
    def share(self):
        return percent(self.done, self.planned)

    @property
    def completion_points(self):
        # 100 % → 1; 90–100 % → completed ÷ planned; below 90 % → 0.
        if not self.planned:
            return Decimal(0)
        if self.done >= self.planned:
            return Decimal(1)
        ratio = Decimal(self.done) / Decimal(self.planned)
        return ratio.quantize(Decimal("0.01")) if ratio >= Decimal("0.9") else Decimal(0)

    @property
    def channel_points(self):
        return Decimal("0.5") * (bool(self.online) + bool(self.traditional))

    @property
    def points(self):
        return self.completion_points + self.channel_points


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
    submissions: object  # selectors.SubmissionSummary at as_of
    report_cells: list  # services.CompletenessRow for the period
    report_totals: dict  # Completeness state -> agencies
    measure_rows: list
    channels: list  # selectors.ChannelFigures of the period, for the chart
    figures: Figures
    target_rows: list
    scoring: Scoring
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
        date = self.draft.issued_on if self.is_issued else None
        return Letterhead.for_agency(
            self.issuer,
            number=number_line(self.number, "BC", self.issuer.code),
            date_line=vietnamese_date_line(self.plan.place or "", date),
            kind="BÁO CÁO",
            title=self.title,
            addressees=[self.province.name],
        )

    @property
    def signature(self):
        signer = getattr(settings, "SUMMARY_REPORT_SIGNER", None) or {}
        return Signature(
            authority=signer.get("authority", "KT. GIÁM ĐỐC"),
            title=signer.get("title", "PHÓ GIÁM ĐỐC"),
            name=signer.get("name", ""),
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
    def conclusions(self):
        """The closing paragraphs: the coordinator's, else one drawn from the numbers."""
        if self.draft and self.draft.conclusions.strip():
            return [line.strip() for line in self.draft.conclusions.splitlines() if line.strip()]
        s = self.now.statuses
        text = (
            f"Đến ngày {short_date(self.as_of)}, đã hoàn thành {s.done}/{self.now.planned} "
            f"nhiệm vụ trọng điểm của Kế hoạch"
        )
        if s.overdue:
            text += f"; {s.overdue} nhiệm vụ quá hạn cần tập trung chỉ đạo hoàn thành"
        if self.now.at_risk:
            text += f"; {len(self.now.at_risk)} nhiệm vụ có nguy cơ chậm tiến độ"
        missing = self.report_totals.get(Completeness.MISSING, 0)
        if missing:
            text += f"; {missing} cơ quan, đơn vị chưa gửi báo cáo kỳ này"
        return [text + "."]

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
            Column("Đánh giá", css="col-value"),
        ]
        rows = [
            [index, row.target.indicator, row.target.description, row.baseline, row.goal,
             row.actual, row.assessment_words]
            for index, row in enumerate(self.target_rows, start=1)
        ]
        return Table("targets", "Chỉ tiêu", "Kết quả thực hiện các chỉ tiêu", columns, rows)

    def late_table(self, *, shorten=False):
        columns = [
            Column("STT", "number", "col-no center"),
            Column("Nhiệm vụ", css="col-task"),
            Column("Cơ quan chủ trì", css="col-lead"),
            Column("Thời hạn", "date", "col-date"),
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
            Column("Hoàn thành", "number", "num"),
            Column("Đang thực hiện", "number", "num"),
            Column("Chưa triển khai", "number", "num"),
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
    """The Sở Nội vụ of the plan's province (``settings.SUMMARY_REPORT_ISSUER``: its code)."""
    code = getattr(settings, "SUMMARY_REPORT_ISSUER", "")
    found = None
    if code:
        found = Agency.objects.select_related("parent").filter(code=code).first()
    if found is None:
        found = (
            Agency.objects.select_related("parent")
            .filter(parent=province, name__startswith="Sở Nội vụ", dissolved_on__isnull=True)
            .order_by("pk")
            .first()
        )
    return found or plan.issuer


def _history(plan, until):
    """Each assignment's updates up to ``until`` (aware), oldest first; one query."""
    history = defaultdict(list)
    rows = (
        ProgressUpdate.objects.filter(assignment__task__plan=plan, created_at__lt=until)
        .order_by("created_at", "pk")
        .values_list("assignment_id", "created_at", "status", "percent")
    )
    for assignment_id, created_at, status, pct in rows:
        history[assignment_id].append((created_at, status, pct))
    return history


def _narratives(plan, period, as_of):
    """Per task, the agency and text of the latest update posted within the period."""
    start, _end = period_datetimes(period)
    end = day_end(as_of)
    rows = (
        ProgressUpdate.objects.filter(
            assignment__task__plan=plan, created_at__gte=start, created_at__lt=end
        )
        .order_by("created_at", "pk")
        .values_list("assignment__task_id", "assignment__agency_id", "narrative")
    )
    latest = {}
    counts = defaultdict(int)
    for task_id, agency_id, narrative in rows:
        latest[task_id] = (agency_id, narrative)
        counts[agency_id] += 1
    return latest, counts


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
    tasks = list(plan.tasks.prefetch_related("lead_groups").order_by("number"))
    assignments = list(
        Assignment.objects.filter(task__plan=plan)
        .select_related("agency")
        .order_by("task_id", "role", "agency__name", "pk")
    )
    history = _history(plan, day_end(as_of))
    now = snapshot(tasks, assignments, history, as_of, risk_until=following.end)
    before = None
    if previous is not None:
        before = snapshot(
            tasks, assignments, history, previous.end, risk_until=period.end
        )
    narratives, update_counts = _narratives(plan, period, as_of)

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
            days_late=(as_of - task.due_date).days if overdue else 0,
        ))
    late_rows = sorted(
        (row for row in task_rows if row.is_overdue),
        key=lambda row: (-row.days_late, row.task.number),
    ) + sorted(
        (row for row in task_rows if row.is_at_risk),
        key=lambda row: (row.task.due_date, row.task.number),
    )

    # Completeness: the agencies' own plans at as_of, their periodic reports as they stand.
    submissions = submission_completeness(plan, as_of=as_of)
    agencies = list(reporting_agencies(plan))
    report_cells = completeness_rows(plan=plan, periods=[period], agencies=agencies,
                                     today=today)
    report_totals = completeness_totals(report_cells, [period])[period.key]

    agency_rows = _agency_rows(
        tasks, assignments, now, agencies, submissions, report_cells, update_counts
    )

    # Figures per channel.
    years = {period.year} | ({previous.year} if previous else set())
    reports = list(
        AgencyReport.objects.filter(plan=plan, year__in=years).only(
            "pk", "agency_id", "year", "period_code", "status"
        )
    )
    figures = period_figures(plan, period, reports)
    previous_figures = period_figures(plan, previous, reports) if previous else None
    measure_rows, channels = _measure_rows(figures, previous_figures)

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
        draft=ReportDraft.objects.filter(plan=plan, year=year, period_code=code).first(),
        now=now,
        before=before,
        task_rows=task_rows,
        agency_rows=agency_rows,
        late_rows=late_rows,
        submissions=submissions,
        report_cells=report_cells,
        report_totals=report_totals,
        measure_rows=measure_rows,
        channels=channels,
        figures=figures,
        target_rows=target_rows(plan.targets.all()),
        scoring=Scoring(
            done=now.statuses.done, planned=now.planned, online=online, traditional=traditional
        ),
    )
    summary.charts = summary_charts(summary)
    return summary


def _agency_rows(tasks, assignments, now, agencies, submissions, report_cells, update_counts):
    """Per agency: the assignments it carries at ``as_of`` and its plan and report states.

    Carried: as lead, or as coordinator of a task with no lead (as ``agency_ranking``
    counts), cancelled ones left out. Best first, by ``agency_ranking``'s order; agencies
    carrying nothing (addressed or reporting only) follow by name.
    """
    tasks_by_id = {task.pk: task for task in tasks}
    has_lead = {a.task_id for a in assignments if a.role == AssignmentRole.LEAD}
    rows = {agency.pk: AgencyRow(agency=agency) for agency in agencies}
    for assignment in assignments:
        if assignment.role != AssignmentRole.LEAD and assignment.task_id in has_lead:
            continue
        state = now.assignments[assignment.pk]
        if state.status == Status.CANCELLED:
            continue
        row = rows.get(assignment.agency_id)
        if row is None:
            row = rows[assignment.agency_id] = AgencyRow(agency=assignment.agency)
        row.assignments += 1
        if state.status == Status.DONE:
            row.done += 1
        elif state.status == Status.IN_PROGRESS:
            row.in_progress += 1
        else:
            row.not_started += 1
        task = tasks_by_id[assignment.task_id]
        if is_overdue(task, state, now.as_of):
            row.overdue += 1
    for submission in submissions.rows:
        if submission.agency.pk in rows:
            rows[submission.agency.pk].plan_state = submission.state
    for cell_row in report_cells:
        rows[cell_row.agency.pk].report_state = cell_row.cells[0].state
    for agency_id, count in update_counts.items():
        if agency_id in rows:
            rows[agency_id].updates = count
    carrying = [row for row in rows.values() if row.assignments]
    carrying.sort(
        key=lambda r: (
            -r.done / r.assignments,
            r.overdue,
            -r.done,
            r.assignments,
            r.agency.name.casefold(),
        )
    )
    others = sorted(
        (row for row in rows.values() if not row.assignments),
        key=lambda r: r.agency.name.casefold(),
    )
    return carrying + others


def _measure_rows(figures, previous_figures):
    """Rows per measure (catalogue order) and ``ChannelFigures`` per channel; one query."""
    current = figures.totals()
    previous = previous_figures.totals() if previous_figures else {}
    wanted = set(current) | set(previous)
    measures = Measure.objects.filter(pk__in=wanted).select_related("channel").order_by(
        "channel__position", "channel__name", "position", "name"
    )
    rows, channels = [], {}
    for measure in measures:
        rows.append(MeasureRow(
            measure=measure,
            current=current.get(measure.pk, 0),
            previous=previous.get(measure.pk, 0) if previous_figures else None,
        ))
        if current.get(measure.pk):
            channel = measure.channel
            if channel.pk not in channels:
                channels[channel.pk] = ChannelFigures(
                    channel_id=channel.pk, name=channel.name, is_online=channel.is_online
                )
    for agency_figures in figures.by_agency.values():
        used = {m.channel_id for m in measures if agency_figures.get(m.pk)}
        for channel_id in used:
            channels[channel_id].agencies += 1
    return rows, list(channels.values())


# ---------------------------------------------------------------------------------------------
# Charts, with the document's Vietnamese wording (reports/charts.py draws them)


def summary_charts(summary):
    s = summary.now.statuses
    status = charts.stacked_bar(
        [
            charts.Segment(STATUS_WORDS[status], getattr(s, status.value),
                           charts.STATUS_COLOURS[status.value])
            for status in STATUS_ORDER
        ],
        title="Nhiệm vụ trọng điểm theo tình trạng",
        description=f"{s.total} nhiệm vụ trọng điểm đến ngày {short_date(summary.as_of)}.",
        chart_id="summary-status",
    )
    ranked = [row for row in summary.agency_rows if row.assignments]
    each = charts.RANKING_ROWS
    groups = [("Tỷ lệ hoàn thành nhiệm vụ theo cơ quan, đơn vị", ranked)]
    if len(ranked) > 2 * each:
        groups = [
            (f"{each} cơ quan, đơn vị có tỷ lệ hoàn thành cao nhất", ranked[:each]),
            (f"{each} cơ quan, đơn vị có tỷ lệ hoàn thành thấp nhất", ranked[-each:]),
        ]
    ranking = [
        (
            title,
            charts.bar_chart(
                [
                    charts.Bar(row.display_name, row.done, row.assignments, charts.GREEN)
                    for row in rows
                ],
                title=title,
                description="Số nhiệm vụ hoàn thành trên số nhiệm vụ được giao.",
                chart_id=f"summary-ranking-{index}",
            ),
        )
        for index, (title, rows) in enumerate(groups)
    ]
    sub = summary.submissions
    submissions = charts.stacked_bar(
        [
            charts.Segment(SUBMISSION_WORDS[state], sub.count(state),
                           charts.SUBMISSION_COLOURS[state])
            for state in (SubmissionState.ON_TIME, SubmissionState.LATE,
                          SubmissionState.PENDING, SubmissionState.MISSING)
        ],
        title="Kế hoạch của các cơ quan, đơn vị",
        description=f"{sub.addressed} cơ quan, đơn vị phải ban hành kế hoạch.",
        chart_id="summary-submissions",
    )
    channel_chart = charts.column_chart(
        [
            charts.Column(
                channel.name,
                channel.agencies,
                charts.ONLINE_COLOUR if channel.is_online else charts.TRADITIONAL_COLOUR,
            )
            for channel in summary.channels
        ],
        title="Số cơ quan, đơn vị có số liệu theo hình thức tuyên truyền",
        description="Số cơ quan, đơn vị có số liệu trong kỳ, theo từng hình thức.",
        legend=[("Trực tuyến", charts.ONLINE_COLOUR), ("Truyền thống", charts.TRADITIONAL_COLOUR)],
        chart_id="summary-channels",
    )
    return {
        "status": status,
        "ranking": ranking,
        "submissions": submissions,
        "channels": channel_chart,
    }


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


def document_context(summary):
    """The context of ``documents/summary.html``: the PDF and its HTML preview."""
    tables = summary.document_tables
    carrying = [row for row in summary.agency_rows if row.assignments]
    conclusions = list(summary.conclusions)
    conclusions[-1] = close_text(conclusions[-1])
    scoring = summary.scoring
    return {
        "summary": summary,
        "document_title": f"Báo cáo {lower_first(summary.title)}",
        "letterhead": summary.letterhead,
        "signature": summary.signature,
        "tables": tables,
        "body_late": tables["late"].head(BODY_LATE_ROWS),
        "carrying": len(carrying),
        "all_done": sum(1 for row in carrying if row.done == row.assignments),
        "with_overdue": sum(1 for row in carrying if row.overdue),
        "points": {
            "total": decimal_text(scoring.points),
            "completion": decimal_text(scoring.completion_points),
            "channels": decimal_text(scoring.channel_points),
        },
        "conclusions": conclusions,
        "subtitle": annex_subtitle(summary),
    }
