"""Signing a PDF with the issuing agency's key: bytes in, signed bytes out.

PAdES baseline B-T (with an RFC 3161 timestamp from ``settings.TIMESTAMP_URL``) where a
timestamp service is configured, B-B otherwise. The signature is visible, laid out after
Decree 30/2020/NĐ-CP, Appendix I, part II (electronic documents): the agency's signature on
a document sent as an attachment stands at the top right of its first page and shows the
number and symbol and the signing time (ISO 8601, Vietnam time zone) in Times New Roman 10,
regular, black; the signer's signature image and the seal go on the signature block, the seal
over the left third of the signature. The stamp's text is the decree's form, Vietnamese in
every interface language.
"""

import asyncio
import functools
import logging
import uuid
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .keys import SigningError, key_for

logger = logging.getLogger(__name__)

__all__ = ["SignatureBlock", "SigningError", "sign_pdf", "sign_with_key", "signature_profile"]

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
# Times New Roman's metric twins with Vietnamese glyphs (Debian fonts-liberation2,
# fonts-croscore); the stamp embeds a subset of the first one found.
FONT_FILES = (
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/croscore/Tinos-Regular.ttf",
)
FONT_SIZE = 10
MM = 72 / 25.4
# The first-page stamp: 80 × 16 mm, 15 mm from the right edge (the right margin of
# Decree 30) and 3 mm from the top, inside the 20 mm top margin.
STAMP_WIDTH = 80 * MM
STAMP_HEIGHT = 16 * MM
STAMP_RIGHT = 15 * MM
STAMP_TOP = 3 * MM


@dataclass(frozen=True)
class SignatureBlock:
    """Where the signer's image and the seal go: a page (from 0) and a rectangle in PDF
    points from the page's bottom left corner, ``(x1, y1, x2, y2)``."""

    page: int
    box: tuple

    @classmethod
    def at_anchor(cls, content, anchor, *, width, height):
        """The block whose top left corner is the element with id ``anchor``.

        WeasyPrint writes a named destination for every element with an id; give the
        signature space of the document template an id and pass the block's size.
        Returns None when the PDF has no such destination.
        """
        from pyhanko.pdf_utils.reader import PdfFileReader

        reader = PdfFileReader(BytesIO(content), strict=False)
        destination = _named_destination(reader, anchor)
        if destination is None:
            return None
        # [page /XYZ left top zoom]; the page as its reference, not the page itself.
        page_ref, left, top = destination.raw_get(0), float(destination[2]), float(destination[3])
        page = _page_index(reader, page_ref)
        if page is None:
            return None
        return cls(page=page, box=(left, top - height, left + width, top))


def signature_profile():
    """The PAdES baseline level signing gives with the present settings."""
    return "B-T" if settings.TIMESTAMP_URL else "B-B"


def sign_pdf(content, *, agency_code=None, agency_name="", number="", reason="",
             location="", signature_block=None):
    """Sign the PDF ``content`` with the key of ``agency_code`` (or the default key).

    ``agency_name`` is shown on the stamp (the certificate's common name if empty),
    ``number`` is the document's number and symbol ("12/BC-SNV"). Raises ``SigningError``
    with a message when there is no key, the key cannot be used, the timestamp service does
    not answer or the content is not a PDF that can be signed.
    """
    return sign_with_key(
        key_for(agency_code), content, signed_at=timezone.now(), agency_name=agency_name,
        number=number, reason=reason, location=location, signature_block=signature_block,
    )


def sign_with_key(key, content, *, signed_at, agency_name="", number="", reason="",
                  location="", signature_block=None):
    """Sign with the key configuration ``key``, claiming ``signed_at`` as the signing time.

    The claimed time is what the stamp, the signature dictionary (/M) and pdfsig show; a
    timestamp from the timestamp service records the actual time independently.
    """
    if not content.startswith(b"%PDF-"):
        raise SigningError(_("The file is not a PDF document."))
    with key.signer() as signer:
        try:
            return asyncio.run(_sign(
                signer, content, key=key, signed_at=signed_at, agency_name=agency_name,
                number=number, reason=reason, location=location, block=signature_block,
            ))
        except SigningError:
            raise
        except Exception as error:
            raise _signing_error(error) from error


def _signing_error(error):
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.sign.general import SigningError as PyHankoSigningError
    from pyhanko.sign.timestamps import TimestampRequestError

    if isinstance(error, TimestampRequestError):
        return SigningError(
            _("The timestamp service %(url)s did not answer: %(reason)s.")
            % {"url": settings.TIMESTAMP_URL, "reason": error.__cause__ or error}
        )
    if isinstance(error, PdfError):
        return SigningError(_("The PDF cannot be signed: %(reason)s.") % {"reason": error})
    if isinstance(error, PyHankoSigningError | RuntimeError):
        # python-pkcs11's errors are RuntimeErrors: a missing key, a locked token.
        return SigningError(
            _("The signing key cannot sign: %(reason)s.")
            % {"reason": str(error) or type(error).__name__}
        )
    logger.exception("Signing failed")
    return SigningError(_("The PDF cannot be signed: %(reason)s.") % {"reason": error})


async def _sign(signer, content, *, key, signed_at, agency_name, number, reason, location,
                block):
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes

    writer = IncrementalPdfFileWriter(BytesIO(content), strict=False)
    if writer.prev.encrypted:
        raise SigningError(_("An encrypted PDF cannot be signed."))
    if hasattr(signer, "ensure_objects_loaded"):  # a PKCS#11 key: fetch its certificate
        await signer.ensure_objects_loaded()
    if signer.signing_cert is None:
        raise SigningError(_("The signing key has no certificate."))
    if block is not None:
        _draw_signature_block(writer, block, key)

    field_name = f"Signature-{uuid.uuid4().hex[:12]}"
    local_time = signed_at.astimezone(VIETNAM).replace(microsecond=0)
    subject = signer.signing_cert.subject.native
    agency = agency_name or subject.get("common_name") or subject.get("organization_name", "")
    lines = [f"Ký bởi: {agency}"]
    if number:
        lines.append(f"Số: {number}")
    lines.append(f"Thời gian ký: {local_time.isoformat()}")

    pdf_signer = signers.PdfSigner(
        signers.PdfSignatureMetadata(
            field_name=field_name,
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256",
            reason=reason or None,
            location=location or None,
        ),
        signer,
        timestamper=_timestamper(),
        stamp_style=_stamp_style("\n".join(lines)),
        new_field_spec=fields.SigFieldSpec(
            sig_field_name=field_name, on_page=0, box=_stamp_box(writer)
        ),
    )
    # pyHanko's own sign_pdf, step by step, so that the stamp, /M and the signing-time
    # attribute all carry the one instant ``signed_at``.
    session = pdf_signer.init_signing_session(writer)
    session.system_time = local_time
    validation_info = await session.perform_presign_validation(writer)
    reserved = await session.estimate_signature_container_size(validation_info)
    tbs = session.prepare_tbs_document(validation_info=validation_info, bytes_reserved=reserved)
    prepared, output = tbs.digest_tbs_document()
    signed = await tbs.perform_signature(
        document_digest=prepared.document_digest,
        pdf_cms_signed_attrs=PdfCMSSignedAttributes(signing_time=local_time),
    )
    await signed.post_signature_processing(output)
    return output.getvalue()


def _timestamper():
    if not settings.TIMESTAMP_URL:
        return None
    from pyhanko.sign.timestamps import HTTPTimeStamper

    return HTTPTimeStamper(settings.TIMESTAMP_URL, timeout=settings.TIMESTAMP_TIMEOUT)


def font_file():
    for path in FONT_FILES:
        if Path(path).is_file():
            return path
    raise SigningError(
        _("No font with Vietnamese glyphs for the signature stamp: install the Debian package "
          "fonts-liberation2 or fonts-croscore.")
    )


@functools.cache
def font_at_1000_units(path):
    """The font file rescaled to 1000 units per em, as bytes.

    pyHanko 0.38 writes a subset font's /W widths in font units, which PDF reads as
    thousandths of an em: with Liberation Serif's and Tinos's 2048 units the stamp's letters
    stand twice as far apart as they should. At 1000 units the two agree.
    """
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    font = TTFont(path)
    if font["head"].unitsPerEm != 1000:
        scale_upem(font, 1000)
    out = BytesIO()
    font.save(out)
    return out.getvalue()


class StampFont:
    """A pyHanko font engine factory for the stamp's font (see ``font_at_1000_units``)."""

    def __init__(self, path, size):
        self.path, self.size = path, size

    def create_font_engine(self, writer, obj_stream=None):
        from pyhanko.pdf_utils.font.opentype import GlyphAccumulator

        if obj_stream is None and writer.stream_xrefs:
            obj_stream = writer.prepare_object_stream()
        return GlyphAccumulator(
            writer=writer, font_handle=BytesIO(font_at_1000_units(self.path)),
            font_size=self.size, obj_stream=obj_stream,
        )


def _stamp_style(text):
    from pyhanko.pdf_utils import layout
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle

    return TextStampStyle(
        # The template is interpolated with %: keep the agency's own % signs.
        stamp_text=text.replace("%", "%%"),
        text_box_style=TextBoxStyle(
            font=StampFont(font_file(), FONT_SIZE),
            font_size=FONT_SIZE,
            leading=round(FONT_SIZE * 1.2),
        ),
        border_width=0,
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(2),
        ),
    )


def _page_box(handler, index):
    """The visible rectangle of page ``index`` (crop box, else media box, inherited)."""
    page_ref, _resources = handler.find_page_for_modification(index)
    node = page_ref.get_object()
    for key in ("/CropBox", "/MediaBox"):
        current = node
        while current is not None:
            if key in current:
                return [float(value) for value in current[key]]
            current = current.get("/Parent")
            current = current.get_object() if current is not None else None
    return [0.0, 0.0, 595.28, 841.89]


def _stamp_box(writer):
    x1, y1, x2, y2 = _page_box(writer.prev, 0)
    right, top = x2 - STAMP_RIGHT, y2 - STAMP_TOP
    return (int(right - STAMP_WIDTH), int(top - STAMP_HEIGHT), int(right), int(top))


def _page_count(handler):
    return int(handler.root["/Pages"]["/Count"])


def _draw_signature_block(writer, block, key):
    """The signer's image over the block, the seal over its left third (Decree 30)."""
    if not (key.signer_image or key.seal_image):
        return
    if not 0 <= block.page < _page_count(writer.prev):
        raise SigningError(
            _("The signature block is on page %(page)s, which the document does not have.")
            % {"page": block.page + 1}
        )
    x1, y1, x2, y2 = block.box
    width, height = x2 - x1, y2 - y1
    if key.signer_image:
        _place_image(writer, block.page, key.signer_image, x1, y1, width, height)
    if key.seal_image:
        side = height
        _place_image(writer, block.page, key.seal_image, x1 + width / 3 - side, y1, side, side)


def _place_image(writer, page, path, x, y, width, height):
    from PIL import Image, UnidentifiedImageError
    from pyhanko.pdf_utils import layout
    from pyhanko.pdf_utils.images import PdfImage
    from pyhanko.stamp import StaticStampStyle

    try:
        with Image.open(path) as image:
            image.load()
            picture = PdfImage(image.copy())
    except (OSError, UnidentifiedImageError) as error:
        raise SigningError(
            _("The image %(path)s cannot be read: %(reason)s.")
            % {"path": path, "reason": getattr(error, "strerror", None) or error}
        ) from None
    style = StaticStampStyle(
        background=picture,
        border_width=0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID,
            y_align=layout.AxisAlignment.ALIGN_MID,
            inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT,
        ),
    )
    stamp = style.create_stamp(writer, layout.BoxConstraints(width, height), {})
    stamp.apply(page, x, y)


def _named_destination(reader, name):
    """The destination array of ``name`` in the catalogue's /Dests name tree."""
    from pyhanko.pdf_utils import generic

    try:
        tree = reader.root["/Names"]["/Dests"]
    except KeyError:
        return None
    nodes = [tree]
    while nodes:
        node = nodes.pop().get_object()
        names = node.get("/Names")
        if names is not None:
            items = [names[i] for i in range(len(names))]
            for key, value in zip(items[::2], items[1::2], strict=False):
                if str(key) == name:
                    # A destination is an array, or a dictionary holding it under /D.
                    return value["/D"] if isinstance(value, generic.DictionaryObject) else value
        kids = node.get("/Kids")
        if kids is not None:
            nodes.extend(kids[i] for i in range(len(kids)))
    return None


def _page_index(reader, page_ref):
    for index in range(_page_count(reader)):
        ref, _resources = reader.find_page_for_modification(index)
        if ref.idnum == page_ref.idnum:
            return index
    return None
