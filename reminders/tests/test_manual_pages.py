"""Reminding an agency from a task page and from the completeness matrix (đôn đốc)."""

import pytest
from django.urls import reverse

from notifications.models import Notification
from plans.models import Reminder
from tests.factories.plans import vi
from tests.factories.tasks import make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(plan, justice):
    plan.status = "issued"
    plan.reporting_periods = ["Q1"]
    plan.save()
    plan.addressed_agencies.add(justice)
    return plan


def test_a_task_page_reminds_the_agency_of_its_part(client, coordinator, officer, issued,
                                                    justice):
    task = make_task(issued, "Quý I/2022", leads=[justice])
    assignment = task.assignments.get()
    client.force_login(coordinator)
    page = client.get(reverse("tasks:detail", args=[task.pk]))
    action = reverse("tasks:assignment_remind", args=[assignment.pk])
    assert action in page.text
    response = client.post(action, {"message": "Khẩn trương hoàn thành."}, follow=True)
    reminder = Reminder.objects.get()
    assert (reminder.agency, reminder.topic) == (justice, f"task:{task.pk}")
    [notification] = Notification.objects.all()
    assert notification.recipient == officer
    assert task.title in notification.subject and "Khẩn trương hoàn thành." in notification.body
    assert "Đã đôn đốc" in response.text and "bởi alice" in response.text
    # The officer sees who reminded on the row, but no button.
    client.force_login(officer)
    page = client.get(reverse("tasks:detail", args=[task.pk]))
    assert "bởi alice" in page.text and action not in page.text


def test_a_finished_assignment_is_not_reminded(client, coordinator, officer, issued, justice):
    task = make_task(issued, "Quý I/2022", leads=[justice])
    assignment = task.assignments.get()
    assignment.status = "done"
    assignment.save()
    client.force_login(coordinator)
    response = client.post(reverse("tasks:assignment_remind", args=[assignment.pk]),
                           follow=True)
    assert vi("This work is finished or not in force: nothing to remind.") in response.text
    assert not Reminder.objects.exists() and not Notification.objects.exists()


def test_the_matrix_reminds_an_agency_of_its_missing_reports(client, coordinator, officer,
                                                             issued, justice):
    client.force_login(coordinator)
    matrix = reverse("periodic:completeness", args=[issued.pk])
    action = reverse("periodic:completeness_remind", args=[issued.pk, justice.pk])
    assert action in client.get(matrix, {"year": 2022}).text
    response = client.post(f"{action}?year=2022", follow=True)
    assert response.redirect_chain[-1][0] == f"{matrix}?year=2022"
    assert Reminder.objects.get().topic == "reports"
    [notification] = Notification.objects.all()
    assert notification.recipient == officer and "Quý I/2022" in notification.body
    # Again within the hour: refused, nothing more sent.
    response = client.post(action, follow=True)
    assert Reminder.objects.count() == 1 and Notification.objects.count() == 1
    assert "có thể đôn đốc lại từ" in response.text
