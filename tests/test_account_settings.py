"""Mail and cache settings read from the environment (cchc_plans/settings.py)."""

import os
import subprocess
import sys

import django_cache_url
import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from cchc_plans import settings as project_settings
from cchc_plans.throttle import within_limit

SMTP = "django.core.mail.backends.smtp.EmailBackend"


@pytest.fixture
def clean_mail_environment(monkeypatch):
    for name in ("EMAIL_URL", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER",
                 "EMAIL_HOST_PASSWORD", "EMAIL_USE_TLS", "EMAIL_USE_SSL", "EMAIL_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_email_url_gives_the_smtp_mailer(clean_mail_environment):
    clean_mail_environment.setenv(
        "EMAIL_URL", "smtp://cchc%40snv:p%40ss@mail.khanhhoa.gov.vn:587/?tls=True"
    )
    assert project_settings.mailer_from_environment() == {"BACKEND": SMTP, "OPTIONS": {
        "host": "mail.khanhhoa.gov.vn", "port": 587, "username": "cchc@snv",
        "password": "p@ss", "use_tls": True, "use_ssl": False, "timeout": 30,
    }}


def test_email_host_and_its_companions_give_the_smtp_mailer(clean_mail_environment):
    clean_mail_environment.setenv("EMAIL_HOST", "mail.khanhhoa.gov.vn")
    clean_mail_environment.setenv("EMAIL_USE_SSL", "1")
    clean_mail_environment.setenv("EMAIL_HOST_USER", "cchc")
    options = project_settings.mailer_from_environment()["OPTIONS"]
    assert (options["host"], options["port"], options["use_ssl"], options["username"]) == (
        "mail.khanhhoa.gov.vn", 465, True, "cchc")


def test_without_mail_settings_development_prints_mails(clean_mail_environment):
    assert project_settings.DEBUG
    assert project_settings.mailer_from_environment() == {
        "BACKEND": "django.core.mail.backends.console.EmailBackend"}


@pytest.mark.parametrize("name, value", [
    ("EMAIL_URL", "gopher://mail.example.org"),
    ("EMAIL_PORT", "twenty-five"),
])
def test_bad_mail_settings_fail_loudly(clean_mail_environment, name, value):
    clean_mail_environment.setenv("EMAIL_HOST", "mail.khanhhoa.gov.vn")
    clean_mail_environment.setenv(name, value)
    with pytest.raises(ImproperlyConfigured):
        project_settings.mailer_from_environment()


@pytest.mark.parametrize("environment, message", [
    ({"SITE_URL": "cchc.example.gov.vn"}, "SITE_URL"),
    ({"TRUSTED_PROXIES": "10.0.0.0/8,not-an-address"}, "TRUSTED_PROXIES"),
    ({"SESSION_IDLE_MINUTES": "0"}, "SESSION_IDLE_MINUTES"),
])
def test_bad_account_settings_stop_the_start(environment, message):
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=settings.BASE_DIR,
        env={**os.environ, **environment}, capture_output=True, text=True, check=False,
    )
    assert result.returncode != 0 and message in result.stderr


@pytest.mark.django_db
def test_the_default_cache_is_shared_through_the_database():
    assert settings.CACHES["default"]["BACKEND"] == (
        "django.core.cache.backends.db.DatabaseCache")
    assert [within_limit("probe", 2) for _ in range(3)] == [True, True, False]


def test_redis_url_counts_in_redis(settings):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings.CACHES = {"default": django_cache_url.parse("redis://127.0.0.1:6379/15")}
    from django.core.cache import cache

    cache.delete("probe-redis")
    assert [within_limit("probe-redis", 1) for _ in range(2)] == [True, False]
    cache.delete("probe-redis")
