import pytest
from django.urls import reverse

from tests.factories.tasks import make_task

pytestmark = pytest.mark.django_db


def test_plan_tasks_lists_tasks_with_agencies_and_actions(
    client, coordinator, draft_plan, justice, health, district_group, districts
):
    make_task(draft_plan, "Quý II/2022", number=1, title="Nhiệm vụ chủ trì nhóm",
              lead_groups=[district_group], coordinators=[justice])
    make_task(draft_plan, "khi nào xong", number=2, title="Nhiệm vụ không rõ tiến độ",
              leads=[health])
    client.force_login(coordinator)

    html = client.get(reverse("tasks:plan_tasks", args=[draft_plan.pk])).content.decode()

    assert "Nhiệm vụ chủ trì nhóm" in html
    assert "UBND các huyện, thị xã, thành phố" in html
    # A group is shown as the group, not as its fanned-out members.
    assert "Thành phố Nha Trang" not in html
    assert "Sở Tư pháp" in html
    assert "needs review" in html
    assert "30/06/2022" in html
    assert reverse("tasks:task_create", args=[draft_plan.pk]) in html
    assert 'value="up"' in html and 'value="down"' in html


def test_issued_plan_lists_tasks_without_editing(client, coordinator, issued_plan, justice):
    task = make_task(issued_plan, "Quý II/2022", number=1, title="Nhiệm vụ đã ban hành",
                     leads=[justice])
    client.force_login(coordinator)

    html = client.get(reverse("tasks:plan_tasks", args=[issued_plan.pk])).content.decode()

    assert "Nhiệm vụ đã ban hành" in html
    assert "its key tasks are frozen" in html
    assert reverse("tasks:task_edit", args=[task.pk]) not in html
    assert reverse("tasks:task_create", args=[issued_plan.pk]) not in html


def test_plan_tasks_empty_state(client, coordinator, draft_plan):
    client.force_login(coordinator)

    html = client.get(reverse("tasks:plan_tasks", args=[draft_plan.pk])).content.decode()

    assert "This plan has no key task yet." in html


def test_plan_tasks_is_for_coordinators(client, officer, leadership, draft_plan):
    for user in (officer, leadership):
        client.force_login(user)
        assert client.get(reverse("tasks:plan_tasks", args=[draft_plan.pk])).status_code == 403


def test_plan_tasks_unknown_plan_is_404(client, coordinator):
    client.force_login(coordinator)

    assert client.get(reverse("tasks:plan_tasks", args=[987654])).status_code == 404


@pytest.mark.parametrize("size", [1, 10])
def test_plan_tasks_query_count_does_not_grow(
    client, coordinator, draft_plan, justice, health, district_group, districts, size,
    django_assert_num_queries,
):
    for number in range(1, size + 1):
        make_task(draft_plan, "Quý II/2022", number=number, leads=[justice], coordinators=[health],
                  lead_groups=[district_group])
    client.force_login(coordinator)
    # session, user, plan, count of tasks, a page of tasks, their direct assignments with
    # agencies, their lead groups (the user comes with agency and permissions).
    with django_assert_num_queries(7):
        response = client.get(reverse("tasks:plan_tasks", args=[draft_plan.pk]))
    assert response.content.decode().count("UBND các huyện, thị xã, thành phố") == size
