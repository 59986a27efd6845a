import io

import openpyxl
import pytest
import tablib
from import_export.formats.base_formats import XLSX

from tasks.models import AssignmentRole, Task
from tasks.resources import TaskResource
from tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


def dataset(*rows):
    resource = TaskResource()
    headers = [str(resource.fields[name].column_name) for name in resource.Meta.fields]
    return tablib.Dataset(*rows, headers=headers)


def task_row(plan, number, title, lead="", coordinators="", timeline="Quý I/2022", forms=""):
    return [plan.decision_number, number, title, forms, lead, coordinators, timeline, "", ""]


@pytest.fixture
def numbered_plan(plan):
    plan.decision_number = "286/QĐ-UBND"
    plan.save()
    return plan


def test_tasks_import_with_group_lead_and_diacritic_free_names(
    numbered_plan, home_affairs, justice, district_group, districts
):
    data = dataset(
        task_row(
            numbered_plan,
            1,
            "Quán triệt Chương trình CCHC",
            lead="SNV",
            coordinators="so tu phap",
            forms="- Hội nghị tổng kết",
        ),
        task_row(
            numbered_plan,
            2,
            "Giới thiệu dịch vụ công trực tuyến",
            lead="UBND các huyện, thị xã, thành phố",
            timeline="Trong năm 2022",
        ),
    )
    result = TaskResource().import_data(data)
    assert not result.has_errors() and not result.has_validation_errors()
    first = Task.objects.get(plan=numbered_plan, number=1)
    assert first.due_date.isoformat() == "2022-03-31"
    assert first.forms == "- Hội nghị tổng kết"
    assert first.assignments.get(role=AssignmentRole.LEAD).agency == home_affairs
    assert first.assignments.get(role=AssignmentRole.COORDINATOR).agency == justice
    second = Task.objects.get(plan=numbered_plan, number=2)
    assert {a.agency for a in second.assignments.all()} == set(districts)


def test_task_file_with_bad_rows_imports_nothing_and_names_each_reason(numbered_plan, home_affairs):
    data = dataset(
        task_row(numbered_plan, 1, "Một nhiệm vụ đúng", lead="SNV"),
        task_row(numbered_plan, 2, "Cơ quan lạ", lead="Sở Không Tồn Tại"),
        task_row(numbered_plan, 3, "Tiến độ lạ", lead="SNV", timeline="khi nào rảnh"),
        task_row(numbered_plan, 4, "", lead="SNV"),
    )
    result = TaskResource().import_data(data)
    assert Task.objects.count() == 0
    errors = {
        r.number: " ".join(str(m) for ms in r.error_dict.values() for m in ms)
        for r in result.invalid_rows
    }
    assert set(errors) == {2, 3, 4}
    assert "Sở Không Tồn Tại" in errors[2]
    assert "khi nào rảnh" in errors[3]
    assert errors[4]


def test_task_export_round_trips_and_escapes_formulas(numbered_plan, home_affairs):
    TaskFactory(
        plan=numbered_plan, number=1, title="=1+2", forms="- Hội nghị", timeline_text="Quý I/2022"
    )
    exported = TaskResource().export()
    xlsx = XLSX().export_data(exported)
    sheet = openpyxl.load_workbook(filename=io.BytesIO(xlsx)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "'=1+2" in values
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)
    result = TaskResource().import_data(exported)
    assert not result.has_validation_errors()
    task = Task.objects.get(number=1)
    assert (task.title, task.forms) == ("=1+2", "- Hội nghị")
