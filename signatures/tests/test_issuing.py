"""Issued documents come out signed by their issuer's key: the file kept and downloaded is the
signed one, the unsigned draft stays with the coordinators; ``render_report --sign``."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from plans.models import PlanStatus
from reports.models import GeneratedReport, GenerationStatus, ReportDraft
from signatures.verification import Verdict, verify_pdf
from tests.factories.dashboard import populate
from tests.factories.periodic import reporting_plan

from .conftest import page_words, pdfsig

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
SIGNER = "Sở Nội vụ tỉnh Khánh Hòa (Ủy ban nhân dân tỉnh Khánh Hòa)"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def plan(province, home_affairs):
    plan = reporting_plan(province, title="Kế hoạch tuyên truyền cải cách hành chính năm 2022",
                          place="Khánh Hòa")
    populate(plan, 1)
    return plan


def issue(plan, number="12/BC-SNV"):
    ReportDraft.objects.create(plan=plan, year=2022, period_code="Q1", number=number,
                               issued_on=datetime.date(2022, 4, 5))


def generate(client, plan, period="2022-Q1"):
    client.post(reverse("leadership:generate", kwargs={"pk": plan.pk}),
                {"period": period, "format": "pdf"})
    return GeneratedReport.objects.latest("pk")


def download(client, name, item):
    response = client.get(reverse(f"leadership:{name}", kwargs={"pk": item.pk}))
    return response, b"".join(response.streaming_content) if response.status_code == 200 else b""


def files(media):
    return sorted(p.name for p in media.rglob("*") if p.is_file())


@override_settings(TASKS=IMMEDIATE)
def test_an_issued_report_is_signed_and_the_signed_file_is_downloaded(
    client, signing, coordinator, leadership, plan, media, tmp_path
):
    issue(plan)
    client.force_login(coordinator)
    item = generate(client, plan)
    assert item.status == GenerationStatus.DONE and item.is_signed
    assert item.signed_by == "Sở Nội vụ"
    assert files(media) == ["BC-Q1-2022-khanh-hoa-chua-ky-so.pdf", "BC-Q1-2022-khanh-hoa.pdf"]

    client.force_login(leadership)
    page = client.get(reverse("leadership:generated", kwargs={"pk": item.pk})).content.decode()
    assert "Digitally signed by Sở Nội vụ on" in page
    assert reverse("leadership:download_draft", kwargs={"pk": item.pk}) not in page
    response, content = download(client, "download", item)
    verification = verify_pdf(content)
    assert verification.verdict == Verdict.VALID
    assert verification.latest.signer == SIGNER
    assert "Signature is Valid" in pdfsig(content, tmp_path)
    stamp = " ".join(word for word, *_box in page_words(content, tmp_path))
    assert "12/BC-SNV" in stamp and "Ký bởi" in stamp
    # The unsigned draft is the coordinators' alone.
    assert download(client, "download_draft", item)[0].status_code == 403

    client.force_login(coordinator)
    page = client.get(reverse("leadership:generated", kwargs={"pk": item.pk})).content.decode()
    assert reverse("leadership:download_draft", kwargs={"pk": item.pk}) in page
    response, draft = download(client, "download_draft", item)
    assert response.status_code == 200 and verify_pdf(draft).signatures == []
    assert "chua-ky-so.pdf" in response["Content-Disposition"]


@override_settings(TASKS=IMMEDIATE)
def test_a_report_not_yet_issued_is_not_signed(client, signing, coordinator, plan, media):
    client.force_login(coordinator)
    item = generate(client, plan)
    assert item.status == GenerationStatus.DONE and not item.is_signed
    assert files(media) == ["BC-Q1-2022-khanh-hoa.pdf"]
    assert verify_pdf(item.file.read()).signatures == []


@override_settings(TASKS=IMMEDIATE)
def test_without_a_key_an_issued_report_is_made_unsigned(client, coordinator, plan, media):
    issue(plan)
    client.force_login(coordinator)
    item = generate(client, plan)
    assert item.status == GenerationStatus.DONE and not item.is_signed and not item.draft_file


@override_settings(TASKS=IMMEDIATE)
def test_a_key_that_cannot_sign_fails_the_file_with_the_reason(
    client, signing, pki_files, coordinator, plan, media
):
    signing.SIGNING_KEYS = {"default": {**pki_files.entry("signer"), "pkcs12_password": "sai"}}
    issue(plan)
    client.force_login(coordinator)
    item = generate(client, plan)
    assert item.status == GenerationStatus.FAILED and not item.is_signed
    assert "SigningError" not in item.error and item.error
    assert files(media) == []
    page = client.get(reverse("leadership:generated", kwargs={"pk": item.pk})).content.decode()
    assert item.error in page


@override_settings(TASKS=IMMEDIATE)
def test_an_issued_plan_document_is_signed(client, signing, coordinator, plan, media):
    plan.status, plan.document_number = PlanStatus.ISSUED, "286/KH-UBND"
    plan.save()
    client.force_login(coordinator)
    item = generate(client, plan, period="plan")
    assert item.status == GenerationStatus.DONE and item.is_signed
    assert item.number == "286/KH-UBND"
    assert verify_pdf(item.file.read()).verdict == Verdict.VALID


def test_render_report_signs_on_request(signing, plan, tmp_path):
    issue(plan)
    output = tmp_path / "q1.pdf"
    out = StringIO()
    call_command("render_report", plan=str(plan.pk), year=2022, period="Q1", output=str(output),
                 sign=True, stdout=out)
    assert "signed by Sở Nội vụ" in out.getvalue()
    verification = verify_pdf(output.read_bytes())
    assert verification.verdict == Verdict.VALID and verification.latest.signer == SIGNER


def test_render_report_refuses_to_sign_without_a_key_or_a_pdf(plan, tmp_path):
    output = tmp_path / "q1.pdf"
    with pytest.raises(CommandError, match="No signing key is configured"):
        call_command("render_report", plan=str(plan.pk), year=2022, period="Q1",
                     output=str(output), sign=True)
    with pytest.raises(CommandError, match="Only a PDF can be signed"):
        call_command("render_report", plan=str(plan.pk), year=2022, period="Q1",
                     output=str(tmp_path / "q1.xlsx"), format="xlsx", sign=True)
    assert not output.exists()


@override_settings(TASKS=IMMEDIATE)
def test_the_signer_image_and_the_seal_go_on_the_signature_block(
    client, signing, pki_files, coordinator, plan, media, tmp_path
):
    from PIL import Image

    from .conftest import run

    Image.new("RGBA", (300, 140), (0, 0, 160, 255)).save(tmp_path / "chu-ky.png")
    Image.new("RGBA", (200, 200), (220, 0, 0, 255)).save(tmp_path / "con-dau.png")
    signing.SIGNING_KEYS = {"default": pki_files.entry(
        "signer", signer_image=str(tmp_path / "chu-ky.png"),
        seal_image=str(tmp_path / "con-dau.png"))}
    issue(plan)
    client.force_login(coordinator)
    item = generate(client, plan)
    assert item.status == GenerationStatus.DONE and item.is_signed
    path = tmp_path / "signed.pdf"
    path.write_bytes(item.file.read())
    assert verify_pdf(path.read_bytes()).verdict == Verdict.VALID
    listing = run("pdfimages", "-list", str(path)).stdout.splitlines()[2:]
    drawn = {(line.split()[0], line.split()[3], line.split()[4]) for line in listing
             if line.split()[2] == "image"}
    # Both on the page of the signature block (before the annexes); the draft has neither.
    pages = {page for page, width, height in drawn if (width, height) in {("300", "140"),
                                                                          ("200", "200")}}
    assert len(pages) == 1
    page = pages.pop()
    text = run("pdftotext", "-f", page, "-l", page, str(path), "-").stdout
    assert "Nơi nhận" in text
    draft = tmp_path / "draft.pdf"
    draft.write_bytes(item.draft_file.read())
    assert run("pdfimages", "-list", str(draft)).stdout.splitlines()[2:] == []
