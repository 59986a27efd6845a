"""Passwords are hashed with Argon2id at OWASP's parameters, cheap enough for a whole office
logging in at once; a password stored with Django's former default is upgraded at login."""

import pytest
from django.conf import settings as project_settings
from django.contrib.auth.hashers import make_password
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PROJECT_HASHERS = project_settings.PASSWORD_HASHERS  # before conftest's fast test hasher


@pytest.fixture
def real_hashers(settings):
    settings.PASSWORD_HASHERS = PROJECT_HASHERS


def test_a_pbkdf2_password_is_upgraded_to_argon2id_at_login(client, justice, real_hashers):
    user = UserFactory(username="bob", agency=justice)
    user.password = make_password("mật khẩu đủ dài 2024",
                                  hasher="pbkdf2_sha256")
    user.save()

    response = client.post(reverse("login"), {"username": "bob",
                                              "password": "mật khẩu đủ dài 2024"})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert user.check_password("mật khẩu đủ dài 2024")
