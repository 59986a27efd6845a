"""Events notified as they happen, once the change commits."""

import pytest
from django.db import transaction

from notifications.kinds import Kind
from notifications.models import Notification
from plans.services import issue_plan
from tasks.services import dissolve_agency, set_task_agencies
from tests.factories import AgencyFactory, PlanFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_an_issued_plan_tells_the_addressed_agencies_officers(
    province, justice, officer, outsider, django_capture_on_commit_callbacks,
):
    plan = PlanFactory(issuer=province, status="draft", title="Kế hoạch CCHC 2026")
    plan.addressed_agencies.add(justice)
    with django_capture_on_commit_callbacks(execute=True):
        issue_plan(plan=plan)
    [item] = Notification.objects.all()
    assert (item.recipient, item.kind, item.url) == (officer, Kind.PLAN_ISSUED,
                                                     f"/plans/{plan.pk}/")
    assert "Kế hoạch CCHC 2026" in item.subject


def test_a_rolled_back_change_notifies_nobody(
    province, justice, officer, django_capture_on_commit_callbacks,
):
    plan = PlanFactory(issuer=province, status="draft")
    plan.addressed_agencies.add(justice)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        issue_plan(plan=plan)
        raise RuntimeError
    assert not Notification.objects.exists()


def test_a_dissolved_agencys_assignments_are_announced_to_the_successor(
    province, justice, officer, django_capture_on_commit_callbacks,
):
    plan = PlanFactory(issuer=province, status="issued")
    old = AgencyFactory(name="Sở Cũ", code="OLD", parent=province)
    UserFactory(username="old", agency=old)
    task = TaskFactory(plan=plan, number=3)
    set_task_agencies(task=task, leads=[old])
    with django_capture_on_commit_callbacks(execute=True):
        dissolve_agency(agency=old, successor=justice)
    [item] = Notification.objects.filter(kind=Kind.TASK_MOVED)
    assert item.recipient == officer and "Sở Cũ" in item.subject
