import pytest
from django.urls import reverse

from tasks.services import move_task
from tests.factories.tasks import make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_tasks(draft_plan):
    return [make_task(draft_plan, "Quý II/2022", number=n, title=f"Việc {n}") for n in (1, 2, 3)]


def order(plan):
    return list(plan.tasks.order_by("number").values_list("title", flat=True))


def test_move_up_swaps_with_the_task_above(client, coordinator, draft_plan, three_tasks):
    client.force_login(coordinator)

    response = client.post(reverse("tasks:task_move", args=[three_tasks[2].pk]),
                           {"direction": "up"})

    assert response.status_code == 302
    assert order(draft_plan) == ["Việc 1", "Việc 3", "Việc 2"]
    assert list(draft_plan.tasks.values_list("number", flat=True).order_by("number")) == [1, 2, 3]


def test_move_down_and_at_the_edges(client, coordinator, draft_plan, three_tasks):
    client.force_login(coordinator)
    url = reverse("tasks:task_move", args=[three_tasks[0].pk])

    client.post(url, {"direction": "down"})
    assert order(draft_plan) == ["Việc 2", "Việc 1", "Việc 3"]

    # The last task cannot go further down; nothing changes.
    client.post(reverse("tasks:task_move", args=[three_tasks[2].pk]), {"direction": "down"})
    assert order(draft_plan) == ["Việc 2", "Việc 1", "Việc 3"]


def test_move_closes_gaps_in_the_numbering(draft_plan):
    tasks = [make_task(draft_plan, "Quý II/2022", number=n, title=f"Việc {n}") for n in (2, 5, 9)]

    move_task(task=tasks[0], direction="down")

    assert list(draft_plan.tasks.order_by("number").values_list("number", "title")) == [
        (1, "Việc 5"), (2, "Việc 2"), (3, "Việc 9"),
    ]


def test_a_bad_direction_is_reported(client, coordinator, draft_plan, three_tasks):
    client.force_login(coordinator)

    response = client.post(reverse("tasks:task_move", args=[three_tasks[1].pk]),
                           {"direction": "sideways"})

    assert order(draft_plan) == ["Việc 1", "Việc 2", "Việc 3"]
    assert "Choose whether to move the task up or down." in client.get(
        response["Location"]
    ).content.decode()


def test_issued_plan_tasks_do_not_move(client, coordinator, issued_plan):
    tasks = [make_task(issued_plan, "Quý II/2022", number=n, title=f"Việc {n}") for n in (1, 2)]
    client.force_login(coordinator)

    client.post(reverse("tasks:task_move", args=[tasks[1].pk]), {"direction": "up"})

    assert order(issued_plan) == ["Việc 1", "Việc 2"]
