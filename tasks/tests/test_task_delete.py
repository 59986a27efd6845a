import pytest
from django.urls import reverse

from tasks.models import Status, Task
from tasks.services import post_update
from tests.factories.tasks import make_task

pytestmark = pytest.mark.django_db


def test_delete_asks_for_confirmation_first(client, coordinator, draft_plan):
    task = make_task(draft_plan, "Quý II/2022", number=1, title="Việc sẽ bỏ")
    client.force_login(coordinator)

    html = client.get(reverse("tasks:task_delete", args=[task.pk])).content.decode()

    assert "Remove task 1?" in html
    assert "Việc sẽ bỏ" in html
    assert Task.objects.filter(pk=task.pk).exists()


def test_delete_removes_the_task_and_renumbers_the_rest(client, coordinator, draft_plan, justice):
    tasks = [make_task(draft_plan, "Quý II/2022", number=n, title=f"Việc {n}", leads=[justice])
             for n in (1, 2, 3, 4)]
    client.force_login(coordinator)

    response = client.post(reverse("tasks:task_delete", args=[tasks[1].pk]))

    assert response.status_code == 302
    remaining = list(draft_plan.tasks.order_by("number").values_list("number", "title"))
    assert remaining == [(1, "Việc 1"), (2, "Việc 3"), (3, "Việc 4")]
    assert "Task 2 has been removed." in client.get(response["Location"]).content.decode()


def test_a_task_with_progress_is_not_deleted(client, coordinator, draft_plan, justice):
    task = make_task(draft_plan, "Quý II/2022", number=1, leads=[justice])
    post_update(assignment=task.assignments.get(), author=coordinator,
                status=Status.IN_PROGRESS, percent=10, narrative="Đã bắt đầu")
    client.force_login(coordinator)

    page = client.get(reverse("tasks:task_delete", args=[task.pk])).content.decode()
    response = client.post(reverse("tasks:task_delete", args=[task.pk]))

    assert "cannot be removed" in page
    assert Task.objects.filter(pk=task.pk).exists()
    assert "has progress updates and cannot be removed" in client.get(
        response["Location"]
    ).content.decode()


def test_issued_plan_tasks_are_not_deleted(client, coordinator, assigned_task):
    client.force_login(coordinator)

    response = client.post(reverse("tasks:task_delete", args=[assigned_task.pk]))

    assert response.status_code == 302
    assert Task.objects.filter(pk=assigned_task.pk).exists()
