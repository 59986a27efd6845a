import datetime
import re

import pytest
from django.urls import reverse

from tasks.models import AssignmentRole, Task
from tests.factories.tasks import make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft_task(draft_plan, justice):
    return make_task(draft_plan, "Quý I/2022", number=1, title="Hội nghị tập huấn", leads=[justice])


def edit(client, task, **data):
    return client.post(reverse("tasks:task_edit", args=[task.pk]), data)


def test_edit_form_is_filled_with_the_task(client, coordinator, draft_task, justice):
    client.force_login(coordinator)

    html = client.get(reverse("tasks:task_edit", args=[draft_task.pk])).content.decode()

    assert "Hội nghị tập huấn" in html
    assert re.search(
        rf'<input type="checkbox" name="leads" value="{justice.pk}"[^>]* checked[^>]*>\s*'
        r"<span>Sở Tư pháp</span>",
        html,
    )
    assert f'name="version" value="{draft_task.version}"' in html
    assert "Due 31/03/2022." in html


def test_edit_saves_the_task_and_its_agencies(
    client, coordinator, draft_task, health, district_group, districts
):
    client.force_login(coordinator)

    response = edit(
        client, draft_task, version=draft_task.version, title="Hội nghị tập huấn CCHC",
        timeline_text="Quý III/2022", leads=[health.pk], lead_groups=[district_group.pk],
    )

    assert response.status_code == 302
    draft_task.refresh_from_db()
    assert draft_task.title == "Hội nghị tập huấn CCHC"
    assert draft_task.due_date == datetime.date(2022, 9, 30)
    assert draft_task.version == 2
    leads = {a.agency for a in draft_task.assignments.filter(role=AssignmentRole.LEAD)}
    assert leads == {health, *districts}
    # Every edit stays in the history.
    assert draft_task.history.first().title == "Hội nghị tập huấn CCHC"


def test_second_save_based_on_an_old_version_is_refused(client, coordinator, draft_task):
    """Two coordinators load version 1; the first save wins, the second is refused."""
    loaded = draft_task.version
    client.force_login(coordinator)

    first = edit(client, draft_task, version=loaded, title="Sửa lần thứ nhất",
                 timeline_text="Quý I/2022")
    second = edit(client, draft_task, version=loaded, title="Sửa lần thứ hai",
                  timeline_text="Quý IV/2022", notes="Ghi chú lần hai")

    assert first.status_code == 302
    assert second.status_code == 409
    html = second.content.decode()
    assert "Someone else saved this task while you were editing it" in html
    assert "Sửa lần thứ hai" in html and "Ghi chú lần hai" in html
    draft_task.refresh_from_db()
    assert draft_task.title == "Sửa lần thứ nhất"
    assert draft_task.due_date == datetime.date(2022, 3, 31)
    assert draft_task.notes == ""


def test_edit_without_a_version_is_refused(client, coordinator, draft_task):
    client.force_login(coordinator)

    response = edit(client, draft_task, title="Không có phiên bản")

    assert response.status_code == 409
    draft_task.refresh_from_db()
    assert draft_task.title == "Hội nghị tập huấn"


def test_issued_plan_tasks_are_frozen(client, coordinator, assigned_task):
    client.force_login(coordinator)

    page = client.get(reverse("tasks:task_edit", args=[assigned_task.pk])).content.decode()
    response = edit(client, assigned_task, version=assigned_task.version, title="Sửa sau ban hành")

    assert "its key tasks are frozen" in page
    assert response.status_code == 302
    assigned_task.refresh_from_db()
    assert assigned_task.title == "Đăng tin về cải cách hành chính"


def test_officers_cannot_edit_tasks(client, officer, draft_task):
    client.force_login(officer)

    response = edit(client, draft_task, version=draft_task.version, title="Sửa trái phép")

    assert response.status_code == 403
    assert Task.objects.get().title == "Hội nghị tập huấn"


def test_task_page_shows_who_changed_the_title_lead_and_timeline(
    client, coordinator, draft_task, health
):
    coordinator.first_name, coordinator.last_name = "Alice", "Nguyễn"
    coordinator.save()
    client.force_login(coordinator)
    edit(client, draft_task, version=draft_task.version, title="Hội nghị tập huấn CCHC",
         timeline_text="Quý III/2022", leads=[health.pk])

    html = client.get(reverse("tasks:detail", args=[draft_task.pk])).content.decode()
    changes = html[html.index('id="changes"'):]

    assert "Changes to this task" in changes
    assert "Alice Nguyễn" in changes
    assert "<dt>Task</dt>" in changes and "<ins>Hội nghị tập huấn CCHC</ins>" in changes
    assert "<dt>Timeline</dt>" in changes and "<ins>Quý III/2022</ins>" in changes
    assert "<dt>Due date</dt>" in changes and "<ins>30/09/2022</ins>" in changes
    assert "Added assignment" in changes and "Sở Y tế (Lead)" in changes
    assert "Removed assignment" in changes and "Sở Tư pháp (Lead)" in changes
    assert "None" not in changes and "Version" not in changes
