import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def post_login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_with_right_password_reaches_the_role_home(client):
    UserFactory(username="alice", role="coordinator", password="correct horse battery")
    response = post_login(client, "alice", "correct horse battery")
    assert response.status_code == 302
    assert client.get(reverse("plans:list")).status_code == 200


def test_wrong_password_shows_the_form_again(client):
    UserFactory(username="alice", password="correct horse battery")
    response = post_login(client, "alice", "wrong")
    assert response.status_code == 200
    assert response.context["form"].errors


def test_repeated_wrong_passwords_lock_the_account_even_with_the_right_one(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(username="alice", password="correct horse battery")
    for _ in range(3):
        post_login(client, "alice", "wrong")
    response = post_login(client, "alice", "correct horse battery")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_username(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(username="alice", password="correct horse battery")
    UserFactory(username="bob", password="another good pass")
    for _ in range(3):
        post_login(client, "alice", "wrong")
    assert post_login(client, "bob", "another good pass").status_code == 302


def test_logout_ends_the_session(client):
    user = UserFactory(username="alice", role="coordinator")
    client.force_login(user)
    client.post(reverse("logout"))
    assert client.get(reverse("plans:list")).status_code == 302


def test_password_change_keeps_the_user_logged_in(client):
    user = UserFactory(username="alice", role="coordinator", password="correct horse battery")
    client.force_login(user)
    response = client.post(reverse("password_change"), {
        "old_password": "correct horse battery",
        "new_password1": "a much better secret 42",
        "new_password2": "a much better secret 42",
    })
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a much better secret 42")
    assert client.get(reverse("plans:list")).status_code == 200
