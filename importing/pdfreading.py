"""Read a PDF's text layer (pdfplumber) into the same paragraphs and tables as a .docx.

Ruled tables are read cell by cell, row by row; a table that goes on over a page break (its
header row repeated, a row continued with an empty first cell) is joined again. Text outside
the tables is put back into paragraphs from its lines; a two-column block (the document
header, the recipients beside the signature) becomes a one-row table, as in the Word file.
A paragraph cut by a page break is joined again, and so is a word hyphenated at it.
"""

import io
import re

from django.utils.translation import gettext as _

from .blocks import Paragraph, Table, UnreadableFile, clean_text

COLUMN_GAP = 24  # points: more than any space of a justified line
LIST_MARKER = re.compile(r"^(?:[-–+•]\s|[IVXLC]+\.\s|\d+(?:\.\d+)*[.)]\s|[a-zđ]\)\s|Điều \d+)")
TERMINAL = tuple(".:;!?)”\"/")


def read_pdf(data):
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except (PDFPasswordIncorrect, PDFEncryptionError) as error:
        raise UnreadableFile(
            _("The PDF is protected by a password: save it without a password first.")
        ) from error
    except (PDFSyntaxError, Exception) as error:
        if "password" in str(error).lower() or type(error).__name__ == "PdfminerException" and (
            isinstance(error.args[0] if error.args else None, PDFPasswordIncorrect)
        ):
            raise UnreadableFile(
                _("The PDF is protected by a password: save it without a password first.")
            ) from error
        raise UnreadableFile(_("The PDF is damaged and cannot be read.")) from error
    try:
        with pdf:
            blocks, carried = [], None
            for page in pdf.pages:
                page_blocks, first_indented, carried = _read_page(page, carried)
                _append_page(blocks, page_blocks, first_indented)
    except UnreadableFile:
        raise
    except Exception as error:
        if "password" in repr(error).lower() or "encrypt" in repr(error).lower():
            raise UnreadableFile(
                _("The PDF is protected by a password: save it without a password first.")
            ) from error
        raise UnreadableFile(_("The PDF is damaged and cannot be read.")) from error
    if not any(block.text if isinstance(block, Paragraph) else block.rows for block in blocks):
        raise UnreadableFile(
            _("The PDF has no text layer (a scan or an image): export it from Word as PDF, "
              "or upload the .docx.")
        )
    return blocks


class _Line:
    def __init__(self, words):
        self.words = sorted(words, key=lambda w: w["x0"])
        self.top = min(w["top"] for w in words)
        self.bottom = max(w["bottom"] for w in words)
        self.x0 = self.words[0]["x0"]
        self.x1 = max(w["x1"] for w in words)
        self.bold = all("bold" in w.get("fontname", "").lower() for w in words)
        self.italic = all(
            "italic" in w.get("fontname", "").lower() or "oblique" in w.get("fontname", "").lower()
            for w in words
        )

    @property
    def text(self):
        return _join_words(self.words)

    def gaps(self):
        return [
            (left["x1"], right["x0"])
            for left, right in zip(self.words, self.words[1:], strict=False)
            if right["x0"] - left["x1"] > COLUMN_GAP
        ]

    def crosses(self, gutter):
        left, right = gutter
        return any(w["x0"] < right and w["x1"] > left for w in self.words)


def _join_words(words):
    """The words of a line as text; a bracket or quote set apart from its word by a font
    change (an italic phrase in quotes) is put back against it."""
    text, previous = "", None
    for index, word in enumerate(words):
        if previous is not None:
            tight = word["x0"] - previous["x1"] < 4
            opener = previous["text"] in ("(", "“", "‘", "[") or (
                previous["text"] == '"' and (text == '"' or text.endswith(' "'))
            )
            following = words[index + 1] if index + 1 < len(words) else None
            lone_quote_closes = word["text"] == '"' and (
                following is None or following["x0"] - word["x1"] >= 4
            )
            closer = word["text"][:1] in (")", "”", "’", "]") or lone_quote_closes or (
                word["text"][:1] == '"' and len(word["text"]) > 1
                and not word["text"][1:2].isalnum()
            )
            text += "" if tight and (opener or closer) else " "
        text += word["text"]
        previous = word
    return text


def _read_page(page, carried=None):
    """(blocks, first line indented?, open column block) of one page, tables and text in
    reading order; ``carried`` is the column block the previous page ended in."""
    tables = page.find_tables()
    boxes = [table.bbox for table in tables]

    def outside(obj):
        if obj.get("object_type") != "char":
            return True
        x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    words = page.filter(outside).extract_words(extra_attrs=["fontname"], use_text_flow=False)
    lines = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(lines[-1][-1]["top"] - word["top"]) < 2.5:
            lines[-1].append(word)
        else:
            lines.append([word])
    lines = [_Line(group) for group in lines]
    # A page number alone in the top or bottom margin is not part of the text.
    lines = [
        line for line in lines
        if not (line.text.isdigit() and (line.top < 70 or line.bottom > page.height - 60))
    ]
    items = [(line.top, "line", line) for line in lines]
    items += [(table.bbox[1], "table", table) for table in tables]
    items.sort(key=lambda item: item[0])
    left_margin = _mode([round(line.x0) for line in lines]) if lines else 0
    right_margin = max((line.x1 for line in lines), default=page.width)
    blocks, pending, column_block = [], [], None
    if carried is not None:
        column_block = {"gutter": _edges(carried), "lines": []}
        blocks.append(column_block)

    def flush():
        nonlocal pending
        blocks.extend(_paragraphs(pending, left_margin, right_margin))
        pending = []

    for _top, kind, item in items:
        if kind == "table":
            flush()
            column_block = None
            blocks.append(_ruled_table(item))
            continue
        line = item
        if column_block is not None and _joins(column_block, line):
            continue
        column_block = None
        gaps = line.gaps()
        if gaps:
            flush()
            gutter = max(gaps, key=lambda gap: gap[1] - gap[0])
            column_block = {"gutter": gutter, "lines": [(line, None)]}
            blocks.append(column_block)
            continue
        pending.append(line)
    flush()
    first_indented = bool(lines) and lines[0].x0 > left_margin + 8
    blocks = [
        _column_table(b) if isinstance(b, dict) else b
        for b in blocks if not isinstance(b, dict) or b["lines"]
    ]
    return blocks, first_indented, column_block


DOCUMENT_TYPES = re.compile(r"^(QUYẾT ĐỊNH|KẾ HOẠCH|BÁO CÁO|CÔNG VĂN|TỜ TRÌNH|THÔNG BÁO)\b")


def _joins(block, line):
    """Whether ``line`` goes on in a column of ``block`` (and records on which side): it
    keeps to one side of the columns met so far, close below the block's last line, and is
    not a document title."""
    left_edge, right_edge = _edges(block)
    if block["lines"] and line.top - block["lines"][-1][0].top > 2.4 * (line.bottom - line.top):
        return False
    if DOCUMENT_TYPES.match(line.text):
        return False
    if line.gaps():
        if line.crosses((left_edge, right_edge)):
            return False
        block["lines"].append((line, None))
    elif line.x1 < right_edge - 5:
        block["lines"].append((line, 0))
    elif line.x0 > left_edge + 5:
        block["lines"].append((line, 1))
    else:
        return False
    return True


def _edges(block):
    """The right edge of the left column and the left edge of the right one."""
    middle = (block["gutter"][0] + block["gutter"][1]) / 2
    left_edge, right_edge = block["gutter"][0], block["gutter"][1]
    for line, side in block["lines"]:
        for word in line.words:
            on_left = side == 0 or side is None and word["x1"] <= middle
            if on_left:
                left_edge = max(left_edge, word["x1"])
            else:
                right_edge = min(right_edge, word["x0"])
    return left_edge, right_edge


def _mode(values):
    counts = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return min(max(counts.items(), key=lambda item: (item[1], -item[0]))[0], min(values))


def _column_table(block):
    middle = (block["gutter"][0] + block["gutter"][1]) / 2
    cells = [[], []]
    for line, side in block["lines"]:
        for column in (0, 1):
            words = [
                w for w in line.words
                if side == column or side is None and (w["x1"] <= middle) == (column == 0)
            ]
            if words:
                cells[column].append(_join_words(words))
    return Table([[clean_text("\n".join(cell)) for cell in cells]], ruled=False)


def _paragraphs(lines, left_margin, right_margin):
    paragraphs, current, previous = [], None, None
    for line in lines:
        text = clean_text(line.text)
        if not text:
            continue
        starts_new = (
            current is None
            or LIST_MARKER.match(text)
            or line.top - previous.bottom > 0.45 * (line.bottom - line.top)
            or line.x0 > left_margin + 8 and previous.x1 >= right_margin - 30
            and abs(line.x0 - previous.x0) > 8 and previous.x0 <= left_margin + 8
            or previous.x1 < right_margin - 60 and previous.x0 <= left_margin + 8
        )
        if starts_new:
            current = Paragraph(text, bold=line.bold, italic=line.italic)
            paragraphs.append(current)
        else:
            current.text = join_lines(current.text, text)
            current.bold = current.bold and line.bold
            current.italic = current.italic and line.italic
        previous = line
    return paragraphs


def join_lines(first, second):
    """Join two lines of one paragraph. A line ending in a hyphen stuck to a word was broken
    there ("4831/QĐ-" + "UBND", "Lao động-" + "Thương binh"): the word is rejoined."""
    if re.search(r"\w-$", first):
        return first + second
    return f"{first} {second}"


def _cell_text(text):
    lines = [line for line in clean_text(text or "").split("\n") if line]
    out = []
    for line in lines:
        if out and not LIST_MARKER.match(line):
            out[-1] = join_lines(out[-1], line)
        else:
            out.append(line)
    return "\n".join(out)


def _ruled_table(table):
    return Table([[_cell_text(cell) for cell in row] for row in table.extract()])


def _append_page(blocks, page_blocks, first_indented):
    if not page_blocks:
        return
    first = page_blocks[0]
    last = blocks[-1] if blocks else None
    if isinstance(first, Table) and isinstance(last, Table) and not (first.ruled or last.ruled):
        # The recipients and the signature go on over the page break.
        last.rows[0] = [
            "\n".join(part for part in (before, after) if part)
            for before, after in zip(last.rows[0], first.rows[0], strict=False)
        ]
        page_blocks = page_blocks[1:]
    elif isinstance(first, Table) and isinstance(last, Table) and first.width == last.width:
        rows = list(first.rows)
        if rows and last.rows and _same(rows[0], last.rows[0]):
            rows = rows[1:]  # the header row repeated on the new page
        if rows and last.rows and not rows[0][0].strip() and any(c.strip() for c in rows[0]):
            continued = rows.pop(0)
            last.rows[-1] = [
                _join_cells(before, after)
                for before, after in zip(last.rows[-1], continued, strict=False)
            ]
        last.rows.extend(rows)
        page_blocks = page_blocks[1:]
    elif (
        isinstance(first, Paragraph) and isinstance(last, Paragraph) and not first_indented
        and first.text[:1].islower() and not last.text.endswith(TERMINAL)
    ):
        last.text = join_lines(last.text, first.text)
        page_blocks = page_blocks[1:]
    blocks.extend(page_blocks)


def _same(row, other):
    return [" ".join(c.split()) for c in row] == [" ".join(c.split()) for c in other]


def _join_cells(before, after):
    if not after:
        return before
    if not before:
        return after
    if LIST_MARKER.match(after):
        return f"{before}\n{after}"
    lines = before.split("\n")
    lines[-1] = join_lines(lines[-1], after.split("\n")[0])
    return "\n".join(lines + after.split("\n")[1:])
