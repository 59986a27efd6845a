"""The inbox: the bell on every page, the list (only one's own), opening and marking read; the
settings page."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications import services
from notifications.kinds import Kind
from notifications.models import Notification, NotificationSetting

pytestmark = pytest.mark.django_db


def note(user, n, url="/plans/"):
    [item] = services.notify(
        [user], Kind.MANUAL_REMINDER, event_key=f"test:{n}", url=url, template="message",
        context={"subject": f"Nhắc việc số {n}", "message": f"Nội dung {n}"},
    )
    return item


def bell(response):
    return re.search(r'class="bell[^"]*"[^>]*>.*?class="bell-count">(\d+)<',
                     response.content.decode(), re.S).group(1)


def queries_of(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_the_bell_counts_the_unread_without_a_query_of_its_own(client, officer):
    client.force_login(officer)
    before = queries_of(client, "/plans/")
    for n in range(3):
        note(officer, n)
    services.mark_read(officer, Notification.objects.first().pk)
    response = client.get("/plans/")
    assert bell(response) == "2"
    assert queries_of(client, "/plans/") == before  # counted with the user's own query


def test_the_inbox_lists_only_ones_own_newest_first_unread_marked(client, officer, outsider):
    first, second = note(officer, 1), note(officer, 2)
    note(outsider, 3)
    services.mark_read(officer, first.pk)
    client.force_login(officer)
    page = client.get("/notifications/").content.decode()
    assert page.index("Nhắc việc số 2") < page.index("Nhắc việc số 1")
    assert "Nhắc việc số 3" not in page
    assert page.count('class="inbox-item unread"') == 1
    assert f'href="/notifications/{second.pk}/"' in page


def test_the_inbox_is_paginated(client, officer):
    for n in range(30):
        note(officer, n)
    client.force_login(officer)
    page = client.get("/notifications/").content.decode()
    assert page.count('class="inbox-item') == 25 and "Trang 1/2" in page
    page = client.get("/notifications/?page=2").content.decode()
    assert page.count('class="inbox-item') == 5


def test_opening_marks_read_and_goes_to_the_page_in_the_readers_language(client, officer):
    item = note(officer, 1, url="/plans/")
    client.force_login(officer)
    response = client.get(f"/en/notifications/{item.pk}/")
    assert response["Location"] == "/en/plans/"
    item.refresh_from_db()
    assert item.read_at is not None


def test_another_users_notification_is_not_found_and_stays_unread(client, officer, outsider):
    item = note(outsider, 1)
    client.force_login(officer)
    assert client.get(f"/notifications/{item.pk}/").status_code == 404
    item.refresh_from_db()
    assert item.read_at is None


def test_mark_all_read_reads_only_ones_own(client, officer, outsider):
    note(officer, 1), note(officer, 2)
    theirs = note(outsider, 3)
    client.force_login(officer)
    response = client.post("/notifications/read-all/", follow=True)
    assert bell(response) == "0"
    assert "Đã đánh dấu tất cả thông báo là đã đọc." in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_settings_page_saves_the_users_choices(client, officer):
    client.force_login(officer)
    page = client.get("/notifications/settings/").content.decode()
    assert "Gửi cả qua thư điện tử" in page and 'value="report_returned"' in page
    response = client.post("/notifications/settings/", {
        "email_kinds": [Kind.REPORT_RETURNED, Kind.PLAN_ISSUED], "daily_digest": "on",
        "language": "en",
    })
    assert response.status_code == 302
    setting = NotificationSetting.objects.get(user=officer)
    assert setting.daily_digest
    assert Kind.REPORT_RETURNED not in setting.no_email_kinds
    assert Kind.REPORT_ACCEPTED in setting.no_email_kinds
    officer.refresh_from_db()
    assert officer.language == "en"


def test_a_bad_settings_form_says_why_and_saves_nothing(client, officer):
    client.force_login(officer)
    response = client.post("/notifications/settings/", {"email_kinds": ["nonsense"],
                                                         "language": "fr"})
    assert response.status_code == 200
    assert "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()
    assert not NotificationSetting.objects.exists()


def test_the_account_menu_links_to_the_settings(client, officer):
    client.force_login(officer)
    page = client.get("/plans/").content.decode()
    assert 'href="/notifications/settings/"' in page and 'href="/notifications/"' in page
