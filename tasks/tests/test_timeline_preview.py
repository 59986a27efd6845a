import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def preview(client, **params):
    return client.get(reverse("tasks:timeline_preview"), params)


def test_a_quarter_resolves_to_its_last_day(client, coordinator, draft_plan):
    client.force_login(coordinator)

    data = preview(client, text="Quý II/2022", plan=draft_plan.pk).json()

    assert data == {
        "kind": "due",
        "due_date": "30/06/2022",
        "checkpoints": [],
        "needs_review": False,
        "message": "Due 30/06/2022.",
    }


def test_an_unknown_phrase_needs_review(client, coordinator, draft_plan):
    client.force_login(coordinator)

    data = preview(client, text="Khi nào có kinh phí", plan=draft_plan.pk).json()

    assert data["kind"] == "unknown"
    assert data["needs_review"] is True
    assert data["due_date"] is None
    assert data["message"] == "Cannot read this timeline — needs review by a person."


def test_recurring_uses_the_plans_years(client, coordinator, draft_plan):
    client.force_login(coordinator)

    data = preview(client, text="Định kỳ hàng quý", plan=draft_plan.pk).json()

    assert data["checkpoints"] == ["31/03/2022", "30/06/2022", "30/09/2022", "31/12/2022"]
    assert data["message"] == "Recurring every quarter: 4 checkpoints, the last on 31/12/2022."


def test_bad_plan_ids_are_404(client, coordinator):
    client.force_login(coordinator)

    assert preview(client, text="Quý I", plan="abc").status_code == 404
    assert preview(client, text="Quý I", plan="99999").status_code == 404


def test_preview_is_for_coordinators(client, officer, draft_plan):
    client.force_login(officer)

    assert preview(client, text="Quý I/2022", plan=draft_plan.pk).status_code == 403
