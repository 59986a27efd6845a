"""An agency's periodic report delivered with its signed copy: the copy is checked, a valid
signature made before submission counts as the submission time, and the completeness matrix
marks signed reports and finds the unsigned ones."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from periodic.models import ReportStatus
from periodic.services import start_report
from signatures.keys import key_for
from signatures.models import SignatureCheck
from signatures.signing import VIETNAM, sign_with_key
from signatures.verification import Verdict
from tests.factories.periodic import assignment_for, reporting_plan

pytestmark = pytest.mark.django_db
# Signed on the last day of the quarter; the report's due date is 20/04/2022.
SIGNED_ON = datetime.datetime(2022, 3, 31, 16, 0, tzinfo=VIETNAM)


@pytest.fixture(autouse=True)
def vietnamese(settings):
    settings.REPORTING_CUTOFF = "decree_09"
    with translation.override("vi"):
        yield


@pytest.fixture
def draft(province, justice, officer):
    plan = reporting_plan(province, title="Kế hoạch tuyên truyền CCHC năm 2022")
    plan.addressed_agencies.add(justice)
    assignment_for(plan, justice, number=1, title="Tổ chức hội nghị CCHC")
    return start_report(plan=plan, agency=justice, year=2022, period_code="Q1", user=officer)


def send(client, report, content, capture, *, action="submit", name="Báo cáo quý I.pdf"):
    data = {"version": report.version, "action": action, "results": "Đã tổ chức 2 hội nghị",
            "shortcomings": "", "proposals": "",
            "signed_copy": SimpleUploadedFile(name, content, "application/pdf")}
    for state in report.task_states.all():
        data[f"a{state.assignment_id}_status"] = state.status
        data[f"a{state.assignment_id}_percent"] = state.percent
        data[f"a{state.assignment_id}_note"] = ""
    with capture(execute=True):
        return client.post(reverse("periodic:report_edit", args=[report.pk]), data)


def test_a_report_signed_before_submission_counts_at_its_signing_time(
    client, officer, coordinator, draft, signing, report_pdf, media,
    django_capture_on_commit_callbacks,
):
    signed = sign_with_key(key_for(), report_pdf, signed_at=SIGNED_ON)
    client.force_login(officer)
    response = send(client, draft, signed, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ReportStatus.SUBMITTED and draft.signed_copy
    assert SignatureCheck.objects.get().verdict == Verdict.VALID
    assert draft.submitted_at == SIGNED_ON

    page = client.get(reverse("periodic:report_detail", args=[draft.pk])).content.decode()
    assert "31/03/2022 16:00 — hợp lệ" in page
    download = client.get(reverse("periodic:report_signed_copy", args=[draft.pk]))
    assert b"".join(download.streaming_content) == signed

    client.force_login(coordinator)
    url = reverse("periodic:completeness", args=[draft.plan.pk])
    page = client.get(url, {"year": 2022}).content.decode()
    assert 'class="signed-mark"' in page
    assert client.get(url, {"year": 2022, "signature": "unsigned"}).context[
        "page"].object_list == []
    signed_rows = client.get(url, {"year": 2022, "signature": "signed"}).context[
        "page"].object_list
    assert [row.agency for row in signed_rows] == [draft.agency]


def test_a_changed_copy_keeps_the_submission_time_and_is_listed_as_unsigned(
    client, officer, coordinator, draft, signing, report_pdf, media,
    django_capture_on_commit_callbacks,
):
    signed = sign_with_key(key_for(), report_pdf, signed_at=SIGNED_ON)
    tampered = signed.replace(b"WeasyPrint", b"WeasyPrinT", 1)
    client.force_login(officer)
    send(client, draft, tampered, django_capture_on_commit_callbacks)
    draft.refresh_from_db()
    assert draft.submitted_at.year == datetime.date.today().year
    page = client.get(reverse("periodic:report_detail", args=[draft.pk])).content.decode()
    assert "tài liệu đã bị sửa sau khi ký" in page

    client.force_login(coordinator)
    rows = client.get(reverse("periodic:completeness", args=[draft.plan.pk]),
                      {"year": 2022, "signature": "unsigned"}).context["page"].object_list
    assert [row.agency for row in rows] == [draft.agency]


def test_a_copy_checked_after_submission_moves_the_submission_time(
    client, officer, draft, signing, report_pdf, media, django_capture_on_commit_callbacks,
    settings,
):
    """A large copy is checked by the worker, after the report was submitted."""
    settings.SIGNATURE_CHECK_INLINE_BYTES = 10
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    signed = sign_with_key(key_for(), report_pdf, signed_at=SIGNED_ON)
    client.force_login(officer)
    send(client, draft, signed, django_capture_on_commit_callbacks)
    draft.refresh_from_db()
    assert draft.submitted_at > SIGNED_ON

    from signatures.services import run_check

    run_check(SignatureCheck.objects.get().pk)
    draft.refresh_from_db()
    assert draft.submitted_at == SIGNED_ON


def test_only_a_pdf_is_taken_as_the_signed_copy(client, officer, draft, media,
                                                django_capture_on_commit_callbacks):
    client.force_login(officer)
    response = send(client, draft, b"PK\x03\x04 a workbook", django_capture_on_commit_callbacks,
                    action="save", name="bao-cao.xlsx")
    assert response.status_code == 200
    assert response.context["form"].errors["signed_copy"] == ["Chỉ nhận tệp PDF."]
    draft.refresh_from_db()
    assert not draft.signed_copy
