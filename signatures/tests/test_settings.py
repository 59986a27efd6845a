"""The signing settings fail loudly on contradictions; manage.py check names missing files."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from cchc_plans.settings import signing_key_from_environment
from signatures.checks import signing_files_exist

NAMES = ["SIGNING_PKCS12_FILE", "SIGNING_PKCS12_PASSWORD", "SIGNING_PKCS11_MODULE",
         "SIGNING_PKCS11_TOKEN", "SIGNING_PKCS11_KEY_LABEL", "SIGNING_PKCS11_PIN",
         "SIGNING_SIGNER_IMAGE", "SIGNING_SEAL_IMAGE"]


@pytest.fixture
def environment(monkeypatch):
    for name in NAMES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_no_key_in_the_environment_means_no_default_key(environment):
    assert signing_key_from_environment() is None


def test_a_pkcs12_file_with_its_password_and_images(environment):
    environment.setenv("SIGNING_PKCS12_FILE", "/etc/cchc/snv.p12")
    environment.setenv("SIGNING_PKCS12_PASSWORD", "bi-mat")
    environment.setenv("SIGNING_SEAL_IMAGE", "/etc/cchc/con-dau.png")
    assert signing_key_from_environment() == {
        "pkcs12_file": "/etc/cchc/snv.p12", "pkcs12_password": "bi-mat",
        "signer_image": "", "seal_image": "/etc/cchc/con-dau.png",
    }


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"SIGNING_PKCS12_FILE": "a.p12", "SIGNING_PKCS11_MODULE": "m.so"}, "not both"),
        ({"SIGNING_PKCS11_MODULE": "m.so"}, "SIGNING_PKCS11_KEY_LABEL"),
        ({"SIGNING_PKCS12_PASSWORD": "bi-mat"}, "SIGNING_PKCS12_PASSWORD is set"),
    ],
)
def test_contradictory_settings_stop_the_start(environment, variables, message):
    for name, value in variables.items():
        environment.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=message):
        signing_key_from_environment()


def test_check_names_files_that_are_not_there(settings, tmp_path):
    settings.SIGNING_KEYS = {"default": {"pkcs12_file": str(tmp_path / "snv.p12")}}
    settings.SIGNING_TRUST_ROOTS = [str(tmp_path / "roots")]
    settings.TIMESTAMP_URL = "tsa.example.vn"
    assert sorted(problem.id for problem in signing_files_exist()) == [
        "signatures.E001", "signatures.W001", "signatures.W002"]
    (tmp_path / "snv.p12").write_bytes(b"")
    (tmp_path / "roots").mkdir()
    settings.TIMESTAMP_URL = "http://tsa.example.vn"
    assert signing_files_exist() == []
