"""Signing with a key on a PKCS#11 token: SoftHSM (Debian softhsm2, which `make test`
installs through scripts/system-packages --tests) holds the Sở Nội vụ's key and certificate."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import translation

from signatures.keys import SigningError
from signatures.signing import sign_pdf
from signatures.verification import Verdict, verify_pdf

MODULE = "/usr/lib/softhsm/libsofthsm2.so"
TOKEN, LABEL, PIN = "cchc-test", "so-noi-vu", "246810"

pytestmark = pytest.mark.skipif(
    not Path(MODULE).exists() or shutil.which("softhsm2-util") is None,
    reason="SoftHSM is not installed (Debian softhsm2: scripts/system-packages --tests)",
)


@pytest.fixture(scope="session")
def token(pki, tmp_path_factory):
    """A token initialised in a folder of its own, with the signer's key and certificate."""
    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass

    folder = tmp_path_factory.mktemp("softhsm")
    (folder / "tokens").mkdir()
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\n"
                    "log.level = ERROR\n")
    key = folder / "key.pem"
    key.write_bytes(pki.signer.key_pem)
    with pytest.MonkeyPatch.context() as patch:
        # SoftHSM reads its configuration when the module is first loaded in a process.
        patch.setenv("SOFTHSM2_CONF", str(conf))
        for command in (
            ["--init-token", "--free", "--label", TOKEN, "--pin", PIN, "--so-pin", "13579135"],
            ["--import", str(key), "--token", TOKEN, "--label", LABEL, "--id", "01",
             "--pin", PIN],
        ):
            subprocess.run(["softhsm2-util", *command], check=True, capture_output=True)
        with pkcs11.lib(MODULE).get_token(token_label=TOKEN).open(rw=True,
                                                                   user_pin=PIN) as session:
            # The signer's certificate beside its key (same label and id), and its issuer's.
            for issued, label, ident in ((pki.signer, LABEL, b"\x01"),
                                         (pki.intermediate, "issuing-ca", b"\x02")):
                session.create_object({
                    Attribute.CLASS: ObjectClass.CERTIFICATE,
                    Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                    Attribute.TOKEN: True,
                    Attribute.LABEL: label,
                    Attribute.ID: ident,
                    Attribute.SUBJECT: issued.cert.subject.public_bytes(),
                    Attribute.VALUE: issued.der,
                })
        yield


@pytest.fixture
def on_token(signing, token):
    signing.SIGNING_KEYS = {"default": {
        "pkcs11_module": MODULE, "pkcs11_token": TOKEN, "pkcs11_key_label": LABEL,
        "pkcs11_pin": PIN,
    }}
    return signing


def test_a_key_on_a_pkcs11_token_signs(on_token, report_pdf):
    result = verify_pdf(sign_pdf(report_pdf, number="12/BC-SNV"))
    assert result.verdict == Verdict.VALID
    assert result.latest.signer_name == "Sở Nội vụ tỉnh Khánh Hòa"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"pkcs11_pin": "000000"}, "PKCS#11"),
        ({"pkcs11_token": "khong-co"}, "PKCS#11"),
        ({"pkcs11_key_label": "khong-co"}, "cannot sign"),
        ({"pkcs11_module": "/nonexistent/libpkcs11.so"}, "PKCS#11"),
    ],
)
def test_a_wrong_pin_token_or_label_is_a_clear_error(on_token, report_pdf, change, message):
    on_token.SIGNING_KEYS = {"default": {**on_token.SIGNING_KEYS["default"], **change}}
    with translation.override("en"), pytest.raises(SigningError, match=message):
        sign_pdf(report_pdf)
