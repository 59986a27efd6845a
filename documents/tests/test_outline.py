"""The plan printed from its outline: headings, numbering, order and tables as written."""

from io import BytesIO

import pytest
from pypdf import PdfReader

from documents.pdf import render_pdf
from documents.plan import PLAN_TEMPLATE, plan_document, plan_document_queryset
from plans.models import Attachment, OutlineNode, OutlinePart, OutlineSource, Plan
from tasks.models import TablePlacement, TaskTable, TaskTableRow
from tasks.services import set_task_agencies
from tests.factories import PlanFactory, TaskFactory
from tests.wording import pdf_words, word_share, words

from .test_pdf import normalized, page_size

SEVEN_COLUMNS = [
    {"heading": "TT", "field": "number"},
    {"heading": "Nội dung", "field": "title"},
    {"heading": "Hình thức", "field": "forms"},
    {"heading": "Cơ quan chủ trì", "field": "lead"},
    {"heading": "Cơ quan phối hợp", "field": "coordinators"},
    {"heading": "Thời gian thực hiện", "field": "timeline"},
    {"heading": "Ghi chú", "field": "notes"},
]


def render(plan):
    plan = plan_document_queryset(Plan.objects.all()).get(pk=plan.pk)
    content = render_pdf(PLAN_TEMPLATE, plan_document(plan))
    reader = PdfReader(BytesIO(content))
    return content, reader, [normalized(page.extract_text()) for page in reader.pages]


def add_node(plan, position, level=0, numbering="", heading="", text="", **fields):
    return OutlineNode.objects.create(
        plan=plan, part=fields.pop("part", OutlinePart.PLAN), position=position, level=level,
        numbering=numbering, heading=heading, text=text, **fields,
    )


@pytest.fixture
def department_plan(home_affairs, justice, district_group):
    """A department's plan as written: its own headings, its task table inside section II."""
    plan = PlanFactory(
        issuer=home_affairs, title="Kế hoạch tuyên truyền cải cách hành chính năm 2025",
        document_number="12/KH-SNV", place="Khánh Hòa", outline_source=OutlineSource.WRITTEN,
        signer_authority="KT. GIÁM ĐỐC", signer_title="PHÓ GIÁM ĐỐC", signer_name="Trần Văn A",
        recipients="UBND tỉnh;\nLưu: VT, CCHC.",
    )
    add_node(plan, 1, text="Thực hiện Kế hoạch số 286/KH-UBND, Sở Nội vụ ban hành Kế hoạch như "
             "sau:", attachment=Attachment.PREAMBLE)
    add_node(plan, 2, numbering="I.", heading="MỤC ĐÍCH, YÊU CẦU", centered=True)
    add_node(plan, 3, 1, "1.", "Mục đích:", "- Nâng cao nhận thức của công chức.\n"
             "+ Trong toàn Sở.", attachment=Attachment.OBJECTIVES)
    add_node(plan, 4, numbering="II.", heading="NỘI DUNG, HOẠT ĐỘNG TUYÊN TRUYỀN THỐNG NHẤT")
    section = add_node(plan, 5, 1, "3.1.", "Nhiệm vụ cụ thể:", attachment=Attachment.KEY_TASKS)
    add_node(plan, 6, 2, "a)", "Tuyên truyền nội bộ", "Thông qua các buổi giao ban.",
             emphasis="bold")
    add_node(plan, 7, numbering="III.", heading="TỔ CHỨC THỰC HIỆN")
    add_node(plan, 8, 1, "1.", "Chế độ báo cáo:", "Báo cáo khi có yêu cầu.", run_in=True,
             attachment=Attachment.REPORTING)
    first = TaskFactory(plan=plan, number=1, title="Tập huấn nghiệp vụ", forms="Hội nghị",
                        lead_text="Văn phòng Sở", coordinators_text="Các phòng thuộc Sở",
                        timeline_text="Quý II/2025", notes="Lồng ghép")
    second = TaskFactory(plan=plan, number=2, title="Tin bài trên Trang thông tin điện tử",
                         forms="Tin, bài", timeline_text="Thường xuyên")
    set_task_agencies(task=second, leads=[justice], coordinator_groups=[district_group])
    table = TaskTable.objects.create(plan=plan, node=section, placement=TablePlacement.INLINE,
                                     columns=SEVEN_COLUMNS)
    TaskTableRow.objects.create(table=table, position=1, text="A. CẤP SỞ")
    TaskTableRow.objects.create(table=table, position=2, task=first)
    TaskTableRow.objects.create(table=table, position=3, task=second, number_text="2.")
    return plan


def test_written_outline_prints_its_headings_numbering_and_inline_table(department_plan):
    _content, reader, pages = render(department_plan)
    text = " ".join(pages)
    assert all(page_size(page) == (595, 842) for page in reader.pages)
    assert "NỘI DUNG, HOẠT ĐỘNG TUYÊN TRUYỀN THỐNG NHẤT" in text
    assert "NỘI DUNG, HÌNH THỨC TUYÊN TRUYỀN" not in text
    assert "- Nâng cao nhận thức của công chức. + Trong toàn Sở." in text
    header = "TT Nội dung Hình thức Cơ quan chủ trì Cơ quan phối hợp Thời gian thực hiện Ghi chú"
    # The table sits in section II, under 3.1., before section III and the signature.
    order = [
        "II. NỘI DUNG", "3.1. Nhiệm vụ cụ thể:", header, "A. CẤP SỞ",
        "1 Tập huấn nghiệp vụ Hội nghị Văn phòng Sở Các phòng thuộc Sở Quý II/2025 Lồng ghép",
        "2. Tin bài trên Trang thông tin điện tử Tin, bài Sở Tư pháp UBND các huyện, thị xã, "
        "thành phố Thường xuyên",
        "a) Tuyên truyền nội bộ", "III. TỔ CHỨC THỰC HIỆN",
        "1. Chế độ báo cáo: Báo cáo khi có yêu cầu./.", "KT. GIÁM ĐỐC",
    ]
    for part in order:
        assert part in text, part
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)
    assert "Phụ lục" not in text


def test_written_outline_reproduces_its_words_in_order(department_plan):
    content, _reader, _pages = render(department_plan)
    source = []
    for node in department_plan.outline_nodes.order_by("position"):
        source += words(f"{node.numbering} {node.heading} {node.text}")
    share = word_share(source, pdf_words(content))
    print(f"department plan: {share:.1%} of its outline's words in order")
    assert share == 1.0


def test_appendix_table_keeps_its_title_and_line_as_written(department_plan):
    table = department_plan.task_tables.get()
    table.placement = TablePlacement.APPENDIX
    table.label = "Phụ lục II"
    table.title = "DANH MỤC NHIỆM VỤ\nTUYÊN TRUYỀN NĂM 2025"
    table.subtitle = "(Kèm theo Kế hoạch số 12/KH-SNV ngày 05/02/2025 của Sở Nội vụ)"
    table.save()
    _content, reader, pages = render(department_plan)
    annex = next(i for i, page in enumerate(pages) if page.startswith("Phụ lục II"))
    assert pages[annex].startswith(
        "Phụ lục II DANH MỤC NHIỆM VỤ TUYÊN TRUYỀN NĂM 2025 (Kèm theo Kế hoạch số 12/KH-SNV "
        "ngày 05/02/2025 của Sở Nội vụ) TT Nội dung"
    )
    assert page_size(reader.pages[annex]) == (842, 595)
    # The signature closes the plan, before the appendix.
    assert "KT. GIÁM ĐỐC" in " ".join(pages[:annex])


def test_tasks_no_table_lists_join_the_last_one(department_plan):
    TaskFactory(plan=department_plan, number=3, title="Nhiệm vụ bổ sung sau khi nhập")
    _content, _reader, pages = render(department_plan)
    text = " ".join(pages)
    assert text.index("Nhiệm vụ bổ sung sau khi nhập") < text.index("a) Tuyên truyền nội bộ")


@pytest.mark.django_db
def test_decision_keeps_its_own_authority_date_signer_and_recipients(home_affairs):
    plan = PlanFactory(
        issuer=home_affairs, title="Kế hoạch tuyên truyền CCHC năm 2025",
        decision_number="45/QĐ-SXD", decision_title="Ban hành Kế hoạch tuyên truyền CCHC",
        decision_text="Điều 1. Ban hành kèm theo Quyết định này Kế hoạch.\n"
                      "Điều 2. Quyết định có hiệu lực kể từ ngày ký.",
        decision_authority="GIÁM ĐỐC SỞ XÂY DỰNG KHÁNH HÒA",
        decision_date_text="Khánh Hòa, ngày    tháng 02 năm 2025",
        decision_signer_authority="KT. GIÁM ĐỐC", decision_signer_title="PHÓ GIÁM ĐỐC",
        decision_signer_name="Lê Văn B", decision_recipients="Như Điều 2;\nLưu: VT.",
        signer_authority="GIÁM ĐỐC", signer_name="Nguyễn Văn C",
        recipients="Các phòng thuộc Sở;\nLưu: VT, VP.",
        electronic_signature="Ký bởi: Sở Xây dựng; Email: sxd@khanhhoa.gov.vn; "
                             "Ngày ký: 10.02.2025 08:00:00",
        subtitle_text="(Ban hành kèm theo Quyết định số 45/QĐ-SXD của Giám đốc Sở Xây dựng)",
    )
    _content, _reader, pages = render(plan)
    decision = pages[0]
    assert decision.startswith("Ký bởi: Sở Xây dựng Email: sxd@khanhhoa.gov.vn Ngày ký: "
                               "10.02.2025 08:00:00")
    assert "Khánh Hòa, ngày tháng 02 năm 2025" in decision
    assert "GIÁM ĐỐC SỞ XÂY DỰNG KHÁNH HÒA QUYẾT ĐỊNH: Điều 1. Ban hành kèm theo" in decision
    assert "kể từ ngày ký./. Nơi nhận: - Như Điều 2; - Lưu: VT. KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC " \
        "Lê Văn B" in decision
    rest = " ".join(pages[1:])
    assert "(Ban hành kèm theo Quyết định số 45/QĐ-SXD của Giám đốc Sở Xây dựng)" in rest
    assert "- Các phòng thuộc Sở; - Lưu: VT, VP. GIÁM ĐỐC Nguyễn Văn C" in rest
