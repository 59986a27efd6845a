"""The admin as coordinators and administrators use it: plans, tasks, agencies, imports."""

import datetime
import io

import pytest
from django.urls import reverse

from agencies.models import Agency
from tasks.models import Assignment, Task
from tasks.resources import TaskResource
from tasks.services import schedule_task, set_task_agencies
from tests.factories import AgencyFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, home_affairs):
    user = UserFactory(username="quantri", agency=home_affairs, role="admin", is_staff=True,
                       is_superuser=True)
    client.force_login(user)
    return user


def test_plan_change_page_shows_its_tasks_inline(client, staff, plan):
    TaskFactory(plan=plan, number=1, title="Đối thoại với các doanh nghiệp, nhà đầu tư")
    response = client.get(reverse("admin:plans_plan_change", args=[plan.pk]))
    assert "Đối thoại với các doanh nghiệp, nhà đầu tư" in response.content.decode()


def test_plan_list_search_ignores_diacritics(client, staff, plan, province):
    plan.title = "Kế hoạch tuyên truyền cải cách hành chính năm 2022"
    plan.save()
    response = client.get(reverse("admin:plans_plan_changelist"), {"q": "cai cach hanh chinh"})
    assert plan.title in response.content.decode()
    response = client.get(reverse("admin:plans_plan_changelist"), {"q": "khong co"})
    assert plan.title not in response.content.decode()


def test_plan_list_filters_by_year(client, staff, plan):
    response = client.get(reverse("admin:plans_plan_changelist"), {"year": "2023"})
    assert response.context["cl"].result_count == 0
    response = client.get(reverse("admin:plans_plan_changelist"), {"year": "2022"})
    assert response.context["cl"].result_count == 1


def test_task_admin_edit_resolves_timeline_and_bumps_version(client, staff, task, justice):
    set_task_agencies(task=task, leads=[justice])
    url = reverse("admin:tasks_task_change", args=[task.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update({
        "timeline_text": "Quý III/2022", "lead_groups": [],
        "assignments-TOTAL_FORMS": "1", "assignments-INITIAL_FORMS": "1",
        "assignments-MIN_NUM_FORMS": "0", "assignments-MAX_NUM_FORMS": "1000",
        "assignments-0-id": task.assignments.get().pk, "assignments-0-task": task.pk,
        "assignments-0-agency": justice.pk, "assignments-0-role": "lead",
    })
    version = task.version
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    task.refresh_from_db()
    assert task.due_date == datetime.date(2022, 9, 30)
    assert task.version == version + 1


def test_dissolving_an_agency_in_the_admin_moves_its_open_work(client, staff, task, province):
    old = AgencyFactory(name="Sở Thông tin và Truyền thông", code="STTTT", parent=province)
    new = AgencyFactory(name="Sở Khoa học và Công nghệ", code="SKHCN", parent=province)
    schedule_task(task=task)
    set_task_agencies(task=task, leads=[old])
    url = reverse("admin:agencies_agency_dissolve", args=[old.pk])
    assert "1" in client.get(url).content.decode()
    response = client.post(url, {"successor": new.pk, "on": "01/03/2025", "confirm": "1"})
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.successor == new and old.dissolved_on == datetime.date(2025, 3, 1)
    assert Assignment.objects.get(task=task).agency == new


def test_dissolving_announces_what_moves_and_reports_the_same_with_the_reason(
    client, staff, plan, province
):
    old = AgencyFactory(name="Sở Thông tin và Truyền thông", code="STTTT", parent=province)
    new = AgencyFactory(name="Sở Khoa học và Công nghệ", code="SKHCN", parent=province)
    for number in (1, 2, 3):
        task = TaskFactory(plan=plan, number=number, title=f"Nhiệm vụ {number}")
        # The successor already leads task 3 alongside the old agency.
        set_task_agencies(task=task, leads=[old, new] if number == 3 else [old])
    url = reverse("admin:agencies_agency_dissolve", args=[old.pk])
    data = {"successor": new.pk, "on": "01/03/2025"}

    preview = client.post(url, data).content.decode()

    assert not Agency.objects.get(pk=old.pk).is_dissolved
    assert "2 nhiệm vụ được giao chưa hoàn thành sẽ chuyển sang Sở Khoa học và Công nghệ" in preview
    assert "1 nhiệm vụ được giao sẽ không chuyển mà được đóng lại" in preview
    assert f"nhiệm vụ 3 của {plan.title}" in preview
    response = client.post(url, {**data, "confirm": "1"}, follow=True)
    message = str(list(response.context["messages"])[0])
    assert "2 nhiệm vụ được giao chưa hoàn thành đã chuyển sang Sở Khoa học và Công nghệ" in message
    assert "1 nhiệm vụ được giao không chuyển mà được đóng lại" in message
    assert f"nhiệm vụ 3 của {plan.title}" in message
    assert Assignment.objects.filter(agency=new, transferred_from=old).count() == 2
    assert Assignment.objects.get(agency=old).status == "cancelled"


def test_dissolve_page_refuses_non_staff(client, officer, justice):
    client.force_login(officer)
    response = client.get(reverse("admin:agencies_agency_dissolve", args=[justice.pk]))
    assert response.status_code == 302
    assert not Agency.objects.get(pk=justice.pk).is_dissolved


def test_task_import_preview_lists_bad_rows_and_imports_nothing(client, staff, plan, home_affairs):
    plan.decision_number = "286/QĐ-UBND"
    plan.save()
    headers = [str(TaskResource().fields[name].column_name) for name in TaskResource.Meta.fields]
    rows = [
        "286/QĐ-UBND,1,Nhiệm vụ đúng,,SNV,,Quý I/2022,,",
        "286/QĐ-UBND,2,Nhiệm vụ sai,,Sở Không Tồn Tại,,Quý I/2022,,",
    ]
    upload = io.BytesIO("\n".join([",".join(headers), *rows]).encode())
    upload.name = "tasks.csv"
    response = client.post(reverse("admin:tasks_task_import"), {"import_file": upload},
                           follow=True)
    assert "Sở Không Tồn Tại" in response.content.decode()
    # With a bad row there is nothing to confirm: the preview offers no import button.
    assert response.context["job"].status == "rejected"
    assert "/confirm/" not in response.content.decode()
    assert Task.objects.count() == 0


def test_a_reminder_is_not_added_in_the_admin_even_by_a_superuser(client, staff, plan, justice):
    """A reminder is a mail sent from the plan's pages; the admin lists them only."""
    assert client.get(reverse("admin:plans_reminder_add")).status_code == 403
    response = client.post(reverse("admin:plans_reminder_add"), {
        "plan": plan.pk, "agency": justice.pk, "topic": "submission", "message": "Nhắc",
    })
    assert response.status_code == 403
    assert not plan.reminders.exists()
    listing = client.get(reverse("admin:plans_reminder_changelist")).content.decode()
    assert reverse("admin:plans_reminder_add") not in listing


def test_a_groups_province_is_chosen_among_provinces_not_every_agency(
    client, staff, province, justice, districts
):
    page = client.get(reverse("admin:agencies_agencygroup_add")).content.decode()
    select = page[page.index('name="province"'):]
    select = select[: select.index("</select>")]
    assert f'value="{province.pk}"' in select
    assert f'value="{justice.pk}"' not in select
    assert all(f'value="{district.pk}"' not in select for district in districts)


def test_the_dissolve_page_finds_the_successor_by_name_not_in_a_list_of_every_agency(
    client, staff, province
):
    old = AgencyFactory(name="Sở Thông tin và Truyền thông", code="STTTT", parent=province)
    new = AgencyFactory(name="Sở Khoa học và Công nghệ", code="SKHCN", parent=province)
    AgencyFactory(name="Sở Khoa học (đã giải thể)", code="SKHCU", parent=province,
                  dissolved_on=datetime.date(2024, 1, 1))
    for number in range(60):
        AgencyFactory(name=f"UBND xã số {number:02d}", code=f"XA{number:02d}", parent=province)
    url = reverse("admin:agencies_agency_dissolve", args=[old.pk])

    html = client.get(url).content.decode()

    assert html.count("<option") <= 1 and "UBND xã số 00" not in html
    assert 'data-ajax--url="/admin/autocomplete/"' in html and "select2" in html
    found = client.get(reverse("admin:autocomplete"), {
        "app_label": "agencies", "model_name": "agency", "field_name": "successor",
        "term": "khoa hoc",
    }).json()["results"]
    assert [item["id"] for item in found] == [str(new.pk)]  # the dissolved one not offered
    # The successor chosen is shown back when the page comes again (the preview's step).
    back = client.post(url, {"successor": new.pk, "on": "01/03/2025"}).content.decode()
    assert "Sở Khoa học và Công nghệ" in back
