"""reports.xlsx: one sheet per table, numbers as numbers, no formulas."""

import datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook

from reports.summary import build_summary
from reports.xlsx import render_xlsx
from tasks.models import Status
from tests.factories import AgencyFactory
from tests.factories.dashboard import make_task, report
from tests.factories.periodic import measure, reporting_plan

pytestmark = pytest.mark.django_db
LATER = datetime.date(2026, 1, 1)


@pytest.fixture
def workbook(province, home_affairs, justice):
    plan = reporting_plan(province, title="Kế hoạch tuyên truyền năm 2022")
    tricky = AgencyFactory(name="=HYPERLINK(\"http://evil\")", code="EVIL", parent=province)
    task = make_task(plan, "Trong tháng 02/2022", leads=[justice], title="+Tuyên truyền @CCHC")
    other = make_task(plan, "Trong năm 2022", leads=[tricky], title="-Nhiệm vụ thứ hai")
    make_task(plan, "Trong tháng 01/2022", leads=[justice], title="Nhiệm vụ quá hạn")
    news = measure("news", "portal", name="Tin trên cổng")
    report(task, justice, Status.DONE, when=datetime.date(2022, 2, 10), figures={news: 1234})
    report(other, tricky, Status.IN_PROGRESS, when=datetime.date(2022, 3, 1), percent=30)
    summary = build_summary(plan, 2022, "Q1", today=LATER)
    return summary, load_workbook(BytesIO(render_xlsx(summary)))


def test_every_table_is_a_sheet_with_a_bold_header(workbook):
    summary, book = workbook
    assert book.sheetnames == ["Thông tin", *(table.sheet for table in summary.tables)]
    for table in summary.tables:
        sheet = book[table.sheet]
        assert [cell.value for cell in sheet[1]] == [column.header for column in table.columns]
        assert all(cell.font.bold for cell in sheet[1])
        assert sheet.max_row == len(table.rows) + 1


def test_numbers_are_numbers_and_percentages_show_a_percent_sign(workbook):
    _summary, book = workbook
    overview = {row[0].value: row[1] for row in book["Tổng quan"].iter_rows(min_row=2)}
    assert overview["Nhiệm vụ hoàn thành"].value == 1
    # Two tasks due in Q1: one done on time, one overdue and not started.
    assert overview["Nhiệm vụ đến hạn trong kỳ"].value == 2
    assert overview["Tỷ lệ hoàn thành đúng hạn"].value == 50
    assert overview["Tỷ lệ hoàn thành đúng hạn"].number_format == '0"%"'
    channels = list(book["Số liệu theo hình thức"].iter_rows(min_row=2, values_only=True))
    assert channels == [("Portal", "Trực tuyến", "Tin trên cổng", "tin, bài", 1234)]


def test_no_cell_is_a_formula(workbook):
    _summary, book = workbook
    tasks = list(book["Nhiệm vụ"].iter_rows(min_row=2, values_only=True))
    assert tasks[0][1] == "'+Tuyên truyền @CCHC"
    assert tasks[1][1] == "'-Nhiệm vụ thứ hai"
    agencies = [row[1] for row in book["Cơ quan"].iter_rows(min_row=2, values_only=True)]
    assert "'=HYPERLINK(\"http://evil\")" in agencies
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate)


def test_dates_are_dates(workbook):
    _summary, book = workbook
    late = list(book["Quá hạn, nguy cơ"].iter_rows(min_row=2))
    (row,) = late  # the overdue task: due 31/01/2022, 42 days late on 14/03/2022
    assert row[1].value == "Nhiệm vụ quá hạn"
    assert row[3].is_date and row[3].value == datetime.datetime(2022, 1, 31)
    assert row[3].number_format == "dd/mm/yyyy"
    assert row[5].value == 42
