"""Uploaded PDFs are checked as they come in: an agency's own plan and evidence show who signed
them and whether they are intact; a validly signed plan counts as submitted at its signing
time; the submissions page marks signed plans and finds the unsigned ones."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from plans.models import ChangeReason, Plan
from signatures.keys import key_for
from signatures.models import CheckState, SignatureCheck
from signatures.signing import VIETNAM, sign_with_key
from signatures.verification import Verdict
from tasks.models import AssignmentRole, Evidence
from tasks.services import set_task_agencies
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db
SIGNED_ON = datetime.datetime(2022, 2, 14, 9, 12, tzinfo=VIETNAM)


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def issued_plan(province, justice):
    plan = PlanFactory(issuer=province, status="issued",
                       submission_deadline=datetime.date(2022, 2, 28),
                       title="Kế hoạch tuyên truyền cải cách hành chính năm 2022")
    plan.addressed_agencies.add(justice)
    return plan


@pytest.fixture
def signed_plan(signing, report_pdf):
    return sign_with_key(key_for(), report_pdf, signed_at=SIGNED_ON)


def submit(client, officer, parent, content, django_capture_on_commit_callbacks):
    client.force_login(officer)
    upload = SimpleUploadedFile("Kế hoạch số 25.pdf", content, "application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("plans:submit", args=[parent.pk]), {
            "title": "Kế hoạch tuyên truyền CCHC năm 2022 của Sở Tư pháp",
            "document_number": "25/KH-STP", "issued_on": "2022-02-14", "document_file": upload,
        })
    assert response.status_code == 302
    return Plan.objects.get(parent=parent)


def test_a_signed_agency_plan_counts_as_submitted_at_its_signing_time(
    client, officer, coordinator, issued_plan, signed_plan, media,
    django_capture_on_commit_callbacks,
):
    before = timezone.now()
    own = submit(client, officer, issued_plan, signed_plan, django_capture_on_commit_callbacks)
    check = SignatureCheck.objects.get()
    assert (check.state, check.verdict, check.target) == (CheckState.DONE, Verdict.VALID, own)
    assert own.submitted_at == SIGNED_ON
    upload = own.history.filter(history_change_reason=ChangeReason.SUBMITTED).get()
    assert upload.submitted_at >= before
    assert own.history.filter(history_change_reason=ChangeReason.SIGNED).exists()

    page = client.get(reverse("plans:detail", args=[own.pk])).content.decode()
    signer = "Sở Nội vụ tỉnh Khánh Hòa (Ủy ban nhân dân tỉnh Khánh Hòa)"
    assert f"Ký bởi {signer}, 14/02/2022 09:12 — hợp lệ" in page

    client.force_login(coordinator)
    url = reverse("plans:submissions", args=[issued_plan.pk])
    page = client.get(url).content.decode()
    assert "14/02/2022" in page and "signed-mark" in page and "— hợp lệ" in page
    # Signed on 14/02, before the 28/02 deadline: on time although uploaded today.
    assert client.get(url, {"state": "on_time"}).context["page"].object_list[0].agency_plan == own
    assert client.get(url, {"state": "unsigned"}).context["page"].object_list == []


def test_a_plan_changed_after_signing_keeps_its_upload_time_and_says_why(
    client, officer, coordinator, issued_plan, signed_plan, media,
    django_capture_on_commit_callbacks,
):
    tampered = signed_plan.replace(b"WeasyPrint", b"WeasyPrinT", 1)
    own = submit(client, officer, issued_plan, tampered, django_capture_on_commit_callbacks)
    assert SignatureCheck.objects.get().verdict == Verdict.MODIFIED
    assert own.submitted_at > SIGNED_ON + datetime.timedelta(days=300)
    page = client.get(reverse("plans:detail", args=[own.pk])).content.decode()
    assert "chữ ký không hợp lệ: tài liệu đã bị sửa sau khi ký" in page

    client.force_login(coordinator)
    rows = client.get(reverse("plans:submissions", args=[issued_plan.pk]),
                      {"state": "unsigned"}).context["page"].object_list
    assert [row.agency_plan for row in rows] == [own]


def test_an_unsigned_plan_is_listed_as_unsigned(
    client, officer, coordinator, issued_plan, signing, report_pdf, media,
    django_capture_on_commit_callbacks,
):
    own = submit(client, officer, issued_plan, report_pdf, django_capture_on_commit_callbacks)
    assert SignatureCheck.objects.get().signature_count == 0
    client.force_login(coordinator)
    response = client.get(reverse("plans:submissions", args=[issued_plan.pk]))
    assert "không có chữ ký số" in response.content.decode()
    unsigned = client.get(reverse("plans:submissions", args=[issued_plan.pk]),
                          {"state": "unsigned"}).context["page"].object_list
    assert [row.agency_plan for row in unsigned] == [own]


def test_evidence_shows_its_signature_on_the_task_page(
    client, officer, task, justice, signed_plan, media, django_capture_on_commit_callbacks,
):
    task.plan.status = "issued"
    task.plan.save()
    set_task_agencies(task=task, leads=[justice])
    assignment = task.assignments.get(role=AssignmentRole.LEAD)
    client.force_login(officer)
    upload = SimpleUploadedFile("bien-ban.pdf", signed_plan, "application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("tasks:post_update", args=[assignment.pk]), {
            "status": "in_progress", "percent": 40, "narrative": "Đã tổ chức hội nghị",
            "files": upload,
        })
    assert response.status_code == 302, response.status_code
    evidence = Evidence.objects.get()
    assert SignatureCheck.objects.get().target == evidence
    page = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert "bien-ban.pdf" in page and "14/02/2022 09:12 — hợp lệ" in page
