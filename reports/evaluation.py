"""Section II of a summary report, "Đánh giá, kiến nghị", drawn from the agencies' reports.

Reports of this kind close in five parts: results achieved; shortcomings and their causes;
lessons learned; tasks and solutions for the next period; proposals. Each part opens with
what the numbers say (``reports/counting.py`` measured them) and quotes what the agencies
wrote in the same part of their submitted or accepted periodic reports of the period, with
the agency's name; when several agencies wrote the same thing, or nothing, they are counted
instead of quoted. The coordinator edits the prefilled text on the report page; the report
keeps what was written (``ReportDraft``), and an issued report keeps its text for good.
"""

import re
from dataclasses import dataclass

from cchc_plans.search import fold
from documents.plan import short_date
from periodic.models import AgencyReport, ReportStatus
from tasks.models import Status

QUOTE_CHARS = 600  # an agency's text longer than this is cut in the prefill

# (field, heading); the heading of the next period's tasks names the period.
PARTS = [
    ("results", "Kết quả đạt được"),
    ("shortcomings", "Tồn tại, hạn chế và nguyên nhân"),
    ("lessons", "Bài học kinh nghiệm"),
    ("next_tasks", "Nhiệm vụ, giải pháp trọng tâm {following}"),
    ("proposals", "Đề xuất, kiến nghị"),
]
FIELDS = [key for key, _heading in PARTS]

# What an agency wrote when it had nothing to say, by part.
NOTHING = {
    "results": "không nêu kết quả cụ thể",
    "shortcomings": "không có tồn tại, hạn chế",
    "lessons": "không nêu bài học kinh nghiệm",
    "next_tasks": "không nêu nhiệm vụ kỳ tới",
    "proposals": "không có đề xuất, kiến nghị",
}
EMPTY_WORDS = re.compile(
    r"^(?:khong|chua|khong co|chua co|khong co gi|khong co y kien|khong co kien nghi|"
    r"khong co de xuat|khong co de xuat kien nghi|khong co kho khan vuong mac|"
    r"khong co ton tai|khong co ton tai han che|khong co han che|khong de xuat|"
    r"khong kien nghi|khong co bai hoc|chua co bai hoc|-|\.*)$"
)


@dataclass
class Part:
    key: str
    heading: str
    lines: list  # paragraphs as printed
    written: bool  # the coordinator's text (else prefilled)

    @property
    def text(self):
        return "\n".join(self.lines)


# What a report read for the evaluation carries (and its order), for a reader of several
# periods' reports at once (summary.build_summary).
REPORT_FIELDS = ("pk", "agency__name", "agency__short_name", *FIELDS)
REPORT_ORDER = ("agency__name", "pk")
SUBMITTED = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)


def submitted_reports(plan, period, reports=None):
    """The agencies' submitted or accepted reports of the period, by agency name; one query,
    none when given the plan's ``reports`` read with the fields and order above."""
    if reports is not None:
        return [
            report for report in reports
            if (report.year, report.period_code) == (period.year, period.code)
            and report.status in SUBMITTED
        ]
    return list(
        AgencyReport.objects.filter(
            plan=plan, year=period.year, period_code=period.code, status__in=SUBMITTED
        )
        .select_related("agency")
        .only(*REPORT_FIELDS)
        .order_by(*REPORT_ORDER)
    )


def _key(text):
    """What two texts share when they say the same: folded, without punctuation."""
    return " ".join(re.sub(r"[^\w\s-]", " ", fold(text)).split())


def _quote(text):
    text = " ".join(text.split())
    if len(text) > QUOTE_CHARS:
        text = text[: QUOTE_CHARS - 1].rstrip() + "…"
    return text.rstrip().rstrip(".;")


def _names(names):
    return ", ".join(names)


def quoted(reports, key):
    """The agencies' text for one part: a line per agency, shared texts and silences counted."""
    groups, silent = {}, []
    for report in reports:
        name = report.agency.display_name
        text = getattr(report, key).strip()
        folded = _key(text)
        if not folded or EMPTY_WORDS.match(folded):
            silent.append(name)
            continue
        groups.setdefault(folded, (text, []))[1].append(name)
    lines = []
    for text, names in groups.values():
        if len(names) == 1:
            lines.append(f"- {names[0]}: “{_quote(text)}”;")
        else:
            lines.append(
                f"- {len(names)} cơ quan, đơn vị ({_names(names)}) cùng nêu: “{_quote(text)}”;"
            )
    if silent:
        lines.append(f"- {len(silent)} cơ quan, đơn vị {NOTHING[key]} ({_names(silent)});")
    if lines:
        lines[-1] = lines[-1][:-1] + "."
    return lines


def _task_numbers(rows):
    return ", ".join(str(row.task.number) for row in rows)


def opening(summary, key):
    """What the numbers say in each part, before the agencies' words."""
    s = summary.now.statuses
    as_of = short_date(summary.as_of)
    if key == "results":
        text = (
            f"Đến ngày {as_of}, đã hoàn thành {s.done}/{summary.now.planned} nhiệm vụ "
            f"trọng điểm của Kế hoạch; {s.in_progress} nhiệm vụ đang thực hiện"
        )
        received = summary.report_totals
        sent = received.get("on_time", 0) + received.get("late", 0)
        text += f"; {sent}/{summary.reporting_agencies} cơ quan, đơn vị đã gửi báo cáo."
        return [text]
    if key == "shortcomings":
        parts = []
        if s.overdue:
            parts.append(f"{s.overdue} nhiệm vụ quá hạn")
        if summary.now.at_risk:
            parts.append(f"{len(summary.now.at_risk)} nhiệm vụ có nguy cơ chậm tiến độ")
        missing = summary.report_totals.get("missing", 0)
        if missing:
            parts.append(f"{missing} cơ quan, đơn vị chưa gửi báo cáo {summary.period_phrase}")
        if not parts:
            return []
        return [f"Đến ngày {as_of} còn {'; '.join(parts)}."]
    if key == "next_tasks":
        overdue = [row for row in summary.task_rows if row.is_overdue]
        following = summary.following
        due = [
            row for row in summary.task_rows
            if not row.is_overdue and row.task.due_date
            and following.start <= row.task.due_date <= following.end
            and row.state.status not in (Status.DONE, Status.CANCELLED)
        ]
        lines = []
        if overdue:
            lines.append(
                f"Tập trung chỉ đạo hoàn thành {len(overdue)} nhiệm vụ quá hạn "
                f"(nhiệm vụ số {_task_numbers(overdue)})."
            )
        if due:
            lines.append(
                f"Hoàn thành {len(due)} nhiệm vụ đến hạn đến ngày {short_date(following.end)} "
                f"(nhiệm vụ số {_task_numbers(due)})."
            )
        return lines
    return []


def prefill(summary, reports):
    """The five parts as the agencies' reports and the numbers give them: key → text."""
    out = {}
    for key, _heading in PARTS:
        lines = opening(summary, key)
        agency_lines = quoted(reports, key) if reports else []
        if agency_lines:
            lines.append("Các cơ quan, đơn vị báo cáo:")
            lines += agency_lines
        elif not reports and (key == "results" or not lines):
            lines.append(
                f"Chưa có cơ quan, đơn vị nào gửi báo cáo {summary.period_phrase}."
                if key == "results"
                else "Chưa có nội dung này trong báo cáo của các cơ quan, đơn vị."
            )
        out[key] = "\n".join(lines)
    return out


ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
NEXT_QUARTER = {"Q1": 2, "H1": 3, "Q2": 3, "M9": 4, "Q3": 4}


def following_phrase(period):
    """The time the next period's tasks are for: "quý II năm 2022", "năm 2023"."""
    code, year = period.code, period.year
    if code in NEXT_QUARTER:
        return f"quý {ROMAN[NEXT_QUARTER[code]]} năm {year}"
    if code in ("Q4", "Y"):
        return f"năm {year + 1}"
    if code.startswith("M") and code[1:].isdigit():
        month = int(code[1:])
        return f"tháng {month + 1} năm {year}" if month < 12 else f"tháng 1 năm {year + 1}"
    return "thời gian tới"


def heading(summary, key, template):
    return template.format(following=summary.following_phrase)


def parts(summary):
    """The five parts as the report prints them: the coordinator's text, else the prefill."""
    draft = summary.draft
    filled = summary.evaluation_prefill
    out = []
    for key, template in PARTS:
        written = (getattr(draft, key, "") or "").strip() if draft else ""
        text = written or filled[key]
        out.append(Part(
            key=key,
            heading=heading(summary, key, template),
            lines=[line.strip() for line in text.splitlines() if line.strip()],
            written=bool(written),
        ))
    return out
