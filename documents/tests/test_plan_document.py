"""How a plan's text is laid out as a document: numbering, dashes, bases, "./."."""

from decimal import Decimal

import pytest

from documents.pdf import close_text
from documents.plan import (
    basis_lines,
    items,
    money,
    plan_document,
    plan_document_queryset,
    plan_filename,
    subject,
)
from plans.models import LegalBasis, Target
from tests.factories import PlanFactory


def texts(blocks):
    return [block if isinstance(block, str) else block.text for block in blocks]


def test_items_dash_list_lines_but_not_numbered_ones_nor_introductions():
    lines = ["Tiếp tục thực hiện các công việc sau:", "100% cán bộ truy cập website.",
             "a) Là cơ quan chủ trì.", "- Đã có gạch đầu dòng."]
    assert texts(items(lines)) == [
        "Tiếp tục thực hiện các công việc sau:", "- 100% cán bộ truy cập website.",
        "a) Là cơ quan chủ trì.", "- Đã có gạch đầu dòng.",
    ]
    assert texts(items(["Một đoạn văn duy nhất."])) == ["Một đoạn văn duy nhất."]
    assert texts(items(["Một.", "Hai."], bullets=False)) == ["Một.", "Hai."]


def test_basis_lines_put_the_proposal_last_and_end_with_a_full_stop():
    lines = basis_lines([
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
        "Theo đề nghị của Giám đốc Sở Nội vụ.",
        "Quyết định số 4831/QĐ-UBND ngày 24/12/2021",
    ])
    assert lines == [
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
        "Căn cứ Quyết định số 4831/QĐ-UBND ngày 24/12/2021;",
        "Theo đề nghị của Giám đốc Sở Nội vụ.",
    ]


def test_close_text_ends_the_body_once():
    assert close_text("thực hiện Kế hoạch này.") == "thực hiện Kế hoạch này./."
    assert close_text("kể từ ngày ký./.") == "kể từ ngày ký./."


def test_subject_drops_the_document_type_from_the_title():
    assert subject("Kế hoạch tuyên truyền CCHC năm 2022") == "Tuyên truyền CCHC năm 2022"
    assert subject("Thông tin, tuyên truyền CCHC") == "Thông tin, tuyên truyền CCHC"


def test_money_is_written_in_dong_with_dots():
    assert money(Decimal("1234567")) == "1.234.567 đồng"


def read(plan):
    return plan_document(plan_document_queryset(type(plan).objects.all()).get(pk=plan.pk))


def sections(document):
    return [(b.label, b.text) for b in document["blocks"] if b.kind == "heading" and b.level == 0]


def all_text(document):
    return [block.text for block in document["blocks"] if block.kind in ("para", "basis")]


@pytest.mark.django_db
def test_plan_sections_are_numbered_in_order_and_skip_empty_parts(province):
    plan = PlanFactory(issuer=province, objectives="Mục tiêu một.", implementation="Triển khai.")
    document = read(plan)
    assert sections(document) == [("I.", "MỤC TIÊU, YÊU CẦU"), ("II.", "TỔ CHỨC THỰC HIỆN")]
    assert all_text(document)[-1] == "Triển khai./."
    assert document["appendices"] == []
    assert document["signature"].recipients == []


@pytest.mark.django_db
def test_budget_and_reporting_already_written_in_the_implementation_are_not_repeated(province):
    plan = PlanFactory(
        issuer=province,
        implementation="1. Các sở triển khai.\n2. Kinh phí theo Thông tư số 26/2019/TT-BTC.",
        budget_text="Kinh phí theo Thông tư số 26/2019/TT-BTC.",
        budget_amount=Decimal("50000000"),
        reporting_periods=["Q1", "H1", "M9", "Y"],
        report_recipient="Sở Nội vụ",
        report_due_day=5,
    )
    document = read(plan)
    titles = [title for _label, title in sections(document)]
    assert titles == ["KINH PHÍ THỰC HIỆN", "CHẾ ĐỘ BÁO CÁO", "TỔ CHỨC THỰC HIỆN"]
    assert all_text(document)[:2] == [
        "Dự toán kinh phí: 50.000.000 đồng.",
        "Định kỳ (Quý I, 06 tháng, 09 tháng và năm), các cơ quan, đơn vị báo cáo kết quả thực "
        "hiện Kế hoạch, gửi về Sở Nội vụ trước ngày 05 của tháng cuối kỳ báo cáo.",
    ]


@pytest.mark.django_db
def test_legal_bases_cited_by_the_preamble_are_not_repeated(province):
    plan = PlanFactory(
        issuer=province,
        preamble="Căn cứ Quyết định số 35/QĐ-BNV ngày 22/01/2024 của Bộ Nội vụ;\nỦy ban ban hành:",
        implementation="Các sở triển khai.",
    )
    LegalBasis.objects.create(plan=plan, position=1, text="Quyết định số 35/QĐ-BNV ngày "
                              "22/01/2024 của Bộ Nội vụ")
    LegalBasis.objects.create(plan=plan, position=2, text="Luật Tổ chức chính quyền địa phương")
    document = read(plan)
    assert all_text(document)[:3] == [
        "Căn cứ Luật Tổ chức chính quyền địa phương;",
        "Căn cứ Quyết định số 35/QĐ-BNV ngày 22/01/2024 của Bộ Nội vụ;",
        "Ủy ban ban hành:",
    ]


@pytest.mark.django_db
def test_targets_are_a_table_in_section_one(province):
    plan = PlanFactory(issuer=province)
    Target.objects.create(plan=plan, position=1, indicator="PCI", unit="score",
                          description="PCI đạt khoảng 69,5 điểm", target_value=Decimal("69.5"),
                          baseline=Decimal("65.25"), baseline_label="2023")
    section, heading, table = read(plan)["blocks"]
    assert (section.label, section.text) == ("I.", "MỤC TIÊU, YÊU CẦU")
    assert heading.label == "1." and heading.text == "Chỉ tiêu:"
    assert table.rows == [{"indicator": "PCI", "description": "PCI đạt khoảng 69,5 điểm",
                           "baseline": "65,25 điểm (2023)", "target": "69,5 điểm"}]


@pytest.mark.django_db
def test_plan_filename_names_the_period_place_and_agency(province, home_affairs):
    assert plan_filename(PlanFactory(issuer=province, place="Khánh Hòa")) == (
        "KH-2022-khanh-hoa.pdf"
    )
    ranged = PlanFactory(issuer=home_affairs, place="Đà Nẵng", period_start_year=2021,
                         period_end_year=2030)
    assert plan_filename(ranged) == "KH-2021-2030-da-nang-snv.pdf"
