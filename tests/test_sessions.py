"""Sessions: private responses, idle and absolute expiry, "remember me", no typed form lost."""

import re
from html import unescape

import pytest
from django.urls import reverse

from cchc_plans.sessions import LOGIN_AT, SEEN_AT
from tasks.models import ProgressUpdate
from tests.factories import UserFactory
from tests.matrix import World
from tests.test_permission_matrix import ENTRIES

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return World()


def reader_of(entry):
    """A role the permission matrix lets open the URL (a 200), else the coordinator."""
    for role, status in (entry.get or {}).items():
        if status == 200:
            return role
    return "coordinator"


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.name)
def test_every_page_and_download_is_private_and_not_stored(client, world, entry):
    client.force_login(world.users[reader_of(entry)])
    url = reverse(entry.name, kwargs=entry.build_kwargs(world))
    response = client.get(url, entry.data(world) if entry.data else {})
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    assert {"private", "no-store"} <= directives, (url, response.get("Cache-Control"))


def test_the_login_page_and_the_admin_are_not_stored_either(client, world):
    assert "no-store" in client.get(reverse("login"))["Cache-Control"]
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    assert "no-store" in client.get(reverse("admin:index"))["Cache-Control"]


def log_in(client, username, remember=False, next_url=""):
    data = {"username": username, "password": PASSWORD, "next": next_url}
    if remember:
        data["remember"] = "on"
    return client.post(reverse("login"), data)


def shift(client, key, seconds):
    """Move a time kept in the session back by ``seconds``."""
    session = client.session
    session[key] -= seconds
    session.save()


@pytest.fixture
def coordinator_logged_in(client, coordinator):
    assert log_in(client, "alice").status_code == 302
    return coordinator


def test_a_session_idle_for_longer_than_the_limit_ends(client, coordinator_logged_in, settings):
    settings.SESSION_IDLE_MINUTES = 30
    shift(client, SEEN_AT, 31 * 60)
    response = client.get(reverse("plans:list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=" + reverse("plans:list")
    page = client.get(response["Location"]).content.decode()
    assert "after 30 minutes without activity" in page or "30 phút" in page
    assert "_auth_user_id" not in client.session


def test_activity_within_the_idle_limit_keeps_the_session(client, coordinator_logged_in):
    shift(client, SEEN_AT, 29 * 60)
    assert client.get(reverse("plans:list")).status_code == 200
    # The request counted as activity: another 29 minutes later it is still valid.
    shift(client, SEEN_AT, 29 * 60)
    assert client.get(reverse("plans:list")).status_code == 200


def test_a_session_ends_at_most_the_maximum_hours_after_login(client, coordinator_logged_in,
                                                               settings):
    settings.SESSION_MAX_HOURS = 12
    shift(client, LOGIN_AT, 12 * 3600 + 60)
    response = client.get(reverse("plans:list"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_without_remember_me_the_cookie_ends_with_the_browser(client, coordinator):
    log_in(client, "alice")
    cookie = client.cookies["sessionid"]
    assert cookie["max-age"] == "" and cookie["expires"] == ""


def test_remember_me_keeps_the_cookie_for_the_maximum_session(client, coordinator, settings):
    log_in(client, "alice", remember=True)
    assert client.cookies["sessionid"]["max-age"] == settings.SESSION_MAX_HOURS * 3600


def test_login_page_offers_remember_me_unticked(client):
    html = client.get(reverse("login")).content.decode()
    checkbox = re.search(r'<input type="checkbox" name="remember"[^>]*>', html)
    assert checkbox and "checked" not in checkbox.group(0)


def hidden_fields(html):
    form = re.search(r'<section class="card pending-form".*?</section>', html, re.S).group(0)
    action = unescape(re.search(r'action="([^"]+)"', form).group(1))
    fields = [(unescape(name), unescape(value)) for name, value in
              re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', form)]
    return action, fields


def test_a_form_posted_after_expiry_is_offered_again_after_login(client, world, settings):
    officer = world.users["own"]
    assert log_in(client, officer.username).status_code == 302
    page = reverse("tasks:post_update", kwargs={"pk": world.assignment.pk})
    client.get(page)
    shift(client, SEEN_AT, (settings.SESSION_IDLE_MINUTES + 1) * 60)
    narrative = "Đã tổ chức 3 hội nghị tập huấn cho 120 cán bộ <các xã>"
    response = client.post(page, {"status": "in_progress", "percent": "70",
                                  "narrative": narrative}, HTTP_REFERER=f"http://testserver{page}")
    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=" + page.replace("/", "%2F")
    assert ProgressUpdate.objects.count() == 1  # the world's own update only

    response = log_in(client, officer.username, next_url=page)
    assert response["Location"] == page
    action, fields = hidden_fields(client.get(page).content.decode())
    assert action == page
    assert ("narrative", narrative) in fields and ("percent", "70") in fields
    assert client.post(action, dict(fields)).status_code == 302
    update = ProgressUpdate.objects.latest("pk")
    assert (update.narrative, update.percent, update.author) == (narrative, 70, officer)
    # Offered once: the page shows the empty form afterwards.
    assert "pending-form" not in client.get(page).content.decode()


def test_a_kept_form_is_not_offered_to_another_user(client, world, settings):
    page = reverse("tasks:post_update", kwargs={"pk": world.assignment.pk})
    log_in(client, world.users["own"].username)
    shift(client, SEEN_AT, (settings.SESSION_IDLE_MINUTES + 1) * 60)
    client.post(page, {"status": "in_progress", "percent": "70", "narrative": "Bí mật"})
    log_in(client, world.users["coordinator"].username, next_url=page)
    assert "Bí mật" not in client.get(page).content.decode()


def test_passwords_posted_after_expiry_are_not_kept(client, coordinator_logged_in, settings):
    page = reverse("password_change")
    shift(client, SEEN_AT, (settings.SESSION_IDLE_MINUTES + 1) * 60)
    client.post(page, {"old_password": PASSWORD, "new_password1": "a much better secret 42",
                       "new_password2": "a much better secret 42"})
    assert "a much better secret 42" not in str(dict(client.session))
    log_in(client, "alice", next_url=page)
    html = client.get(page).content.decode()
    assert PASSWORD not in html and "a much better secret 42" not in html
