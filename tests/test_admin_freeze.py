"""The admin keeps the rules of the plan pages: an issued plan and its tasks are frozen, the
status changes only through the issue, reopen and close services, a stale form is refused."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from cchc_plans.locking import STALE_MESSAGE
from plans.models import Plan
from tasks.models import Task
from tests.factories import UserFactory
from tests.factories.tasks import make_task

pytestmark = pytest.mark.django_db


def in_vietnamese(message):
    with translation.override("vi"):
        return escape(str(message))


@pytest.fixture
def staff_coordinator(client, home_affairs):
    """A coordinator with an admin account and no model permission: the rules decide."""
    user = UserFactory(username="alice", agency=home_affairs, role="coordinator", is_staff=True)
    client.force_login(user)
    return user


def change_data(client, url, **changes):
    """The change form as the admin shows it, with ``changes``, inlines included."""
    response = client.get(url)
    data = {}
    for form in [response.context["adminform"].form,
                 *(f.formset for f in response.context["inline_admin_formsets"])]:
        if hasattr(form, "management_form"):
            for name in form.management_form.fields:
                data[f"{form.prefix}-{name}"] = form.management_form[name].value()
            for inline_form in form.forms:
                for name in inline_form.fields:
                    value = inline_form[name].value()
                    if hasattr(value, "field"):
                        continue
                    data[inline_form.add_prefix(name)] = "" if value is None else value
        else:
            for name in form.fields:
                value = form[name].value()
                if hasattr(value, "field"):  # a file field: no new file uploaded
                    continue
                data[name] = "" if value is None else value
    data.update(changes)
    return {name: value for name, value in data.items() if value is not False}


def test_an_issued_plan_is_read_only_in_the_admin(client, staff_coordinator, plan):
    Plan.objects.filter(pk=plan.pk).update(status="issued")
    url = reverse("admin:plans_plan_change", args=[plan.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="title"' not in page.content.decode()
    before = Plan.objects.values().get(pk=plan.pk)

    response = client.post(url, {"title": "Tiêu đề sửa trong trang quản trị", "status": "draft"})

    assert response.status_code == 403
    assert Plan.objects.values().get(pk=plan.pk) == before


def test_a_task_of_an_issued_plan_is_read_only_in_the_admin(client, staff_coordinator, plan,
                                                             justice):
    task = make_task(plan, leads=[justice], title="Đăng tin trên Cổng thông tin")
    Plan.objects.filter(pk=plan.pk).update(status="issued")
    url = reverse("admin:tasks_task_change", args=[task.pk])
    assert 'name="title"' not in client.get(url).content.decode()
    before = Task.objects.values().get(pk=task.pk)

    response = client.post(url, {"plan": plan.pk, "number": 1, "title": "Tiêu đề mới"})

    assert response.status_code == 403
    assert Task.objects.values().get(pk=task.pk) == before
    delete = client.post(reverse("admin:tasks_task_delete", args=[task.pk]), {"post": "yes"})
    assert delete.status_code == 403 and Task.objects.filter(pk=task.pk).exists()


def test_a_draft_plan_saved_in_the_admin_keeps_its_status_and_goes_through_the_service(
    client, staff_coordinator, plan
):
    url = reverse("admin:plans_plan_change", args=[plan.pk])
    data = change_data(client, url, title="Kế hoạch đã sửa", status="issued")

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    plan.refresh_from_db()
    assert (plan.title, plan.status, plan.version) == ("Kế hoạch đã sửa", "draft", 1)


def test_a_stale_admin_form_is_refused_and_the_first_save_kept(client, staff_coordinator, plan):
    url = reverse("admin:plans_plan_change", args=[plan.pk])
    data = change_data(client, url, title="Sửa sau")
    Plan.objects.filter(pk=plan.pk).update(title="Sửa trước", version=plan.version + 1)

    response = client.post(url, data, follow=True)

    assert in_vietnamese(STALE_MESSAGE) in response.content.decode()
    assert Plan.objects.get(pk=plan.pk).title == "Sửa trước"


def test_a_task_cannot_be_moved_into_an_issued_plan(client, staff_coordinator, plan, province,
                                                    justice):
    from tests.factories import PlanFactory

    issued = PlanFactory(issuer=province, status="issued", period_start_year=2022)
    task = make_task(plan, leads=[justice])
    url = reverse("admin:tasks_task_change", args=[task.pk])

    response = client.post(url, change_data(client, url, plan=issued.pk))

    assert response.status_code == 200 and "plan" in response.context["adminform"].form.errors
    assert Task.objects.get(pk=task.pk).plan == plan


def test_status_changes_through_the_admin_actions_and_their_services(client, staff_coordinator,
                                                                     plan):
    changelist = reverse("admin:plans_plan_changelist")
    for action, status in [("issue", "issued"), ("close", "closed"), ("reopen", "draft")]:
        client.post(changelist, {"action": action, "_selected_action": [plan.pk]})
        plan.refresh_from_db()
        assert plan.status == status
    assert [record.history_change_reason for record in plan.history.order_by("history_id")][
        -3:] == ["issued", "closed", "reopened"]
    response = client.post(changelist, {"action": "close", "_selected_action": [plan.pk]},
                           follow=True)
    with translation.override("vi"):
        refusal = escape(str(_("%(plan)s: not possible while the plan is %(status)s.") % {
            "plan": plan, "status": plan.get_status_display()}))
    assert refusal in response.content.decode()
    assert Plan.objects.get(pk=plan.pk).status == "draft"


def test_read_only_administrators_have_no_status_actions(client, plan, home_affairs):
    client.force_login(UserFactory(username="it", agency=home_affairs, role="admin",
                                   is_staff=True))
    client.post(reverse("admin:plans_plan_changelist"),
                {"action": "issue", "_selected_action": [plan.pk]})
    assert Plan.objects.get(pk=plan.pk).status == "draft"
