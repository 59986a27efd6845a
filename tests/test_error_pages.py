"""Error pages are the application's own, in the page's language, and say where to go."""

import pytest
from django.test import Client, RequestFactory
from django.utils import translation

from cchc_plans import errors

pytestmark = pytest.mark.django_db

LANGUAGES = {
    "vi": {"prefix": "", "home": "Về trang chủ", "nav": "Kế hoạch"},
    "en": {"prefix": "/en", "home": "Go to the home page", "nav": "Plans"},
}
HEADINGS = {
    400: {"vi": "Yêu cầu không hợp lệ", "en": "The request could not be understood"},
    403: {"vi": "Bạn không có quyền làm việc này", "en": "You may not do this"},
    404: {"vi": "Không tìm thấy trang", "en": "Page not found"},
    500: {"vi": "Đã có lỗi xảy ra", "en": "Something went wrong"},
    "csrf": {"vi": "Không thể nhận biểu mẫu", "en": "The form could not be accepted"},
}


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.error_urls"


def page(response):
    return response.content.decode()


def assert_own_page(response, language, status, heading):
    text = page(response)
    assert response.status_code == status
    assert f'<html lang="{language}">' in text
    assert "app.css" in text  # the application's layout, not Django's bare page
    assert HEADINGS[heading][language] in text
    assert LANGUAGES[language]["home"] in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_404_is_the_applications_page_with_navigation(client, officer, language):
    client.force_login(officer)

    response = client.get(f"{LANGUAGES[language]['prefix']}/plans/999999/")

    assert_own_page(response, language, 404, 404)
    assert LANGUAGES[language]["nav"] in page(response)  # the menu of a logged-in user


@pytest.mark.parametrize("language", LANGUAGES)
def test_404_for_an_anonymous_visitor_offers_to_log_in(client, language):
    response = client.get(f"{LANGUAGES[language]['prefix']}/no-such-page/")

    assert_own_page(response, language, 404, 404)
    assert 'href="' + LANGUAGES[language]["prefix"] + '/accounts/login/"' in page(response)


@pytest.mark.parametrize("language", LANGUAGES)
def test_403_says_the_account_may_not_and_offers_the_way_back(client, officer, language):
    client.force_login(officer)
    prefix = LANGUAGES[language]["prefix"]

    response = client.get(f"{prefix}/plans/new/", HTTP_REFERER=f"http://testserver{prefix}/plans/")

    assert_own_page(response, language, 403, 403)
    assert f'href="http://testserver{prefix}/plans/"' in page(response)


def test_403_offers_no_way_back_to_another_site(client, officer):
    client.force_login(officer)

    response = client.get("/plans/new/", HTTP_REFERER="https://evil.example/")

    assert response.status_code == 403
    assert "evil.example" not in page(response)


@pytest.mark.parametrize("language", LANGUAGES)
def test_400_is_the_applications_page(client, language):
    response = client.get(
        f"{LANGUAGES[language]['prefix']}/", HTTP_HOST="unknown.example",
        HTTP_REFERER="http://unknown.example/plans/",
    )

    assert_own_page(response, language, 400, 400)
    assert "unknown.example" not in page(response)


@pytest.mark.parametrize("language", LANGUAGES)
def test_500_is_the_applications_page(language):
    client = Client(raise_request_exception=False)

    response = client.get(f"{LANGUAGES[language]['prefix']}/broken/")

    assert_own_page(response, language, 500, 500)


def test_500_page_renders_without_the_database(django_assert_num_queries):
    request = RequestFactory().get("/broken/")

    with translation.override("vi"), django_assert_num_queries(0):
        response = errors.server_error(request)

    assert response.status_code == 500
    assert HEADINGS[500]["vi"] in page(response)


@pytest.mark.parametrize("language", LANGUAGES)
def test_csrf_failure_explains_and_keeps_the_layout(officer, language):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    client.cookies["csrftoken"] = "x" * 32

    response = client.post(f"{LANGUAGES[language]['prefix']}/accounts/logout/")

    assert_own_page(response, language, 403, "csrf")
    assert "Forbidden" not in page(response)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_form_beyond_the_upload_limit_gets_a_page_explaining_how_to_go_back(
    settings, officer, language
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client = Client(raise_request_exception=False)
    client.force_login(officer)
    prefix = LANGUAGES[language]["prefix"]

    response = client.post(
        f"{prefix}/accounts/password_change/", {"old_password": "x" * 20_000},
        HTTP_REFERER=f"http://testserver{prefix}/accounts/password_change/",
    )

    assert response.status_code == 400
    text = page(response)
    assert {"vi": "Dữ liệu gửi đi quá lớn", "en": "What you sent is too large"}[language] in text
    assert {"vi": "9,8\xa0KB", "en": "9.8\xa0KB"}[language] in text
    assert f'href="http://testserver{prefix}/accounts/password_change/"' in text
