"""The summary report's tables are numbered 1, 2, 3… in the order printed: a table left out
(a sentence says there is nothing to show) takes no number, in the PDF, Word and preview."""

import re
from io import BytesIO

import docx
import pytest
from pypdf import PdfReader

from reports.generation import render_report
from reports.tests.test_summary_documents import html_text, normalized
from reports.tests.test_summary_docx import all_text
from tasks.models import Status
from tests.factories.dashboard import make_task, report
from tests.factories.periodic import reporting_plan

pytestmark = pytest.mark.django_db


def table_numbers(text):
    return [int(n) for n in re.findall(r"Bảng (\d+)\.", text)]


@pytest.fixture
def quiet_plan(settings, province, home_affairs, justice):
    # One task, done in January: nothing overdue or at risk, no figures, no targets; the
    # body prints the overview and the completeness tables only.
    settings.REPORTING_CUTOFF = "decree_09"
    plan = reporting_plan(province, title="Kế hoạch tuyên truyền CCHC năm 2022", place="Khánh Hòa")
    task = make_task(plan, leads=[justice])
    report(task, justice, Status.DONE, when=task.due_date.replace(month=1, day=10), percent=100)
    return plan


def test_pdf_tables_are_numbered_without_gaps(quiet_plan):
    pdf = render_report(quiet_plan, 2022, "Q1", "pdf")
    text = normalized(
        " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages)
    )

    assert "Không có nhiệm vụ quá hạn" in text
    assert "Trong kỳ chưa có số liệu tuyên truyền được báo cáo." in text
    assert table_numbers(text) == [1, 2]
    assert "Bảng 2. Tình hình gửi kế hoạch và báo cáo của các cơ quan, đơn vị" in text


def test_word_and_preview_tables_are_numbered_without_gaps(quiet_plan):
    word = docx.Document(BytesIO(render_report(quiet_plan, 2022, "Q1", "docx").content))
    preview = html_text(render_report(quiet_plan, 2022, "Q1", "html").content.decode())

    assert table_numbers(all_text(word)) == [1, 2]
    assert table_numbers(preview) == [1, 2]
