"""Understand a plan's paragraphs and tables: header, decision, outline, tables, signature.

Pure functions, no database. Numbering and headings are recognised from the text ("I.",
"1.", "a)", "3.1.", "-", "+", "Điều 1."), never from Word styles. Every word that is read
lands somewhere in the result (a node's heading or paragraphs, a table cell, a header or
signature line), so that the plan prints back as it was written.
"""

import datetime
import re
from dataclasses import dataclass, field

from cchc_plans.search import fold

from .blocks import Paragraph, Table

DOCUMENT_TYPES = ("QUYẾT ĐỊNH", "KẾ HOẠCH", "BÁO CÁO", "CHƯƠNG TRÌNH", "ĐỀ ÁN", "HƯỚNG DẪN")
TERMINAL = tuple(".:;!?)”\"/")
MARKERS = [  # (rank, pattern): the rank orders the levels when a plan skips none
    (0, re.compile(r"^(?P<n>[IVXLC]+\.)\s*(?P<t>.*)$")),
    (1, re.compile(r"^(?P<n>\d{1,2}[.)])(?!\d)\s*(?P<t>.*)$")),
    (2, re.compile(r"^(?P<n>\d{1,2}(?:\.\d{1,2})+\.?)(?!\d)\s+(?P<t>.*)$")),
    (3, re.compile(r"^(?P<n>[a-zđ]\))\s*(?P<t>.*)$")),
    (4, re.compile(r"^(?P<n>[-–•])\s*(?P<t>.+)$")),
    (5, re.compile(r"^(?P<n>\+)\s*(?P<t>.+)$")),
]
ARTICLE = re.compile(r"^(?P<n>Điều\s+\d+\.?)\s*(?P<t>.*)$")
NUMBER = re.compile(r"^Số\s*:\s*(?P<n>.*)$", re.IGNORECASE)
PLACE_DATE = re.compile(r"^(?P<place>[^,]{2,60}),\s*(?P<date>ngày\b.*)$", re.IGNORECASE)
# A date line without its place: "ngày   tháng 02 năm 2024".
DATE_ONLY = re.compile(r"^(?P<date>ngày\b.*\bnăm\b.*)$", re.IGNORECASE)
FULL_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)
SUBTITLE = re.compile(r"^[*_]*\(\s*(?:Ban hành\s+)?kèm theo\b", re.IGNORECASE)
APPENDIX = re.compile(r"^[*_]*(Phụ lục|PHỤ LỤC)(\s+[IVX\d]+)?\b[:.]?\s*(?P<rest>.*)$")
SIGNING = re.compile(r"^(TM|KT|Q|TL|TUQ)\.\s", re.IGNORECASE)
STAMP_START = re.compile(r"^Ký bởi\s*:", re.IGNORECASE)
STAMP_END = re.compile(r"\d{1,2}:\d{2}(:\d{2})?\s*([+-]\d{2}:?\d{2})?$")
# Words that begin the name of a body in a header: a new line starting with one of them is
# a new body (parent body, then issuer); other lines continue the name above them.
BODY_HEADS = (
    "uy ban", "ubnd", "so ", "ban ", "bo ", "cuc ", "chi cuc", "van phong", "phong ", "trung tam",
    "dai ", "bao ", "hoi dong", "hdnd", "tinh uy", "dang uy", "thanh tra", "truong ", "benh vien",
    "kho bac", "bao hiem", "cong an", "lien doan", "hoi ", "tinh doan",
)
PERIOD = re.compile(r"(?:giai đoạn|từ năm)\s*(\d{4})\s*[-–đến ]+\s*(?:năm\s*)?(\d{4})"
                    r"|năm\s+(\d{4})", re.IGNORECASE)


@dataclass
class Header:
    issuer_lines: list = field(default_factory=list)   # parent body first, as written
    parent: str = ""
    issuer: str = ""
    number_text: str = ""   # "286 /QĐ-UBND" as written
    place: str = ""
    date_text: str = ""     # "ngày 26 tháng 01 năm 2022"
    date: datetime.date | None = None

    @property
    def number(self):
        """The number/symbol without spaces; empty when the number is left blank."""
        compact = re.sub(r"\s+", "", self.number_text)
        return compact if re.match(r"^\d", compact) else ""

    @property
    def symbol(self):
        """The symbol after the number as written ("KH-UBND"), also when the number is blank."""
        compact = re.sub(r"\s+", "", self.number_text)
        return compact.split("/", 1)[1] if "/" in compact else ""

    @property
    def place_and_date(self):
        return f"{self.place}, {self.date_text}" if self.place else self.date_text


@dataclass
class Signature:
    authority: str = ""
    title_lines: list = field(default_factory=list)
    name: str = ""

    @property
    def title(self):
        return " ".join(self.title_lines)


@dataclass
class Node:
    part: str
    level: int
    numbering: str = ""
    heading: str = ""
    paragraphs: list = field(default_factory=list)
    run_in: bool = False
    centered: bool = False
    attachment: str = ""


@dataclass
class TaskRow:
    number_text: str = ""
    cells: list = field(default_factory=list)  # one text per column, as written
    heading: str = ""  # a heading row ("A. CẤP TỈNH") spanning the table


@dataclass
class TaskTableData:
    columns: list  # [{"heading": as written, "field": tasks.models.TaskField value}]
    rows: list
    placement: str = "appendix"
    label: str = ""
    title: str = ""
    subtitle: str = ""
    after_node: int | None = None  # index in ``nodes`` of the node it sits in (inline)
    landscape: bool = True

    def cell(self, row, field_name):
        texts = [row.cells[i] for i, column in enumerate(self.columns)
                 if column["field"] == field_name and i < len(row.cells) and row.cells[i]]
        return "\n".join(texts)


@dataclass
class Decision:
    header: Header
    subject: str = ""
    authority: str = ""
    legal_bases: list = field(default_factory=list)
    recipients: list = field(default_factory=list)
    signature: Signature = field(default_factory=Signature)


@dataclass
class ParsedPlan:
    header: Header = field(default_factory=Header)
    document_type: str = ""
    title: str = ""
    subtitle: str = ""
    legal_bases: list = field(default_factory=list)
    nodes: list = field(default_factory=list)
    tables: list = field(default_factory=list)
    recipients: list = field(default_factory=list)
    signature: Signature = field(default_factory=Signature)
    decision: Decision | None = None
    stamp: str = ""
    leftovers: list = field(default_factory=list)  # words read that found no place
    issuer_from_text: str = ""  # "Sở Thông tin và Truyền thông xây dựng Kế hoạch …"

    @property
    def period(self):
        """(first year, last year) from the title, else the date."""
        for text in (self.title, self.subtitle):
            match = PERIOD.search(text or "")
            if match and match[1]:
                return int(match[1]), int(match[2])
            if match and match[3]:
                return int(match[3]), int(match[3])
        date = self.header.date or (self.decision.header.date if self.decision else None)
        if date:
            return date.year, date.year
        return None, None

    @property
    def tasks(self):
        return [(table, row) for table in self.tables for row in table.rows if not row.heading]


def is_upper(text):
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


def document_type(text):
    plain = text.strip().strip("*").strip()
    return plain if plain in DOCUMENT_TYPES else ""


def marker(text):
    """(rank, numbering, rest) of a numbered paragraph, or None."""
    for rank, pattern in MARKERS:
        match = pattern.match(text)
        if match:
            if rank == 0 and not match["t"]:
                continue
            return rank, match["n"], match["t"]
    return None


def rejoin(blocks):
    """Paragraphs cut in two (at a page break of the file it was typed from) joined again:
    one that starts in lower case continues a paragraph that does not end a sentence."""
    out = []
    for block in blocks:
        previous = out[-1] if out else None
        if (
            isinstance(block, Paragraph) and isinstance(previous, Paragraph)
            and block.text[:1].islower() and not previous.text.rstrip("*_ ").endswith(TERMINAL)
            and not is_upper(previous.text)
        ):
            out[-1] = Paragraph(f"{previous.text} {block.text}", previous.bold, previous.italic)
        else:
            out.append(block)
    return out


def parse(blocks):
    """A ``ParsedPlan`` from the blocks of ``reading.read_plan_file``. Never raises."""
    reader = _Reader(rejoin(list(blocks)))
    return reader.run()


class _Reader:
    def __init__(self, blocks):
        self.blocks = blocks
        self.i = 0
        self.plan = ParsedPlan()

    def peek(self):
        return self.blocks[self.i] if self.i < len(self.blocks) else None

    def take(self):
        block = self.peek()
        self.i += 1
        return block

    def run(self):
        plan = self.plan
        header = self.read_header()
        kind = self.read_type()
        if kind == "QUYẾT ĐỊNH":
            plan.decision = self.read_decision(header)
            header = self.read_header() if self.header_ahead() else Header()
            kind = self.read_type() or kind
        plan.header = header
        plan.document_type = kind or "KẾ HOẠCH"
        self.read_title()
        self.read_body()
        self.read_appendices()
        while self.peek() is not None:  # whatever follows the last appendix
            self.leftover(self.take())
        if not plan.header.issuer_lines and plan.decision:
            plan.header.issuer_lines = list(plan.decision.header.issuer_lines)
        return plan

    # -- header -----------------------------------------------------------------------------
    def header_ahead(self):
        block = self.peek()
        return isinstance(block, Table) and _looks_like_header(block)

    def read_header(self):
        header = Header()
        lines = []
        while True:
            block = self.peek()
            if isinstance(block, Table) and _looks_like_header(block):
                self.take()
                for cell in (block.rows[0] if block.rows else []):
                    lines.extend(line for line in cell.split("\n") if line)
                for row in block.rows[1:]:
                    for cell in row:
                        lines.extend(line for line in cell.split("\n") if line)
                continue
            if isinstance(block, Paragraph) and STAMP_START.match(block.text):
                self.read_stamp()
                continue
            if isinstance(block, Paragraph) and not document_type(block.text) and (
                _is_header_line(block.text)
            ):
                self.take()
                lines.append(block.text)
                continue
            break
        self.fill_header(header, lines)
        return header

    def read_stamp(self):
        """The stamp's lines, from "Ký bởi:" to its time, at most 14 of them."""
        lines = []
        while isinstance(self.peek(), Paragraph) and len(lines) < 14:
            text = self.peek().text
            if lines and (document_type(text) or STAMP_START.match(text)):
                break
            lines.append(self.take().text)
            if STAMP_END.search(text) and len(lines) > 1:
                break
        self.take_stamp(lines)

    def fill_header(self, header, lines):
        lines = self.take_stamp(lines)
        bodies, skip_next = [], False
        for line in lines:
            folded = fold(line)
            if skip_next:
                skip_next = False
                if folded in ("viet nam", "viet nam."):
                    continue
            if "cong hoa xa hoi chu nghia" in folded:
                skip_next = "viet nam" not in folded
                continue
            if "doc lap" in folded and "tu do" in folded:
                continue
            match = NUMBER.match(line)
            if match:
                header.number_text = match["n"].strip()
                continue
            match = PLACE_DATE.match(line) or DATE_ONLY.match(line)
            if match:
                place = match.groupdict().get("place") or ""
                header.place, header.date_text = place.strip(), match["date"].strip()
                date = FULL_DATE.search(header.date_text)
                if date:
                    try:
                        header.date = datetime.date(int(date[3]), int(date[2]), int(date[1]))
                    except ValueError:
                        header.date = None
                continue
            bodies.append(line)
        header.issuer_lines = bodies
        groups = []
        for line in bodies:
            if groups and not fold(line).startswith(BODY_HEADS):
                groups[-1] = f"{groups[-1]} {line}"
            else:
                groups.append(line)
        if groups:
            header.issuer = groups[-1]
            header.parent = " ".join(groups[:-1])

    def take_stamp(self, lines):
        """The e-signature stamp ("Ký bởi: … Email: … Ngày ký: … 10:30:03") out of lines."""
        out, stamp, inside = [], [], False
        for line in lines:
            if STAMP_START.match(line) and not self.plan.stamp:
                inside = True
            if inside:
                stamp.append(line)
                if STAMP_END.search(line) and len(stamp) > 1 or len(stamp) > 14:
                    inside = False
                continue
            out.append(line)
        if stamp:
            self.plan.stamp = " ".join(stamp)
        return out

    # -- document type and title -------------------------------------------------------------
    def read_type(self):
        block = self.peek()
        if isinstance(block, Paragraph) and document_type(block.text):
            self.take()
            return document_type(block.text)
        return ""

    def read_title(self):
        block = self.peek()
        if isinstance(block, Paragraph) and not _starts_body(block.text):
            self.take()
            self.plan.title = block.text.strip()
        block = self.peek()
        if isinstance(block, Paragraph) and SUBTITLE.match(block.text):
            self.take()
            self.plan.subtitle = block.text

    # -- decision ----------------------------------------------------------------------------
    def read_decision(self, header):
        decision = Decision(header=header)
        block = self.peek()
        if isinstance(block, Paragraph) and not block.text.startswith("Căn cứ"):
            decision.subject = self.take().text
        block = self.peek()
        if isinstance(block, Paragraph) and is_upper(block.text) and not _starts_body(block.text):
            decision.authority = self.take().text
        nodes = self.plan.nodes
        while self.peek() is not None:
            block = self.peek()
            if _is_signature(block) or self.header_ahead():
                break
            if isinstance(block, Paragraph) and document_type(block.text):
                break
            self.take()
            if isinstance(block, Table):
                nodes.append(Node("decision", 0, paragraphs=_table_lines(block)))
                continue
            text = block.text
            if text.startswith("Căn cứ"):
                decision.legal_bases.append(text)
                if nodes and nodes[-1].attachment == "legal_bases":
                    nodes[-1].paragraphs.append(text)
                else:
                    nodes.append(Node("decision", 0, paragraphs=[text], attachment="legal_bases"))
                continue
            if fold(text).rstrip(" :") == "quyet dinh":
                continue  # "QUYẾT ĐỊNH:" is printed before the first article
            match = ARTICLE.match(text)
            if match:
                nodes.append(Node("decision", 0, numbering=match["n"], paragraphs=[match["t"]],
                                  run_in=True, attachment="article"))
            elif nodes and nodes[-1].attachment == "article":
                nodes[-1].paragraphs.append(text)
            else:
                nodes.append(Node("decision", 0, paragraphs=[text]))
        decision.recipients, decision.signature = self.read_signature()
        return decision

    # -- signature ---------------------------------------------------------------------------
    def read_signature(self):
        block = self.peek()
        recipients, signature = [], Signature()
        if isinstance(block, Table) and _is_signature(block):
            self.take()
            left, right = _signature_cells(block)
            recipients = _recipients(left)
            signature = _signature(right)
            return recipients, signature
        if isinstance(block, Paragraph) and _is_signature(block):
            self.take()
            lines = []
            while isinstance(self.peek(), Paragraph):
                text = self.peek().text
                if document_type(text) or APPENDIX.match(text) or len(text) > 200:
                    break
                lines.append(self.take().text)
            recipient_lines = [line for line in lines if line.startswith(("-", "–"))]
            rest = [line for line in lines if not line.startswith(("-", "–"))]
            rest = self.take_stamp(rest)
            return _recipients(recipient_lines), _signature(rest)
        return recipients, signature

    # -- body --------------------------------------------------------------------------------
    def read_body(self):
        plan, stack = self.plan, []
        start = len(plan.nodes)
        while self.peek() is not None:
            block = self.peek()
            if _is_signature(block):
                break
            if isinstance(block, Paragraph) and APPENDIX.match(block.text):
                break
            if isinstance(block, Table) and _looks_like_header(block):
                break
            self.take()
            if isinstance(block, Table):
                columns = task_columns(block)
                if columns:
                    index = len(plan.nodes) - 1 if len(plan.nodes) > start else None
                    plan.tables.append(task_table(block, columns, placement="inline",
                                                  after_node=index, landscape=False))
                else:
                    self.text_node(stack).paragraphs.extend(_table_lines(block))
                continue
            text = block.text
            if STAMP_START.match(text):
                self.take_stamp([text])
                continue
            found = marker(text)
            if found is None:
                found_article = ARTICLE.match(text)
                if found_article:
                    found = (6, found_article["n"], found_article["t"])
            if found is None:
                if text.startswith("Căn cứ") and not stack:
                    plan.legal_bases.append(text)
                    node = self.text_node(stack, attachment="legal_bases")
                else:
                    node = self.text_node(stack)
                node.paragraphs.append(text)
                if not plan.issuer_from_text:
                    match = re.search(r",\s*((?:Sở|Ủy ban|UBND|Ban|Văn phòng)[^,;]{2,80}?)\s+"
                                      r"(?:xây dựng|ban hành)\s+Kế hoạch", text)
                    if match:
                        plan.issuer_from_text = match[1]
                continue
            rank, numbering, rest = found
            while stack and stack[-1] >= rank:
                stack.pop()
            stack.append(rank)
            node = Node("plan", len(stack) - 1, numbering=numbering)
            _set_heading(node, rest, block)
            plan.nodes.append(node)
        plan.recipients, plan.signature = self.read_signature()

    def text_node(self, stack, attachment=""):
        """The node unnumbered text goes to: the current one, or a headless one."""
        nodes = self.plan.nodes
        if nodes and nodes[-1].part == "plan" and (stack or nodes[-1].attachment == attachment):
            if not stack and nodes[-1].numbering:
                pass
            else:
                return nodes[-1]
        node = Node("plan", 0, attachment=attachment)
        nodes.append(node)
        return node

    # -- appendices --------------------------------------------------------------------------
    def read_appendices(self):
        while isinstance(self.peek(), Paragraph) and APPENDIX.match(self.peek().text):
            label_block = self.take()
            match = APPENDIX.match(label_block.text)
            label = label_block.text[: len(label_block.text) - len(match["rest"])].strip()
            title_lines, subtitle = ([match["rest"]] if match["rest"] else []), ""
            while isinstance(self.peek(), Paragraph):
                text = self.peek().text
                if APPENDIX.match(text):
                    break
                self.take()
                if SUBTITLE.match(text):
                    subtitle = text
                else:
                    title_lines.append(text)
            block = self.peek()
            if isinstance(block, Table):
                self.take()
                columns = task_columns(block)
                if columns:
                    table = task_table(block, columns, placement="appendix")
                    table.label, table.subtitle = label, subtitle
                    table.title = " ".join(title_lines)
                    self.plan.tables.append(table)
                else:
                    node = Node("plan", 0, heading=" ".join([label, *title_lines]),
                                paragraphs=[subtitle, *_table_lines(block)] if subtitle
                                else _table_lines(block))
                    self.plan.nodes.append(node)
            else:
                self.plan.nodes.append(Node("plan", 0, heading=" ".join([label, *title_lines]),
                                            paragraphs=[subtitle] if subtitle else []))

    def leftover(self, block):
        if isinstance(block, Table):
            self.plan.leftovers.extend(_table_lines(block))
        elif block.text:
            self.plan.leftovers.append(block.text)


def _set_heading(node, rest, block):
    """Heading, or a run-in heading ("4. Chế độ báo cáo: Các cơ quan…"), or run-in text."""
    rest = rest.strip()
    bullet = node.numbering in ("-", "–", "•", "+")
    if rest.endswith(":") or (
        not bullet and len(rest) <= 160 and not rest.endswith((".", ";", "./."))
    ):
        node.heading = rest
        return
    colon = rest.find(": ")
    if 0 < colon <= 100:
        node.heading = rest[: colon + 1]
        node.paragraphs.append(rest[colon + 2:])
    else:
        node.paragraphs.append(rest)
    node.run_in = True


def _starts_body(text):
    return bool(marker(text) or ARTICLE.match(text) or text.startswith("Căn cứ")
                or document_type(text))


def _is_header_line(text):
    folded = fold(text)
    return bool(
        "cong hoa xa hoi chu nghia" in folded or ("doc lap" in folded and "tu do" in folded)
        or NUMBER.match(text) or PLACE_DATE.match(text)
        or is_upper(text) and len(text) < 80 and folded.startswith(BODY_HEADS)
    )


def _looks_like_header(table):
    text = fold(" ".join(cell for row in table.rows for cell in row))
    return len(table.rows) <= 3 and (
        "cong hoa xa hoi" in text or "doc lap" in text or bool(re.search(r"\bso\s*:", text))
    ) and "noi nhan" not in text


def _is_signature(block):
    if isinstance(block, Table):
        return bool(block.rows) and len(block.rows) <= 3 and "noi nhan" in fold(
            " ".join(block.rows[0][:1] or [""])
        )
    return isinstance(block, Paragraph) and fold(block.text).strip(" *_:") == "noi nhan"


def _signature_cells(table):
    row = table.rows[0] or [""]
    left = [line for line in row[0].split("\n") if line]
    right = [line for cell in row[1:] for line in cell.split("\n") if line]
    for extra in table.rows[1:]:
        if not extra:
            continue
        left += [line for line in extra[0].split("\n") if line]
        right += [line for cell in extra[1:] for line in cell.split("\n") if line]
    return left, right


def _recipients(lines):
    out = []
    for line in lines:
        if fold(line).strip(" *_:") == "noi nhan":
            continue
        if out and not line.startswith(("-", "–", "+")):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def _signature(lines):
    signature = Signature()
    lines = [line for line in lines if line.strip()]
    if lines and not is_upper(lines[-1]):
        signature.name = lines.pop()
    if lines and SIGNING.match(lines[0]):
        signature.authority = lines.pop(0)
    signature.title_lines = lines
    return signature


def _table_lines(table):
    return [" | ".join(cell.replace("\n", " ") for cell in row if cell) for row in table.rows
            if any(row)]


# -- key-task tables ---------------------------------------------------------------------------
COLUMN_WORDS = [  # (field, folded words any of which names it); checked in order
    ("number", ("stt", "tt", "so tt", "so thu tu")),
    ("notes", ("ghi chu",)),
    ("budget", ("kinh phi", "du toan", "nguon kinh phi")),
    ("assignment", ("phan cong", "cach thuc thuc hien", "don vi thuc hien", "co quan thuc hien",
                    "trach nhiem", "chu tri, phoi hop", "chu tri phoi hop")),
    ("lead", ("chu tri",)),
    ("coordinators", ("phoi hop",)),
    ("timeline", ("tien do", "thoi gian", "thoi han")),
    ("output", ("san pham", "ket qua", "du kien")),
    ("forms", ("hinh thuc",)),
    ("title", ("nhiem vu", "noi dung", "hoat dong", "ten")),
]


def column_field(heading):
    folded = fold(heading).strip(" .:")
    for name, words in COLUMN_WORDS:
        if name == "number":
            if folded in words:
                return name
            continue
        if any(word in folded for word in words):
            return name
    return "text"


def task_columns(table):
    """The columns of a key-task table ([{heading, field}]), or [] for another table."""
    if len(table.rows) < 2 or table.width < 3:
        return []
    header_rows = 1
    # A second header row ("Chủ trì" | "Phối hợp" under "Cơ quan thực hiện").
    second = table.rows[1] or [""]
    if not re.match(r"^\s*([IVX]+|\d+|[A-Z])\.?\s*$", second[0] or "") and not second[0].strip() \
            and any(column_field(cell) in ("lead", "coordinators") for cell in second if cell):
        header_rows = 2
    columns = []
    for index in range(table.width):
        parts = []
        for row in table.rows[:header_rows]:
            text = row[index] if index < len(row) else ""
            if text and text not in parts:
                parts.append(text)
        heading = " ".join(parts)
        lower = table.rows[header_rows - 1][index] if index < len(table.rows[header_rows - 1]) \
            else ""
        field_name = column_field(lower or heading)
        if field_name == "text":
            field_name = column_field(heading)
        columns.append({"heading": heading, "field": field_name, "header_rows": header_rows})
    fields = [column["field"] for column in columns]
    if "title" not in fields or not ({"number", "lead", "assignment", "timeline"} & set(fields)):
        return []
    return columns


def task_table(table, columns, *, placement, after_node=None, landscape=True):
    header_rows = columns[0]["header_rows"]
    columns = [{"heading": c["heading"], "field": c["field"]} for c in columns]
    fields = [column["field"] for column in columns]
    rows = []
    for cells in table.rows[header_rows:]:
        cells = [*cells, *[""] * (len(columns) - len(cells))][: len(columns)]
        if not any(cells):
            continue
        if _same_row(cells, table.rows[0]):
            continue  # a header row repeated at a page break
        number = cells[fields.index("number")] if "number" in fields else ""
        filled = [cell for cell in cells if cell]
        title = cells[fields.index("title")]
        if len(set(filled)) == 1 and len(filled) >= 1 and (not title or filled[0] == number):
            rows.append(TaskRow(heading=filled[0]))  # a heading row spanning the table
            continue
        if re.match(r"^[IVX]+\.?$|^[A-Z]\.?$", number.strip()) and len(filled) <= 2:
            rows.append(TaskRow(heading=" ".join(filled)))
            continue
        rows.append(TaskRow(number_text=number, cells=cells))
    return TaskTableData(columns=columns, rows=rows, placement=placement, after_node=after_node,
                         landscape=landscape)


def _same_row(cells, header):
    return [" ".join(c.split()) for c in cells] == [" ".join(c.split()) for c in header]
