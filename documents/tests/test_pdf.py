"""The PDF layer: the Decree 30 layout helpers and the Khánh Hòa 2022 plan as a PDF."""

import datetime
import unicodedata
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from pypdf import PdfReader

from documents.pdf import (
    NBSP,
    Letterhead,
    Signature,
    StaticOnlyFetcher,
    balanced_lines,
    heading_lines,
    issuing_body,
    number_line,
    recipient_lines,
    render_html,
    render_pdf,
    vietnamese_date_line,
)
from documents.plan import plan_document, plan_document_queryset, plan_filename
from plans.models import Plan
from tests.factories import AgencyFactory

A4 = (595, 842)
A4_LANDSCAPE = (842, 595)
TOP_MARGIN_PT = 20 / 25.4 * 72


def normalized(text):
    return " ".join(unicodedata.normalize("NFC", text).split())


def page_size(page):
    return round(float(page.mediabox.width)), round(float(page.mediabox.height))


def top_margin_texts(page):
    """Text drawn in the top margin of a page (where the page number goes)."""
    height = float(page.mediabox.height)
    found = []

    def visit(text, cm, tm, font, size):
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if text.strip() and height - y < TOP_MARGIN_PT:
            found.append(text.strip())

    page.extract_text(visitor_text=visit)
    return found


# -- the date line, number and header helpers ------------------------------------------


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (datetime.date(2022, 2, 5), "Khánh Hòa, ngày 05 tháng 02 năm 2022"),
        (datetime.date(2022, 1, 26), "Khánh Hòa, ngày 26 tháng 01 năm 2022"),
        (datetime.date(2022, 4, 5), "Khánh Hòa, ngày 05 tháng 4 năm 2022"),
        (datetime.date(2022, 3, 10), "Khánh Hòa, ngày 10 tháng 3 năm 2022"),
        (datetime.date(2022, 12, 31), "Khánh Hòa, ngày 31 tháng 12 năm 2022"),
    ],
)
def test_vietnamese_date_line_pads_days_below_10_and_months_1_and_2(date, expected):
    assert vietnamese_date_line("Khánh Hòa", date) == expected


def test_vietnamese_date_line_without_a_date_leaves_day_and_month_blank():
    line = vietnamese_date_line("Ninh Thuận", None, year=2024)
    assert line.startswith("Ninh Thuận, ngày" + NBSP)
    assert line.endswith("năm 2024")
    assert "tháng" + NBSP in line


def test_vietnamese_date_line_without_a_place_starts_with_the_day():
    assert vietnamese_date_line("", datetime.date(2021, 8, 13)) == "ngày 13 tháng 8 năm 2021"


def test_number_line_keeps_a_blank_for_an_unnumbered_document():
    assert number_line("12/BC-SNV") == "Số: 12/BC-SNV"
    assert number_line("", "KH", "SNV") == f"Số: {NBSP * 7}/KH-SNV"
    assert number_line("/KH-UBND") == f"Số: {NBSP * 7}/KH-UBND"


def test_number_line_prints_the_symbol_as_written_rather_than_the_issuers_code():
    assert number_line("", "KH", "UBND-NT", "KH-UBND") == f"Số: {NBSP * 7}/KH-UBND"
    assert number_line("", "KH", "UBND-NT") == f"Số: {NBSP * 7}/KH-UBND-NT"
    assert number_line("12", "KH", "UBND-NT", "KH-UBND") == "Số: 12/KH-UBND"
    # A number the register gave carries its symbol already.
    assert number_line("03/KH-UBND", "KH", "UBND-NT", "KH-SNV") == "Số: 03/KH-UBND"


def test_heading_lines_split_a_peoples_committee_before_its_place():
    assert heading_lines("Ủy ban nhân dân tỉnh Khánh Hòa") == ["ỦY BAN NHÂN DÂN", "TỈNH KHÁNH HÒA"]


def test_heading_lines_balance_a_long_name_instead_of_orphaning_a_word():
    assert heading_lines("Sở Thông tin và Truyền thông") == ["SỞ THÔNG TIN", "VÀ TRUYỀN THÔNG"]


def test_balanced_lines_keep_every_word_and_leave_no_word_alone():
    title = "Ban hành Kế hoạch tuyên truyền cải cách hành chính tỉnh Khánh Hòa năm 2022"
    lines = balanced_lines(title, 68)
    assert " ".join(lines) == title
    assert len(lines) == 2
    assert min(len(line) for line in lines) > 25
    assert balanced_lines("Sở Nội vụ", 24) == ["Sở Nội vụ"]


def test_balanced_lines_do_not_split_a_two_syllable_word_when_an_even_break_exists():
    title = "Ban hành Kế hoạch tuyên truyền cải cách hành chính tỉnh Khánh Hòa năm 2022"
    assert balanced_lines(title, 68) == [
        "Ban hành Kế hoạch tuyên truyền cải cách", "hành chính tỉnh Khánh Hòa năm 2022",
    ]
    assert balanced_lines("Tuyên truyền cải cách hành chính tỉnh Khánh Hòa năm 2022", 40) == [
        "Tuyên truyền cải cách hành chính", "tỉnh Khánh Hòa năm 2022",
    ]


def test_words_with_a_slash_are_never_broken_at_it():
    from documents.templatetags.document_text import unbroken

    assert unbroken("Quý II/2022 <b>") == (
        'Quý <span class="unbroken">II/2022</span> &lt;b&gt;'
    )
    assert unbroken("xem https://dichvucong.gov.vn.") == (
        'xem <span class="unbroken">https://dichvucong.gov.vn.</span>'
    )


@pytest.mark.django_db
def test_issuing_body_of_a_department_names_the_province_above_it():
    province = AgencyFactory(name="Ủy ban nhân dân tỉnh Khánh Hòa", code="UBND-KH", kind="province")
    department = AgencyFactory(
        name="Sở Nội vụ tỉnh Khánh Hòa", code="SNV", kind="department", parent=province
    )
    assert issuing_body(department) == (["ỦY BAN NHÂN DÂN", "TỈNH KHÁNH HÒA"], ["SỞ NỘI VỤ"])
    assert issuing_body(province) == ([], ["ỦY BAN NHÂN DÂN", "TỈNH KHÁNH HÒA"])


def test_recipient_lines_get_dashes_and_end_with_the_archive_copy():
    assert recipient_lines(["Như trên;", "- Bộ Nội vụ;"]) == [
        "- Như trên;", "- Bộ Nội vụ;", "- Lưu: VT."
    ]
    assert recipient_lines(["UBND tỉnh;", "Lưu: VT, CCHC."])[-1] == "- Lưu: VT, CCHC."


@pytest.mark.django_db
def test_shared_layout_renders_a_report_sent_up_to_a_higher_body():
    province = AgencyFactory(name="Ủy ban nhân dân tỉnh Khánh Hòa", code="UBND-KH", kind="province")
    department = AgencyFactory(
        name="Sở Nội vụ tỉnh Khánh Hòa", code="SNV", kind="department", parent=province
    )
    context = {
        "document_title": "Báo cáo quý I",
        "letterhead": Letterhead.for_agency(
            department,
            number=number_line("12/BC-SNV"),
            date_line=vietnamese_date_line("Khánh Hòa", datetime.date(2022, 4, 5)),
            kind="BÁO CÁO",
            title="Kết quả tuyên truyền cải cách hành chính quý I năm 2022",
            addressees=["Ủy ban nhân dân tỉnh Khánh Hòa"],
        ),
        "signature": Signature(authority="KT. GIÁM ĐỐC", title="PHÓ GIÁM ĐỐC",
                               name="Lê Thị Hồng", recipients=["Như trên;", "Lưu: VT, CCHC."]),
    }
    reader = PdfReader(BytesIO(render_pdf("documents/document.html", context)))
    assert [page_size(page) for page in reader.pages] == [A4]
    assert top_margin_texts(reader.pages[0]) == []
    assert normalized(reader.pages[0].extract_text()) == (
        "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA SỞ NỘI VỤ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - "
        "Tự do - Hạnh phúc Số: 12/BC-SNV Khánh Hòa, ngày 05 tháng 4 năm 2022 BÁO CÁO Kết quả "
        "tuyên truyền cải cách hành chính quý I năm 2022 Kính gửi: Ủy ban nhân dân tỉnh Khánh "
        "Hòa Nơi nhận: - Như trên; - Lưu: VT, CCHC. KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC Lê Thị Hồng"
    )


# -- only local static files are fetched ----------------------------------------------


def test_fetcher_serves_our_stylesheet():
    response = StaticOnlyFetcher().fetch("http://pdf.invalid/static/documents/pdf.css")
    assert b"@page" in response.read()
    assert response.content_type == "text/css"


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/static/documents/pdf.css",
        "http://pdf.invalid/media/evidence/secret.pdf",
        "http://pdf.invalid/static/../../cchc_plans/settings.py",
        "file:///etc/passwd",
    ],
)
def test_fetcher_refuses_anything_else(url):
    with pytest.raises(ValueError):
        StaticOnlyFetcher().fetch(url)


# -- the Khánh Hòa 2022 demo plan as a PDF ----------------------------------------------


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo plan of Quyết định 286/QĐ-UBND rendered once, its data rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=StringIO())
        plan = plan_document_queryset(Plan.objects.all()).get(decision_number="286/QĐ-UBND")
        context = plan_document(plan)
        pdf = render_pdf("documents/plan.html", context)
        result = {
            "reader": PdfReader(BytesIO(pdf)),
            "html": render_html("documents/plan.html", context),
            "filename": plan_filename(plan),
            "tasks": {task.number: task.title for task in plan.tasks.all()},
        }
        transaction.set_rollback(True)
    pages = [normalized(page.extract_text()) for page in result["reader"].pages]
    return {**result, "pages": pages, "text": " ".join(pages)}


def test_demo_plan_pdf_carries_the_national_title_and_motto(demo):
    first = demo["pages"][0]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first
    assert "Độc lập - Tự do - Hạnh phúc" in first
    assert "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA" in first


def test_demo_plan_pdf_opens_with_the_issuing_decision(demo):
    first = demo["pages"][0]
    assert "Số: 286/QĐ-UBND" in first
    assert "Khánh Hòa, ngày 26 tháng 01 năm 2022" in first
    assert "QUYẾT ĐỊNH" in first
    assert "Căn cứ Luật Tổ chức chính quyền địa phương" in first
    # The proposal comes last among the bases and ends with a full stop.
    assert "Theo đề nghị của Giám đốc Sở Nội vụ tại Công văn số 190/SNV-CCHC ngày 21 tháng " \
        "01 năm 2022. QUYẾT ĐỊNH:" in first
    # The bases the plan's own preamble cites are not repeated in the decision.
    assert "Căn cứ Nghị quyết Đại hội" not in demo["text"]
    assert demo["text"].count("Điều 1.") == 1
    assert "kể từ ngày ký./. Nơi nhận:" in demo["text"]
    assert "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH" in demo["text"]
    assert "Nguyễn Tấn Tuấn" in demo["text"]
    assert "- Lưu: VT, DL." in demo["text"]


def test_demo_plan_pdf_then_gives_the_plan_attached_to_the_decision(demo):
    text = demo["text"]
    assert "KẾ HOẠCH Tuyên truyền cải cách hành chính tỉnh Khánh Hòa năm 2022" in text
    assert "(Ban hành kèm theo Quyết định số 286/QĐ-UBND ngày 26/01/2022 của Ủy ban nhân dân " \
        "tỉnh Khánh Hòa)" in text
    # The headings as the original writes them.
    for heading in ["I. MỤC TIÊU, YÊU CẦU", "II. NỘI DUNG, HOẠT ĐỘNG TUYÊN TRUYỀN THỐNG NHẤT",
                    "3. Hình thức thông tin, tuyên truyền:",
                    "III. CÁC HOẠT ĐỘNG TUYÊN TRUYỀN TRỌNG ĐIỂM", "IV. TRÁCH NHIỆM TRIỂN KHAI",
                    "V. TỔ CHỨC THỰC HIỆN"]:
        assert heading in text
    assert "a) Đẩy mạnh công tác truyền thông nội bộ về cải cách hành chính:" in text
    assert "đ) Tuyên truyền qua Cổng /Trang thông tin điện tử:" in text
    # Agencies named in the duties, with their diacritics.
    for agency in ["2. Sở Nội vụ:", "4. Sở Thông tin và Truyền thông:", "8. Sở Y tế:",
                   "13. Đài Phát thanh và Truyền hình Khánh Hòa, Báo Khánh Hòa:",
                   "Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"]:
        assert agency in text
    assert text.count("./.") == 2  # the decision's body and the plan's


def test_demo_plan_pdf_lists_the_key_tasks_in_a_landscape_appendix(demo):
    reader, pages = demo["reader"], demo["pages"]
    appendix = next(i for i, page in enumerate(pages) if "Phụ lục MỘT SỐ NHIỆM VỤ" in page)
    assert all(page_size(page) == A4 for page in reader.pages[:appendix])
    assert all(page_size(page) == A4_LANDSCAPE for page in reader.pages[appendix:])
    table = " ".join(pages[appendix:])
    # The appendix keeps the plan's own title, as the seed writes it.
    assert "TRỌNG ĐIỂM TỈNH KHÁNH HÒA NĂM 2022" in table
    for number in [1, 3, 6, 7, 13, 16]:
        assert normalized(demo["tasks"][number]) in table
    assert "Sở Kế hoạch và Đầu tư chủ trì, phối hợp với Văn phòng UBND tỉnh" in table
    assert "Định kỳ hàng quý, bắt đầu từ quý I/2022" in table
    # The table header is repeated on every landscape page.
    header = "STT Nhiệm vụ, hoạt động tuyên truyền Hình thức tuyên truyền Phân công chủ trì, " \
        "phối hợp Tiến độ"
    assert len(pages) - appendix > 1
    assert all(header in page for page in pages[appendix:])


def test_demo_plan_pdf_has_page_numbers_from_page_two(demo):
    pages = demo["reader"].pages
    assert len(pages) > 1
    # Page 1 carries no number; its top margin holds the signed original's stamp.
    assert top_margin_texts(pages[0]) == [
        "Ký bởi: Ủy ban nhân dân tỉnh Khánh Hòa", "Email: ubnd@khanhhoa.gov.vn",
        "Ngày ký: 16.02.2022 10:30:03",
    ]
    for number, page in enumerate(pages[1:], start=2):
        assert top_margin_texts(page) == [str(number)]


def test_demo_plan_pdf_file_name(demo):
    assert demo["filename"] == "KH-2022-khanh-hoa.pdf"


def test_demo_plan_preview_is_the_same_document_as_html(demo):
    html = demo["html"]
    assert '<html lang="vi">' in html
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html
    assert "/static/documents/pdf.css" in html
    assert "<script" not in html and "style=" not in html
