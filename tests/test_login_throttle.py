"""Login throttling: the client address behind a trusted proxy, the per-account ceiling, the
lockout page saying when to try again, and unlocking from the admin."""

import datetime
import ipaddress

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone, translation

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
PROXY = "10.0.0.5"


@pytest.fixture(autouse=True)
def limits(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 8
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/24")]
    settings.TRUSTED_PROXY_HEADER = "X-Forwarded-For"


@pytest.fixture
def alice(db):
    return UserFactory(username="alice", role="coordinator", password=PASSWORD)


def attempt(client, password, remote, forwarded=None, username="alice"):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(reverse("login"), {"username": username, "password": password},
                       **headers)


def test_behind_a_trusted_proxy_each_client_is_counted_apart(client, alice):
    for _ in range(3):
        attempt(client, "wrong", PROXY, forwarded="203.0.113.7")
    assert attempt(client, PASSWORD, PROXY, forwarded="203.0.113.7").status_code == 429
    # Another office behind the same proxy is not locked out by the first one's mistakes.
    assert attempt(client, PASSWORD, PROXY, forwarded="198.51.100.20").status_code == 302


def test_the_header_is_read_from_the_right_past_the_trusted_proxies(client, alice):
    # The client wrote a fake first hop; the proxies appended the real one and their own.
    for fake in ("1.1.1.1", "2.2.2.2", "3.3.3.3"):
        attempt(client, "wrong", PROXY, forwarded=f"{fake}, 203.0.113.7, 10.0.0.9")
    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"
    assert attempt(client, PASSWORD, PROXY, forwarded="9.9.9.9, 203.0.113.7").status_code == 429


def test_the_header_is_ignored_from_an_untrusted_address(client, alice):
    for fake in ("1.1.1.1", "2.2.2.2", "3.3.3.3"):
        attempt(client, "wrong", "192.0.2.50", forwarded=fake)
    assert AccessAttempt.objects.get().ip_address == "192.0.2.50"
    assert attempt(client, PASSWORD, "192.0.2.50", forwarded="4.4.4.4").status_code == 429


def test_failures_from_many_addresses_lock_the_account(client, alice):
    # Two failures from each of four addresses: under the per-address limit every time.
    for n in range(4):
        for _ in range(2):
            attempt(client, "wrong", f"192.0.2.{n + 1}")
    assert attempt(client, PASSWORD, "192.0.2.200").status_code == 429
    assert "_auth_user_id" not in client.session
    # Other accounts are not affected.
    UserFactory(username="bob", password=PASSWORD)
    assert attempt(client, PASSWORD, "192.0.2.200", username="bob").status_code == 302


def expected_time(settings):
    latest = AccessAttempt.objects.latest("attempt_time").attempt_time
    return timezone.localtime(latest + settings.AXES_COOLOFF_TIME)


@pytest.mark.parametrize("language, words", [
    ("vi", "Hãy thử lại sau {time} ngày {date}"),
    ("en", "Try again after {time} on {date}"),
])
def test_the_lockout_page_says_when_to_try_again(client, alice, settings, language, words):
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
    with translation.override(language):
        for _ in range(3):
            attempt(client, "wrong", "192.0.2.1")
        response = attempt(client, PASSWORD, "192.0.2.1")
    assert response.status_code == 429
    until = expected_time(settings)
    page = " ".join(response.content.decode().split())
    assert words.format(time=until.strftime("%H:%M"), date=until.strftime("%d/%m/%Y")) in page


@pytest.fixture
def administrator(client, db):
    user = UserFactory(username="quantri", role="admin", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def test_an_administrator_unlocks_an_account_from_the_user_list(client, alice, administrator):
    other = client.__class__()
    for _ in range(3):
        attempt(other, "wrong", "192.0.2.1")
    assert attempt(other, PASSWORD, "192.0.2.1").status_code == 429

    changelist = reverse("admin:agencies_user_changelist")
    assert "unlock_login" in client.get(changelist).content.decode()
    response = client.post(changelist, {"action": "unlock_login", "_selected_action": [alice.pk]},
                           follow=True)
    assert "Login unlocked" in response.content.decode() or "mở khóa" in (
        response.content.decode()
    )
    assert attempt(other, PASSWORD, "192.0.2.1").status_code == 302


def test_the_admin_index_links_to_the_failed_login_records(client, administrator, alice):
    attempt(client.__class__(), "wrong", "192.0.2.1")
    index = client.get(reverse("admin:index")).content.decode()
    url = reverse("admin:axes_accessattempt_changelist")
    assert f'href="{url}"' in index
    assert "alice" in client.get(url).content.decode()
