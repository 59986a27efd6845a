"""The demo province's Q1/2022 and annual 2022 reports, read back from the PDF, the xlsx and the
HTML preview: one document of the Sở Nội vụ, and the same numbers in all three."""

import html as html_lib
import re
import unicodedata
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from openpyxl import load_workbook
from pypdf import PdfReader

from documents.tests.test_pdf import A4, A4_LANDSCAPE, page_size, top_margin_texts
from plans.models import Plan
from reports.generation import render_report
from reports.summary import build_summary
from reports.tables import display

OVERVIEW_LABELS = [
    "Tổng số nhiệm vụ trọng điểm",
    "Nhiệm vụ chưa triển khai",
    "Nhiệm vụ đang thực hiện",
    "Nhiệm vụ hoàn thành",
    "Nhiệm vụ dừng thực hiện",
    "Nhiệm vụ quá hạn",
    "Nhiệm vụ có nguy cơ chậm tiến độ",
    "Nhiệm vụ đến hạn trong kỳ",
    "Nhiệm vụ đến hạn trong kỳ hoàn thành đúng hạn",
    "Tỷ lệ hoàn thành đúng hạn",
    "Tỷ lệ hoàn thành kế hoạch",
]


def normalized(text):
    return " ".join(unicodedata.normalize("NFC", text).split())


def html_text(markup):
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", markup, flags=re.S)
    return normalized(html_lib.unescape(re.sub(r"<[^>]+>", " ", text)))


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo loaded once; its Q1/2022 and annual reports in every format, then rolled back."""
    result = {}
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=StringIO())
        plan = Plan.objects.get(decision_number="286/QĐ-UBND")
        result["tasks"] = {task.number: task.title for task in plan.tasks.all()}
        for code in ("Q1", "Y"):
            summary = build_summary(plan, 2022, code)
            pdf = render_report(plan, 2022, code, "pdf")
            reader = PdfReader(BytesIO(pdf.content))
            result[code] = {
                "summary": summary,
                "tables": {table.key: table for table in summary.tables},
                "pdf": pdf,
                "reader": reader,
                "pages": [normalized(page.extract_text()) for page in reader.pages],
                "xlsx": load_workbook(BytesIO(render_report(plan, 2022, code, "xlsx").content)),
                "html": render_report(plan, 2022, code, "html").content.decode(),
            }
        transaction.set_rollback(True)
    for code in ("Q1", "Y"):
        result[code]["text"] = " ".join(result[code]["pages"])
    return result


def test_q1_report_is_a_report_of_the_home_affairs_department(demo):
    first = demo["Q1"]["pages"][0]
    assert first.startswith(
        "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA SỞ NỘI VỤ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - "
        "Tự do - Hạnh phúc Số: /BC-SNV Khánh Hòa, ngày tháng năm 2022 BÁO CÁO Kết quả thực hiện Kế "
        "hoạch tuyên truyền cải cách hành chính tỉnh Khánh Hòa quý I năm 2022 Kính gửi: Ủy ban "
        "nhân dân tỉnh Khánh Hòa"
    )
    assert "Thực hiện Kế hoạch tuyên truyền cải cách hành chính tỉnh Khánh Hòa năm 2022 ban " \
        "hành kèm theo Quyết định số 286/QĐ-UBND ngày 26/01/2022 của Ủy ban nhân dân tỉnh " \
        "Khánh Hòa, Sở Nội vụ báo cáo kết quả thực hiện quý I năm 2022 (số liệu từ ngày " \
        "15/12/2021 đến ngày 14/03/2022) như sau:" in first
    text = demo["Q1"]["text"]
    for heading in ["I. KẾT QUẢ THỰC HIỆN", "1. Tình hình thực hiện các nhiệm vụ trọng điểm",
                    "4. Kết quả tuyên truyền theo hình thức", "II. ĐÁNH GIÁ, KIẾN NGHỊ"]:
        assert heading in text
    assert text.count("./.") == 1
    assert "./. Nơi nhận: - Như trên; - Giám đốc Sở (b/c); - Lưu: VT, CCHC. KT. GIÁM ĐỐC " \
        "PHÓ GIÁM ĐỐC" in text


def test_q1_report_names_agencies_and_tasks_with_their_diacritics(demo):
    text = demo["Q1"]["text"]
    for agency in ["Sở Kế hoạch và Đầu tư tỉnh Khánh Hòa", "Ủy ban nhân dân huyện Trường Sa",
                   "Bảo hiểm xã hội tỉnh Khánh Hòa", "Đài Phát thanh và Truyền hình Khánh Hòa"]:
        assert agency in text
    for number in [1, 6, 11, 16]:
        assert normalized(demo["tasks"][number]) in text
    assert "Đã tham mưu UBND tỉnh ban hành kế hoạch tổ chức Hội nghị tổng kết" in text


def test_q1_report_is_a4_with_landscape_annexes_and_numbered_pages(demo):
    q1 = demo["Q1"]
    reader, pages = q1["reader"], q1["pages"]
    assert len(reader.pages) == q1["pdf"].pages
    first_annex = next(
        i for i, page in enumerate(pages) if "Phụ lục I KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ" in page
    )
    assert 3 <= first_annex <= 6  # the body keeps to summaries
    assert all(page_size(page) == A4 for page in reader.pages[:first_annex])
    assert all(page_size(page) == A4_LANDSCAPE for page in reader.pages[first_annex:])
    assert 8 <= len(reader.pages) <= 14
    annexes = " ".join(pages[first_annex:])
    assert "Phụ lục I KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ TRỌNG ĐIỂM (Kèm theo Báo cáo số …/BC-SNV " \
        "của Sở Nội vụ tỉnh Khánh Hòa)" in annexes
    assert "Phụ lục II KẾT QUẢ THỰC HIỆN THEO CƠ QUAN, ĐƠN VỊ" in annexes
    assert top_margin_texts(reader.pages[0]) == []
    for number, page in enumerate(reader.pages[1:], start=2):
        assert top_margin_texts(page) == [str(number)]


def test_annual_report_covers_the_year_and_compares_with_nine_months(demo):
    y = demo["Y"]
    first = y["pages"][0]
    assert "Kết quả thực hiện Kế hoạch tuyên truyền cải cách hành chính tỉnh Khánh Hòa năm 2022" \
        in first
    assert "(số liệu từ ngày 15/12/2021 đến ngày 14/12/2022)" in first
    headers = [c.header for c in y["tables"]["overview"].columns]
    assert headers == ["Nội dung", "Năm 2022", "9 tháng/2022", "Tăng (+), giảm (−)"]
    assert "6. Kết quả thực hiện các chỉ tiêu Kế hoạch không đặt chỉ tiêu định lượng." in y["text"]
    # Task 16 (due 30/06/2022, at 70 %) is overdue at the year's cut-off.
    assert "Xây dựng Đề án tăng cường công tác tuyên truyền CCHC" in y["text"]
    assert y["summary"].late_rows[0].days_late == 167


def xlsx_rows(workbook, sheet):
    rows = list(workbook[sheet].iter_rows(values_only=True))
    return rows[0], [list(row) for row in rows[1:]]


@pytest.mark.parametrize("code", ["Q1", "Y"])
def test_pdf_xlsx_and_preview_show_the_same_overview(demo, code):
    report = demo[code]
    summary = report["summary"]
    header, rows = xlsx_rows(report["xlsx"], "Tổng quan")
    assert [cell.font.bold for cell in report["xlsx"]["Tổng quan"][1]] == [True] * len(header)
    from_xlsx = {row[0]: row[1] for row in rows}
    statuses = summary.now.statuses
    assert from_xlsx["Tổng số nhiệm vụ trọng điểm"] == statuses.total
    assert from_xlsx["Nhiệm vụ hoàn thành"] == statuses.done
    assert from_xlsx["Nhiệm vụ đang thực hiện"] == statuses.in_progress
    assert from_xlsx["Nhiệm vụ chưa triển khai"] == statuses.not_started
    assert from_xlsx["Nhiệm vụ quá hạn"] == statuses.overdue
    assert from_xlsx["Tỷ lệ hoàn thành đúng hạn"] == summary.now.on_time.percent
    # The xlsx holds the report's table, cell for cell (percentages as whole numbers) …
    table = report["tables"]["overview"]
    assert rows == [[None if value is None else int(value) if isinstance(value, int) else value
                     for value in row] for row in table.rows]
    assert [row[0] for row in rows] == OVERVIEW_LABELS
    # … and the PDF and the preview print each of its rows as it does.
    preview = html_text(report["html"])
    for cells in table.cells:
        line = " ".join(text for text, _css in cells)
        assert line in report["text"], line
        assert line in preview, line


@pytest.mark.parametrize("code", ["Q1", "Y"])
def test_pdf_xlsx_and_preview_show_the_same_channel_sums(demo, code):
    report = demo[code]
    header, rows = xlsx_rows(report["xlsx"], "Số liệu theo hình thức")
    assert rows == [[None if value == "" else value for value in row]
                    for row in report["tables"]["channels"].rows]
    assert rows, "the demo reports figures in every period"
    preview = html_text(report["html"])
    for row in rows:
        kind, measure, unit, current = row[1], row[2], row[3], row[4]
        assert isinstance(current, int)
        line = f"{kind} {normalized(measure)} {unit} {display(current, 'number')}"
        assert line in report["text"], line
        assert line in preview, line
    total = sum(row[4] for row in rows)
    assert total == sum(report["summary"].figures.totals().values())


def test_q1_figures_are_those_of_the_period_only(demo):
    # Q1/2022 runs to 14/03/2022: the conference of 22/03 (task 1) is not in it.
    rows = {row[2]: row[4] for row in demo["Q1"]["tables"]["channels"].rows}
    assert "Hội nghị" not in rows
    assert rows["Người nghe"] > 0  # group task 15's oral sessions before mid-March


def test_xlsx_holds_every_table_of_the_pdf(demo):
    workbook = demo["Q1"]["xlsx"]
    assert workbook.sheetnames == [
        "Thông tin", "Tổng quan", "Kế hoạch, báo cáo", "Số liệu theo hình thức", "Chỉ tiêu",
        "Quá hạn, nguy cơ", "Nhiệm vụ", "Cơ quan",
    ]
    _header, tasks = xlsx_rows(workbook, "Nhiệm vụ")
    assert [row[0] for row in tasks] == list(range(1, 17))
    assert tasks[0][1] == demo["tasks"][1]
    _header, agencies = xlsx_rows(workbook, "Cơ quan")
    assert len(agencies) == len(demo["Q1"]["summary"].agency_rows)
