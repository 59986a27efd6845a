"""Exports outside the admin: an agency's work list, a plan's key tasks (xlsx)."""

import io

import openpyxl
import pytest
from django.urls import reverse

from tasks.models import Status
from tasks.resources import TaskResource
from tasks.services import post_update
from tests.factories.tasks import make_task

pytestmark = pytest.mark.django_db


def rows(response):
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_officer_exports_the_work_list_as_filtered(client, officer, justice, health, issued_plan):
    first = make_task(issued_plan, "Quý I/2022", number=1, title="Hội nghị quý I", leads=[justice])
    make_task(issued_plan, "Quý III/2022", number=2, title="Tọa đàm quý III", leads=[justice])
    make_task(issued_plan, "Quý I/2022", number=3, title="Việc của Sở Y tế", leads=[health])
    post_update(assignment=first.assignments.get(), author=officer, status=Status.IN_PROGRESS,
                percent=40, narrative="Đã chuẩn bị")
    client.force_login(officer)
    page = client.get(reverse("tasks:my_work"), {"period": "2022-Q1"}).content.decode()
    assert f'href="{reverse("tasks:my_work_export")}?period=2022-Q1"' in page

    response = client.get(reverse("tasks:my_work_export"), {"period": "2022-Q1"})

    assert response["Content-Disposition"] == 'attachment; filename="viec-cua-don-vi-stp.xlsx"'
    header, *body = rows(response)
    assert header == ["plan", "no.", "task", "role", "timeline", "due date", "status",
                      "progress (%)", "last update"]
    assert [row[1:4] for row in body] == [[1, "Hội nghị quý I", "Lead"]]
    assert body[0][5:8] == ["31/03/2022", "In progress", 40]


def test_coordinator_exports_a_plans_tasks_in_the_import_columns(
    client, coordinator, justice, issued_plan
):
    make_task(issued_plan, "Quý I/2022", number=1, title="=Hội nghị", leads=[justice])
    client.force_login(coordinator)
    page = client.get(reverse("plans:detail", args=[issued_plan.pk])).content.decode()
    url = reverse("tasks:plan_export", args=[issued_plan.pk])
    assert f'href="{url}"' in page

    response = client.get(url)

    assert response["Content-Disposition"] == 'attachment; filename="nhiem-vu-286kh-ubnd.xlsx"'
    header, *body = rows(response)
    assert header == [TaskResource().column(name) for name in TaskResource._meta.fields]
    assert body == [["286/KH-UBND", "1", "'=Hội nghị", None, "Sở Tư pháp", None, "Quý I/2022",
                     None, None]]
