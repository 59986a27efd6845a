"""Reading an import file within limits: refused at once, with a message for the user."""

import io
import struct
import unicodedata
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from cchc_plans.spreadsheets import (
    Limits,
    SpreadsheetError,
    check_upload,
    clean_cell,
    read_dataset,
)

LIMITS = Limits(max_bytes=1024 * 1024, max_rows=100, max_cells=2000,
                max_uncompressed_bytes=2 * 1024 * 1024)


def xlsx(rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def refused(data, name, limits=LIMITS):
    """The message of the refusal, in Vietnamese, by the upload check and by the reader."""
    upload = SimpleUploadedFile(name, data)
    with translation.override("vi"), pytest.raises(SpreadsheetError) as at_upload:
        check_upload(upload, limits)
    return at_upload.value.message


def bomb(shared_strings_bytes):
    """A tiny zip whose shared strings part inflates to ``shared_strings_bytes``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/sharedStrings.xml", "w") as part:
            chunk = b"<si><t>" + b"A" * 1_000_000 + b"</t></si>"
            for _ in range(shared_strings_bytes // len(chunk) + 1):
                part.write(chunk)
    return buffer.getvalue()


def test_a_workbook_that_unpacks_to_more_than_the_limit_is_refused_from_its_directory():
    data = bomb(5 * 1024 * 1024)
    assert len(data) < 50 * 1024  # a small upload
    message = refused(data, "nhiem-vu.xlsx")
    assert "Khi giải nén" in message and "2,0\xa0MB" in message


def test_the_default_limit_refuses_the_230_mb_shared_strings_of_a_small_file():
    data = bomb(230 * 1024 * 1024)
    assert "Khi giải nén" in refused(data, "nhiem-vu.xlsx", Limits.from_settings())


def test_a_part_that_lies_about_its_size_is_not_read_beyond_it():
    data = bytearray(bomb(3 * 1024 * 1024))
    name = b"xl/sharedStrings.xml"
    # Declare 100 bytes in the local header and the central directory.
    for signature, name_at, size_at in ((b"PK\x03\x04", 26, 22), (b"PK\x01\x02", 28, 24)):
        start = data.find(signature)
        while start >= 0:
            length = struct.unpack("<H", data[start + name_at:start + name_at + 2])[0]
            offset = 30 if signature == b"PK\x03\x04" else 46
            if data[start + offset:start + offset + length] == name:
                data[start + size_at:start + size_at + 4] = struct.pack("<I", 100)
            start = data.find(signature, start + 4)
    with translation.override("vi"), pytest.raises(SpreadsheetError) as error:
        read_dataset(bytes(data), "xlsx", LIMITS)
    assert "không phải là một bảng tính Excel" in error.value.message


def test_a_zip_of_many_parts_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        for number in range(600):
            archive.writestr(f"xl/media/{number}.png", "")
    assert "601 phần" in refused(buffer.getvalue(), "nhiem-vu.xlsx")


def test_a_file_over_the_size_limit_is_refused():
    assert "tối đa 1,0\xa0MB" in refused(b"a,b\n" * 300_000, "nhiem-vu.csv")


def test_a_csv_with_too_many_rows_is_refused_when_uploaded():
    data = "mã,tên đầy đủ\n" + "".join(f"M{n},Đơn vị {n}\n" for n in range(101))
    assert "nhiều hơn 100 dòng" in refused(data.encode(), "don-vi.csv")


def test_a_workbook_with_too_many_rows_is_refused_when_read():
    data = xlsx([["mã", "tên"], *([f"M{n}", "x"] for n in range(101))])
    with translation.override("vi"), pytest.raises(SpreadsheetError) as error:
        read_dataset(data, "xlsx", LIMITS)
    assert "nhiều hơn 100 dòng" in error.value.message


def test_too_many_cells_are_refused():
    data = ",".join(f"c{n}" for n in range(40)) + "\n" + ("x," * 39 + "x\n") * 60
    assert "ô" in refused(data.encode(), "don-vi.csv")


def test_blank_rows_are_skipped_and_short_rows_padded():
    data = xlsx([["mã", "tên", "ghi chú"], ["M1", "Một"], [None, None], ["M2", "Hai", "x"]])
    dataset = read_dataset(data, "xlsx", LIMITS)
    assert dataset.headers == ["mã", "tên", "ghi chú"]
    assert list(dataset) == [("M1", "Một", None), ("M2", "Hai", "x")]


def test_a_sheet_that_declares_a_wrong_size_is_read_whole():
    data = xlsx([["mã", "tên"], ["M1", "Một"], ["M2", "Hai"]])
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for member in source.infolist():
            content = source.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b'<dimension ref="A1:B3"/>', b'<dimension ref="A1"/>')
            target.writestr(member, content)
    assert len(read_dataset(buffer.getvalue(), "xlsx", LIMITS)) == 2


TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def windows_1258(text):
    """Text as Excel on a Vietnamese Windows saves it: vowels such as â, ơ, ư whole, tone
    marks as separate combining characters."""
    letters = []
    for letter in text:
        parts = unicodedata.normalize("NFD", letter)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONE_MARKS))
        letters.append(base + "".join(c for c in parts if c in TONE_MARKS))
    return "".join(letters).encode("cp1258")


@pytest.mark.parametrize("encode", [
    lambda text: text.encode("utf-8"),
    lambda text: text.encode("utf-8-sig"),
    lambda text: unicodedata.normalize("NFD", text).encode("utf-8"),
    windows_1258,
], ids=["utf-8", "utf-8 BOM", "utf-8 decomposed", "windows-1258"])
def test_csv_encodings_accepted(encode):
    text = "mã;tên đầy đủ\nSTP;Sở Tư pháp\nUBND-NT;Ủy ban nhân dân thành phố Nha Trang\n"
    dataset = read_dataset(encode(text), "csv", LIMITS)
    assert dataset.headers == ["mã", "tên đầy đủ"]
    assert list(dataset) == [
        ("STP", "Sở Tư pháp"), ("UBND-NT", "Ủy ban nhân dân thành phố Nha Trang")
    ]


@pytest.mark.parametrize("data", [
    "mã,tên\nSTP,Sở Tư pháp\n".encode("utf-16"),
    "mã,tên\nSTP,Sở Tư pháp\n".encode() + b"\xff\xfe broken",
])
def test_another_encoding_is_refused_naming_the_encodings_accepted(data):
    message = refused(data, "don-vi.csv")
    assert "UTF-8" in message and "Windows-1258" in message


@pytest.mark.parametrize("name", ["ke-hoach.xls", "ke-hoach.ods", "ke-hoach"])
def test_only_xlsx_and_csv_are_accepted(name):
    assert ".xlsx" in refused(b"anything", name)


def test_a_damaged_workbook_is_refused_with_a_message():
    assert "không phải là một bảng tính Excel" in refused(b"PK\x03\x04 not a zip", "a.xlsx")
    with translation.override("vi"), pytest.raises(SpreadsheetError):
        read_dataset(b"not a workbook", "xlsx", LIMITS)


def test_an_empty_file_is_refused():
    with translation.override("vi"), pytest.raises(SpreadsheetError) as error:
        read_dataset(b"\n\n", "csv", LIMITS)
    assert "trống" in error.value.message


def test_cells_are_cleaned_like_the_text_of_forms():
    assert clean_cell("\u200b\u200d ") == ""
    assert clean_cell(" Sở \u202eTư pháp\u202c ") == "Sở Tư pháp"
