"""The daily run on the demo data, day after day, with a real SMTP server receiving the mails:
exactly who receives what, nothing twice, nothing to those done, the head told after N days."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone, translation

from agencies.models import Agency, User
from agencies.services import save_agency
from notifications.models import Notification
from periodic import services as periodic
from periodic.models import AgencyReport
from plans.models import Plan
from reminders.models import Dispatch, HeadMail
from tasks.models import Task

pytestmark = pytest.mark.django_db
STP_HEAD = "tu.nv.stp@khanhhoa.example"
NHA_TRANG_HEAD = "trang.tv.ubndnhatrang@khanhhoa.example"
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def prefix():
    """What the subject of every notification's mail begins with."""
    with translation.override("vi"):
        return f"{translation.gettext('CCHC plans')}: "


@pytest.fixture
def demo(settings):
    settings.TASKS = IMMEDIATE
    settings.LANGUAGE_CODE = "vi"
    call_command("load_demo", stdout=StringIO())  # every agency has its head (fixture)
    return {user.username: user.email for user in User.objects.all()}


def run(day, capture, *options):
    out = StringIO()
    with capture(execute=True):
        call_command("send_reminders", "--today", day, *options, stdout=out)
    return out.getvalue()


def received(mailbox, start):
    """(recipient, subject) of the mails received since ``start``, sorted."""
    rows = []
    for recipients, message, _text, _html in mailbox.parsed()[start:]:
        for recipient in recipients:
            rows.append((recipient, message["subject"].removeprefix(prefix())))
    return sorted(rows)


def test_the_demo_month_of_june_2022_day_by_day(demo, smtp_server,
                                                 django_capture_on_commit_callbacks):
    donvi, huyen, dieuphoi = demo["donvi"], demo["huyen"], demo["dieuphoi"]
    stp_head, nt_head = STP_HEAD, NHA_TRANG_HEAD
    plan = Plan.objects.get(parent=None, issuer__code="UBND-KH", period_start_year=2022)
    seen = {}

    def day(text):
        start = len(smtp_server.messages)
        run(text, django_capture_on_commit_callbacks)
        seen[text] = received(smtp_server, start)
        # The officers of the two demo agencies with accounts, and their heads.
        return [(to, subject) for to, subject in seen[text]
                if to in {donvi, huyen, stp_head, nt_head}]

    # Five days before the H1 report is due (15/06/2022 under Decree 09): both officers.
    assert day("10/06/2022") == [
        (donvi, "Sở Tư pháp: 1 báo cáo định kỳ đến hạn"),
        (huyen, "UBND TP Nha Trang: 1 báo cáo định kỳ đến hạn"),
    ]
    # The coordinator's digest, every day there is something to read, once.
    assert [s for to, s in seen["10/06/2022"] if to == dieuphoi] == [
        "Tổng hợp ngày 10/06/2022: 0 việc mới trễ hạn, 3 báo cáo chờ xem xét, 0 việc đã báo "
        "thủ trưởng"
    ]
    # Nha Trang submits its report on 12/06: from then on it is done and told nothing.
    nha_trang = Agency.objects.get(code="UBND-NHATRANG")
    officer = User.objects.get(username="huyen")
    report = periodic.start_report(plan=plan, agency=nha_trang, year=2022, period_code="H1",
                                   user=officer)
    report.results = "Đã triển khai các nhiệm vụ của 6 tháng đầu năm."
    report.save()
    periodic.submit(report=report, user=officer)
    # On 12/06/2022: a past day is judged by what was submitted by then.
    AgencyReport.objects.filter(pk=report.pk).update(submitted_at=timezone.make_aware(
        datetime.datetime(2022, 6, 12, 9)))

    assert day("11/06/2022") == []
    assert day("15/06/2022") == [(donvi, "Sở Tư pháp: 1 báo cáo định kỳ đến hạn")]
    assert day("16/06/2022") == []  # a report has no "overdue" step: escalation only
    digest = [s for to, s in seen["16/06/2022"] if to == dieuphoi]
    assert digest and "0 việc mới trễ hạn" not in digest[0]  # the reports that became late
    # Five days late: the officers again, and the head by mail (Sở Tư pháp only: Nha Trang
    # submitted).
    assert day("20/06/2022") == [
        (donvi, "Sở Tư pháp: 1 việc vẫn trễ hạn, đã báo thủ trưởng đơn vị"),
        (stp_head, "Sở Tư pháp: 1 việc vẫn trễ hạn"),
    ]
    # Task 16 (coordinating, due 30/06/2022, not started): 7 days and 1 day before.
    assert day("23/06/2022") == [(donvi, "Sở Tư pháp: 1 nhiệm vụ sắp đến hạn")]
    assert day("29/06/2022") == [(donvi, "Sở Tư pháp: 1 nhiệm vụ sắp đến hạn")]
    # The report 15 days late (second escalation); the task due today was reminded yesterday.
    assert day("30/06/2022") == [
        (donvi, "Sở Tư pháp: 1 việc vẫn trễ hạn, đã báo thủ trưởng đơn vị"),
        (stp_head, "Sở Tư pháp: 1 việc vẫn trễ hạn"),
    ]
    assert day("01/07/2022") == [(donvi, "Sở Tư pháp: 1 nhiệm vụ quá hạn")]
    # Four days late: no mail to the head; five days late: the head is told.
    assert day("04/07/2022") == []
    assert day("05/07/2022") == [
        (donvi, "Sở Tư pháp: 1 việc vẫn trễ hạn, đã báo thủ trưởng đơn vị"),
        (stp_head, "Sở Tư pháp: 1 việc vẫn trễ hạn"),
    ]
    head_mail = HeadMail.objects.get(email=stp_head, body__contains="Xây dựng Đề án")
    assert head_mail.sent_at is not None
    assert head_mail.body.startswith("Kính gửi Giám đốc Nguyễn Văn Tư,")
    assert "hạn 30/06/2022, đã trễ 5 ngày" in head_mail.body

    # Run again the same day, and the day after for the same steps: nothing is sent twice.
    count = len(smtp_server.messages)
    notifications = Notification.objects.count()
    assert "sent 0 messages" in run("05/07/2022", django_capture_on_commit_callbacks)
    assert day("06/07/2022") == []
    assert len(smtp_server.messages) == count + len(seen["06/07/2022"])
    assert Notification.objects.count() == notifications + len(seen["06/07/2022"])
    # Nobody was notified twice of one event, and Nha Trang's head never heard of anything.
    assert not any(to == nt_head for rows in seen.values() for to, _subject in rows)
    keys = list(Notification.objects.values_list("recipient_id", "event_key"))
    assert len(keys) == len(set(keys))
    # The officers' mails say what is late and link to the page.
    texts = [text for recipients, _m, text, _h in smtp_server.parsed() if donvi in recipients]
    assert ("- Báo cáo định kỳ 6 tháng đầu năm 2022 về Tuyên truyền cải cách hành chính tỉnh "
            "Khánh Hòa năm 2022: hạn 15/06/2022, còn 5 ngày") in texts[0]
    late = Task.objects.get(title__contains="Xây dựng Đề án", due_date=datetime.date(2022, 6, 30))
    assert f"/tasks/{late.pk}/" in texts[-1] and "hạn 30/06/2022, đã trễ 5 ngày" in texts[-1]
    digests = [t for r, _m, t, _h in smtp_server.parsed() if dieuphoi in r]
    assert len(digests) == len([d for d in seen if any(to == dieuphoi for to, _s in seen[d])])
    escalated = next(t for t in digests if "Báo thủ trưởng đơn vị hôm nay" in t
                     and "Xây dựng Đề án" in t)
    assert "- Sở Tư pháp — Nhiệm vụ “Xây dựng Đề án" in escalated

def test_dry_run_prints_who_would_receive_what_and_sends_nothing(
        demo, smtp_server, django_capture_on_commit_callbacks):
    out = run("05/07/2022", django_capture_on_commit_callbacks, "--dry-run")
    assert "escalation → Sở Tư pháp (donvi)" in out
    # The demo's agencies have heads: Sở Tư pháp's, its work 20 and 5 days late, is told.
    assert f"escalation → Sở Tư pháp ({STP_HEAD}): report 2022-H1" in out
    assert "(5 d late)" in out.split(STP_HEAD)[1].splitlines()[0]
    assert "would send" in out and "queries" in out
    assert not smtp_server.messages
    assert not Notification.objects.exists() and not Dispatch.objects.exists()


def test_the_day_must_be_written_as_in_vietnam():
    with pytest.raises(CommandError, match="dd/mm/yyyy"):
        call_command("send_reminders", "--today", "2022-07-05", stdout=StringIO())


def test_no_head_address_no_head_mail(demo, smtp_server, django_capture_on_commit_callbacks):
    agency = Agency.objects.get(code="STP")
    agency.head_email = ""
    save_agency(agency=agency)
    run("05/07/2022", django_capture_on_commit_callbacks)
    # Sở Tư pháp's late work is recorded and its officer told; its head is not mailed, the
    # others' are.
    assert Dispatch.objects.filter(agency=agency, day=datetime.date(2022, 7, 5)).exists()
    heads = set(HeadMail.objects.values_list("agency__code", flat=True))
    assert "STP" not in heads and "UBND-NHATRANG" in heads
    assert [r for r, _raw in smtp_server.messages if NHA_TRANG_HEAD in r]
    assert not [r for r, _raw in smtp_server.messages if STP_HEAD in r]
