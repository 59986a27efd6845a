"""Reading plan files: words in body order, tables cell by cell, bad files refused."""

import difflib
import io
import zipfile

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importing.blocks import Paragraph, Table, UnreadableFile, words
from importing.parsing import parse
from importing.reading import MAX_BYTES, read_plan_file, read_text

from .conftest import SEED_NAMES, seed


@pytest.mark.parametrize("name", SEED_NAMES)
def test_a_pdf_reads_the_words_of_the_word_file_it_was_printed_from(name):
    from_docx = words(read_plan_file(seed(f"{name}.docx"), f"{name}.docx"))
    from_pdf = words(read_plan_file(seed(f"{name}.pdf"), f"{name}.pdf"))
    matcher = difflib.SequenceMatcher(None, from_docx, from_pdf, autojunk=False)
    share = sum(block.size for block in matcher.get_matching_blocks()) / len(from_docx)
    print(f"{name}: {share:.2%} of the .docx words read from the PDF in order")
    assert share >= 0.995


def test_a_table_split_over_pages_is_one_table_again():
    blocks = read_plan_file(seed("khanh-hoa-2022-provincial-plan.pdf"))
    tables = [block for block in blocks if isinstance(block, Table) and block.ruled]
    assert len(tables) == 1
    rows = tables[0].rows
    assert [row[0] for row in rows] == ["STT", *map(str, range(1, 17))]
    # Task 3 goes on over the page break: its last words come back in its own cell.
    assert rows[3][3].endswith("chủ động nghiên cứu tổ chức đối thoại trong phạm vi hoạt "
                               "động ngành, lĩnh vực phân công")
    assert rows[4][1].startswith("Phổ biến, quán triệt thực hiện Chương trình hành động nâng "
                                 "cao Chỉ số năng lực cạnh tranh")


def test_the_header_and_the_signature_columns_of_a_pdf_are_read_apart():
    blocks = read_plan_file(seed("khanh-hoa-2022-provincial-plan.pdf"))
    header = blocks[0]
    assert header.rows[0][0].split("\n") == ["ỦY BAN NHÂN DÂN", "TỈNH KHÁNH HÒA",
                                             "Số: 286 /QĐ-UBND"]
    assert header.rows[0][1].endswith("Khánh Hòa, ngày 26 tháng 01 năm 2022")
    signature = next(b for b in blocks if isinstance(b, Table) and "Nơi nhận" in b.rows[0][0])
    # The recipients go on over the page break beside the signer's name.
    assert signature.rows[0][0].split("\n")[-1] == "- Lưu: VT, DL."
    assert signature.rows[0][1].split("\n") == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH",
                                                "Nguyễn Tấn Tuấn"]


def test_a_paragraph_cut_by_a_page_break_is_joined_again():
    plan = parse(read_plan_file(seed("khanh-hoa-2022-provincial-plan.docx")))
    texts = [p for node in plan.nodes for p in node.paragraphs]
    assert any(text.endswith("các tổ chức chính trị - xã hội, cơ quan thông tin đại chúng, "
                             "tổ chức hội, hiệp hội.") for text in texts)


def test_a_word_broken_at_a_line_end_hyphen_is_rejoined():
    blocks = read_plan_file(seed("khanh-hoa-2022-provincial-plan.pdf"))
    assert "4831/QĐ-UBND" in words(blocks)


def _docx_bytes(paragraphs=(), table=None):
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=max(len(row) for row in table))
        for row, cells in zip(grid.rows, table, strict=False):
            for cell, text in zip(row.cells, cells, strict=False):
                cell.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_merged_cell_is_read_once():
    import docx

    document = docx.Document()
    grid = document.add_table(rows=2, cols=3)
    grid.cell(0, 0).merge(grid.cell(0, 2)).text = "A. CẤP TỈNH"
    grid.cell(1, 0).text = "1"
    out = io.BytesIO()
    document.save(out)
    table = read_plan_file(out.getvalue(), "x.docx")[0]
    assert table.rows[0] == ["A. CẤP TỈNH", "", ""]
    assert words([table]) == ["A.", "CẤP", "TỈNH", "1"]


@pytest.fixture
def vietnamese():
    # The messages are checked in Vietnamese whatever language an earlier test left active.
    with translation.override("vi"):
        yield


def _refused(data, name):
    with pytest.raises(UnreadableFile) as error:
        read_plan_file(data, name)
    return error.value.message


def test_a_damaged_word_file_is_refused_with_a_message(vietnamese):
    data = _docx_bytes(["KẾ HOẠCH"])
    broken = data[: len(data) // 2]
    assert "hỏng" in _refused(broken, "ke-hoach.docx")
    # A zip that is no Word document.
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    assert "Word" in _refused(out.getvalue(), "ke-hoach.docx")


def test_an_image_only_pdf_is_refused_with_a_message(vietnamese):
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (600, 800), "white").save(out, format="PDF")
    assert "không có lớp chữ" in _refused(out.getvalue(), "scan.pdf")


def test_a_password_protected_pdf_is_refused_with_a_message(vietnamese):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(seed("khanh-hoa-dept-ict-2021-2030-plan.pdf"))).pages:
        writer.add_page(page)
    writer.encrypt(user_password="bi-mat", owner_password="bi-mat-hon")
    out = io.BytesIO()
    writer.write(out)
    assert "mật khẩu" in _refused(out.getvalue(), "ke-hoach.pdf")


def test_a_password_protected_word_file_and_an_old_doc_are_refused(vietnamese):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100
    assert "mật khẩu" in _refused(ole + "EncryptedPackage".encode("utf-16-le"), "a.docx")
    assert ".docx" in _refused(ole, "a.doc")


def test_a_file_over_20_mb_is_refused_before_it_is_read():
    assert "20 MB" in _refused(b"%PDF" + b"0" * MAX_BYTES, "big.pdf")


def test_pasted_text_keeps_its_tab_separated_rows_as_a_table():
    blocks = read_text("KẾ HOẠCH\nSTT\tNội dung\tCơ quan chủ trì\n1\tHội nghị\tSở Nội vụ\n")
    rows = [["STT", "Nội dung", "Cơ quan chủ trì"], ["1", "Hội nghị", "Sở Nội vụ"]]
    assert blocks == [Paragraph("KẾ HOẠCH"), Table(rows)]


TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(paragraphs=st.lists(TEXT, max_size=8),
       table=st.lists(st.lists(TEXT, min_size=1, max_size=5), max_size=5))
def test_any_word_file_of_paragraphs_and_tables_is_read_and_parsed(paragraphs, table):
    def legal(text):  # what XML can hold
        return "".join(
            ch for ch in text if ch in "\t\n" or ord(ch) >= 32 and ch not in "\ufffe\uffff"
        )

    data = _docx_bytes([legal(t) for t in paragraphs], [[legal(c) for c in r] for r in table])
    parse(read_plan_file(data, "x.docx"))


BLOCK = st.one_of(
    st.builds(Paragraph, st.one_of(TEXT, st.sampled_from(
        ["KẾ HOẠCH", "QUYẾT ĐỊNH", "Nơi nhận:", "Phụ lục", "I. MỤC TIÊU", "1. Mục tiêu:", "a) x",
         "- y", "Điều 1. Ban hành", "Căn cứ Luật", "Số: 12/KH-SNV",
         "Khánh Hòa, ngày 1 tháng 2 năm 2022",
         "Ký bởi: Sở Nội vụ", "(Kèm theo Kế hoạch số 1)", "TM. ỦY BAN NHÂN DÂN"]))),
    st.builds(Table, st.lists(st.lists(st.one_of(TEXT, st.sampled_from(
        ["STT", "Nội dung", "Cơ quan chủ trì", "Phối hợp", "Tiến độ", "Nơi nhận:", "1", "I"])),
        max_size=6), max_size=6), st.booleans()),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(BLOCK, max_size=30))
def test_the_parser_never_raises_on_arbitrary_paragraphs_and_tables(blocks):
    parse(blocks)


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_pasted_text_is_always_read(text):
    parse(read_text(text))
