"""Word (.docx) documents laid out like the PDFs (Decree 30/2020/NĐ-CP), with python-docx.

The building blocks every document shares: an A4 page with the decree's margins in Times New
Roman, the header table (issuer and number on the left, national title, motto and date line
on the right), the type and subject with their short rules, the signature block with "Nơi
nhận:", grid tables whose head repeats on each page, landscape sections for annexes, and the
page number top centre from page 2 (a ``PAGE`` field in the header, the first page's header
left empty).

``html_document`` turns the body and annexes of a document template (the same HTML the PDF
is printed from: paragraphs, headings, ``table.grid``, charts as SVG, ``section.annex``) into
Word, so that the PDF and the Word file hold the same words; the letterhead and signature
come from the ``Letterhead`` and ``Signature`` objects of ``documents.pdf``.
"""

import io
import re
import subprocess

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import html as lxml_html

from cchc_plans.text import strip_bidi

from .pdf import write_pdf

FONT = "Times New Roman"
BODY_SIZE = Pt(14)
TABLE_SIZE, ANNEX_TABLE_SIZE = Pt(12), Pt(11)
# Decree 30/2020, Appendix I: top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm.
PORTRAIT_MARGINS = (Mm(20), Mm(15), Mm(20), Mm(30))  # top, right, bottom, left
LANDSCAPE_MARGINS = (Mm(20), Mm(20), Mm(20), Mm(20))
A4 = (Mm(210), Mm(297))
FIRST_LINE_INDENT = Mm(12.7)
CHART_DPI = 200
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# ---------------------------------------------------------------------------------------------
# Page, fonts, sections


def new_document():
    """An empty A4 portrait document in Times New Roman 14 pt, page numbers from page 2."""
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = BODY_SIZE
    # Vietnamese and other scripts take the font of their own slot: name it in every one.
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    section = document.sections[0]
    set_orientation(section, landscape=False)
    page_number_header(section)
    return document


def set_orientation(section, *, landscape):
    """Portrait or landscape A4 with the decree's margins (landscape swaps width and height)."""
    width, height = A4
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    top, right, bottom, left = LANDSCAPE_MARGINS if landscape else PORTRAIT_MARGINS
    section.top_margin, section.right_margin = top, right
    section.bottom_margin, section.left_margin = bottom, left
    section.header_distance = Mm(10)


def new_section(document, *, landscape):
    """A new section on a new page; its header follows the previous one (the numbering too)."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    set_orientation(section, landscape=landscape)
    section.different_first_page_header_footer = False
    return section


def text_width(section):
    return section.page_width - section.left_margin - section.right_margin


def page_number_header(section):
    """The page number top centre, on every page but the first (Decree 30, Appendix I)."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_field(paragraph, "PAGE", size=Pt(13))
    section.first_page_header.paragraphs[0].text = ""


def add_field(paragraph, instruction, *, size=None):
    """A Word field (``PAGE``, ``NUMPAGES``…): python-docx has no API for them."""
    def run_with(element):
        run = paragraph.add_run()
        if size:
            run.font.size = size
        run._r.append(element)
        return run

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(begin)
    run_with(code)
    run_with(separate)
    placeholder = paragraph.add_run("1")
    if size:
        placeholder.font.size = size
    run_with(end)


# ---------------------------------------------------------------------------------------------
# Paragraphs and rules


def add_paragraph(container, text="", *, size=None, bold=False, italic=False, align=None,
                  indent=None, space_after=None, space_before=None, keep_with_next=False):
    paragraph = container.add_paragraph()
    if text:
        run = paragraph.add_run(text)
        run.bold, run.italic = bold or None, italic or None
        if size:
            run.font.size = size
    fmt = paragraph.paragraph_format
    if align is not None:
        paragraph.alignment = align
    if indent is not None:
        fmt.first_line_indent = indent
    if space_after is not None:
        fmt.space_after = space_after
    if space_before is not None:
        fmt.space_before = space_before
    if keep_with_next:
        fmt.keep_with_next = True
    return paragraph


def add_rule(container, width, line_width):
    """A short centred rule, ``line_width`` long in a column ``width`` wide."""
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    side = max((width - line_width) // 2, 0)
    fmt.left_indent = fmt.right_indent = side
    fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(2)
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for name, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"),
                        ("w:color", "000000")):
        top.set(qn(name), value)
    borders.append(top)
    paragraph._p.get_or_add_pPr().append(borders)
    return paragraph


def _first(cell, text, **kwargs):
    """Write into a cell's own first paragraph, then add the others after it."""
    paragraph = cell.paragraphs[0]
    if paragraph.text or len(cell.paragraphs) > 1:
        return add_paragraph(cell, text, **kwargs)
    run = paragraph.add_run(text)
    run.bold, run.italic = kwargs.get("bold") or None, kwargs.get("italic") or None
    if kwargs.get("size"):
        run.font.size = kwargs["size"]
    paragraph.alignment = kwargs.get("align")
    return paragraph


# ---------------------------------------------------------------------------------------------
# Tables


def _no_borders(table):
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    properties.append(borders)


def layout_table(container, widths):
    """A borderless table of one row, its columns ``widths`` wide: for side-by-side blocks."""
    table = container.add_table(rows=1, cols=len(widths))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _no_borders(table)
    set_widths(table, widths)
    return table


def set_widths(table, widths):
    """Column widths in the table's grid (what Word and LibreOffice lay out by) and cells."""
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def repeat_header(row):
    """The row is repeated at the top of each page the table runs over."""
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    properties.append(element)


def grid_table(container, header, rows, *, width, weights=None, size=TABLE_SIZE, aligns=None):
    """A ruled table: the head in bold and centred, repeated on each page; ``rows`` of text.

    ``weights`` share ``width`` between the columns; ``aligns`` gives a column's alignment
    ("right", "center") by index.
    """
    count = len(header)
    weights = weights or [1] * count
    total = sum(weights)
    widths = [int(width * weight / total) for weight in weights]
    table = container.add_table(rows=1, cols=count)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    repeat_header(table.rows[0])
    aligns = aligns or {}
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        _first(cell, text, bold=True, size=size, align=WD_ALIGN_PARAGRAPH.CENTER)
    align_of = {"right": WD_ALIGN_PARAGRAPH.RIGHT, "center": WD_ALIGN_PARAGRAPH.CENTER}
    for values in rows:
        cells = table.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, values, strict=True)):
            lines = str(text if text is not None else "").split("\n")
            for line in lines:
                _first(cell, line, size=size, align=align_of.get(aligns.get(index)))
    set_widths(table, widths)
    return table


# ---------------------------------------------------------------------------------------------
# Letterhead and signature (documents.pdf.Letterhead, Signature)

LEFT_COLUMN, RIGHT_COLUMN = Mm(68), Mm(97)


def add_letterhead(document, head):
    """Decree 30, form 1.4: issuer and number left, national title, motto and date right."""
    table = layout_table(document, [LEFT_COLUMN, RIGHT_COLUMN])
    left, right = table.rows[0].cells
    center = WD_ALIGN_PARAGRAPH.CENTER
    for line in head.parent_lines:
        _first(left, line, size=Pt(13), align=center)
    for line in head.issuer_lines:
        _first(left, line, size=Pt(13), bold=True, align=center)
    add_rule(left, LEFT_COLUMN, int(LEFT_COLUMN * 0.3))
    _first(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=Pt(12), bold=True, align=center)
    _first(right, "Độc lập - Tự do - Hạnh phúc", size=Pt(13.5), bold=True, align=center)
    add_rule(right, RIGHT_COLUMN, Mm(58))
    if head.number or head.date_line:
        number = add_paragraph(left, head.number, size=Pt(13), align=center,
                               space_before=Pt(8))
        number.paragraph_format.space_after = Pt(0)
        add_paragraph(right, head.date_line, size=Pt(14), italic=True, align=center,
                      space_before=Pt(8))
    if head.kind:
        add_paragraph(document, head.kind, bold=True, align=center, space_before=Pt(20))
    if head.title_lines or head.subtitle_lines:
        for line in head.title_lines:
            add_paragraph(document, line, bold=True, align=center)
        for line in head.subtitle_lines:
            add_paragraph(document, line, italic=True, align=center)
        width = text_width(document.sections[-1])
        add_rule(document, width, int(width * 0.3))
    if head.addressees:
        if len(head.addressees) == 1:
            add_paragraph(document, f"Kính gửi: {head.addressees[0]}", align=center,
                          space_before=Pt(12))
        else:
            add_paragraph(document, "Kính gửi:", align=center, space_before=Pt(12))
            for line in head.addressees:
                add_paragraph(document, f"- {line}", align=center)
    add_paragraph(document, "", space_after=Pt(6))
    return table


def add_signature(document, sign):
    """ "Nơi nhận:" and its lines on the left, the signer on the right."""
    width = text_width(document.sections[-1])
    table = layout_table(document, [int(width * 0.45), int(width * 0.55)])
    left, right = table.rows[0].cells
    center = WD_ALIGN_PARAGRAPH.CENTER
    if sign.recipients:
        _first(left, "Nơi nhận:", size=Pt(12), bold=True, italic=True)
        for line in sign.recipients:
            _first(left, line, size=Pt(11))
    # The same lines as the PDF: "KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC".
    for line in sign.lines:
        _first(right, line, bold=True, align=center)
    for _blank in range(4):
        _first(right, "\u00a0", align=center)
    if sign.name:
        _first(right, sign.name, bold=True, align=center)
    return table


# ---------------------------------------------------------------------------------------------
# Charts: the same SVG as the PDF, as a picture


def svg_png(svg, *, width_mm=150):
    """The chart as PNG: laid out by WeasyPrint (the PDF's own fonts), rasterised by poppler."""
    # Case-insensitive: lxml's HTML parser writes the attribute back as "viewbox".
    match = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg, re.IGNORECASE)
    ratio = float(match[2]) / float(match[1]) if match else 0.6
    height_mm = width_mm * ratio
    page = (
        "<html><head><style>"
        f"@page {{ size: {width_mm}mm {height_mm:.1f}mm; margin: 0; }}"
        "body { margin: 0; font-family: 'Times New Roman', 'Liberation Serif', Tinos, serif; }"
        "svg { display: block; width: 100%; height: auto; }"
        f"</style></head><body>{svg}</body></html>"
    )
    pdf, _pages = write_pdf(page)
    result = subprocess.run(
        ["pdftocairo", "-png", "-singlefile", "-r", str(CHART_DPI), "-", "-"],
        input=pdf, capture_output=True, check=True, timeout=60,
    )
    return result.stdout


def add_chart(container, svg, *, width):
    paragraph = container.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run().add_picture(io.BytesIO(svg_png(svg)), width=width)
    return paragraph


# ---------------------------------------------------------------------------------------------
# The document templates' HTML, in Word


def _text(element):
    return " ".join(element.text_content().split())


def _cell_text(cell):
    """A cell's text; each ``<div>`` inside it is a line of its own."""
    lines = cell.xpath("./div")
    if not lines:
        return _text(cell)
    return "\n".join(_text(line) for line in lines)


def _classes(element):
    return set((element.get("class") or "").split())


def _cell_align(element):
    classes = _classes(element)
    if "num" in classes:
        return "right"
    if "center" in classes:
        return "center"
    return None


WEIGHTS = {"col-no": 0.5, "num": 1, "col-pct": 0.9, "col-days": 0.9, "col-date": 1.1,
           "col-task": 4, "col-result": 4, "col-lead": 2, "col-agency": 2.6,
           "col-indicator": 1.4, "col-timeline": 1.6, "col-status": 1.4, "col-note": 1.5,
           "col-state": 1.3, "col-value": 1.1, "col-channel": 1.8, "col-kind": 1.1,
           "col-unit": 1.1, "col-forms": 2, "col-assignment": 2.4, "col-source": 1.6,
           "col-amount": 1.4}


def _weight(header_cell):
    classes = _classes(header_cell)
    for name in ("col-no", "col-pct", "col-days", "num"):
        if name in classes:
            return WEIGHTS[name]
    for name in classes:
        if name in WEIGHTS:
            return WEIGHTS[name]
    return 2


def add_html_table(container, element, *, width, size):
    heads = element.xpath("./thead/tr/th")
    body = element.xpath("./tbody/tr")
    header = [_text(cell) for cell in heads]
    rows = [[_cell_text(cell) for cell in row.xpath("./td")] for row in body]
    aligns = {}
    if body:
        aligns = {index: _cell_align(cell) for index, cell in enumerate(body[0].xpath("./td"))}
    rows = [row + [""] * (len(header) - len(row)) for row in rows]
    return grid_table(container, header, rows, width=width, size=size,
                      weights=[_weight(cell) for cell in heads], aligns=aligns)


class HtmlWriter:
    """Writes the elements of a document template's body into a Word document."""

    def __init__(self, document):
        self.document = document

    @property
    def width(self):
        return text_width(self.document.sections[-1])

    def block(self, element, *, table_size=TABLE_SIZE):
        tag = element.tag if isinstance(element.tag, str) else ""
        classes = _classes(element)
        if "heading" in classes:
            self.heading(element, classes)
        elif "e-signature" in classes:
            for line in element.xpath("./div"):
                add_paragraph(self.document, _text(line), size=Pt(9),
                              align=WD_ALIGN_PARAGRAPH.RIGHT, space_after=Pt(0))
        elif tag in ("h2", "h3"):
            add_paragraph(self.document, _text(element), bold=True, indent=FIRST_LINE_INDENT,
                          align=WD_ALIGN_PARAGRAPH.JUSTIFY, space_after=Pt(6),
                          keep_with_next=True)
        elif tag == "p":
            self.paragraph(element, classes)
        elif tag == "strong" or tag == "em":
            add_paragraph(self.document, _text(element))
        elif tag == "table" and "grid" in classes:
            add_html_table(self.document, element, width=self.width, size=table_size)
            add_paragraph(self.document, "", space_after=Pt(6))
        elif tag == "table" and "summary-chart-pair" in classes:
            self.chart_pair(element)
        elif tag == "figure":
            for child in element:
                self.block(child)
        elif tag == "figcaption":
            add_paragraph(self.document, _text(element), size=Pt(12), italic=True,
                          align=WD_ALIGN_PARAGRAPH.CENTER, keep_with_next=True,
                          space_before=Pt(6))
        elif tag == "svg" or tag.endswith("}svg"):
            add_chart(self.document, lxml_html.tostring(element, encoding="unicode"),
                      width=int(self.width * 0.6))
        else:
            for child in element:
                self.block(child, table_size=table_size)

    def heading(self, element, classes):
        """An outline heading: its numbering and heading set as the node says, and the text
        that continues its line (``run-in-text``) plain."""
        centered = "centered" in classes
        paragraph = add_paragraph(
            self.document, indent=None if centered else FIRST_LINE_INDENT,
            align=WD_ALIGN_PARAGRAPH.CENTER if centered else WD_ALIGN_PARAGRAPH.JUSTIFY,
            space_after=Pt(6), keep_with_next="run-in" not in classes,
        )
        bold = bool(classes & {"bold", "bold_italic"})
        italic = bool(classes & {"italic", "bold_italic"})
        for span in element.xpath("./span"):
            kind, text = _classes(span), _text(span)
            if not text:
                continue
            if paragraph.runs:
                paragraph.add_run(" ")
            run = paragraph.add_run(text)
            if "run-in-text" not in kind:
                run.bold = bold or None
                run.italic = (italic and "title" in kind) or None

    def paragraph(self, element, classes):
        text = _text(element)
        if "table-caption" in classes or "chart-caption" in classes:
            add_paragraph(self.document, text, size=Pt(12), italic=True, keep_with_next=True,
                          space_before=Pt(8), space_after=Pt(3))
        elif classes & {"annex-label", "annex-title"}:
            add_paragraph(self.document, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        elif classes & {"issuing-authority", "decides"}:
            add_paragraph(self.document, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER,
                          space_before=Pt(6), space_after=Pt(6))
        elif "basis" in classes:
            add_paragraph(self.document, text, italic=True, indent=FIRST_LINE_INDENT,
                          align=WD_ALIGN_PARAGRAPH.JUSTIFY, space_after=Pt(3))
        elif "annex-subtitle" in classes:
            add_paragraph(self.document, text, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER,
                          space_after=Pt(10))
        else:
            add_paragraph(self.document, text, indent=FIRST_LINE_INDENT, space_after=Pt(6),
                          align=WD_ALIGN_PARAGRAPH.JUSTIFY)

    def chart_pair(self, element):
        cells = element.xpath("./tr/td | ./tbody/tr/td")
        half = self.width // max(len(cells), 1)
        table = layout_table(self.document, [half] * len(cells))
        for cell, source in zip(table.rows[0].cells, cells, strict=True):
            for child in source:
                if child.tag == "p":
                    _first(cell, _text(child), size=Pt(12), italic=True,
                           align=WD_ALIGN_PARAGRAPH.CENTER)
                elif child.tag == "svg" or child.tag.endswith("}svg"):
                    svg = lxml_html.tostring(child, encoding="unicode")
                    add_chart(cell, svg, width=int(half * 0.95))

    def annex(self, element):
        new_section(self.document, landscape=True)
        for child in element:
            self.block(child, table_size=ANNEX_TABLE_SIZE)


# Parts of a ``section.doc`` written from the Letterhead and Signature objects instead.
FROM_OBJECTS = {"letterhead", "doc-kind", "doc-subject", "addressees", "closing"}


def _has_class(name):
    return f'contains(concat(" ", normalize-space(@class), " "), " {name} ")'


def html_document(html, *, parts):
    """A document template's HTML as .docx bytes.

    ``parts`` holds a (letterhead, signature or None) pair for each ``section.doc`` of the
    HTML, in order (a decision, then the plan it issues); each starts on a new page, the
    annexes follow in landscape sections.
    """
    tree = lxml_html.fromstring(strip_bidi(html))  # as the PDF: no bidi controls
    document = new_document()
    writer = HtmlWriter(document)
    sections = tree.xpath(f"//section[{_has_class('doc')}]")
    for index, (section, (letterhead, signature)) in enumerate(
        zip(sections, parts, strict=True)
    ):
        if index:
            new_section(document, landscape=False)
        add_letterhead(document, letterhead)
        for child in section:
            if not _classes(child) & FROM_OBJECTS:
                writer.block(child)
        if signature is not None:
            add_paragraph(document, "", space_after=Pt(6))
            add_signature(document, signature)
    for annex in tree.xpath(f"//section[{_has_class('annex')}]"):
        writer.annex(annex)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
