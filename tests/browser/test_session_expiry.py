"""A session expiring while an officer types: in a real browser, nothing typed is lost."""

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from cchc_plans.sessions import SEEN_AT
from tasks.models import ProgressUpdate
from tests.matrix import World

from .helpers import assert_self_contained, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery"


def idle_out(page):
    """Move the browser's session last activity back past the idle limit."""
    [cookie] = [c for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME]
    session = SessionStore(session_key=cookie["value"])
    session[SEEN_AT] -= (settings.SESSION_IDLE_MINUTES + 1) * 60
    session.save()


def test_typed_update_comes_back_into_the_form_after_logging_in_again(page, live_server):
    world = World()
    log_in(page, live_server, "bob", PASSWORD)
    with translation.override("vi"):
        path = reverse("tasks:post_update", kwargs={"pk": world.assignment.pk})
    url = live_server.url + path
    page.goto(url)
    narrative = "Đã tổ chức 3 hội nghị tập huấn cho 120 cán bộ"
    page.fill("textarea[name=narrative]", narrative)
    page.fill("input[name=percent]", "70")
    idle_out(page)
    page.locator("form.tk-form button[type=submit]").click()

    expect(page.locator(".messages")).to_contain_text("không có thao tác")
    page.fill("input[name=username]", "bob")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    expect(page).to_have_url(url)
    expect(page.locator(".pending-form .restored")).to_be_visible()
    expect(page.locator("form.tk-form textarea[name=narrative]")).to_have_value(narrative)
    expect(page.locator("form.tk-form input[name=percent]")).to_have_value("70")
    assert_self_contained(page)

    page.locator("form.tk-form button[type=submit]").click()
    expect(page.locator(".messages")).to_be_visible()
    update = ProgressUpdate.objects.latest("pk")
    assert (update.narrative, update.percent, update.author.username) == (narrative, 70, "bob")
