"""The summary report as an editable Word file: the PDF's words, header table, landscape
annexes and page numbers top centre from page 2, read back with python-docx."""

import datetime
from io import BytesIO, StringIO

import docx
import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from plans.models import Plan
from reports.generation import render_report
from reports.models import GeneratedReport, ReportDraft
from reports.tests.test_summary_documents import html_text, normalized
from tests.factories.periodic import reporting_plan

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo's Q1/2022 report as Word and as HTML (what the PDF prints), then rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=StringIO())
        plan = Plan.objects.get(decision_number="286/QĐ-UBND")
        rendered = render_report(plan, 2022, "Q1", "docx")
        html = render_report(plan, 2022, "Q1", "html").content.decode()
        transaction.set_rollback(True)
    return {"rendered": rendered, "document": docx.Document(BytesIO(rendered.content)),
            "html": html}


def paragraphs(document):
    """Every paragraph's text, tables' cells included, in document order."""
    body = document.element.body
    return [
        normalized("".join(text.text or "" for text in node.iter(qn("w:t"))))
        for node in body.iter(qn("w:p"))
    ]


def all_text(document):
    return " ".join(text for text in paragraphs(document) if text)


def test_word_report_has_the_header_table_of_the_decree(demo):
    document = demo["document"]
    assert demo["rendered"].filename == "BC-Q1-2022-khanh-hoa.docx"
    header = document.tables[0]
    issuer, nation = (normalized(cell.text) for cell in header.rows[0].cells)
    assert issuer.startswith("ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA SỞ NỘI VỤ")
    assert "Số: /BC-SNV" in issuer
    assert nation.startswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc")
    assert "Khánh Hòa, ngày" in nation
    bold = [run.text for cell in header.rows[0].cells for p in cell.paragraphs
            for run in p.runs if run.bold]
    assert "SỞ NỘI VỤ" in bold and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in bold
    assert document.styles["Normal"].font.name == "Times New Roman"


def test_word_report_holds_the_words_of_the_pdf(demo):
    text = all_text(demo["document"])
    for words in ["BÁO CÁO", "I. KẾT QUẢ THỰC HIỆN", "II. ĐÁNH GIÁ, KIẾN NGHỊ",
                  "Bảng 1. Tổng hợp tình hình thực hiện nhiệm vụ", "Nơi nhận:", "Lưu: VT, CCHC.",
                  "Tổng số nhiệm vụ trọng điểm", "./."]:
        assert words in text, words
    html = html_text(demo["html"])
    # Every paragraph of the document's body is in the Word file, word for word.
    for paragraph in paragraphs(demo["document"]):
        if len(paragraph) > 40:
            assert paragraph in html, paragraph


def test_word_report_has_landscape_annexes_and_page_numbers_from_page_2(demo):
    document = demo["document"]
    first, *annexes = document.sections
    assert first.orientation == WD_ORIENT.PORTRAIT and first.page_width < first.page_height
    assert first.different_first_page_header_footer
    assert first.first_page_header.paragraphs[0].text == ""
    field = first.header._element.xpath(".//w:instrText")
    assert [node.text.strip() for node in field] == ["PAGE"]
    assert first.header.paragraphs[0].alignment == 1  # centre
    assert len(annexes) >= 2
    for section in annexes:
        assert section.orientation == WD_ORIENT.LANDSCAPE
        assert section.page_width > section.page_height
        assert section.header.is_linked_to_previous  # the numbering goes on
    text = all_text(document)
    assert "Phụ lục I" in text and "Phụ lục II" in text
    assert "(Kèm theo Báo cáo số …/BC-SNV của Sở Nội vụ tỉnh Khánh Hòa)" in text


def test_word_report_tables_repeat_their_head_and_charts_are_pictures(demo):
    document = demo["document"]
    grids = [table for table in document.tables if table.style.name == "Table Grid"]
    assert len(grids) >= 5
    for table in grids:
        assert table.rows[0]._tr.xpath("./w:trPr/w:tblHeader")
    tasks = next(t for t in grids if normalized(t.rows[0].cells[1].text) == "Nhiệm vụ"
                 and normalized(t.rows[0].cells[-1].text) == "Kết quả trong kỳ")
    assert len(tasks.rows) == 1 + 16  # the head and the demo plan's 16 key tasks
    assert len(document.inline_shapes) >= 3


@pytest.mark.django_db
@override_settings(TASKS=IMMEDIATE)
def test_word_file_is_generated_in_the_background_and_downloaded(client, coordinator, province,
                                                                 home_affairs, settings,
                                                                 tmp_path):
    settings.MEDIA_ROOT = tmp_path
    plan = reporting_plan(province, title="Kế hoạch tuyên truyền CCHC năm 2022",
                          place="Khánh Hòa")
    ReportDraft.objects.create(plan=plan, year=2022, period_code="Q1", number="07/BC-SNV",
                               issued_on=datetime.date(2022, 4, 5))
    client.force_login(coordinator)
    page = client.get(reverse("leadership:report", kwargs={
        "pk": plan.pk, "year": 2022, "code": "Q1"})).content.decode()
    assert 'value="docx"' in page
    client.post(reverse("leadership:generate", kwargs={"pk": plan.pk}),
                {"period": "2022-Q1", "format": "docx"})
    item = GeneratedReport.objects.get()
    assert (item.status, item.format, item.number) == ("done", "docx", "07/BC-SNV")
    download = client.get(reverse("leadership:download", kwargs={"pk": item.pk}))
    assert download["Content-Disposition"] == 'attachment; filename="BC-Q1-2022-khanh-hoa.docx"'
    document = docx.Document(BytesIO(b"".join(download.streaming_content)))
    assert "Số: 07/BC-SNV" in normalized(document.tables[0].rows[0].cells[0].text)
    assert "Khánh Hòa, ngày 05 tháng 4 năm 2022" in all_text(document)


@pytest.mark.django_db
def test_render_report_command_writes_a_word_file(province, home_affairs, tmp_path):
    reporting_plan(province, title="Kế hoạch tuyên truyền CCHC năm 2022",
                   document_number="12/KH-UBND")
    output = tmp_path / "q1.docx"
    call_command("render_report", "--plan", "12/KH-UBND", "--year", "2022", "--period", "Q1",
                 "--format", "docx", "--output", str(output), stdout=StringIO())
    document = docx.Document(str(output))
    assert "BÁO CÁO" in all_text(document)


@pytest.mark.django_db
@override_settings(TASKS=IMMEDIATE)
def test_the_plan_itself_is_generated_as_a_word_file_too(client, coordinator, province,
                                                         home_affairs, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    plan = reporting_plan(province, title="Kế hoạch tuyên truyền CCHC năm 2022",
                          place="Khánh Hòa", decision_number="286/QĐ-UBND",
                          decision_date=datetime.date(2022, 1, 26),
                          objectives="Nâng cao nhận thức về cải cách hành chính.")
    client.force_login(coordinator)
    client.post(reverse("leadership:generate", kwargs={"pk": plan.pk}),
                {"period": "plan", "format": "docx"})
    item = GeneratedReport.objects.get()
    assert (item.status, item.kind, item.format) == ("done", "plan", "docx")
    document = docx.Document(item.file.path)
    text = all_text(document)
    # The decision, then the plan it issues on a new page, each with its header table.
    assert "QUYẾT ĐỊNH" in text and "KẾ HOẠCH" in text
    assert "Nâng cao nhận thức về cải cách hành chính." in text
    assert "Số: 286/QĐ-UBND" in normalized(document.tables[0].rows[0].cells[0].text)
    assert len(document.sections) >= 2
