"""The rows and tables of a summary report: what the PDF, the preview and the xlsx show.

The document is a Vietnamese administrative report: its words are Vietnamese in every
interface language, as the plan document's are (``documents/plan.py``).
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils import translation

from documents.plan import UNIT_FORMATS, decimal_text, short_date
from periodic.models import Completeness
from plans.models import SubmissionState
from plans.periods import ROMAN
from plans.targets import actual_at
from tasks.counting import State
from tasks.models import AssignmentRole, Status

from .counting import MeasureRow

__all__ = ["MeasureRow"]


class StatusWords(Mapping):
    """A task status as the document writes it: its label in Vietnamese, the very words the
    pages show (``tasks.models.Status``, translated in ``locale/vi``), whatever the language
    of the request that builds the document."""

    def __getitem__(self, status):
        with translation.override("vi"):
            return str(Status(status).label)

    def __iter__(self):
        return iter(Status)

    def __len__(self):
        return len(Status)


STATUS_WORDS = StatusWords()
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
class TargetRow:
    target: object
    baseline: str
    goal: str
    actual: str  # with the period it was measured in, when not the report's own
    source: str
    assessment: str  # met / not_met / no_data

    @property
    def assessment_words(self):
        return TARGET_WORDS[self.assessment]


def target_value(target, value):
    if value is None:
        return ""
    return UNIT_FORMATS.get(target.unit, "{}").format(decimal_text(value))


def target_rows(targets, period):
    """A row per target with its actual at ``period``'s cut-off (``plans.targets.actual_at``);
    ``targets`` carry their prefetched actuals."""
    rows = []
    for target in targets:
        baseline = target_value(target, target.baseline)
        if target.baseline_label:
            label = target.baseline_label
            baseline = f"{baseline} ({label})" if baseline else label
        actual = actual_at(target, period.end)
        if actual is None:
            assessment, value, source = "no_data", "", ""
        else:
            assessment = "met" if actual.is_met else "not_met"
            value = target_value(target, actual.value)
            if (actual.year, actual.period_code) != (period.year, period.code):
                value = f"{value} ({period_heading(actual.period)})"
            source = actual.source
            if actual.source_url:
                source = f"{source} ({actual.source_url})"
        rows.append(TargetRow(
            target=target,
            baseline=baseline,
            goal=target_value(target, target.target_value),
            actual=value,
            source=source,
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
    css: str = ""  # on the head cell: the column's width (fixed table layout) and alignment

    @property
    def cell_css(self):
        """A body cell's classes: its alignment only; widths come from the head row."""
        return " ".join(name for name in self.css.split() if name in CELL_CLASSES)


CELL_CLASSES = ("num", "center")


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
            [(display(value, column.kind), column.cell_css)
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
        text = number_text(abs(int(value)))
        text = "0" if value == 0 else ("+" if value > 0 else "−") + text
        # A change of a percentage is in percentage points.
        return f"{text} điểm %" if isinstance(value, Percent) else text
    return text
