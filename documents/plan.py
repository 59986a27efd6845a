"""The plan as a document: what the plan PDF shows, read with a fixed number of queries.

The plan prints from its outline (``plans.outline``): the issuing decision's nodes, then the
plan's, then its appendices, each node with its numbering and heading as written, its
paragraphs, and the table attached to it where the plan put it (its targets, a key-task
table inline). A key-task table has the plan's own columns (``tasks.models.TaskTable``).
A plan written section by section prints the outline built from its sections
(``plans.outline_fields``), the way such a plan was always printed.
"""

import re
from dataclasses import dataclass, field

from django.db.models import Prefetch

from cchc_plans.search import fold
from plans.models import Attachment, OutlineNode, OutlinePart, OutlineSource, Target, format_vnd
from plans.outline_fields import (  # noqa: F401  (the document's wording rules)
    basis_lines,
    decimal_text,
    has_decision,
    items,
    money,
)
from plans.selectors import load_parts
from plans.services import outline_specs
from tasks.models import (
    DEFAULT_COLUMNS,
    Assignment,
    AssignmentRole,
    TablePlacement,
    TaskField,
    TaskTable,
)

from .pdf import (
    Letterhead,
    Signature,
    balanced_lines,
    close_text,
    number_line,
    vietnamese_date_line,
)

PLAN_TEMPLATE = "documents/plan.html"
# Capitals at 14 pt bold across a landscape page (257 mm), and a portrait one (165 mm).
ANNEX_CHARS = 80
PORTRAIT_ANNEX_CHARS = 52
UNIT_FORMATS = {
    Target.Unit.RANK: "xếp hạng {}",
    Target.Unit.SCORE: "{} điểm",
    Target.Unit.PERCENT: "{}%",
    Target.Unit.COUNT: "{}",
}
# The usual look of a heading at each level, when the node does not say.
LEVEL_EMPHASIS = {0: "bold", 1: "bold"}


@dataclass
class Block:
    """One piece of a document's body, in order.

    ``heading``: a node's numbering and heading (``text``; ``run_in``: the paragraph that
    continues its line); ``para``; ``decides`` ("QUYẾT ĐỊNH:"); ``targets`` and ``tasks``:
    a table (``rows``; for tasks also ``columns``); ``budget``: the budget lines (``rows``)
    and their total (``text``).
    """

    kind: str
    text: str = ""
    label: str = ""
    level: int = 0
    emphasis: str = ""
    centered: bool = False
    run_in: str = ""
    rows: list = field(default_factory=list)
    columns: list = field(default_factory=list)


@dataclass
class Column:
    heading: str
    field: str


@dataclass
class Cell:
    field: str
    lines: list


@dataclass
class Row:
    """A task row (``cells``, one per column) or a heading row (``text``) spanning the table."""

    cells: list = field(default_factory=list)
    text: str = ""


@dataclass
class Appendix:
    label: str
    title_lines: list
    subtitle: str
    table: Block
    landscape: bool = True


@dataclass
class Decision:
    letterhead: Letterhead
    authority: str
    blocks: list
    signature: Signature


def plan_document_queryset(queryset):
    """Everything the plan document shows, in a fixed number of queries.

    1 plan with its issuer and the issuer's parent, then one query each for outline nodes,
    key-task tables, their rows, tasks, their lead groups, their coordinating groups and
    their direct assignments with the agency; plan_document() reads the other parts (legal
    bases, targets, budget lines, content areas, channels, duties) in one more.
    """
    direct = (
        Assignment.objects.filter(via_group__isnull=True)
        .select_related("agency")
        .order_by("role", "agency__name")
    )
    return queryset.select_related("issuer__parent").prefetch_related(
        Prefetch("outline_nodes", queryset=OutlineNode.objects.order_by("position", "pk")),
        "task_tables",
        "task_tables__rows",
        "tasks",
        "tasks__lead_groups",
        "tasks__coordinator_groups",
        Prefetch("tasks__assignments", queryset=direct, to_attr="direct_assignments"),
    )


def plan_document(plan, *, beside_signature=False):
    """The template context of ``documents/plan.html`` for a plan read with the queryset above.

    ``beside_signature``: the PDF will carry the issuer's own signature, whose stamp stands
    at the top right of the first page (``signatures.signing``): the signed original's stamp
    is printed to its left, so that the two never overlap.
    """
    load_parts(plan)
    tasks = sorted(plan.tasks.all(), key=lambda task: task.number)
    nodes = outline_nodes(plan)
    tables = task_tables(plan, tasks)
    node_ids = {node.pk for node in nodes if node.pk}
    inline = {}
    for table in tables:
        if table.placement == TablePlacement.INLINE and table.node_id in node_ids:
            inline.setdefault(table.node_id, []).append(table)
    inlined = {id(table) for group in inline.values() for table in group}
    targets = list(plan.targets.all())
    budget = budget_block(plan)

    def blocks_of(part):
        out = []
        for node in (n for n in nodes if n.part == part):
            out += node_blocks(node, targets, budget)
            for table in inline.get(node.pk, []) if node.pk else []:
                out.append(table_block(table))
        return out

    decision = None
    if has_decision(plan):
        decision = decision_part(plan, decision_blocks(blocks_of(OutlinePart.DECISION)))
    body = blocks_of(OutlinePart.PLAN)
    close_body(body)
    appendices = [appendix(plan, table) for table in tables if id(table) not in inlined]
    return {
        "plan": plan,
        "decision": decision,
        "stamp": stamp_lines(plan.electronic_signature),
        "stamp_beside_signature": beside_signature,
        "letterhead": plan_letterhead(plan, decision),
        "blocks": body,
        "signature": plan_signature(plan) if signs_itself(plan, decision) else None,
        "appendices": appendices,
        "document_title": f"Kế hoạch {lower_first(subject(plan.title))}",
    }


def outline_nodes(plan):
    """The stored outline of a plan written as one; else the one its sections give."""
    if plan.outline_source == OutlineSource.WRITTEN:
        return list(plan.outline_nodes.all())
    return [OutlineNode(plan=plan, **spec) for spec in outline_specs(plan)]


def default_table(plan, rows=()):
    """The appendix of a plan with tasks and no table of its own: the five usual columns."""
    table = TaskTable(plan=plan, placement=TablePlacement.APPENDIX, label="Phụ lục",
                      title=plan.appendix_title, columns=DEFAULT_COLUMNS)
    table.row_list = list(rows)
    return table


def task_tables(plan, tasks):
    """The plan's key-task tables in order, each with ``row_list``: (row, task) pairs.

    Tasks that no table lists (added in the browser after an import) join the last table,
    so that no key task is left out of the document.
    """
    if plan.outline_source != OutlineSource.WRITTEN:
        return [default_table(plan, [(None, task) for task in tasks])] if tasks else []
    by_pk = {task.pk: task for task in tasks}
    tables = sorted(plan.task_tables.all(), key=lambda table: (table.position, table.pk))
    listed = set()
    for table in tables:
        rows = sorted(table.rows.all(), key=lambda row: (row.position, row.pk))
        table.row_list = [(row, by_pk.get(row.task_id)) for row in rows]
        listed |= {row.task_id for row in rows if row.task_id}
    rest = [(None, task) for task in tasks if task.pk not in listed]
    if rest:
        if tables:
            tables[-1].row_list += rest
        else:
            tables = [default_table(plan, rest)]
    return tables


def node_blocks(node, targets, budget=None):
    """A node's heading, paragraphs and attached table (``budget``: the budget lines' block,
    under the budget part)."""
    paragraphs = node.paragraphs()
    out = []
    if node.numbering or node.heading:
        run_in = paragraphs.pop(0) if node.run_in and paragraphs else ""
        out.append(Block(
            "heading",
            text=node.heading.strip(),
            label=node.numbering.strip(),
            level=node.level,
            emphasis=node.emphasis or LEVEL_EMPHASIS.get(node.level, "italic"),
            centered=node.centered,
            run_in=run_in,
        ))
    kind = "basis" if node.attachment == Attachment.LEGAL_BASES else "para"
    out += [Block(kind, text) for text in paragraphs]
    if node.attachment == Attachment.TARGETS_TABLE and targets:
        out.append(Block("targets", rows=target_rows(targets)))
    if node.attachment == Attachment.BUDGET and budget is not None:
        out.append(budget)
    return out


def budget_block(plan):
    """The table of the plan's budget lines and their total, or None without lines."""
    lines = list(plan.budget_lines.all())
    if not lines:
        return None
    rows = [
        {"source": line.source, "item": line.item, "amount": format_vnd(line.amount)}
        for line in lines
    ]
    return Block("budget", text=format_vnd(plan.budget_amount), rows=rows)


def decision_blocks(blocks):
    """ "QUYẾT ĐỊNH:" goes before the first article."""
    for index, block in enumerate(blocks):
        if block.kind == "heading" and block.label.startswith("Điều"):
            return [*blocks[:index], Block("decides", "QUYẾT ĐỊNH:"), *blocks[index:]]
    return blocks


def last_text_block(blocks):
    for block in reversed(blocks):
        if block.kind in ("para", "basis"):
            return block
        if block.kind == "heading":
            return block if block.run_in else None
        return None
    return None


def close_body(blocks):
    """The last paragraph of a body ends with "./."."""
    block = last_text_block(blocks)
    if block is None:
        return
    if block.kind == "heading":
        block.run_in = close_text(block.run_in)
    else:
        block.text = close_text(block.text)


def stamp_lines(text):
    """The electronic-signature stamp as the signed file shows it: one item a line."""
    parts = re.split(r"\s*(?:;|\n)\s*", text or "")
    return [part for part in parts if part]


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


def own_decision_signer(plan):
    return plan.decision_signer_authority or plan.decision_signer_title or plan.decision_signer_name


def signs_itself(plan, decision):
    """A plan issued by a decision is signed by it, unless both carry signers, not the same."""
    if not decision:
        return True
    signer = (plan.signer_authority, plan.signer_title, plan.signer_name)
    decision_signer = (plan.decision_signer_authority, plan.decision_signer_title,
                       plan.decision_signer_name)
    return bool(own_decision_signer(plan) and any(signer) and signer != decision_signer)


def decision_signature(plan):
    own = own_decision_signer(plan)
    return Signature(
        authority=plan.decision_signer_authority if own else plan.signer_authority,
        title=plan.decision_signer_title if own else plan.signer_title,
        name=plan.decision_signer_name if own else plan.signer_name,
        recipients=plan.decision_recipient_lines(),
    )


def decision_reference(plan, prefix):
    """ "(Ban hành kèm theo Quyết định số 286/QĐ-UBND ngày 26/01/2022 của …)"."""
    text = f"{prefix} Quyết định số {plan.decision_number or '…'}"
    if plan.decision_date:
        text += f" ngày {short_date(plan.decision_date)}"
    return f"({text} của {plan.issuer.name})"


def written_issuer(plan, letterhead):
    """The header's issuing body as the plan writes it: parent body, empty line, issuer."""
    text = plan.header_issuer_text.strip()
    if not text:
        return letterhead
    groups = [group.splitlines() for group in re.split(r"\n\s*\n", text)]
    groups = [[line.strip() for line in group if line.strip()] for group in groups]
    letterhead.parent_lines = groups[0] if len(groups) > 1 else []
    letterhead.issuer_lines = [line for group in groups[1 if len(groups) > 1 else 0:]
                               for line in group]
    return letterhead


def plan_letterhead(plan, decision):
    if decision:
        # A plan issued by a decision carries the decision's number and date, not its own.
        return written_issuer(plan, Letterhead.for_agency(
            plan.issuer,
            kind="KẾ HOẠCH",
            title=subject(plan.title),
            subtitle=plan.subtitle_text or decision_reference(plan, "Ban hành kèm theo"),
        ))
    return written_issuer(plan, Letterhead.for_agency(
        plan.issuer,
        number=number_line(plan.document_number, "KH", plan.issuer.code, plan.document_symbol),
        date_line=(
            written_date_line(plan.place, plan.issued_on_text)
            if plan.issued_on is None and plan.issued_on_text
            else vietnamese_date_line(plan.place, plan.issued_on, year=plan.period_start_year)
        ),
        kind="KẾ HOẠCH",
        title=subject(plan.title),
        subtitle=plan.subtitle_text,
    ))


def written_date_line(place, text):
    """An incomplete date as written ("ngày   tháng 02 năm 2024"), after its place."""
    text = text.strip()
    if place and not fold(text).startswith(fold(place)):
        return f"{place}, {text}"
    return text


def decision_part(plan, blocks):
    date = plan.decision_date or plan.issued_on
    letterhead = written_issuer(plan, Letterhead.for_agency(
        plan.issuer,
        number=number_line(plan.decision_number, "QĐ", plan.issuer.code,
                           plan.decision_symbol),
        date_line=plan.decision_date_text
        or vietnamese_date_line(plan.place, date, year=plan.period_start_year),
        kind="QUYẾT ĐỊNH",
        title=plan.decision_title or f"Ban hành Kế hoạch {lower_first(subject(plan.title))}",
    ))
    close_body(blocks)
    return Decision(
        letterhead=letterhead,
        authority=plan.decision_authority or " ".join(plan.issuer.name.upper().split()),
        blocks=blocks,
        signature=decision_signature(plan),
    )


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


def written(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def agencies_of(task, role):
    lead = role == AssignmentRole.LEAD
    groups = task.lead_groups.all() if lead else task.coordinator_groups.all()
    names = [group.name for group in groups]
    names += [a.agency.display_name for a in task.direct_assignments if a.role == role]
    return names


def assignment_lines(task):
    """The "Phân công" cell: the plan's own wording, else the lead and coordinating agencies."""
    if task.assignment_text.strip():
        return dashed(task.assignment_text.splitlines())
    leads = agencies_of(task, AssignmentRole.LEAD)
    coordinators = agencies_of(task, AssignmentRole.COORDINATOR)
    lines = []
    if leads:
        lines.append(f"Chủ trì: {', '.join(leads)}")
    if coordinators:
        lines.append(f"Phối hợp: {', '.join(coordinators)}")
    return lines


def cell_lines(column_field, task, row, index):
    """What a column shows of a task, as the plan wrote it where it did."""
    if column_field == TaskField.NUMBER:
        return [row.number_text if row and row.number_text else str(task.number)]
    if column_field == TaskField.TITLE:
        return written(task.title)
    if column_field == TaskField.FORMS:
        return dashed(task.forms.splitlines())
    if column_field == TaskField.LEAD:
        return written(task.lead_text) or [", ".join(agencies_of(task, AssignmentRole.LEAD))]
    if column_field == TaskField.COORDINATORS:
        return written(task.coordinators_text) or [
            ", ".join(agencies_of(task, AssignmentRole.COORDINATOR))
        ]
    if column_field == TaskField.ASSIGNMENT:
        return assignment_lines(task)
    if column_field == TaskField.TIMELINE:
        return [task.timeline_text or short_date(task.due_date)]
    if column_field == TaskField.OUTPUT:
        return written(task.expected_output)
    if column_field == TaskField.BUDGET:
        return written(task.budget_text) or [format_vnd(task.budget_estimate)]
    if column_field == TaskField.NOTES:
        return written(task.notes)
    return written((row.cells or {}).get(str(index), "")) if row else []


def table_block(table):
    columns = [Column(c["heading"], c["field"]) for c in table.column_list()]
    rows = []
    for row, task in table.row_list:
        if task is None:
            if row is not None and row.text.strip():
                rows.append(Row(text=row.text.strip()))
            continue
        rows.append(Row(cells=[
            Cell(column.field, [line for line in cell_lines(column.field, task, row, i) if line])
            for i, column in enumerate(columns)
        ]))
    return Block("tasks", columns=columns, rows=rows)


def appendix_subtitle(plan):
    if has_decision(plan):
        return decision_reference(plan, "Kèm theo")
    if plan.document_number.strip("/ "):
        subtitle = f"(Kèm theo Kế hoạch số {plan.document_number}"
        if plan.issued_on:
            subtitle += f" ngày {short_date(plan.issued_on)}"
        return subtitle + f" của {plan.issuer.name})"
    return f"(Kèm theo Kế hoạch của {plan.issuer.name})"


def appendix(plan, table):
    capacity = ANNEX_CHARS if table.landscape else PORTRAIT_ANNEX_CHARS
    if table.title.strip():
        title = [line for text in written(table.title) for line in balanced_lines(text, capacity)]
    else:
        title = [
            "DANH MỤC NHIỆM VỤ TRỌNG ĐIỂM",
            *balanced_lines(f"KẾ HOẠCH {subject(plan.title).upper()}", capacity),
        ]
    return Appendix(
        label=table.label,
        title_lines=title,
        subtitle=table.subtitle or appendix_subtitle(plan),
        table=table_block(table),
        landscape=table.landscape,
    )


def slug(text):
    return "-".join(re.findall(r"[a-z0-9]+", fold(text)))


def plan_filename(plan, extension="pdf"):
    """ "KH-2022-khanh-hoa.pdf"; an agency under the province adds its code."""
    parts = ["KH", plan.period_label.replace("–", "-"), slug(plan.place)]
    if plan.issuer.parent_id or not plan.place:
        parts.append(slug(plan.issuer.code))
    return "-".join(part for part in parts if part) + f".{extension}"
