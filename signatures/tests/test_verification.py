"""Verdicts on signed, tampered, untrusted, expired and unsigned PDFs, in Vietnamese and in
English, checked with pyHanko and, where poppler can tell, with pdfsig."""

import datetime
import shutil
from io import BytesIO

import pytest
from django.utils import translation

from signatures.signing import VIETNAM, sign_pdf, sign_with_key
from signatures.verification import (
    Modification,
    PdfVerification,
    TrustRootsError,
    Verdict,
    load_trust_roots,
    verify_pdf,
)

from .conftest import pdfsig
from .pki import NOW, YEAR, TimestampServer, issue

FEBRUARY_2022 = datetime.datetime(2022, 2, 14, 9, 12, tzinfo=VIETNAM)
needs_pdfsig = pytest.mark.skipif(shutil.which("pdfsig") is None,
                                  reason="poppler-utils is not installed")


def vietnamese(result):
    with translation.override("vi"):
        return result.summary()


def english(result):
    with translation.override("en"):
        return result.summary()


def test_a_signature_made_while_the_certificate_was_valid_stays_valid(
        signing, pki_files, report_pdf):
    # Sở Tư pháp's certificate ran 2021–2022: it has expired since, not at signing.
    signed = sign_with_key(pki_files.key("justice"), report_pdf, signed_at=FEBRUARY_2022)
    result = verify_pdf(signed)
    assert result.verdict == Verdict.VALID
    [signature] = result.signatures
    assert (signature.intact, signature.trusted, signature.valid_at_signing) == (True,) * 3
    assert signature.signed_at == FEBRUARY_2022
    assert vietnamese(result) == "Ký bởi Sở Tư pháp tỉnh Khánh Hòa, 14/02/2022 09:12 — hợp lệ"
    assert english(result) == "Signed by Sở Tư pháp tỉnh Khánh Hòa, 14/02/2022 09:12 — valid"


def test_the_organisation_is_named_beside_the_signer(signing, report_pdf):
    result = verify_pdf(sign_with_key_default(report_pdf))
    assert vietnamese(result) == ("Ký bởi Sở Nội vụ tỉnh Khánh Hòa (Ủy ban nhân dân tỉnh "
                                  "Khánh Hòa), 14/02/2022 09:12 — hợp lệ")


def sign_with_key_default(content, signed_at=FEBRUARY_2022):
    from signatures.keys import key_for

    return sign_with_key(key_for(), content, signed_at=signed_at)


def test_a_pdf_without_signatures(signing, report_pdf):
    result = verify_pdf(report_pdf)
    assert result.verdict == Verdict.UNSIGNED and result.signatures == []
    assert vietnamese(result) == "không có chữ ký số"
    assert english(result) == "no digital signature"


@needs_pdfsig
def test_bytes_changed_after_signing(signing, report_pdf, tmp_path):
    signed = sign_pdf(report_pdf)
    assert signed.count(b"WeasyPrint") >= 1
    tampered = signed.replace(b"WeasyPrint", b"WeasyPrinT", 1)
    result = verify_pdf(tampered)
    assert result.verdict == Verdict.MODIFIED
    assert not result.signatures[0].intact
    assert vietnamese(result).startswith(
        "chữ ký không hợp lệ: tài liệu đã bị sửa sau khi ký — ký bởi Sở Nội vụ tỉnh Khánh Hòa")
    assert english(result).startswith(
        "invalid signature: the document was changed after signing — signed by")
    assert "Signature Validation: Digest Mismatch." in pdfsig(tampered, tmp_path)


def cover_text_on_page_one(content):
    """An incremental update that paints a white box over the report's text."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(BytesIO(content))
    box = generic.StreamObject(stream_data=b"q 1 1 1 rg 80 600 450 120 re f Q")
    writer.add_stream_to_page(0, writer.add_object(box))
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def test_an_incremental_update_that_changes_a_page(signing, report_pdf):
    changed = cover_text_on_page_one(sign_pdf(report_pdf))
    result = verify_pdf(changed)
    [signature] = result.signatures
    assert signature.intact  # the signed revision itself is untouched…
    assert signature.modification == Modification.CHANGED  # …but what follows changes a page
    assert result.verdict == Verdict.MODIFIED
    assert vietnamese(result).startswith("chữ ký không hợp lệ: tài liệu đã bị sửa sau khi ký")


@needs_pdfsig
def test_a_certificate_from_a_root_nobody_installed(signing, pki_files, report_pdf, tmp_path):
    signed = sign_with_key(pki_files.key("stranger"), report_pdf, signed_at=FEBRUARY_2022)
    result = verify_pdf(signed)
    assert result.verdict == Verdict.UNTRUSTED
    [signature] = result.signatures
    assert signature.intact and not signature.trusted
    assert vietnamese(result) == (
        "chữ ký không được tin cậy: chứng thư không thuộc gốc tin cậy — ký bởi Sở Nội vụ tỉnh "
        "Khánh Hòa (Ủy ban nhân dân tỉnh Khánh Hòa), 14/02/2022 09:12")
    assert "Signature Validation: Signature is Valid." in pdfsig(signed, tmp_path)
    # Installing that root makes it trusted.
    signing.SIGNING_TRUST_ROOTS = [str(pki_files.root), str(pki_files.stranger_root)]
    assert verify_pdf(signed).verdict == Verdict.VALID


def test_a_certificate_expired_at_signing(signing, pki_files, report_pdf):
    signed = sign_with_key(pki_files.key("expired"), report_pdf,
                           signed_at=datetime.datetime.now(VIETNAM))
    result = verify_pdf(signed)
    assert result.verdict == Verdict.EXPIRED
    assert not result.signatures[0].valid_at_signing
    assert vietnamese(result).startswith("chứng thư đã hết hạn khi ký — ký bởi Sở Y tế")
    assert english(result).startswith("the certificate had expired at signing")


def test_a_trusted_timestamp_defeats_a_backdated_claim(signing, pki, pki_files, report_pdf):
    # The claimed time falls inside the expired certificate's validity; the timestamp
    # service says when the signature really was made.
    claimed = datetime.datetime.now(VIETNAM) - 2 * YEAR
    with TimestampServer(pki.tsa, [pki.intermediate]) as server:
        signing.TIMESTAMP_URL = server.url
        signed = sign_with_key(pki_files.key("expired"), report_pdf, signed_at=claimed)
    signing.TIMESTAMP_URL = ""
    [signature] = verify_pdf(signed).signatures
    assert signature.claimed_time == claimed.replace(microsecond=0)
    assert signature.timestamp_trusted and signature.signed_at > claimed
    assert signature.verdict == Verdict.EXPIRED


def test_an_untrusted_timestamp_falls_back_to_the_claimed_time(signing, pki, pki_files,
                                                              report_pdf):
    rogue_tsa = issue(pki.stranger_root, "Rogue Timestamp Authority", timestamping=True)
    with TimestampServer(rogue_tsa) as server:
        signing.TIMESTAMP_URL = server.url
        signed = sign_with_key(pki_files.key("justice"), report_pdf, signed_at=FEBRUARY_2022)
    [signature] = verify_pdf(signed).signatures
    assert signature.timestamp_time is not None and not signature.timestamp_trusted
    assert signature.signed_at == FEBRUARY_2022 and signature.verdict == Verdict.VALID


def test_a_certificate_not_yet_valid_at_signing(signing, pki_files, report_pdf):
    signed = sign_with_key(pki_files.key("justice"), report_pdf,
                           signed_at=datetime.datetime(2020, 6, 1, tzinfo=VIETNAM))
    result = verify_pdf(signed)
    assert result.verdict == Verdict.NOT_YET_VALID
    assert vietnamese(result).startswith("chứng thư chưa có hiệu lực khi ký")


def test_one_bad_signature_makes_the_file_not_valid(signing, pki_files, report_pdf):
    both = sign_with_key(pki_files.key("stranger"), sign_pdf(report_pdf), signed_at=NOW)
    result = verify_pdf(both)
    assert [s.verdict for s in result.signatures] == [Verdict.VALID, Verdict.UNTRUSTED]
    assert result.verdict == Verdict.UNTRUSTED
    signer = "Sở Nội vụ tỉnh Khánh Hòa (Ủy ban nhân dân tỉnh Khánh Hòa)"
    first_time = f"{result.signatures[0].signed_at.astimezone(VIETNAM):%d/%m/%Y %H:%M}"
    assert vietnamese(result) == (  # one line, both signatures
        f"Ký bởi {signer}, {first_time} — hợp lệ; sau khi ký chỉ thêm chữ ký; "
        "chữ ký không được tin cậy: chứng thư không thuộc gốc tin cậy — ký bởi "
        f"{signer}, {NOW.astimezone(VIETNAM):%d/%m/%Y %H:%M}")


@pytest.mark.parametrize("content", [b"", b"hello", b"%PDF-1.7\n garbage", b"\x00" * 2000])
def test_what_is_not_a_readable_pdf(signing, content):
    result = verify_pdf(content)
    assert result.verdict == Verdict.UNREADABLE
    assert vietnamese(result) == "không đọc được tệp PDF"


def test_without_trust_roots_nothing_is_trusted(signing, report_pdf):
    signing.SIGNING_TRUST_ROOTS = []
    assert verify_pdf(sign_pdf(report_pdf)).verdict == Verdict.UNTRUSTED


def test_trust_roots_come_from_files_and_folders(pki, pki_files, tmp_path):
    bundle = tmp_path / "bundle.pem"
    bundle.write_bytes(pki.root.pem + pki.stranger_root.pem)
    der = tmp_path / "root.cer"
    der.write_bytes(pki.root.der)
    assert len(load_trust_roots([str(pki_files.root.parent)])) == 1  # README.txt skipped
    assert len(load_trust_roots([str(bundle), str(der)])) == 3


@pytest.mark.parametrize("name", ["missing.pem", "not-a-cert.pem"])
def test_a_misconfigured_trust_root_is_an_error(tmp_path, name):
    (tmp_path / "not-a-cert.pem").write_text("không phải chứng thư")
    with pytest.raises(TrustRootsError, match=name):
        load_trust_roots([str(tmp_path / name)])


def test_the_result_survives_storage_as_json(signing, pki_files, report_pdf):
    import json

    result = verify_pdf(sign_with_key(pki_files.key("justice"), report_pdf,
                                      signed_at=FEBRUARY_2022))
    stored = json.loads(json.dumps(result.as_dict()))
    assert stored["verdict"] == "valid"
    assert vietnamese(PdfVerification.from_dict(stored)) == vietnamese(result)

