"""The links of the reminders' mails: absolute, each in its reader's language."""

import datetime

import pytest
from django.utils import timezone

from notifications.services import save_setting
from reminders import services
from tasks.services import set_task_agencies
from tests.factories import PlanFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2022, 3, 24)


@pytest.fixture
def due_task(settings, justice):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.SITE_URL = "https://cchc.example.gov.vn"
    plan = PlanFactory(issuer=justice.parent, status="issued", period_start_year=2022,
                       period_end_year=2022)
    task = TaskFactory(plan=plan, schedule_kind="due", due_date=DAY + datetime.timedelta(days=7))
    set_task_agencies(task=task, leads=[justice], coordinators=[], lead_groups=[])
    return task


def readers(justice):
    return (UserFactory(username="lan", agency=justice, role="agency_officer",
                        email="lan@stp.example", language="vi"),
            UserFactory(username="john", agency=justice, role="agency_officer",
                        email="john@stp.example", language="en"))


def mails_by_reader(smtp_server):
    return {recipients[0]: (text, html) for recipients, _m, text, html in smtp_server.parsed()}


def test_a_reminder_links_to_the_page_in_each_readers_language(
        due_task, justice, smtp_server, django_capture_on_commit_callbacks):
    vietnamese, english = readers(justice)
    with django_capture_on_commit_callbacks(execute=True):
        services.run(today=DAY)
    mails = mails_by_reader(smtp_server)
    vi_text, vi_html = mails[vietnamese.email]
    en_text, en_html = mails[english.email]
    assert "https://cchc.example.gov.vn/tasks/work/" in vi_text
    assert 'href="https://cchc.example.gov.vn/tasks/work/"' in vi_html
    assert "https://cchc.example.gov.vn/en/tasks/work/" in en_text
    assert 'href="https://cchc.example.gov.vn/en/tasks/work/"' in en_html
    # Each item of the list links to its task, in the reader's language too.
    assert f"https://cchc.example.gov.vn/en/tasks/{due_task.pk}/" in en_text
    assert f"https://cchc.example.gov.vn/tasks/{due_task.pk}/" in vi_text
    assert "/en/" not in vi_text + vi_html


def test_the_daily_digest_links_in_the_readers_language(
        due_task, justice, smtp_server, django_capture_on_commit_callbacks):
    vietnamese, english = readers(justice)
    for user in (vietnamese, english):
        save_setting(user, no_email_kinds=[], daily_digest=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.run(today=DAY)
        services.send_digests(timezone.localdate())  # the notifications made today
    mails = mails_by_reader(smtp_server)
    assert "https://cchc.example.gov.vn/en/tasks/work/" in mails[english.email][0]
    assert "https://cchc.example.gov.vn/en/notifications/" in mails[english.email][0]
    assert "https://cchc.example.gov.vn/tasks/work/" in mails[vietnamese.email][0]
    assert "/en/" not in mails[vietnamese.email][0]
