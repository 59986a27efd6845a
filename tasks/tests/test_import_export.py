"""The key-task spreadsheet: export, and import through the task rules, all or nothing."""

import datetime
import io

import openpyxl
import pytest
import tablib
from django.utils import translation
from import_export.formats.base_formats import XLSX

from cchc_plans.spreadsheets import SpreadsheetError, read_dataset
from tasks.models import Assignment, AssignmentRole, Status, Task
from tasks.resources import TaskResource
from tasks.services import dissolve_agency, post_update
from tests.factories import AgencyFactory, TaskFactory
from tests.factories.tasks import make_task

pytestmark = pytest.mark.django_db


def headers():
    resource = TaskResource()
    return [resource.column(name) for name in resource._meta.fields]


def dataset(*rows, columns=None):
    return tablib.Dataset(*rows, headers=columns or headers())


def task_row(plan, number, title, lead="", coordinators="", timeline="Quý I/2022", forms="",
             expected_output="", notes=""):
    return [plan.decision_number or plan.document_number, number, title, forms, lead,
            coordinators, timeline, expected_output, notes]


def problems(result):
    """{spreadsheet line: every message of the row} of a result."""
    return {p.line: " ".join(p.messages) for p in TaskResource().row_problems(result)}


def round_trip(queryset=None):
    """The application's own xlsx export, read back as an upload would be."""
    data = XLSX().export_data(TaskResource().export(queryset))
    return read_dataset(data, "xlsx")


@pytest.fixture
def numbered_plan(plan):
    plan.decision_number = "286/QĐ-UBND"
    plan.save()
    return plan


def test_tasks_import_with_group_lead_and_diacritic_free_names(
    numbered_plan, home_affairs, justice, district_group, districts
):
    data = dataset(
        task_row(numbered_plan, 1, "Quán triệt Chương trình CCHC", lead="SNV",
                 coordinators="so tu phap", forms="- Hội nghị tổng kết"),
        task_row(numbered_plan, 2, "Giới thiệu dịch vụ công trực tuyến",
                 lead="UBND các huyện, thị xã, thành phố", timeline="Trong năm 2022"),
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
    assert list(second.lead_groups.all()) == [district_group]
    assert all(a.via_group == district_group for a in second.assignments.all())


def test_task_file_with_bad_rows_imports_nothing_and_names_each_reason(numbered_plan, home_affairs):
    data = dataset(
        task_row(numbered_plan, 1, "Một nhiệm vụ đúng", lead="SNV"),
        task_row(numbered_plan, 2, "Cơ quan lạ", lead="Sở Không Tồn Tại"),
        task_row(numbered_plan, 3, "Tiến độ lạ", lead="SNV", timeline="khi nào rảnh"),
        task_row(numbered_plan, 4, "", lead="SNV"),
        task_row(numbered_plan, 100000000000000000000, "Số quá lớn", lead="SNV"),
        task_row(numbered_plan, "2,5", "Số lẻ", lead="SNV"),
        task_row(numbered_plan, 1, "Số trùng", lead="SNV"),
    )
    result = TaskResource().import_data(data)
    assert Task.objects.count() == 0
    found = problems(result)
    assert set(found) == {3, 4, 5, 6, 7, 8}  # spreadsheet lines: the header is line 1
    assert "Sở Không Tồn Tại" in found[3]
    assert "khi nào rảnh" in found[4]
    assert "title" in found[5]
    assert "from 1 to 32767" in found[6] and "from 1 to 32767" in found[7]
    assert "on another row" in found[8]


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
    data = round_trip()
    data[0] = tuple(["'=1+2 (sửa)" if v == "'=1+2" else v for v in data[0]])
    result = TaskResource().import_data(data)
    assert not result.has_validation_errors()
    task = Task.objects.get(number=1)
    assert (task.title, task.forms) == ("=1+2 (sửa)", "- Hội nghị")


def test_the_own_export_with_blank_cells_imports_again_unchanged(
    numbered_plan, justice, district_group, districts
):
    """Blank optional cells come back from an xlsx as nothing at all: they import as blank
    text (they failed with "NOT NULL constraint failed: tasks_task.expected_output")."""
    first = make_task(numbered_plan, "Quý II/2022", number=1, leads=[justice],
                      lead_groups=[district_group])
    make_task(numbered_plan, "", number=2)  # no timeline yet, as the task page allows
    history = Task.history.count()
    result = TaskResource().import_data(round_trip())
    assert problems(result) == {}
    assert result.totals["skip"] == 2 and result.totals["update"] == 0
    assert Task.history.count() == history
    first.refresh_from_db()
    assert (first.expected_output, first.notes, first.version) == ("", "", 1)


def test_a_changed_row_of_the_own_export_updates_only_that_task(numbered_plan, justice):
    make_task(numbered_plan, "Quý II/2022", number=1, leads=[justice])
    make_task(numbered_plan, "Quý II/2022", number=2, leads=[justice])
    data = round_trip()
    column = data.headers.index(TaskResource().column("timeline_text"))
    row = list(data[1])
    row[column] = "Quý III/2022"
    data[1] = tuple(row)
    result = TaskResource().import_data(data)
    assert (result.totals["update"], result.totals["skip"]) == (1, 1)
    second = Task.objects.get(number=2)
    assert (second.due_date, second.version, second.expected_output) == (
        datetime.date(2022, 9, 30), 2, "")


def test_a_row_of_an_issued_plan_is_refused_in_vietnamese(numbered_plan, justice, home_affairs):
    task = make_task(numbered_plan, "Quý II/2022", number=1, title="Đăng tin về CCHC",
                     leads=[justice])
    numbered_plan.status = "issued"
    numbered_plan.save()
    data = dataset(
        task_row(numbered_plan, 1, "Tiêu đề bị đổi", lead="SNV"),
        task_row(numbered_plan, 2, "Nhiệm vụ mới chen vào", lead="SNV"),
    )
    with translation.override("vi"):
        resource = TaskResource()
        found = {p.line: " ".join(p.messages) for p in resource.row_problems(
            resource.import_data(data))}
    assert set(found) == {2, 3}
    assert "Kế hoạch 286/QĐ-UBND đã được ban hành" in found[2]
    task.refresh_from_db()
    assert task.title == "Đăng tin về CCHC" and task.version == 1
    assert {a.agency for a in task.assignments.all()} == {justice}
    assert Task.objects.count() == 1


def test_unchanged_rows_of_an_issued_plan_pass_with_changes_to_a_draft(
    numbered_plan, province, justice
):
    issued = make_task(numbered_plan, "Quý II/2022", number=1, title="Đã ban hành",
                       leads=[justice])
    numbered_plan.status = "issued"
    numbered_plan.save()
    draft = type(numbered_plan).objects.create(
        issuer=province, title="Dự thảo 2023", status="draft", decision_number="9/QĐ-UBND",
        period_start_year=2023, period_end_year=2023)
    make_task(draft, "Quý I/2023", number=1, title="Dự thảo", leads=[justice])
    data = round_trip()
    title = data.headers.index(TaskResource().column("title"))
    for index, row in enumerate(data):
        if row[title] == "Dự thảo":
            data[index] = tuple(v if i != title else "Dự thảo đã sửa" for i, v in enumerate(row))
    result = TaskResource().import_data(data)
    assert problems(result) == {}
    assert Task.objects.get(plan=draft).title == "Dự thảo đã sửa"
    issued.refresh_from_db()
    assert issued.version == 1


def test_reimport_keeps_assignments_that_carry_progress(numbered_plan, justice, home_affairs,
                                                        coordinator):
    task = make_task(numbered_plan, "Quý II/2022", number=1, leads=[justice],
                     coordinators=[home_affairs])
    reported = task.assignments.get(agency=justice)
    post_update(assignment=reported, author=coordinator, status=Status.IN_PROGRESS, percent=40,
                narrative="Đã đăng 3 tin")
    other = AgencyFactory(name="Sở Văn hóa", code="SVH", parent=justice.parent)
    result = TaskResource().import_data(dataset(task_row(numbered_plan, 1, task.title, lead="SVH")))
    assert problems(result) == {}
    assert {(a.agency.code, a.role) for a in task.assignments.all()} == {
        ("STP", "lead"), ("SVH", "lead")}  # the coordinator without progress went
    task.refresh_from_db()
    # Rolled up from both leads: 40 % and a fresh 0 %.
    assert (task.status, task.percent) == (Status.IN_PROGRESS, 20)
    assert other.assignments.get().role == AssignmentRole.LEAD


def test_import_records_who_imported_in_the_history(numbered_plan, coordinator, justice,
                                                    district_group, districts):
    data = dataset(task_row(numbered_plan, 1, "Hội nghị", lead="UBND các huyện, thị xã, thành phố",
                            coordinators="STP"))
    TaskResource().import_data(data, user=coordinator)
    task = Task.objects.get()
    record = task.history.get()
    assert (record.history_type, record.history_user, record.history_change_reason) == (
        "+", coordinator, "import")
    assert [g.agencygroup for g in record.lead_groups.all()] == [district_group]
    assignments = Assignment.history.filter(task_id=task.pk)
    assert assignments.count() == len(districts) + 1
    assert {r.history_user for r in assignments} == {coordinator}
    TaskResource().import_data(dataset(task_row(numbered_plan, 1, "Hội nghị sơ kết",
                                                coordinators="STP")), user=coordinator)
    latest = task.history.latest()
    assert (latest.history_type, latest.title, latest.version) == ("~", "Hội nghị sơ kết", 2)
    assert not latest.lead_groups.exists()


def test_import_resolves_recurring_timelines_into_checkpoints(numbered_plan):
    data = dataset(task_row(numbered_plan, 1, "Đăng tin định kỳ",
                            timeline="Định kỳ hàng quý, bắt đầu từ quý I/2022"))
    TaskResource().import_data(data)
    task = Task.objects.get()
    assert [c.due_date.month for c in task.checkpoints.all()] == [3, 6, 9, 12]
    TaskResource().import_data(dataset(task_row(numbered_plan, 1, "Đăng tin",
                                                timeline="Quý II/2022")))
    task.refresh_from_db()
    assert task.checkpoints.count() == 0 and task.due_date == datetime.date(2022, 6, 30)


def test_abbreviated_names_find_their_agency(numbered_plan, districts, district_group):
    data = dataset(
        task_row(numbered_plan, 1, "Tuyên truyền", lead="UBND TP. Nha Trang",
                 coordinators="ubnd cac huyen, thi xa, tp"),
    )
    result = TaskResource().import_data(data)
    assert problems(result) == {}
    task = Task.objects.get()
    assert task.assignments.get(role=AssignmentRole.LEAD).agency == districts[0]
    assert task.assignments.filter(role=AssignmentRole.COORDINATOR).count() == len(districts)


def test_a_dissolved_agency_is_refused_naming_its_successor(numbered_plan, province, justice):
    old = AgencyFactory(name="Sở Thông tin và Truyền thông", code="STTTT", parent=province)
    new = AgencyFactory(name="Sở Khoa học và Công nghệ", code="SKHCN", parent=province)
    dissolve_agency(agency=old, successor=new)
    result = TaskResource().import_data(dataset(task_row(numbered_plan, 1, "Tin bài",
                                                         lead="Sở Thông tin và Truyền thông")))
    assert "Sở Khoa học và Công nghệ" in problems(result)[2]


def test_headers_of_either_language_and_accents_are_recognised(numbered_plan, justice):
    with translation.override("vi"):
        vietnamese = headers()
    data = dataset(task_row(numbered_plan, 1, "Tin bài", lead="STP"),
                   columns=[header.upper() for header in vietnamese])
    result = TaskResource().import_data(data)
    assert problems(result) == {}
    assert Task.objects.get().assignments.get().agency == justice


def test_a_file_with_one_agency_column_is_refused(numbered_plan):
    columns = [h for h in headers() if h != TaskResource().column("coordinators")]
    row = task_row(numbered_plan, 1, "Tin bài", lead="STP")
    del row[5]
    with pytest.raises(SpreadsheetError):
        TaskResource().import_data(dataset(row, columns=columns))


def test_a_file_without_agency_columns_keeps_the_tasks_agencies(numbered_plan, justice):
    task = make_task(numbered_plan, "Quý II/2022", number=1, leads=[justice])
    columns = [h for h in headers() if h not in (TaskResource().column("lead"),
                                                  TaskResource().column("coordinators"))]
    TaskResource().import_data(dataset(
        [numbered_plan.decision_number, 1, "Tên mới", "", "Quý I/2022", "", ""], columns=columns))
    task.refresh_from_db()
    assert task.title == "Tên mới"
    assert [a.agency for a in task.assignments.all()] == [justice]


def rows_for(plan, count):
    names = ["SNV", "so tu phap", "UBND các huyện, thị xã, thành phố"]
    return dataset(*(
        task_row(plan, n, f"Nhiệm vụ {n}", lead=names[n % 3], coordinators="STP; Sở Nội vụ",
                 timeline="Định kỳ hàng quý, bắt đầu từ quý I/2022" if n % 2 else "Quý II/2022")
        for n in range(1, count + 1)
    ))


@pytest.mark.parametrize("count", [10, 100])
def test_import_queries_do_not_grow_with_the_rows(
    numbered_plan, home_affairs, justice, district_group, districts, coordinator,
    django_assert_num_queries, count,
):
    data = rows_for(numbered_plan, count)
    # The plans the file names, their tasks (none yet: no prefetch), agencies, groups.
    with django_assert_num_queries(4):
        result = TaskResource().import_data(data, dry_run=True)
    assert problems(result) == {}
    # The same check (4); then in one transaction (savepoint and release): the plan locked,
    # its tasks' numbers, the group's members, tasks inserted, their history, lead groups,
    # the history rows to hang them on, their history, checkpoints, assignments, their history.
    with django_assert_num_queries(17):
        TaskResource().import_data(data, user=coordinator)
    assert Task.objects.count() == count


def test_a_column_given_twice_is_refused(numbered_plan):
    columns = [*headers(), TaskResource().column("title")]
    row = [*task_row(numbered_plan, 1, "Tin bài"), "Tin bài khác"]
    with pytest.raises(SpreadsheetError) as error:
        TaskResource().import_data(dataset(row, columns=columns))
    assert "more than once" in error.value.message


@pytest.mark.parametrize("count", [10, 100])
def test_changed_rows_import_in_queries_that_do_not_grow_with_the_rows(
    numbered_plan, home_affairs, justice, health, district_group, districts, coordinator,
    django_assert_num_queries, count,
):
    TaskResource().import_data(rows_for(numbered_plan, count), user=coordinator)
    names = ["SNV", "so tu phap", "UBND các huyện, thị xã, thành phố"]
    # New titles and timelines; on every task, the Sở Y tế coordinates instead of the Sở Nội vụ.
    changed = dataset(*(
        task_row(numbered_plan, n, f"Nhiệm vụ {n} (sửa)", lead=names[n % 3],
                 coordinators="STP; Sở Y tế", timeline="Quý III/2022")
        for n in range(1, count + 1)
    ))
    # The plans, their tasks, the tasks' lead groups and assignments, agencies, groups.
    with django_assert_num_queries(6):
        result = TaskResource().import_data(changed, dry_run=True)
    assert problems(result) == {} and result.totals["update"] == count
    # The same check (6); then in one transaction (savepoint and release): the plan locked,
    # its tasks' versions, the group's members, the assignments with whether they carry
    # progress, tasks updated (one statement sent for every row), their history, lead groups
    # cleared and inserted, the history rows to hang them on, their history, checkpoints read
    # and deleted (a quarter has none), whether rows refer to the assignments removed (their
    # updates, cancellation proposals, report states), their history, their deletion,
    # assignments inserted, their history.
    with django_assert_num_queries(27):
        TaskResource().import_data(changed, user=coordinator)
    assert set(Task.objects.values_list("title", flat=True)) == {
        f"Nhiệm vụ {n} (sửa)" for n in range(1, count + 1)
    }
    assert Task.history.filter(history_type="~", history_change_reason="import").count() == count
    assert Assignment.objects.filter(role=AssignmentRole.COORDINATOR,
                                     agency__code="SYT").count() == count
    removed = Assignment.history.filter(history_type="-", history_change_reason="import")
    assert removed.count() == count  # the Sở Nội vụ no longer coordinates any task
    assert not Assignment.objects.filter(role=AssignmentRole.COORDINATOR,
                                         agency=home_affairs).exists()


def test_one_bad_row_among_many_saves_nothing_and_is_named_in_vietnamese(
    numbered_plan, home_affairs, justice, district_group, districts, coordinator,
):
    rows = [task_row(numbered_plan, n, f"Nhiệm vụ {n}", lead="SNV") for n in range(1, 101)]
    rows[56] = task_row(numbered_plan, 57, "Nhiệm vụ 57", lead="Sở Không Có")
    history = Task.history.count()
    with translation.override("vi"):
        resource = TaskResource()
        found = {p.line: " ".join(p.messages)
                 for p in resource.row_problems(resource.import_data(dataset(*rows),
                                                                     user=coordinator))}
    assert found == {58: "cơ quan chủ trì: Không tìm thấy đơn vị: Sở Không Có"}
    assert not Task.objects.exists() and not Assignment.objects.exists()
    assert Task.history.count() == history
