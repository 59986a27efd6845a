"""Read a plan file (.docx, PDF with a text layer, or pasted text) into paragraphs and tables.

The reader never trusts the file: anything it cannot read is refused as a whole with a
message for the user (``UnreadableFile``), never a traceback. Headings and numbering are
not taken from Word styles (real plans rarely use them): that is the parser's work.
"""

import io
import zipfile

from django.utils.translation import gettext as _

from .blocks import Paragraph, Table, UnreadableFile, clean_text

MAX_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_plan_file(data, name=""):
    """The blocks of an uploaded file, by its content (its name only breaks ties)."""
    if len(data) > MAX_BYTES:
        raise UnreadableFile(_("The file is larger than 20 MB."))
    if not data.strip():
        raise UnreadableFile(_("The file is empty."))
    if data.startswith(b"%PDF"):
        from .pdfreading import read_pdf

        return read_pdf(data)
    if data.startswith(OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise UnreadableFile(
                _("The Word file is protected by a password: save it without a password first.")
            )
        raise UnreadableFile(
            _("This is an old Word (.doc) file: save it as .docx (Word 2007 or later) first.")
        )
    if data.startswith(b"PK"):
        return read_docx(data)
    if name.lower().endswith((".docx", ".pdf", ".doc")):
        raise UnreadableFile(_("The file is damaged: it is neither a Word file nor a PDF."))
    return read_text(decode_text(data))


def decode_text(data):
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        return text
    raise UnreadableFile(
        _("The file is not a Word file, a PDF or UTF-8 text: it cannot be read as a plan.")
    )


def read_text(text):
    """Pasted text: a line is a paragraph; consecutive lines with tabs are a table's rows."""
    blocks, table = [], None
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if "\t" in line.strip():
            if table is None:
                table = Table()
                blocks.append(table)
            table.rows.append([clean_text(cell) for cell in line.strip().split("\t")])
            continue
        table = None
        line = clean_text(line)
        if line:
            blocks.append(Paragraph(line))
    return blocks


def _check_zip(data):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise UnreadableFile(_("The Word file is damaged and cannot be opened.")) from error
    names = {member.filename for member in members}
    if "word/document.xml" not in names:
        raise UnreadableFile(_("This file is not a Word document (.docx)."))
    if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES or len(members) > 2000:
        raise UnreadableFile(_("The Word file is too large once unpacked."))


def read_docx(data):
    """Paragraph by paragraph and table cell by cell, in body order."""
    import docx
    from docx.table import Table as DocxTable

    _check_zip(data)
    try:
        document = docx.Document(io.BytesIO(data))
        styles = _StyleFlags(document)
        blocks = []
        for item in document.iter_inner_content():
            if isinstance(item, DocxTable):
                blocks.append(_docx_table(item))
            else:
                blocks.extend(_textboxes(item))
                paragraph = _docx_paragraph(item, styles)
                if paragraph is not None:
                    blocks.append(paragraph)
        return blocks
    except UnreadableFile:
        raise
    except Exception as error:  # lxml, zip and python-docx errors of a damaged file
        raise UnreadableFile(_("The Word file is damaged and cannot be read.")) from error


def _docx_paragraph(paragraph, styles):
    text = clean_text(paragraph.text).replace("\n", " ")
    if not text:
        return None
    runs = [run for run in paragraph.runs if run.text.strip()]

    def flag(name):
        if not runs:
            return False
        for run in runs:
            value = getattr(run.font, name)
            if value is None:
                value = styles.flag(paragraph, name)
            if not value:
                return False
        return True

    return Paragraph(text, bold=flag("bold"), italic=flag("italic"))


class _StyleFlags:
    """Bold and italic of paragraph styles, looked up once per style (python-docx resolves
    the style anew on every access, which costs more than reading the whole file)."""

    def __init__(self, document):
        self.document = document
        self.known = {}

    def flag(self, paragraph, name):
        style_id = paragraph._p.style
        key = (style_id, name)
        if key not in self.known:
            style = paragraph.style
            self.known[key] = bool(style is not None and getattr(style.font, name))
        return self.known[key]


def _textboxes(paragraph):
    """Text boxes anchored in a paragraph (an e-signature stamp often is one)."""
    found = []
    for box in paragraph._p.xpath(".//w:txbxContent[not(ancestor::mc:Fallback)]"):
        text = clean_text("\n".join("".join(p.itertext()) for p in box.xpath(".//w:p")))
        if text:
            found.append(Paragraph(text.replace("\n", " ")))
    return found


def _docx_table(table):
    """Rows as grid positions: a cell spanning columns fills its first one, a cell
    continuing a vertical merge is empty (python-docx would repeat the merged text)."""
    from docx.table import _Cell

    rows = []
    for tr in table._tbl.tr_lst:
        row = []
        for tc in tr.tc_lst:
            text = "" if tc.vMerge == "continue" else _cell_text(_Cell(tc, table))
            row.append(text)
            row.extend([""] * (max(tc.grid_span, 1) - 1))
        rows.append(row)
    return Table(rows)


def _cell_text(cell):
    from docx.table import Table as DocxTable

    parts = []
    for item in cell.iter_inner_content():
        if isinstance(item, DocxTable):
            for row in _docx_table(item).rows:
                parts.extend(text for text in row if text)
        else:
            parts.append(clean_text(item.text).replace("\n", " "))
    return clean_text("\n".join(parts))
