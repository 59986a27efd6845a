"""Notifications by e-mail through a real SMTP server: the worker sends each once, in the
recipient's language, plain and HTML with a link to the page; opt-out, digest, retries."""

import datetime
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from notifications import services
from notifications.kinds import Kind
from notifications.models import Notification
from periodic.services import return_report, start_report, submit
from tests.factories import UserFactory
from tests.factories.periodic import assignment_for, reporting_plan
from tests.mailbox import free_port

# The worker runs the queued tasks as in production: each in its own transaction.
pytestmark = pytest.mark.django_db(transaction=True)
SITE = "https://cchc.example.gov.vn"


def run_worker():
    call_command("db_worker", batch=True, no_startup_delay=True, stdout=StringIO(),
                 stderr=StringIO())


@pytest.fixture
def submitted(province, justice, settings):
    settings.SITE_URL = SITE
    plan = reporting_plan(province, title="Kế hoạch tuyên truyền CCHC năm 2022")
    assignment_for(plan, justice, number=1)
    author = UserFactory(username="author", agency=justice)
    report = start_report(plan=plan, agency=justice, year=2022, period_code="Q1", user=author)
    report.results = "Đã đăng 6 tin, bài."
    report.save()
    submit(report=report, user=author)
    Notification.objects.all().delete()
    DBTaskResult.objects.all().delete()
    return report


def return_it(report, coordinator):
    return_report(report=report, user=coordinator, comment="Bổ sung số liệu hội nghị quý I.")


def test_a_returned_report_reaches_each_officer_once_in_their_language(
    submitted, justice, coordinator, smtp_server,
):
    UserFactory(username="lan", agency=justice, email="lan@stp.gov.vn")
    UserFactory(username="anna", agency=justice, email="anna@stp.gov.vn", language="en")
    return_it(submitted, coordinator)
    assert smtp_server.messages == []  # sent by the worker, not by the request
    inbox = {item.recipient.username: item for item in Notification.objects.all()}
    assert sorted(inbox) == ["anna", "author", "lan"]  # the agency's officers
    lan, anna = inbox["lan"], inbox["anna"]
    assert lan.subject == "Báo cáo Quý I/2022 của đơn vị bị trả lại để chỉnh sửa"
    assert "Bổ sung số liệu hội nghị quý I." in lan.body
    assert anna.subject == "Your report for Quarter I/2022 was returned for correction"

    run_worker()
    run_worker()  # nothing left to send: still one mail each
    mails = {tuple(to): (message, text, html) for to, message, text, html in
             smtp_server.parsed()}
    assert sorted(mails) == [("anna@stp.gov.vn",), ("lan@stp.gov.vn",)]
    message, text, html = mails[("lan@stp.gov.vn",)]
    assert message["Subject"] == (
        "Kế hoạch tuyên truyền CCHC: Báo cáo Quý I/2022 của đơn vị bị trả lại để chỉnh sửa")
    link = f"{SITE}/periodic/reports/{submitted.pk}/"
    assert f"Mở trang: {link}" in text
    assert "Bổ sung số liệu hội nghị quý I." in text and "Bổ sung số liệu" in html
    assert f'href="{link}"' in html
    message, text, html = mails[("anna@stp.gov.vn",)]
    assert f"Open the page: {SITE}/en/periodic/reports/{submitted.pk}/" in text
    assert all(item.emailed_at for item in Notification.objects.exclude(recipient__email=""))


def test_an_opted_out_kind_stays_in_the_inbox(submitted, justice, coordinator, smtp_server):
    lan = UserFactory(username="lan", agency=justice, email="lan@stp.gov.vn")
    services.save_setting(lan, no_email_kinds=[Kind.REPORT_RETURNED], daily_digest=False)
    return_it(submitted, coordinator)
    run_worker()
    assert smtp_server.messages == []
    assert Notification.objects.get(recipient=lan).emailed_at is None


def test_the_digest_brings_the_day_in_one_mail_once(
    submitted, justice, coordinator, officer, smtp_server,
):
    lan = UserFactory(username="lan", agency=justice, email="lan@stp.gov.vn")
    services.save_setting(lan, no_email_kinds=[], daily_digest=True)
    return_it(submitted, coordinator)
    services.notify(
        [lan], Kind.MANUAL_REMINDER, event_key="manual:1", url="/periodic/", template="message",
        context={"subject": "Nhắc gửi báo cáo", "message": "Đề nghị gửi báo cáo đúng hạn."},
    )
    run_worker()
    assert smtp_server.messages == []  # no single mail

    today = timezone.localdate()
    assert services.send_digests(today) == 1
    assert services.send_digests(today) == 0
    [(to, message, text, html)] = smtp_server.parsed()
    assert to == ["lan@stp.gov.vn"]
    assert message["Subject"] == f"Kế hoạch CCHC: 2 thông báo ngày {today:%d/%m/%Y}"
    assert "Báo cáo Quý I/2022 của đơn vị bị trả lại" in text and "Nhắc gửi báo cáo" in text
    assert f"{SITE}/periodic/reports/{submitted.pk}/" in html


def test_a_failing_mail_server_is_tried_again_later_and_the_mail_goes_once(
    submitted, justice, coordinator, smtp_server, settings,
):
    lan = UserFactory(username="lan", agency=justice, email="lan@stp.gov.vn")
    working = settings.MAILERS
    settings.MAILERS = {"default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
    }}
    return_it(submitted, coordinator)
    run_worker()
    item = Notification.objects.get(recipient=lan)
    assert (item.emailed_at, item.email_attempts) == (None, 1)
    retry = DBTaskResult.objects.get(task_path__endswith="send_notification_email")
    assert retry.run_after > timezone.now()

    settings.MAILERS = working
    DBTaskResult.objects.filter(pk=retry.pk).update(
        run_after=timezone.now() - datetime.timedelta(seconds=1))
    run_worker()
    run_worker()
    [(to, _message, text, _html)] = smtp_server.parsed()
    assert to == ["lan@stp.gov.vn"] and re.search(r"/periodic/reports/\d+/", text)
    item.refresh_from_db()
    assert item.emailed_at is not None and item.email_attempts == 2
