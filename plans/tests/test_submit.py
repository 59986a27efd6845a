"""An agency officer submits their agency's own plan for a parent plan."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from plans.models import Plan, PlanStatus
from tasks.services import set_task_agencies
from tests.factories import TaskFactory, UserFactory
from tests.factories.files import MINIMAL_PDF, minimal_docx, office_bomb
from tests.factories.plans import vi


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def url(plan):
    return reverse("plans:submit", args=[plan.pk])


def fields(**extra):
    return {"title": "Kế hoạch tuyên truyền CCHC năm 2022 của Sở Tư pháp",
            "document_number": "25/KH-STP", "issued_on": "2022-02-14", **extra}


@pytest.mark.django_db
def test_officer_submits_a_new_plan(client, officer, justice, issued_plan):
    client.force_login(officer)
    response = client.post(url(issued_plan), fields())
    own = Plan.objects.get(parent=issued_plan)
    assert response["Location"] == reverse("plans:detail", args=[own.pk])
    assert (own.issuer, own.document_number, own.issued_on, own.status, own.created_by) == (
        justice, "25/KH-STP", datetime.date(2022, 2, 14), PlanStatus.ISSUED, officer
    )
    assert own.submitted_at is not None
    assert own.period_start_year == issued_plan.period_start_year
    # The coordinators' tracking page now shows it.
    assert client.get(reverse("plans:detail", args=[own.pk])).status_code == 200


@pytest.mark.django_db
def test_officer_submits_a_real_pdf(client, officer, issued_plan):
    client.force_login(officer)
    upload = SimpleUploadedFile("Kế hoạch số 25.pdf", MINIMAL_PDF, "application/pdf")
    assert client.post(url(issued_plan), fields(document_file=upload)).status_code == 302
    own = Plan.objects.get(parent=issued_plan)
    assert own.document_file.name.endswith(".pdf")
    assert own.document_file.read() == MINIMAL_PDF
    download = client.get(reverse("plans:document", args=[own.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == MINIMAL_PDF


@pytest.mark.django_db
def test_officer_submits_a_docx(client, officer, issued_plan):
    client.force_login(officer)
    upload = SimpleUploadedFile("ke-hoach.docx", minimal_docx())
    assert client.post(url(issued_plan), fields(document_file=upload)).status_code == 302
    assert Plan.objects.get(parent=issued_plan).document_file.name.endswith(".docx")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message", "params"),
    [
        ("ke-hoach.pdf", b"This is plain text pretending to be a PDF.",
         "The content of this file is not a %(type)s document, whatever its name says.",
         {"type": "PDF"}),
        ("ke-hoach.docx", MINIMAL_PDF,
         "The content of this file is not a %(type)s document, whatever its name says.",
         {"type": "DOCX"}),
        ("ke-hoach.exe", MINIMAL_PDF, "Only PDF and DOCX files are accepted.", {}),
    ],
)
def test_file_checked_by_content_not_name(client, officer, issued_plan, name, content,
                                          message, params):
    client.force_login(officer)
    upload = SimpleUploadedFile(name, content, "application/pdf")
    response = client.post(url(issued_plan), fields(document_file=upload))
    assert response.status_code == 200
    assert not Plan.objects.filter(parent=issued_plan).exists()
    assert response.context["form"].errors == {"document_file": [vi(message, **params)]}
    assert vi(message, **params) in response.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content",
    [office_bomb(declared=300 * 1024 * 1024), office_bomb(members=3000)],
    ids=["unpacked", "parts"],
)
def test_a_docx_absurd_once_unpacked_is_refused(client, officer, issued_plan, content):
    client.force_login(officer)
    upload = SimpleUploadedFile("ke-hoach.docx", content)
    response = client.post(url(issued_plan), fields(document_file=upload))
    assert response.status_code == 200
    assert "ke-hoach.docx" in response.context["form"].errors["document_file"][0]
    assert not Plan.objects.filter(parent=issued_plan).exists()


@pytest.mark.django_db
def test_an_over_long_file_name_is_stored_under_a_short_one(client, officer, issued_plan):
    client.force_login(officer)
    upload = SimpleUploadedFile("Kế hoạch tuyên truyền " * 20 + ".pdf", MINIMAL_PDF)
    assert client.post(url(issued_plan), fields(document_file=upload)).status_code == 302
    own = Plan.objects.get(parent=issued_plan)
    assert own.document_file.name.endswith(".pdf")
    assert own.document_file.read() == MINIMAL_PDF


@pytest.mark.django_db
def test_file_too_large(client, officer, issued_plan, settings):
    settings.EVIDENCE_MAX_BYTES = 100
    client.force_login(officer)
    upload = SimpleUploadedFile("ke-hoach.pdf", MINIMAL_PDF)
    response = client.post(url(issued_plan), fields(document_file=upload))
    assert "document_file" in response.context["form"].errors
    assert not Plan.objects.filter(parent=issued_plan).exists()


@pytest.mark.django_db
def test_missing_fields_are_reported_next_to_them(client, officer, issued_plan):
    client.force_login(officer)
    response = client.post(url(issued_plan), {"title": "X"})
    assert set(response.context["form"].errors) == {"document_number", "issued_on"}
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = client.post(url(issued_plan), fields(issued_on=future))
    assert vi("The date of the document cannot be in the future.") in response.text


@pytest.mark.django_db
def test_officer_of_an_agency_not_addressed_gets_403(client, province, health, issued_plan):
    nurse = UserFactory(username="yte", agency=health, role="agency_officer")
    # Involved through a task, so the plan is visible, but not asked for its own plan.
    task = TaskFactory(plan=issued_plan, number=1)
    set_task_agencies(task=task, leads=[health])
    client.force_login(nurse)
    assert client.get(reverse("plans:detail", args=[issued_plan.pk])).status_code == 200
    assert client.get(url(issued_plan)).status_code == 403
    assert client.post(url(issued_plan), fields()).status_code == 403
    assert not Plan.objects.filter(parent=issued_plan).exists()


@pytest.mark.django_db
def test_outsider_and_leadership(client, outsider, leadership, issued_plan):
    client.force_login(outsider)
    assert client.post(url(issued_plan), fields()).status_code == 404
    client.force_login(leadership)
    assert client.post(url(issued_plan), fields()).status_code == 403
    assert not Plan.objects.filter(parent=issued_plan).exists()


@pytest.mark.django_db
def test_coordinator_records_on_behalf_with_the_date_received(client, coordinator, justice,
                                                               issued_plan):
    client.force_login(coordinator)
    response = client.post(
        url(issued_plan), fields(agency=justice.pk, received_on="2022-03-02")
    )
    assert response.status_code == 302
    own = Plan.objects.get(parent=issued_plan)
    assert own.issuer == justice
    assert timezone.localdate(own.submitted_at) == datetime.date(2022, 3, 2)
    assert own.submission_state() == "late"


@pytest.mark.django_db
def test_coordinator_can_only_record_for_addressed_agencies(client, coordinator, health,
                                                             issued_plan):
    client.force_login(coordinator)
    response = client.post(url(issued_plan), fields(agency=health.pk, received_on="2022-02-01"))
    assert response.context["form"].errors["agency"] == [
        f"{health.name}: không chọn được ở đây, kế hoạch không gửi đến cơ quan này."
    ]
    assert not Plan.objects.filter(parent=issued_plan).exists()


@pytest.mark.django_db
def test_page_shows_earlier_submission(client, officer, issued_plan):
    client.force_login(officer)
    client.post(url(issued_plan), fields())
    response = client.get(url(issued_plan))
    assert "25/KH-STP" in response.text
    assert vi("Your agency has already submitted:") in response.text
