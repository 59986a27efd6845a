"""Signing: PAdES B-T with the local timestamp service, B-B without; the stamp at the top
right of page 1 as Decree 30 lays it out, read back with pypdf and poppler; the signer's
image and the seal on the signature block; clear errors when signing cannot be done."""

import datetime
import re
import shutil
from io import BytesIO

import pypdf
import pytest
from django.utils import timezone, translation
from PIL import Image, ImageDraw

from signatures.keys import SigningError, key_for
from signatures.signing import (
    VIETNAM,
    SignatureBlock,
    sign_pdf,
    sign_with_key,
    signature_profile,
)
from signatures.verification import Modification, Verdict, verify_pdf

from .conftest import page_words, pdfsig, run

pytestmark = pytest.mark.skipif(shutil.which("pdfsig") is None,
                                reason="poppler-utils is not installed (scripts/system-packages)")

ISO_TIME = re.compile(r"Thời gian ký: (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00)")


def signature_widgets(content):
    """(page number, /Rect) of every signature widget, read back with pypdf."""
    reader = pypdf.PdfReader(BytesIO(content))
    found = []
    for number, page in enumerate(reader.pages, start=1):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            field = annotation if "/FT" in annotation else annotation.get("/Parent", {})
            if annotation.get("/Subtype") == "/Widget" and field.get("/FT") == "/Sig":
                found.append((number, [float(v) for v in annotation["/Rect"]]))
    return found


def stamp_lines(content, tmp_path):
    return [word for word in page_words(content, tmp_path) if word[2] < 60]


def test_a_report_signed_with_a_timestamp_is_valid_and_shows_its_stamp(
        signing, timestamp_service, report_pdf, tmp_path):
    before = timezone.now().replace(microsecond=0)
    signed = sign_pdf(report_pdf, agency_name="Sở Nội vụ tỉnh Khánh Hòa", number="12/BC-SNV",
                      reason="Ban hành báo cáo", location="Khánh Hòa")
    assert timestamp_service.requests >= 1
    assert signature_profile() == "B-T"

    result = verify_pdf(signed)
    assert result.verdict == Verdict.VALID
    [signature] = result.signatures
    assert signature.signer_name == "Sở Nội vụ tỉnh Khánh Hòa"
    assert signature.organisation == "Ủy ban nhân dân tỉnh Khánh Hòa"
    assert signature.timestamp_trusted and signature.time_source == "timestamp"
    assert signature.modification == Modification.NONE
    assert before <= signature.claimed_time <= timezone.now()

    # The stamp: page 1, top right, the decree's three lines as extractable text.
    page_width, page_height = 595.28, 841.89
    [(page, (x1, y1, x2, y2))] = signature_widgets(signed)
    assert page == 1
    assert x1 > page_width / 2 and y1 > page_height / 2 and x2 <= page_width
    words = stamp_lines(signed, tmp_path)
    texts = [word[0] for word in words]
    assert texts[:2] == ["Ký bởi: Sở Nội vụ tỉnh Khánh Hòa", "Số: 12/BC-SNV"]
    shown = datetime.datetime.fromisoformat(ISO_TIME.fullmatch(texts[2]).group(1))
    assert shown == signature.claimed_time.replace(microsecond=0)
    # Every glyph of the stamp inside its box: letters spaced at the font's own widths.
    for _text, left, top, right, bottom in words:
        assert x1 - 1 <= left and right <= x2 + 1
        assert page_height - y2 - 1 <= top and bottom <= page_height - y1 + 1

    # poppler agrees: valid, the signer, the time, the whole file.
    out = pdfsig(signed, tmp_path)
    assert "Signature Validation: Signature is Valid." in out
    assert "Signer Certificate Common Name: Sở Nội vụ tỉnh Khánh Hòa" in out
    assert "Total document signed" in out
    assert "Signature Type: ETSI.CAdES.detached" in out
    assert f"Signing Time: {shown:%b %d %Y %H:%M:%S}" in out


def test_the_stamp_embeds_a_subset_of_a_times_compatible_font(signing, report_pdf, tmp_path):
    signed = sign_pdf(report_pdf, number="12/BC-SNV")
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    fonts = run("pdffonts", str(path)).stdout.splitlines()[2:]
    stamp_fonts = [line for line in fonts if "LiberationSerif" in line or "Tinos" in line]
    # name, type, encoding, embedded, subset, unicode map
    assert any(re.match(r"[A-Z]{6}\+\S+\s+CID TrueType\s+Identity-H\s+yes yes yes", line)
               for line in stamp_fonts), fonts


def test_without_a_timestamp_service_the_signature_is_b_b_with_the_claimed_time(
        signing, report_pdf, tmp_path):
    signed_at = datetime.datetime(2026, 3, 14, 9, 12, 5, tzinfo=VIETNAM)
    signed = sign_with_key(key_for(), report_pdf, signed_at=signed_at, number="05/BC-SNV")
    assert signature_profile() == "B-B"
    [signature] = verify_pdf(signed).signatures
    assert signature.timestamp_time is None and signature.time_source == "claimed"
    assert signature.claimed_time == signed_at
    assert "Thời gian ký: 2026-03-14T09:12:05+07:00" in [w[0] for w in page_words(signed,
                                                                                 tmp_path)]
    assert "Signing Time: Mar 14 2026 09:12:05" in pdfsig(signed, tmp_path)


def test_the_stamp_names_the_certificate_when_no_agency_is_given(signing, report_pdf, tmp_path):
    texts = [word[0] for word in stamp_lines(sign_pdf(report_pdf), tmp_path)]
    assert texts[0] == "Ký bởi: Sở Nội vụ tỉnh Khánh Hòa"
    assert not any(text.startswith("Số:") for text in texts)


def test_a_second_signature_keeps_the_first_one_valid(signing, pki_files, report_pdf):
    first = sign_pdf(report_pdf, number="12/BC-SNV")
    both = sign_with_key(pki_files.key("justice"), first,
                         signed_at=datetime.datetime(2022, 2, 14, 9, 12, tzinfo=VIETNAM))
    result = verify_pdf(both)
    assert [s.verdict for s in result.signatures] == [Verdict.VALID, Verdict.VALID]
    assert result.signatures[0].modification == Modification.SIGNATURES_ONLY
    assert result.signatures[1].modification == Modification.NONE
    with translation.override("vi"):
        assert "hợp lệ; sau khi ký chỉ thêm chữ ký" in result.signatures[0].summary()


def test_each_agency_may_have_its_own_key(signing, pki_files, report_pdf):
    signing.SIGNING_KEYS = {**signing.SIGNING_KEYS, "STP": pki_files.entry("justice")}
    own = sign_with_key(key_for("STP"), report_pdf,
                        signed_at=datetime.datetime(2022, 2, 14, 9, 12, tzinfo=VIETNAM))
    assert verify_pdf(own).latest.signer_name == "Sở Tư pháp tỉnh Khánh Hòa"
    assert verify_pdf(sign_pdf(report_pdf, agency_code="SYT")).latest.signer_name == (
        "Sở Nội vụ tỉnh Khánh Hòa")  # no key of its own: the default one


def images(tmp_path):
    signature = Image.new("RGBA", (300, 140), (0, 0, 0, 0))
    ImageDraw.Draw(signature).line([(10, 100), (80, 20), (150, 110), (290, 30)],
                                   fill=(0, 0, 160, 255), width=6)
    seal = Image.new("RGBA", (200, 200), (0, 0, 0, 0))
    ImageDraw.Draw(seal).ellipse([5, 5, 195, 195], outline=(220, 0, 0, 255), width=8)
    signature.save(tmp_path / "chu-ky.png")
    seal.save(tmp_path / "con-dau.png")
    return str(tmp_path / "chu-ky.png"), str(tmp_path / "con-dau.png")


def test_the_signature_block_gets_the_signer_image_and_the_seal(
        signing, pki_files, report_pdf, tmp_path):
    signer_image, seal_image = images(tmp_path)
    signing.SIGNING_KEYS = {"default": pki_files.entry(
        "signer", signer_image=signer_image, seal_image=seal_image)}
    block = SignatureBlock.at_anchor(report_pdf, "chu-ky", width=150, height=70)
    assert block.page == 0
    x1, y1, x2, y2 = block.box
    assert (round(x2 - x1), round(y2 - y1)) == (150, 70)

    signed = sign_pdf(report_pdf, number="12/BC-SNV", signature_block=block)
    assert verify_pdf(signed).verdict == Verdict.VALID  # the images are part of what is signed
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    listing = run("pdfimages", "-list", str(path)).stdout.splitlines()[2:]
    # page, number, type (image or its transparency mask), width, height
    drawn = sorted((line.split()[0], line.split()[2], line.split()[3], line.split()[4])
                   for line in listing)
    assert drawn == [("1", "image", "200", "200"), ("1", "image", "300", "140"),
                     ("1", "smask", "200", "200"), ("1", "smask", "300", "140")]


def test_without_images_the_signature_block_stays_as_it_is(signing, report_pdf, tmp_path):
    block = SignatureBlock.at_anchor(report_pdf, "chu-ky", width=150, height=70)
    path = tmp_path / "signed.pdf"
    path.write_bytes(sign_pdf(report_pdf, signature_block=block))
    assert run("pdfimages", "-list", str(path)).stdout.splitlines()[2:] == []


def test_an_unknown_anchor_gives_no_block(report_pdf):
    assert SignatureBlock.at_anchor(report_pdf, "khong-co", width=10, height=10) is None


def test_a_block_on_a_page_the_document_lacks_is_refused(
        signing, pki_files, report_pdf, tmp_path):
    signer_image, _seal = images(tmp_path)
    signing.SIGNING_KEYS = {"default": pki_files.entry("signer", signer_image=signer_image)}
    with translation.override("en"), pytest.raises(SigningError, match="page 3"):
        sign_pdf(report_pdf, signature_block=SignatureBlock(page=2, box=(0, 0, 10, 10)))


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ({}, "No signing key is configured"),
        ({"default": {"pkcs12_file": "/nonexistent/key.p12"}}, "cannot be read"),
        ({"default": {"pkcs12_file": "{p12}", "pkcs12_password": "sai"}}, "wrong password"),
        ({"default": {"pkcs12_file": "{p12}", "pin": "1"}}, "Unknown entries"),
    ],
)
def test_a_missing_or_unusable_key_is_a_clear_error(signing, pki_files, report_pdf, keys,
                                                    message):
    signing.SIGNING_KEYS = {
        code: {name: value.format(p12=pki_files.p12("signer")) for name, value in entry.items()}
        for code, entry in keys.items()
    }
    with translation.override("en"), pytest.raises(SigningError, match=message):
        sign_pdf(report_pdf)


def test_a_timestamp_service_that_does_not_answer_stops_the_signing(signing, report_pdf):
    signing.TIMESTAMP_URL = "http://127.0.0.1:9/tsa"  # the discard port: nobody listens
    with translation.override("en"), pytest.raises(SigningError, match="timestamp service"):
        sign_pdf(report_pdf)


def test_what_is_not_a_pdf_is_not_signed(signing):
    with translation.override("en"), pytest.raises(SigningError, match="not a PDF"):
        sign_pdf(b"PK\x03\x04 a zip file")

