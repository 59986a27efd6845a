"""The demo's Q1/2022 and annual 2022 reports as a director would sign them, read back from the
real PDFs: date line and number before and after issue, the signature block, section II drawn
from the agencies' own reports, the charts' font and the charts left out."""

import datetime
import re
import shutil
import subprocess
import unicodedata
from io import BytesIO, StringIO
from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from django.db import transaction
from pypdf import PdfReader

from plans.models import Plan
from reports import summary_services
from reports.generation import render_report
from reports.models import ReportDraft
from reports.summary import build_summary

POPPLER = shutil.which("pdftotext") and shutil.which("pdffonts")
pytestmark = pytest.mark.skipif(not POPPLER, reason="poppler-utils are not installed")
# Tinos/Liberation Serif: a word's box in pdftotext is 1.107 times its font size high.
BOX_PER_POINT = 1.107
EVALUATION_HEADINGS = [
    "II. ĐÁNH GIÁ, KIẾN NGHỊ",
    "1. Kết quả đạt được",
    "2. Tồn tại, hạn chế và nguyên nhân",
    "3. Bài học kinh nghiệm",
    "4. Nhiệm vụ, giải pháp trọng tâm",
    "5. Đề xuất, kiến nghị",
]


def normalized(text):
    return " ".join(unicodedata.normalize("NFC", text).split())


def layout_lines(pdf, *pages):
    """The PDF's lines as laid out (pdftotext -layout), spaces collapsed."""
    args = ["pdftotext", "-layout"]
    if pages:
        args += ["-f", str(pages[0]), "-l", str(pages[-1])]
    out = subprocess.run([*args, "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return [normalized(line) for line in out.decode().splitlines() if line.strip()]


def fonts(pdf, path):
    path.write_bytes(pdf)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True)
    return [line.split() for line in out.stdout.splitlines()[2:] if line.strip()]


def word_heights(pdf, page, words):
    """Box heights (pt) of the given words on one page (pdftotext -bbox)."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), "-", "-"],
        input=pdf, capture_output=True, check=True,
    ).stdout
    tree = ElementTree.fromstring(re.sub(rb'\sxmlns="[^"]+"', b"", out, count=1))
    return [
        float(word.get("yMax")) - float(word.get("yMin"))
        for word in tree.iter("word")
        if word.text in words
    ]


def pdf_pages(pdf):
    return [normalized(page.extract_text()) for page in PdfReader(BytesIO(pdf)).pages]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo's reports before issue, then Q1 issued; all rolled back afterwards."""
    result = {}
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=StringIO())
        plan = Plan.objects.get(decision_number="286/QĐ-UBND")
        for code in ("Q1", "Y"):
            result[code] = render_report(plan, 2022, code, "pdf").content
            result[f"{code}-summary"] = build_summary(plan, 2022, code)
        summary_services.issue_report(
            plan=plan, period=result["Q1-summary"].period, user=None, number="12/BC-SNV",
            issued_on=datetime.date(2022, 3, 16),
        )
        result["draft"] = ReportDraft.objects.get(plan=plan, year=2022, period_code="Q1")
        result["issued"] = render_report(plan, 2022, "Q1", "pdf").content
        transaction.set_rollback(True)
    return result


def test_before_issue_the_year_is_printed_and_day_month_number_left_blank(demo):
    for code in ("Q1", "Y"):
        lines = layout_lines(demo[code], 1)
        number = next(line for line in lines if line.startswith("Số:"))
        assert re.match(r"^Số: /BC-SNV Khánh Hòa, ngày tháng năm 2022$", number), number
    # The blanks are wide enough to write in: six spaces each in the text itself.
    text = PdfReader(BytesIO(demo["Q1"])).pages[0].extract_text()
    assert re.search(r"ngày\s{4,}tháng\s{4,}năm 2022", text)
    assert re.search(r"Số:\s{4,}/BC-SNV", text)


def test_after_issue_the_number_and_date_are_filled(demo):
    first = layout_lines(demo["issued"], 1)
    assert "Số: 12/BC-SNV Khánh Hòa, ngày 16 tháng 3 năm 2022" in first
    assert "(Kèm theo Báo cáo số 12/BC-SNV ngày 16/03/2022" in " ".join(pdf_pages(demo["issued"]))


def test_the_signature_block_prints_authority_and_title_on_two_lines_and_the_name(demo):
    for pdf in (demo["Q1"], demo["Y"], demo["issued"]):
        lines = layout_lines(pdf)
        authority = next(i for i, line in enumerate(lines) if line.endswith("KT. GIÁM ĐỐC"))
        assert lines[authority + 1].endswith("PHÓ GIÁM ĐỐC")
        assert "Nguyễn Văn An" in lines[authority + 2 : authority + 6]


def test_issuing_keeps_the_signer_and_the_prefilled_evaluation_with_the_report(demo):
    draft = demo["draft"]
    assert (draft.signer_authority, draft.signer_title, draft.signer_name) == (
        "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn An"
    )
    assert draft.number == "12/BC-SNV"
    assert "- Sở Tư pháp: “Đã tham mưu ban hành Kế hoạch tuyên truyền" in draft.results
    assert draft.proposals.startswith("Các cơ quan, đơn vị báo cáo:")


def test_the_evaluation_follows_the_outline_of_such_reports(demo):
    for code in ("Q1", "Y"):
        text = " ".join(pdf_pages(demo[code]))
        positions = [text.index(heading) for heading in EVALUATION_HEADINGS]
        assert positions == sorted(positions)
    assert "4. Nhiệm vụ, giải pháp trọng tâm quý II năm 2022" in " ".join(pdf_pages(demo["Q1"]))
    assert "4. Nhiệm vụ, giải pháp trọng tâm năm 2023" in " ".join(pdf_pages(demo["Y"]))


def test_the_evaluation_quotes_the_agencies_reports_of_the_period_with_their_names(demo):
    q1 = " ".join(pdf_pages(demo["Q1"]))
    section = q1[q1.index("II. ĐÁNH GIÁ, KIẾN NGHỊ"):q1.index("Nơi nhận")]
    assert "5/47 cơ quan, đơn vị đã gửi báo cáo" in section
    assert "- Sở Tư pháp: “Đã tham mưu ban hành Kế hoạch tuyên truyền, phổ biến pháp luật" \
        in section
    assert "- UBND TP Cam Ranh: “Đề nghị UBND tỉnh hỗ trợ kinh phí nâng cấp hệ thống " \
        "truyền thanh cơ sở”" in section
    # Said by several: counted once; said by nobody: counted.
    assert "- 2 cơ quan, đơn vị (Sở Tư pháp, Sở Văn hóa và Thể thao) cùng nêu: “Kinh phí " \
        "cho công tác tuyên truyền cải cách hành chính còn hạn chế”" in section
    assert "- 3 cơ quan, đơn vị không có đề xuất, kiến nghị (Sở Thông tin và Truyền thông, " \
        "Sở Tư pháp, Sở Văn hóa và Thể thao)./." in section
    # The numbers open the parts: the Q1 task due next is named.
    assert "Hoàn thành 1 nhiệm vụ đến hạn đến ngày 14/06/2022 (nhiệm vụ số 1)." in section
    # The annual report quotes the annual reports, not those of Q1.
    year = " ".join(pdf_pages(demo["Y"]))
    assert "Tổ chức thành công Hội thi tìm hiểu cải cách hành chính cấp thành phố" in year
    assert "treo 120 băng rôn" not in year


def test_only_times_metric_fonts_are_embedded_charts_included(demo, tmp_path):
    for code in ("Q1", "Y"):
        rows = fonts(demo[code], tmp_path / f"{code}.pdf")
        assert rows
        for row in rows:
            name, embedded = row[0], row[-5]
            assert embedded == "yes", row
            assert re.search(r"\+(Tinos|LiberationSerif|TimesNewRoman)", name), name


def test_chart_text_prints_at_ten_points_or_more(demo):
    # Y/2022: the ranking chart of the best agencies; its labels and its values.
    pdf = demo["Y"]
    page = next(
        number for number, text in enumerate(pdf_pages(pdf), start=1)
        if "Biểu đồ 2. 10 cơ quan, đơn vị có tỷ lệ hoàn thành cao nhất" in text
    )
    heights = word_heights(pdf, page, {"Cam", "Linh", "1/1", "100%"})
    assert len(heights) >= 4
    assert min(heights) / BOX_PER_POINT >= 10


def test_a_chart_with_nothing_to_show_is_left_out_with_a_sentence(demo):
    q1 = " ".join(pdf_pages(demo["Q1"]))
    # Q1: no agency has finished a task, so no "10 highest / 10 lowest" charts of zeros.
    assert "cao nhất" not in q1 and "thấp nhất" not in q1
    assert "Đến ngày 14/03/2022, chưa cơ quan, đơn vị nào hoàn thành nhiệm vụ được giao " \
        "(44 cơ quan, đơn vị được giao nhiệm vụ)." in q1
    # The charts that remain are numbered without a gap.
    assert re.findall(r"Biểu đồ (\d)\.", q1) == ["1", "2", "3"]
    # Y: the best agencies are drawn, the lowest ten (all at zero) are a sentence.
    year = " ".join(pdf_pages(demo["Y"]))
    assert "cao nhất" in year and "thấp nhất" not in year
    assert "27 cơ quan, đơn vị chưa hoàn thành nhiệm vụ nào được giao đến ngày 14/12/2022." \
        in year


def test_the_last_row_of_a_table_is_never_alone_on_its_page(demo):
    # Q1 annex I: task 16 would fall alone on a page; task 15 comes along.
    pages = pdf_pages(demo["Q1"])
    last = next(i for i, text in enumerate(pages) if "Xây dựng Đề án tăng cường" in text)
    assert "Triển khai các giải pháp nâng cao" in pages[last]


def test_the_title_breaks_between_compounds(demo):
    lines = layout_lines(demo["Q1"], 1)
    start = lines.index("BÁO CÁO")
    assert lines[start + 1 : start + 3] == [
        "Kết quả thực hiện Kế hoạch tuyên truyền cải cách",
        "hành chính tỉnh Khánh Hòa quý I năm 2022",
    ]
