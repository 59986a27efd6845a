"""The one place PDFs are rendered (WeasyPrint), and the parts every document shares.

Every PDF is a Vietnamese administrative document laid out after Decree 30/2020/NĐ-CP
(Appendix I, form 1.4 of Appendix III): templates extend ``documents/document.html`` and
pass a ``Letterhead`` (the two-column header, document type and subject) and a
``Signature`` (recipients and the signature block).
"""

import mimetypes
import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from weasyprint.urls import URLFetcher, URLFetcherResponse

from cchc_plans.text import strip_bidi

from .lines import balanced_lines

# Relative URLs in the templates (``{% static %}``) resolve against this made-up origin;
# the fetcher below serves it from the static files and refuses everything else.
BASE_URL = "http://pdf.invalid/"
NBSP = "\u00a0"


class StaticOnlyFetcher(URLFetcher):
    """Fetch only our own static files (and data: URIs): a PDF never touches the network."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        parts = urlsplit(url)
        base = urlsplit(BASE_URL)
        static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
        if (parts.scheme, parts.netloc) != (base.scheme, base.netloc) or not (
            parts.path.startswith(static_prefix)
        ):
            raise ValueError(f"PDF documents load only static files, not {url}")
        name = unquote(parts.path.removeprefix(static_prefix))
        path = static_file_path(name)
        if path is None:
            raise ValueError(f"No static file {name}")
        with open(path, "rb") as handle:
            body = handle.read()
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


def static_file_path(name):
    """The file behind a static name: the source file, else the collected (hashed) copy."""
    try:
        found = finders.find(name)
        if found:
            return found
        if staticfiles_storage.exists(name):
            return staticfiles_storage.path(name)
    except (SuspiciousFileOperation, NotImplementedError):
        pass
    return None


def render_html(template_name, context):
    """The document as HTML: the preview, and what ``render_pdf`` lays out."""
    return render_to_string(template_name, context)


def write_pdf(html):
    """Lay out a final HTML string with WeasyPrint: (PDF bytes, page count).

    The one call to WeasyPrint: every PDF goes through the static-only fetcher. Bidi controls
    are removed (text saved before the forms cleaned them, or imported): a U+202E would print
    what follows it backwards.
    """
    document = weasyprint.HTML(
        string=strip_bidi(html), base_url=BASE_URL, url_fetcher=StaticOnlyFetcher()
    ).render()
    return document.write_pdf(), len(document.pages)


def render_pdf(template_name, context):
    """The document as PDF bytes."""
    return write_pdf(render_html(template_name, context))[0]


def vietnamese_date_line(place, date=None, year=None):
    """The italic place and date line: "Khánh Hòa, ngày 05 tháng 02 năm 2022".

    Decree 30/2020, Appendix I: days below 10 and the months 1 and 2 take a leading zero
    ("ngày 05 tháng 01", "tháng 02"); other months do not ("tháng 4"). Without a date
    (a draft), the day and month are left blank to be filled in by hand.
    """
    prefix = f"{place}, " if place else ""
    if date is None:
        blank = NBSP * 6
        return f"{prefix}ngày{blank}tháng{blank}năm {year or NBSP * 8}".rstrip()
    month = f"{date.month:02d}" if date.month < 3 else str(date.month)
    return f"{prefix}ngày {date.day:02d} tháng {month} năm {date.year}"


def number_line(number, type_code="", issuer_code="", symbol=""):
    """ "Số: 12/BC-SNV"; an unnumbered draft keeps a blank for the number ("Số:    /BC-SNV").

    ``symbol`` is the symbol as the document writes it ("KH-UBND"); without one, the type and
    the issuer's code make it ("KH-UBND-NT"). A number given alone ("12") takes the symbol
    ("12/KH-UBND"); a number with its own symbol prints as it is.
    """
    number = (number or "").strip()
    symbol = (symbol or "").strip().lstrip("/").strip()
    if not symbol and type_code and issuer_code:
        symbol = f"{type_code}-{issuer_code}"
    if number.isdigit() and symbol:
        number = f"{number}/{symbol}"
    if not number:
        number = f"/{symbol}" if symbol else ""
    if number.startswith("/") or not number:
        number = NBSP * 7 + number
    return f"Số: {number}"


# Where a local government's name is split over two lines in the header, as printed in
# practice: "ỦY BAN NHÂN DÂN / TỈNH KHÁNH HÒA".
SPLIT_BEFORE = re.compile(r"\s+(?=(?:TỈNH|THÀNH PHỐ|HUYỆN|THỊ XÃ|QUẬN|XÃ|PHƯỜNG|THỊ TRẤN)\s)")
# Characters that fit on one line, measured with Liberation Serif/Tinos: the header's left
# column (72 mm) at 13 pt in capitals, and the full text width (165 mm) at 14 pt.
HEADER_CHARS = 24
TITLE_CHARS = 68


def heading_lines(name, capacity=HEADER_CHARS):
    """An agency's name in capitals for the header, split where printed documents split it."""
    name = " ".join(name.upper().split())
    parts = [name]
    if name.startswith(("ỦY BAN NHÂN DÂN", "HỘI ĐỒNG NHÂN DÂN")):
        parts = [part.strip() for part in SPLIT_BEFORE.split(name, maxsplit=1)]
    return [line for part in parts for line in balanced_lines(part, capacity)]


# Kinds whose documents name their parent body above their own (Decree 30: "tên cơ quan,
# tổ chức chủ quản trực tiếp (nếu có)"); local governments and central agencies do not.
KINDS_UNDER_PARENT = {"department", "internal_unit", "public_service"}


def issuing_body(agency):
    """(parent body lines, issuing body lines) for the header's left column."""
    parent = agency.parent if agency.parent_id else None
    if parent is None or agency.kind not in KINDS_UNDER_PARENT:
        return [], heading_lines(agency.name)
    # "Sở Nội vụ tỉnh Khánh Hòa" under "Ủy ban nhân dân tỉnh Khánh Hòa" is "SỞ NỘI VỤ":
    # the parent line already names the province.
    own = agency.name
    parent_name = parent.name.upper()
    match = SPLIT_BEFORE.search(parent_name)
    if match:
        place = parent_name[match.end():].strip()
        if own.upper().endswith(" " + place):
            own = own[: -len(place)].strip()
    return heading_lines(parent.name), heading_lines(own)


@dataclass
class Letterhead:
    """The top of a document: issuer, number, place and date, type and subject."""

    issuer_lines: list
    parent_lines: list = field(default_factory=list)
    number: str = ""  # the whole "Số: …" line; empty to leave it out
    date_line: str = ""
    kind: str = ""  # "KẾ HOẠCH", "BÁO CÁO", "QUYẾT ĐỊNH"
    title: str = ""
    subtitle: str = ""  # an italic line under the title, e.g. "(Ban hành kèm theo …)"
    addressees: list = field(default_factory=list)  # "Kính gửi: …"

    @property
    def title_lines(self):
        return balanced_lines(self.title, TITLE_CHARS) if self.title else []

    @property
    def subtitle_lines(self):
        return balanced_lines(self.subtitle, TITLE_CHARS + 4) if self.subtitle else []

    @classmethod
    def for_agency(cls, agency, **kwargs):
        parent_lines, issuer_lines = issuing_body(agency)
        return cls(issuer_lines=issuer_lines, parent_lines=parent_lines, **kwargs)


# Where a signer's authority ends and their own title begins, when both were typed on one
# line: "KT. CHỦ TỊCH PHÓ CHỦ TỊCH" is "KT. CHỦ TỊCH" over "PHÓ CHỦ TỊCH".
SIGNER_SPLIT = re.compile(
    r"^((?:KT|TM|TL|TUQ|Q)\.\s+.+?)\s+"
    r"((?:PHÓ|CHÁNH|TRƯỞNG|GIÁM ĐỐC|CHỦ TỊCH|BỘ TRƯỞNG|VIỆN TRƯỞNG|CỤC TRƯỞNG)\b.*)$"
)


def signer_lines(*texts):
    """The bold lines above the signature: authority then title, one per printed line.

    Decree 30/2020, Appendix I, section IX: the authority ("TM.", "KT.", "TL.", "TUQ.") and
    the signer's title are separate lines ("KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC").
    """
    lines = []
    for text in texts:
        for line in (text or "").splitlines():
            line = " ".join(line.split())
            match = SIGNER_SPLIT.match(line)
            lines.extend(match.groups() if match else [line] if line else [])
    return lines


@dataclass
class Signature:
    """The bottom of a document: "Nơi nhận:" on the left, the signer on the right."""

    authority: str = ""  # "TM. ỦY BAN NHÂN DÂN", "KT. GIÁM ĐỐC"
    title: str = ""  # "CHỦ TỊCH", "PHÓ GIÁM ĐỐC"
    name: str = ""
    recipients: list = field(default_factory=list)

    def __post_init__(self):
        self.recipients = recipient_lines(self.recipients)

    @property
    def lines(self):
        return signer_lines(self.authority, self.title)


def recipient_lines(lines):
    """ "- Như trên;" … "- Lưu: VT, CCHC.": a dash on each line, the archive copy last."""
    out = []
    for line in lines:
        text = line.strip().lstrip("-–+• ").strip()
        if text:
            out.append(f"- {text}")
    if out and not any(line.startswith("- Lưu") for line in out):
        out.append("- Lưu: VT.")
    return out


def close_text(text):
    """End a document's body with "./." as Decree 30 requires."""
    text = text.rstrip()
    if text.endswith("./."):
        return text
    return text.rstrip(".;:,") + "./."
