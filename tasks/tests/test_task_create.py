import datetime

import pytest
from django.urls import reverse

from tasks.models import AssignmentRole, Task
from tests.factories.tasks import make_task

pytestmark = pytest.mark.django_db


def create(client, plan, **data):
    return client.post(reverse("tasks:task_create", args=[plan.pk]), data)


def test_form_offers_agencies_groups_and_the_timeline_preview(
    client, coordinator, draft_plan, justice, district_group
):
    client.force_login(coordinator)

    html = client.get(reverse("tasks:task_create", args=[draft_plan.pk])).content.decode()

    assert f'<input type="checkbox" name="leads" value="{justice.pk}"' in html
    assert f'<input type="checkbox" name="coordinators" value="{justice.pk}"' in html
    assert "UBND các huyện, thị xã, thành phố" in html
    assert "js/agency-picker.js" in html
    assert f'data-timeline-preview="{reverse("tasks:timeline_preview")}"' in html
    assert "js/tasks.js" in html


def test_create_with_a_group_lead_fans_out_to_every_member(
    client, coordinator, draft_plan, justice, district_group, districts
):
    make_task(draft_plan, "Quý II/2022", number=1)
    client.force_login(coordinator)

    response = create(
        client, draft_plan,
        title="Tuyên truyền trên hệ thống loa truyền thanh cơ sở",
        forms="Loa truyền thanh\nPa nô",
        lead_groups=[district_group.pk],
        coordinators=[justice.pk],
        timeline_text="Quý II/2022",
        budget_estimate="15000000",
        expected_output="Tin bài",
    )

    assert response.status_code == 302
    task = Task.objects.get(plan=draft_plan, number=2)
    assert task.title == "Tuyên truyền trên hệ thống loa truyền thanh cơ sở"
    assert task.due_date == datetime.date(2022, 6, 30)
    assert task.budget_estimate == 15_000_000
    leads = task.assignments.filter(role=AssignmentRole.LEAD)
    assert {a.agency for a in leads} == set(districts)
    assert all(a.via_group == district_group for a in leads)
    assert task.assignments.get(role=AssignmentRole.COORDINATOR).agency == justice
    page = client.get(response["Location"]).content.decode()
    assert "Task 2 has been added." in page


def test_create_keeps_an_unknown_timeline_flagged_for_review(client, coordinator, draft_plan):
    client.force_login(coordinator)

    create(client, draft_plan, title="Việc mới", timeline_text="Khi có yêu cầu của tỉnh")

    task = Task.objects.get(plan=draft_plan)
    assert task.timeline_text == "Khi có yêu cầu của tỉnh"
    assert task.needs_review
    html = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert "Cannot read this timeline — needs review by a person." in html


def test_a_due_date_set_by_hand_wins(client, coordinator, draft_plan):
    client.force_login(coordinator)

    create(client, draft_plan, title="Theo đề án", timeline_text="Theo tiến độ Đề án",
           due_date="2022-09-15")

    task = Task.objects.get(plan=draft_plan)
    assert (task.schedule_kind, task.due_date, task.due_date_set_by_hand) == (
        "follows", datetime.date(2022, 9, 15), True,
    )


def test_create_errors_are_shown_and_nothing_is_saved(client, coordinator, draft_plan, justice):
    client.force_login(coordinator)

    response = create(
        client, draft_plan, title="", notes="Ghi chú của tôi", leads=[justice.pk],
        coordinators=[justice.pk], budget_estimate="-5",
    )

    html = response.content.decode()
    assert "This field is required." in html
    assert "An agency cannot both lead and coordinate: Sở Tư pháp." in html
    assert "Ensure this value is greater than or equal to 0." in html
    assert "Ghi chú của tôi" in html
    assert not Task.objects.exists()


def test_an_issued_plan_refuses_new_tasks(client, coordinator, issued_plan):
    client.force_login(coordinator)

    page = client.get(reverse("tasks:task_create", args=[issued_plan.pk])).content.decode()
    response = create(client, issued_plan, title="Việc thêm sau khi ban hành")

    assert "its key tasks are frozen" in page
    assert response.status_code == 302
    assert not Task.objects.exists()
    assert "its key tasks are frozen" in client.get(response["Location"]).content.decode()
