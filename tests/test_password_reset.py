"""Password reset: a real mail through a real SMTP server, the same answer for every address,
limits per address and per client, pages and mails in the user's language."""

import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from tests.factories import UserFactory
from tests.mailbox import parts_of

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
NEW_PASSWORD = "mật khẩu mới rất dài 2024"


def request_reset(client, address, language="en", **extra):
    with translation.override(language):
        return client.post(reverse("password_reset"), {"email": address}, **extra)


# The worker runs the queued task as it would in production (its own transactions).
@pytest.mark.django_db(transaction=True)
def test_a_reset_mail_goes_through_smtp_and_its_link_sets_a_new_password(client, smtp_server,
                                                                        settings):
    settings.SITE_URL = "https://cchc.example.gov.vn"
    UserFactory(username="alice", email="alice@snv.khanhhoa.gov.vn", first_name="Lan")
    response = request_reset(client, "Alice@SNV.khanhhoa.gov.vn")
    assert response["Location"] == "/en/accounts/password_reset/done/"
    assert smtp_server.messages == []  # sent by the worker, not by the request

    call_command("db_worker", batch=True, no_startup_delay=True, stdout=StringIO(),
                 stderr=StringIO())
    [(recipients, raw)] = smtp_server.messages
    assert recipients == ["alice@snv.khanhhoa.gov.vn"]
    message, text, html = parts_of(raw)
    assert message["Subject"] == "CCHC plans: choose a new password"
    assert message["From"] == settings.DEFAULT_FROM_EMAIL
    link = re.search(r"https://cchc\.example\.gov\.vn(/en/accounts/reset/\S+/)", text).group(1)
    assert f'href="https://cchc.example.gov.vn{link}"' in html

    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    response = client.post(form_page.redirect_chain[-1][0], {
        "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD,
    })
    assert response["Location"] == "/en/accounts/reset/done/"
    client.logout()
    response = client.post(reverse("login"), {"username": "alice", "password": NEW_PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in client.session
    # The link works once.
    assert "This link no longer works" in client.get(link, follow=True).content.decode()


def test_known_and_unknown_addresses_get_the_same_answer_and_the_same_work(client):
    UserFactory(username="alice", email="alice@snv.khanhhoa.gov.vn")
    known = request_reset(client, "alice@snv.khanhhoa.gov.vn")
    unknown = request_reset(client, "nobody@snv.khanhhoa.gov.vn")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    # Each request queues one task; the address is looked up only by the worker.
    assert DBTaskResult.objects.count() == 2
    assert len(mail.outbox) == 0


@override_settings(TASKS=IMMEDIATE)
def test_the_mail_is_in_vietnamese_when_asked_from_the_vietnamese_pages(client):
    UserFactory(username="alice", email="alice@snv.khanhhoa.gov.vn")
    request_reset(client, "alice@snv.khanhhoa.gov.vn", language="vi")
    [message] = mail.outbox
    assert message.subject == "Kế hoạch CCHC: đặt mật khẩu mới"
    assert "Để đặt mật khẩu mới, vui lòng mở đường dẫn sau:" in message.body
    assert re.search(r"http://testserver/accounts/reset/\S+/", message.body)
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "Đặt mật khẩu mới</a>" in html


@override_settings(TASKS=IMMEDIATE)
def test_at_most_three_mails_an_hour_go_to_one_address(client, settings):
    settings.PASSWORD_RESET_PER_ADDRESS = 3
    UserFactory(username="alice", email="alice@snv.khanhhoa.gov.vn")
    answers = {request_reset(client, "alice@snv.khanhhoa.gov.vn")["Location"] for _ in range(5)}
    assert answers == {"/en/accounts/password_reset/done/"}
    assert len(mail.outbox) == 3


def test_one_client_may_ask_ten_times_an_hour(client, settings):
    settings.PASSWORD_RESET_PER_CLIENT = 10
    for n in range(10):
        request_reset(client, f"user{n}@example.org", REMOTE_ADDR="192.0.2.8")
    response = request_reset(client, "user10@example.org", REMOTE_ADDR="192.0.2.8")
    assert response.status_code == 429
    assert "Too many password reset requests" in response.content.decode()
    assert DBTaskResult.objects.count() == 10
    # Another client is not affected.
    assert request_reset(client, "user11@example.org", REMOTE_ADDR="192.0.2.9").status_code == 302


@pytest.mark.parametrize("language, link_text, heading", [
    ("vi", "Quên mật khẩu?", "Đặt lại mật khẩu"),
    ("en", "Forgot your password?", "Reset your password"),
])
def test_the_login_page_links_to_the_reset_page(client, language, link_text, heading):
    with translation.override(language):
        login, reset = reverse("login"), reverse("password_reset")
    html = client.get(login).content.decode()
    assert f'<a href="{reset}">{link_text}</a>' in html
    assert heading in client.get(reset).content.decode()
