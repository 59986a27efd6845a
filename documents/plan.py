"""The plan as a document: what the plan PDF shows, read with a fixed number of queries.

The text is the plan's own, as written; the numbering (I., 1., a)), the dashes of list items,
the "./." at the end and the appendix table of key tasks are laid out here, so that the
template only places blocks.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from cchc_plans.search import fold
from plans.models import Target
from tasks.models import Assignment, AssignmentRole

from .pdf import (
    Letterhead,
    Signature,
    balanced_lines,
    close_text,
    number_line,
    vietnamese_date_line,
)

PLAN_TEMPLATE = "documents/plan.html"
# Capitals at 14 pt bold across a landscape page (257 mm).
ANNEX_CHARS = 80
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
# Points of a clause are lettered in the Vietnamese alphabet: a), b), c), d), đ), e), g)…
LETTERS = list("abcdđeghiklmnopqrstuvxy")
# A line that carries its own number or bullet: "1.", "2.1.", "a)", "đ)", "(3)", "-", "+".
ENUMERATED = re.compile(r"^(?:\d+(?:\.\d+)*\.|[a-zđ]\)|\(\d+\)|[-–+•*])\s", re.IGNORECASE)
BASIS_LEADS = ("Căn cứ", "Theo", "Xét", "Thực hiện")
PROPOSAL = re.compile(r"^(?:Theo|Xét)\s+đề\s+nghị", re.IGNORECASE)
ARTICLE = re.compile(r"^(Điều\s+\d+\.)\s*(.*)$")
# How a plan names its reporting periods (Decree 09/2019 and the seeds' wording).
PERIOD_WORDS = {
    "Q1": "Quý I",
    "H1": "06 tháng",
    "M9": "09 tháng",
    "Y": "năm",
    "quarterly": "hàng quý",
    "monthly": "hàng tháng",
    "on_request": "khi có yêu cầu",
}
UNIT_FORMATS = {
    Target.Unit.RANK: "xếp hạng {}",
    Target.Unit.SCORE: "{} điểm",
    Target.Unit.PERCENT: "{}%",
    Target.Unit.COUNT: "{}",
}


@dataclass
class Block:
    """One piece of a section: a "heading" (1. …), a "subheading" (a) …), a "para", "targets"."""

    kind: str
    text: str = ""
    label: str = ""
    rows: list = field(default_factory=list)


@dataclass
class Section:
    numeral: str
    title: str
    blocks: list


@dataclass
class AppendixRow:
    number: int
    title: str
    forms: list
    assignment: list
    timeline: str


@dataclass
class Appendix:
    title_lines: list
    subtitle: str
    rows: list


@dataclass
class Decision:
    letterhead: Letterhead
    authority: str
    bases: list
    articles: list  # Blocks: "article" (label "Điều 1.") or "para"
    signature: Signature


def plan_document_queryset(queryset):
    """Everything the plan document shows, in a fixed number of queries.

    1 plan with its issuer and the issuer's parent, then one query each for legal bases,
    targets, content areas, channels, duties, tasks, their lead groups and their direct
    assignments with the agency.
    """
    direct = (
        Assignment.objects.filter(via_group__isnull=True)
        .select_related("agency")
        .order_by("role", "agency__name")
    )
    return queryset.select_related("issuer__parent").prefetch_related(
        "legal_bases",
        "targets",
        "content_areas",
        "plan_channels",
        "duties",
        "tasks",
        "tasks__lead_groups",
        Prefetch("tasks__assignments", queryset=direct, to_attr="direct_assignments"),
    )


def plan_document(plan):
    """The template context of ``documents/plan.html`` for a plan read with the queryset above."""
    bases = uncited_bases(plan)
    decision = decision_part(plan, bases) if has_decision(plan) else None
    tasks = sorted(plan.tasks.all(), key=lambda task: task.number)
    preamble = plan.preamble.splitlines()
    if not decision:
        preamble = [*basis_lines(bases, last=";"), *preamble]
    sections = plan_sections(plan, tasks)
    preamble_blocks = [Block("para", line.strip()) for line in preamble if line.strip()]
    close_body(preamble_blocks, sections)
    return {
        "plan": plan,
        "decision": decision,
        "letterhead": plan_letterhead(plan, decision),
        "preamble": preamble_blocks,
        "sections": sections,
        "signature": None if decision else plan_signature(plan),
        "appendix": plan_appendix(plan, tasks) if tasks else None,
        "document_title": f"Kế hoạch {lower_first(subject(plan.title))}",
    }


def has_decision(plan):
    return plan.has_decision


def subject(title):
    """The subject line of a plan: its title without a leading "Kế hoạch"."""
    text = re.sub(r"^\s*kế\s+hoạch\s+", "", title.strip(), flags=re.IGNORECASE)
    return text[:1].upper() + text[1:]


def lower_first(text):
    return text[:1].lower() + text[1:]


def short_date(date):
    return date.strftime("%d/%m/%Y") if date else ""


def plan_signature(plan):
    return Signature(
        authority=plan.signer_authority,
        title=plan.signer_title,
        name=plan.signer_name,
        recipients=plan.recipient_lines(),
    )


def decision_reference(plan, prefix):
    """ "(Ban hành kèm theo Quyết định số 286/QĐ-UBND ngày 26/01/2022 của …)"."""
    text = f"{prefix} Quyết định số {plan.decision_number or '…'}"
    if plan.decision_date:
        text += f" ngày {short_date(plan.decision_date)}"
    return f"({text} của {plan.issuer.name})"


def plan_letterhead(plan, decision):
    if decision:
        # A plan issued by a decision carries the decision's number and date, not its own.
        return Letterhead.for_agency(
            plan.issuer,
            kind="KẾ HOẠCH",
            title=subject(plan.title),
            subtitle=decision_reference(plan, "Ban hành kèm theo"),
        )
    return Letterhead.for_agency(
        plan.issuer,
        number=number_line(plan.document_number, "KH", plan.issuer.code),
        date_line=(
            plan.issued_on_text
            if plan.issued_on is None and plan.issued_on_text
            else vietnamese_date_line(plan.place, plan.issued_on, year=plan.period_start_year)
        ),
        kind="KẾ HOẠCH",
        title=subject(plan.title),
    )


def basis_core(text):
    """A cited document without "Căn cứ" and the final punctuation."""
    text = text.strip().rstrip(";.").strip()
    for lead in BASIS_LEADS:
        if text.startswith(lead + " "):
            return text[len(lead) :].strip()
    return text


def uncited_bases(plan):
    """The legal bases the preamble does not already cite in its own words.

    A plan's preamble often cites its bases ("Thực hiện Nghị quyết …, căn cứ Chương trình …");
    the others are the "Căn cứ …;" lines of the issuing decision, or of the plan itself.
    """
    preamble = fold(plan.preamble)
    return [
        basis.text
        for basis in plan.legal_bases.all()
        if basis.text.strip() and fold(basis_core(basis.text)) not in preamble
    ]


def decision_part(plan, bases):
    date = plan.decision_date or plan.issued_on
    letterhead = Letterhead.for_agency(
        plan.issuer,
        number=number_line(plan.decision_number, "QĐ", plan.issuer.code),
        date_line=vietnamese_date_line(plan.place, date, year=plan.period_start_year),
        kind="QUYẾT ĐỊNH",
        title=plan.decision_title or f"Ban hành Kế hoạch {lower_first(subject(plan.title))}",
    )
    articles = []
    for line in plan.decision_text.splitlines():
        line = line.strip()
        if not line:
            continue
        match = ARTICLE.match(line)
        if match:
            articles.append(Block("article", match[2], label=match[1]))
        else:
            articles.append(Block("para", line))
    if articles:
        articles[-1].text = close_text(articles[-1].text)
    return Decision(
        letterhead=letterhead,
        authority=" ".join(plan.issuer.name.upper().split()),
        bases=basis_lines(bases),
        articles=articles,
        signature=plan_signature(plan),
    )


def basis_lines(texts, last="."):
    """ "Căn cứ …;" lines, the proposal ("Theo đề nghị …") last; a decision's end with "."."""
    lines = [text.strip().rstrip(";.").strip() for text in texts if text.strip()]
    lines = [line if line.startswith(BASIS_LEADS) else f"Căn cứ {line}" for line in lines]
    ordered = [line for line in lines if not PROPOSAL.match(line)]
    ordered += [line for line in lines if PROPOSAL.match(line)]
    end = len(ordered) - 1
    return [line + (last if i == end else ";") for i, line in enumerate(ordered)]


def items(lines, bullets=True):
    """Paragraphs for lines written one per line; list items get a dash, as printed.

    A line that has its own number or bullet keeps it; an introductory line ending with ":"
    and a lone paragraph get none.
    """
    lines = [line.strip() for line in lines if line.strip()]
    dash = bullets and len(lines) > 1
    blocks = []
    for line in lines:
        if dash and not ENUMERATED.match(line) and not line.endswith(":"):
            line = f"- {line}"
        blocks.append(Block("para", line))
    return blocks


def with_colon(text):
    text = text.strip()
    return text if text[-1:] in ":.;?!" else f"{text}:"


class Numbering:
    """1., 2., 3. … for the headings of one section."""

    def __init__(self):
        self.count = 0

    def heading(self, text):
        self.count += 1
        return Block("heading", with_colon(text), label=f"{self.count}.")


def covered_by(lines, text):
    """True when every line is already written in ``text`` (a plan often repeats itself)."""
    lines = [line.strip() for line in lines if line.strip()]
    return bool(lines) and all(line in text for line in lines)


def plan_sections(plan, tasks):
    sections = []

    def add(title, blocks):
        if blocks:
            sections.append(Section(ROMAN[len(sections)], title, blocks))

    numbering, blocks = Numbering(), []
    if plan.objective_lines():
        blocks += [numbering.heading("Mục tiêu"), *items(plan.objective_lines())]
    if plan.requirement_lines():
        blocks += [numbering.heading("Yêu cầu"), *items(plan.requirement_lines())]
    targets = list(plan.targets.all())
    if targets:
        blocks += [numbering.heading("Chỉ tiêu"), Block("targets", rows=target_rows(targets))]
    add("MỤC TIÊU, YÊU CẦU", blocks)

    numbering, blocks = Numbering(), []
    for area in plan.content_areas.all():
        blocks += [numbering.heading(area.heading), *items(area.body_lines())]
    channels = list(plan.plan_channels.all())
    if channels:
        blocks.append(numbering.heading("Hình thức tuyên truyền"))
        if plan.channels_intro.strip():
            blocks += items(plan.channels_intro.splitlines(), bullets=False)
        for index, channel in enumerate(channels):
            label = channel.label or f"{LETTERS[index % len(LETTERS)]})"
            heading = with_colon(channel.heading) if channel.body.strip() else channel.heading
            blocks += [Block("subheading", heading, label=label), *items(channel.body_lines())]
    add("NỘI DUNG, HÌNH THỨC TUYÊN TRUYỀN", blocks)

    if plan.key_activities.strip():
        add("NHIỆM VỤ TRỌNG ĐIỂM", items(plan.key_activities.splitlines(), bullets=False))
    elif tasks:
        add("NHIỆM VỤ TRỌNG ĐIỂM", [Block(
            "para",
            "Các nhiệm vụ tuyên truyền trọng điểm, phân công cơ quan chủ trì, phối hợp và tiến "
            "độ thực hiện tại Phụ lục kèm theo Kế hoạch này.",
        )])

    numbering, blocks = Numbering(), []
    for duty in plan.duties.all():
        blocks += [numbering.heading(duty.heading), *items(duty.body_lines())]
    add("TRÁCH NHIỆM TRIỂN KHAI", blocks)

    implementation = plan.implementation
    budget = plan.budget_text.splitlines()
    blocks = [] if covered_by(budget, implementation) else items(budget, bullets=False)
    if plan.budget_amount is not None:
        blocks.append(Block("para", f"Dự toán kinh phí: {money(plan.budget_amount)}."))
    add("KINH PHÍ THỰC HIỆN", blocks)

    regime = plan.reporting_regime.splitlines()
    if covered_by(regime, implementation):
        blocks = []
    elif plan.reporting_regime.strip():
        blocks = items(regime, bullets=False)
    else:
        blocks = [Block("para", text)] if (text := reporting_sentence(plan)) else []
    add("CHẾ ĐỘ BÁO CÁO", blocks)

    add("TỔ CHỨC THỰC HIỆN", items(implementation.splitlines(), bullets=False))
    return sections


def close_body(preamble, sections):
    """The last paragraph of the body ends with "./."."""
    blocks = [*preamble, *(block for section in sections for block in section.blocks)]
    paragraphs = [block for block in blocks if block.kind == "para"]
    if paragraphs and paragraphs[-1] is blocks[-1]:
        paragraphs[-1].text = close_text(paragraphs[-1].text)


def reporting_sentence(plan):
    """A plan with periods and a recipient but no wording of its own gets one sentence."""
    periods = [PERIOD_WORDS[code] for code in plan.reporting_periods if code in PERIOD_WORDS]
    if not periods and not plan.report_recipient:
        return ""
    if periods == ["khi có yêu cầu"]:
        text = "Các cơ quan, đơn vị báo cáo kết quả thực hiện Kế hoạch khi có yêu cầu"
    else:
        joined = ", ".join(periods[:-1]) + (" và " if len(periods) > 1 else "") + periods[-1]
        text = (
            f"Định kỳ ({joined}), các cơ quan, đơn vị báo cáo kết quả thực hiện Kế hoạch"
            if periods
            else "Các cơ quan, đơn vị báo cáo kết quả thực hiện Kế hoạch"
        )
    if plan.report_recipient:
        text += f", gửi về {plan.report_recipient}"
    if plan.report_due_day:
        text += f" trước ngày {plan.report_due_day:02d} của tháng cuối kỳ báo cáo"
    return text + "."


def decimal_text(value):
    """ "20", "69,5": Vietnamese decimal comma, no trailing zeros."""
    value = Decimal(value).normalize()
    text = f"{value:f}"
    if "." in text:
        whole, fraction = text.split(".")
        return f"{int(whole):,}".replace(",", ".") + "," + fraction
    return f"{int(value):,}".replace(",", ".")


def money(amount):
    return f"{decimal_text(amount)} đồng"


def target_rows(targets):
    rows = []
    for target in targets:
        shape = UNIT_FORMATS.get(target.unit, "{}")
        baseline = ""
        if target.baseline is not None:
            baseline = shape.format(decimal_text(target.baseline))
        if target.baseline_label:
            label = target.baseline_label
            baseline = f"{baseline} ({label})" if baseline else label
        rows.append({
            "indicator": target.indicator,
            "description": target.description,
            "baseline": baseline,
            "target": shape.format(decimal_text(target.target_value)),
        })
    return rows


def dashed(lines):
    lines = [line.strip().lstrip("-–•").strip() for line in lines if line.strip()]
    return [f"- {line}" for line in lines] if len(lines) > 1 else lines


def assignment_lines(task):
    """The "Phân công" cell: the plan's own wording, else the lead and coordinating agencies."""
    if task.assignment_text.strip():
        return dashed(task.assignment_text.splitlines())
    leads = [group.name for group in task.lead_groups.all()]
    coordinators = []
    for assignment in task.direct_assignments:
        target = leads if assignment.role == AssignmentRole.LEAD else coordinators
        target.append(assignment.agency.display_name)
    lines = []
    if leads:
        lines.append(f"Chủ trì: {', '.join(leads)}")
    if coordinators:
        lines.append(f"Phối hợp: {', '.join(coordinators)}")
    return lines


def plan_appendix(plan, tasks):
    if has_decision(plan):
        subtitle = decision_reference(plan, "Kèm theo")
    elif plan.document_number.strip("/ "):
        subtitle = f"(Kèm theo Kế hoạch số {plan.document_number}"
        if plan.issued_on:
            subtitle += f" ngày {short_date(plan.issued_on)}"
        subtitle += f" của {plan.issuer.name})"
    else:
        subtitle = f"(Kèm theo Kế hoạch của {plan.issuer.name})"
    rows = [
        AppendixRow(
            number=task.number,
            title=task.title,
            forms=dashed(task.forms.splitlines()),
            assignment=assignment_lines(task),
            timeline=task.timeline_text or short_date(task.due_date),
        )
        for task in tasks
    ]
    if plan.appendix_title:
        return Appendix(balanced_lines(plan.appendix_title, ANNEX_CHARS), subtitle, rows)
    title = balanced_lines(f"KẾ HOẠCH {subject(plan.title).upper()}", ANNEX_CHARS)
    return Appendix(["DANH MỤC NHIỆM VỤ TRỌNG ĐIỂM", *title], subtitle, rows)


def slug(text):
    return "-".join(re.findall(r"[a-z0-9]+", fold(text)))


def plan_filename(plan):
    """ "KH-2022-khanh-hoa.pdf"; an agency under the province adds its code."""
    parts = ["KH", plan.period_label.replace("–", "-"), slug(plan.place)]
    if plan.issuer.parent_id or not plan.place:
        parts.append(slug(plan.issuer.code))
    return "-".join(part for part in parts if part) + ".pdf"
