"""Background generation: queued → running → done with a file, or failed with the reason and
no file. The tests run the task synchronously (Django's ImmediateBackend) or through the
real database worker (``db_worker --batch``)."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from reports import generation
from reports.models import GeneratedReport, GenerationStatus, ReportDraft
from tests.factories.dashboard import populate
from tests.factories.forms import form_token
from tests.factories.periodic import reporting_plan

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    # English URLs (/en/…) and msgids, whatever the Vietnamese catalogue says.
    with translation.override("en"):
        yield


@pytest.fixture
def plan(province, home_affairs):
    plan = reporting_plan(province, title="Kế hoạch tuyên truyền cải cách hành chính năm 2022",
                          place="Khánh Hòa")
    populate(plan, 1)
    return plan


@pytest.fixture
def leadership(leadership):
    """The cast's leader, with a name to show as the one who asked for a file."""
    leadership.first_name = "Nguyễn Văn Hùng"
    leadership.save()
    return leadership


def files(media):
    return sorted(p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file())


@override_settings(TASKS=IMMEDIATE)
def test_a_leader_generates_the_pdf_and_downloads_it(client, leadership, plan, media):
    client.force_login(leadership)
    response = client.post(reverse("leadership:generate", kwargs={"pk": plan.pk}),
                           {"period": "2022-Q1", "format": "pdf"})
    item = GeneratedReport.objects.get()
    assert response["Location"] == reverse("leadership:generated", kwargs={"pk": item.pk})
    assert (item.status, item.requested_by, item.kind) == (
        GenerationStatus.DONE, leadership, "period"
    )
    assert item.pages >= 3 and item.finished_at is not None
    assert files(media) == [f"reports/{plan.pk}/{item.pk}/BC-Q1-2022-khanh-hoa.pdf"]

    page = client.get(response["Location"]).content.decode()
    assert reverse("leadership:download", kwargs={"pk": item.pk}) in page
    assert "data-status-url" not in page  # finished: nothing to poll
    download = client.get(reverse("leadership:download", kwargs={"pk": item.pk}))
    assert download["Content-Disposition"] == 'attachment; filename="BC-Q1-2022-khanh-hoa.pdf"'
    assert b"".join(download.streaming_content).startswith(b"%PDF")

    listing = client.get(reverse("leadership:reports", kwargs={"pk": plan.pk})).content.decode()
    assert "Nguyễn Văn Hùng" in listing and "Download" in listing


@override_settings(TASKS=IMMEDIATE)
def test_an_issued_report_generates_with_its_number(client, coordinator, plan, media):
    ReportDraft.objects.create(plan=plan, year=2022, period_code="Y", number="99/BC-SNV",
                               issued_on=datetime.date(2022, 12, 20))
    client.force_login(coordinator)
    client.post(reverse("leadership:generate", kwargs={"pk": plan.pk}),
                {"period": "2022-Y", "format": "xlsx"})
    item = GeneratedReport.objects.get()
    assert (item.status, item.kind, item.number) == ("done", "annual", "99/BC-SNV")
    assert files(media) == [f"reports/{plan.pk}/{item.pk}/BC-Y-2022-khanh-hoa.xlsx"]


@override_settings(TASKS=IMMEDIATE)
def test_the_plan_document_can_be_generated_too(client, coordinator, plan, media):
    client.force_login(coordinator)
    client.post(reverse("leadership:generate", kwargs={"pk": plan.pk}),
                {"period": "plan", "format": "pdf"})
    item = GeneratedReport.objects.get()
    assert (item.status, item.kind, item.year, item.period_code) == ("done", "plan", None, "")
    assert item.file.read().startswith(b"%PDF")


@override_settings(TASKS=IMMEDIATE)
def test_a_failed_generation_says_why_and_leaves_no_file(client, leadership, plan, media,
                                                         monkeypatch):
    monkeypatch.setattr(generation, "SUMMARY_TEMPLATE", "documents/no-such-template.html")
    client.force_login(leadership)
    response = client.post(reverse("leadership:generate", kwargs={"pk": plan.pk}),
                           {"period": "2022-Q1", "format": "pdf"})
    item = GeneratedReport.objects.get()
    assert item.status == GenerationStatus.FAILED
    assert "TemplateDoesNotExist" in item.error and "no-such-template.html" in item.error
    assert not item.file and files(media) == []
    page = client.get(response["Location"]).content.decode()
    assert "The file could not be made" in page and "no-such-template.html" in page
    download = client.get(reverse("leadership:download", kwargs={"pk": item.pk}))
    assert download.status_code == 404
    status = client.get(reverse("leadership:status", kwargs={"pk": item.pk})).json()
    assert status["status"] == "failed" and status["finished"] and not status["download_url"]


def test_a_queued_file_shows_its_progress_and_polls(client, leadership, plan, media):
    item = generation.request_generation(plan=plan, year=2022, period_code="H1", fmt="pdf",
                                         user=leadership)  # the database backend: nothing runs yet
    client.force_login(leadership)
    page = client.get(reverse("leadership:generated", kwargs={"pk": item.pk})).content.decode()
    status_url = reverse("leadership:status", kwargs={"pk": item.pk})
    assert f'data-status-url="{status_url}"' in page
    assert "Queued" in page and "Refresh" in page and "/static/js/summary.js" in page
    assert client.get(status_url).json() == {
        "id": item.pk, "status": "queued", "status_label": "Queued", "finished": False,
        "error": "", "download_url": "",
    }
    assert client.get(reverse("leadership:download", kwargs={"pk": item.pk})).status_code == 404


# The worker closes its database connections between tasks, as a long-running process
# should; that needs real transactions instead of the test's wrapping one.
@pytest.mark.django_db(transaction=True)
def test_the_database_worker_renders_queued_files(leadership, plan, media):
    item = generation.request_generation(plan=plan, year=2022, period_code="Q1", fmt="xlsx",
                                         user=leadership)
    call_command("db_worker", batch=True, no_startup_delay=True, stdout=StringIO(),
                 stderr=StringIO())
    item.refresh_from_db()
    assert item.status == GenerationStatus.DONE
    assert files(media) == [f"reports/{plan.pk}/{item.pk}/BC-Q1-2022-khanh-hoa.xlsx"]


def test_agency_officers_cannot_download(client, officer, plan, media):
    item = GeneratedReport.objects.create(plan=plan, year=2022, period_code="Q1",
                                          kind="period", format="pdf", status="done")
    client.force_login(officer)
    assert client.get(reverse("leadership:download", kwargs={"pk": item.pk})).status_code == 403


def test_a_generation_requested_twice_is_made_once(client, leadership, plan):
    client.force_login(leadership)
    page = client.get(reverse("leadership:reports", kwargs={"pk": plan.pk})).content
    data = {"period": "2022-Q1", "format": "pdf", "submission_token": form_token(page)}

    first = client.post(reverse("leadership:generate", kwargs={"pk": plan.pk}), data)
    second = client.post(reverse("leadership:generate", kwargs={"pk": plan.pk}), data, follow=True)

    item = GeneratedReport.objects.get()
    assert first["Location"] == reverse("leadership:generated", kwargs={"pk": item.pk})
    assert second.redirect_chain[0][0] == first["Location"]
    assert "This form had already been sent" in second.content.decode()
