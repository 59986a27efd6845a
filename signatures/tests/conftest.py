import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import weasyprint

from signatures.keys import KeyConfig

from .pki import TestPKI, TimestampServer

PASSWORD = "mat-khau-2022"
# A page of a report as WeasyPrint lays it out, with Vietnamese text and an element whose
# id marks where the signature block goes.
REPORT_HTML = """<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><style>
@page { size: A4; margin: 20mm 15mm 20mm 30mm; }
body { font-family: "Times New Roman", "Liberation Serif", serif; font-size: 14pt; }
#chu-ky { margin: 120pt 0 0 260pt; width: 150pt; height: 70pt; }
</style></head><body>
<p>ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA — SỞ NỘI VỤ</p>
<h1>BÁO CÁO</h1>
<p>Kết quả thực hiện Kế hoạch tuyên truyền cải cách hành chính quý I năm 2022:
đã tổ chức 12 hội nghị, phát hành 3.500 tờ rơi, đăng 45 tin bài trên Cổng thông tin điện tử.</p>
<div id="chu-ky"></div>
<p style="margin-left:260pt">Nguyễn Văn Hùng</p>
</body></html>"""


@pytest.fixture(scope="session")
def pki():
    return TestPKI()


@dataclass
class PkiFiles:
    folder: Path
    root: Path
    stranger_root: Path

    def p12(self, name):
        return self.folder / f"{name}.p12"

    def key(self, name, **extra):
        return KeyConfig(pkcs12_file=str(self.p12(name)), pkcs12_password=PASSWORD, **extra)

    def entry(self, name, **extra):
        return {"pkcs12_file": str(self.p12(name)), "pkcs12_password": PASSWORD, **extra}


@pytest.fixture(scope="session")
def pki_files(pki, tmp_path_factory):
    folder = tmp_path_factory.mktemp("pki")
    for name in ("signer", "justice", "expired", "stranger"):
        (folder / f"{name}.p12").write_bytes(getattr(pki, name).pkcs12(PASSWORD))
    roots = folder / "roots"
    roots.mkdir()
    (roots / "root.pem").write_bytes(pki.root.pem)
    (roots / "README.txt").write_text("Gốc tin cậy của Ban Cơ yếu Chính phủ (thử)")
    stranger_root = folder / "stranger-root.pem"
    stranger_root.write_bytes(pki.stranger_root.pem)
    return PkiFiles(folder=folder, root=roots / "root.pem", stranger_root=stranger_root)


@pytest.fixture
def signing(settings, pki_files):
    """The default key is the Sở Nội vụ's PKCS#12 file; our test root is the trusted one."""
    settings.SIGNING_KEYS = {"default": pki_files.entry("signer")}
    settings.SIGNING_TRUST_ROOTS = [str(pki_files.root)]
    settings.TIMESTAMP_URL = ""
    return settings


@pytest.fixture
def timestamp_service(pki, signing):
    with TimestampServer(pki.tsa, [pki.intermediate]) as server:
        signing.TIMESTAMP_URL = server.url
        yield server


@pytest.fixture(scope="session")
def report_pdf():
    return weasyprint.HTML(string=REPORT_HTML).write_pdf()


def run(*command, **kwargs):
    """A poppler tool's output; Vietnam time, whatever the machine's zone."""
    env = {**os.environ, "TZ": "Asia/Ho_Chi_Minh"}
    return subprocess.run(command, capture_output=True, text=True, env=env, check=False,
                          **kwargs)


def pdfsig(content, tmp_path):
    path = tmp_path / "checked.pdf"
    path.write_bytes(content)
    return run("pdfsig", str(path)).stdout


WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                  r"(.*?)</word>")


def page_words(content, tmp_path, page=1):
    """(text, x_min, y_min, x_max, y_max) of each word pdftotext finds on ``page``, in PDF
    points with y from the top of the page."""
    path = tmp_path / "read.pdf"
    path.write_bytes(content)
    out = run("pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(path), "-").stdout
    return [(text, *map(float, box)) for *box, text in WORD.findall(out)]
