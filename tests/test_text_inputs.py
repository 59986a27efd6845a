"""Every form of the project cleans text the same way (cchc_plans/text.py): a required text of
invisible characters is empty, bidi controls are removed, a text has a bound."""

import pytest
from django.test import Client
from django.urls import reverse

from plans.models import Plan
from tasks.models import Task
from tests.factories import PlanFactory, UserFactory

pytestmark = pytest.mark.django_db

INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u3164 "


@pytest.fixture
def coordinator_client(coordinator):
    client = Client(raise_request_exception=False)
    client.force_login(coordinator)
    return client


def plan_data(province, **extra):
    return {
        "issuer": province.pk, "title": "Tuyên truyền cải cách hành chính năm 2025",
        "document_number": "12/KH-UBND", "period_start_year": "2025", "period_end_year": "2025",
        **extra,
    }


def test_a_plan_titled_with_zero_width_characters_is_refused(coordinator_client, province):
    data = plan_data(province, title=INVISIBLE)

    response = coordinator_client.post(reverse("plans:create"), data)

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["title"]
    assert not Plan.objects.exists()


def test_a_plan_title_loses_its_bidi_controls(coordinator_client, province):
    title = "Tuyên truyền \u202e5202 măn\u202c cải cách hành chính"

    response = coordinator_client.post(reverse("plans:create"), plan_data(province, title=title))

    assert response.status_code == 302
    assert Plan.objects.get().title == "Tuyên truyền 5202 măn cải cách hành chính"


def test_a_task_titled_with_zero_width_characters_is_refused(coordinator_client, province):
    plan = PlanFactory(issuer=province, status="draft", period_start_year=2022)

    response = coordinator_client.post(
        reverse("tasks:task_create", args=[plan.pk]), {"title": INVISIBLE}
    )

    assert response.status_code == 200
    assert "title" in response.context["form"].errors
    assert not Task.objects.exists()


def test_the_admin_cleans_text_too(province):
    admin = UserFactory(username="quantri", is_staff=True, is_superuser=True, role="")
    client = Client(raise_request_exception=False)
    client.force_login(admin)
    agency = province

    response = client.post(
        reverse("admin:agencies_agency_change", args=[agency.pk]),
        {"name": INVISIBLE, "code": agency.code, "kind": agency.kind},
    )

    assert response.status_code == 200
    assert "name" in response.context["adminform"].form.errors
    agency.refresh_from_db()
    assert agency.name == "Ủy ban nhân dân tỉnh Khánh Hòa"
