"""manage.py sign_pdf and verify_pdf: what they print and how they exit."""

import datetime
import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from signatures.keys import key_for
from signatures.signing import VIETNAM, sign_with_key

FEBRUARY_2022 = datetime.datetime(2022, 2, 14, 9, 12, tzinfo=VIETNAM)


def verify(path, *args):
    out = StringIO()
    try:
        call_command("verify_pdf", str(path), *args, stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue(), str(error)
    return 0, out.getvalue(), ""


def test_sign_pdf_writes_a_signed_copy(signing, report_pdf, tmp_path):
    source, output = tmp_path / "bao-cao.pdf", tmp_path / "bao-cao-ky-so.pdf"
    source.write_bytes(report_pdf)
    out = StringIO()
    call_command("sign_pdf", str(source), str(output), "--reason", "Ban hành", "--number",
                 "12/BC-SNV", stdout=out)
    assert f"and wrote {output}" in out.getvalue() and "(B-B)" in out.getvalue()
    assert source.read_bytes() == report_pdf
    code, printed, _error = verify(output)
    assert code == 0
    assert "Signature 1" in printed and ": VALID" in printed
    assert "signer:       Sở Nội vụ tỉnh Khánh Hòa (Ủy ban nhân dân tỉnh Khánh Hòa)" in printed
    assert "intact:       yes; unchanged since signing" in printed
    assert "trusted:      yes" in printed


def test_sign_pdf_may_sign_in_place_with_a_timestamp(signing, timestamp_service, report_pdf,
                                                     tmp_path):
    path = tmp_path / "bao-cao.pdf"
    path.write_bytes(report_pdf)
    call_command("sign_pdf", str(path), str(path), stdout=StringIO())
    code, printed, _error = verify(path)
    assert code == 0 and "(trusted)" in printed
    assert [p.name for p in tmp_path.iterdir()] == ["bao-cao.pdf"]  # no temporary file left


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("no key", "SIGNING_PKCS12_FILE"),
        ("missing input", "Cannot read"),
        ("no such folder", "Cannot write"),
    ],
)
def test_sign_pdf_fails_with_a_message_and_writes_nothing(signing, report_pdf, tmp_path, setup,
                                                          message):
    source, output = tmp_path / "in.pdf", tmp_path / "out.pdf"
    source.write_bytes(report_pdf)
    if setup == "no key":
        signing.SIGNING_KEYS = {}
    elif setup == "missing input":
        source = tmp_path / "missing.pdf"
    else:
        output = tmp_path / "no-such-folder" / "out.pdf"
    with pytest.raises(CommandError, match=message):
        call_command("sign_pdf", str(source), str(output), stdout=StringIO())
    assert not output.exists()


def test_verify_pdf_exits_1_for_a_tampered_file(signing, report_pdf, tmp_path):
    signed = sign_with_key(key_for(), report_pdf, signed_at=FEBRUARY_2022)
    path = tmp_path / "sua.pdf"
    path.write_bytes(signed.replace(b"WeasyPrint", b"WeasyPrinT", 1))
    code, printed, error = verify(path)
    assert code == 1 and "1 of 1 signature(s) not valid" in error
    assert ": MODIFIED" in printed and "intact:       no" in printed


def test_verify_pdf_exits_1_for_an_untrusted_signer(signing, pki_files, report_pdf, tmp_path):
    path = tmp_path / "la.pdf"
    path.write_bytes(sign_with_key(pki_files.key("stranger"), report_pdf,
                                   signed_at=FEBRUARY_2022))
    code, printed, _error = verify(path)
    assert code == 1
    assert "trusted:      no" in printed and "signing time: 2022-02-14T09:12:00+07:00" in printed


def test_verify_pdf_exits_2_for_an_unsigned_file(signing, report_pdf, tmp_path):
    path = tmp_path / "chua-ky.pdf"
    path.write_bytes(report_pdf)
    code, printed, error = verify(path)
    assert (code, printed.strip()) == (2, f"{path}: no digital signature.")
    assert "has no digital signature" in error


@pytest.mark.parametrize("content", [None, b"not a pdf"])
def test_verify_pdf_exits_3_for_what_it_cannot_read(signing, tmp_path, content):
    path = tmp_path / "x.pdf"
    if content is not None:
        path.write_bytes(content)
    assert verify(path)[0] == 3


def test_verify_pdf_exits_3_for_misconfigured_trust_roots(signing, report_pdf, tmp_path):
    signing.SIGNING_TRUST_ROOTS = [str(tmp_path / "no-such-root.pem")]
    path = tmp_path / "chua-ky.pdf"
    path.write_bytes(report_pdf)
    code, _printed, error = verify(path)
    assert code == 3 and "no-such-root.pem" in error


def test_verify_pdf_prints_json(signing, report_pdf, tmp_path):
    path = tmp_path / "ky.pdf"
    path.write_bytes(sign_with_key(key_for(), report_pdf, signed_at=FEBRUARY_2022))
    code, printed, _error = verify(path, "--json")
    result = json.loads(printed)
    assert code == 0 and result["verdict"] == "valid"
    assert result["signatures"][0]["claimed_time"] == "2022-02-14T09:12:00+07:00"


def test_verify_pdf_exit_status_seen_by_a_scheduled_job(pki_files, report_pdf, tmp_path):
    """The real command line, with the settings from the environment."""
    signed, unsigned = tmp_path / "ky.pdf", tmp_path / "chua-ky.pdf"
    key = pki_files.key("signer")
    signed.write_bytes(sign_with_key(key, report_pdf, signed_at=FEBRUARY_2022))
    unsigned.write_bytes(report_pdf)
    env = {**os.environ, "SIGNING_TRUST_ROOTS": str(pki_files.root.parent), "DEBUG": "1"}
    manage = Path(settings.BASE_DIR) / "manage.py"
    codes = [
        subprocess.run([sys.executable, str(manage), "verify_pdf", str(path)], env=env,
                       capture_output=True, check=False).returncode
        for path in (signed, unsigned)
    ]
    assert codes == [0, 2]
