"""A coordinator reminds an agency from a task page; its officer finds it in the inbox.

The coordinator (demo login ``dieuphoi``) opens a task of the Khánh Hòa 2022 plan, writes a
message and clicks "Đôn đốc" on Sở Tư pháp's row; the row says it was reminded. The officer of
Sở Tư pháp (``donvi``) sees the bell count one more, opens the inbox, reads the reminder with
its message, follows it to the task (one fewer unread), and marks the rest read. Then the
daily run of 05/07/2022 reminds the agencies, and the coordinator opens "Nhắc việc đã gửi" from
the navigation: Sở Tư pháp's work still late is there, marked escalated, its head mailed.
"""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from notifications.models import Notification
from plans.models import PlanStatus
from reminders import services as reminders
from tasks.models import FINISHED, Assignment

from .helpers import assert_self_contained, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
MESSAGE = "Đề nghị cập nhật tiến độ trước ngày 15."


def test_a_reminder_from_a_task_page_reaches_the_officers_inbox(page, live_server):
    call_command("load_demo", stdout=io.StringIO())
    assignment = (
        Assignment.objects.filter(agency__code="STP", task__plan__status=PlanStatus.ISSUED)
        .exclude(status__in=FINISHED).order_by("task__plan__period_start_year", "task__number")
        .select_related("task").first()
    )
    task = assignment.task
    unread = Notification.objects.filter(recipient__username="donvi", read_at=None).count()
    remind = f"form[action$='/tasks/assignments/{assignment.pk}/remind/']"

    log_in(page, live_server, "dieuphoi")
    page.goto(f"{live_server.url}/tasks/{task.pk}/")
    page.locator(f"{remind} summary").click()
    page.locator(f"{remind} textarea").fill(MESSAGE)
    page.locator(f"{remind} button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Đã đôn đốc")
    assert_self_contained(page)

    page.context.clear_cookies()
    log_in(page, live_server, "donvi")
    bell = page.locator("a.bell")
    expect(bell.locator(".bell-count")).to_have_text(str(unread + 1))
    bell.click()
    expect(page).to_have_url(re.compile(r"/notifications/$"))
    item = page.locator(".inbox-item.unread", has_text=MESSAGE)
    expect(item).to_have_count(1)
    assert_self_contained(page)

    item.locator("a").click()
    expect(page).to_have_url(re.compile(rf"/tasks/{task.pk}/"))
    expect(page.locator("a.bell .bell-count")).to_have_text(str(unread))
    page.locator("a.bell").click()
    expect(page.locator(".inbox-item", has_text=MESSAGE)).not_to_have_class(re.compile("unread"))
    page.get_by_role("button", name="Đánh dấu tất cả là đã đọc").click()
    expect(page.locator(".inbox-item.unread")).to_have_count(0)
    expect(page.locator("a.bell .bell-count")).to_have_text("0")
    assert_self_contained(page)

    reminders.run(today=datetime.date(2022, 7, 5))
    page.context.clear_cookies()
    log_in(page, live_server, "dieuphoi")
    page.locator("nav.nav").get_by_role("link", name="Nhắc việc đã gửi").click()
    expect(page).to_have_url(re.compile(r"/reminders/sent/$"))
    page.get_by_label("Đơn vị").select_option(label="Sở Tư pháp tỉnh Khánh Hòa")
    page.get_by_role("button", name="Lọc").click()
    row = page.locator("tr.escalated", has_text="Xây dựng Đề án")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("05/07/2022")
    expect(row).to_contain_text("Thủ trưởng: Nguyễn Văn Tư (tu.nv.stp@khanhhoa.example)")
    assert_self_contained(page)
