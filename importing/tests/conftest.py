from pathlib import Path

import pytest
from django.conf import settings

from demo.loader import Catalogue, load_agencies, load_groups, read_fixture

SEEDS = Path(settings.BASE_DIR).parent.parent / "shared" / "seeds"
if not SEEDS.exists():
    SEEDS = Path(settings.BASE_DIR).parent / "shared" / "seeds"
SEED_NAMES = [
    "khanh-hoa-2022-provincial-plan",
    "ninh-thuan-2024-provincial-plan",
    "khanh-hoa-dept-ict-2021-2030-plan",
]


def seed(name):
    path = SEEDS / name
    if not path.exists():
        pytest.skip(f"seed file {name} is not on this machine")
    return path.read_bytes()


@pytest.fixture
def agency_tree(db):
    """The Khánh Hòa and Ninh Thuận agencies and groups of the demo data."""
    catalogue = Catalogue()
    load_agencies(catalogue, read_fixture("agencies.json"))
    load_groups(catalogue, read_fixture("catalogues.json"))
    return catalogue


SYNTHETIC_LEADS = ["Sở Nội vụ", "Sở Tư pháp", "Sở Thông tin và Truyền thông",
                   "UBND các huyện, thị xã, thành phố", "Sở Kế hoạch và Đầu tư"]
SYNTHETIC_TIMELINES = ["Quý I/2023", "Thường xuyên", "Trong năm 2023", "Quý III/2023",
                       "Định kỳ hàng quý"]


def synthetic_plan(rows=10):
    """A department's plan as a Word file: header, sections, and a seven-column key-task
    table inside section II, with ``rows`` tasks."""
    import io

    import docx

    document = docx.Document()
    header = document.add_table(rows=1, cols=2)
    for cell, lines in zip(header.rows[0].cells, [
        ["UBND TỈNH KHÁNH HÒA", "SỞ NỘI VỤ", "Số: 15/KH-SNV"],
        ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
         "Khánh Hòa, ngày 3 tháng 3 năm 2023"],
    ], strict=True):
        cell.text = lines[0]
        for line in lines[1:]:
            cell.add_paragraph(line)
    for text in ["KẾ HOẠCH", "Tuyên truyền cải cách hành chính năm 2023",
                 "Căn cứ Quyết định số 286/QĐ-UBND ngày 26/01/2023 của UBND tỉnh;",
                 "I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích", "- Nâng cao nhận thức của cán bộ.",
                 "2. Yêu cầu", "- Bám sát nhiệm vụ được giao.",
                 "II. NHIỆM VỤ TRỌNG TÂM"]:
        document.add_paragraph(text)
    table = document.add_table(rows=rows + 1, cols=7)
    headings = ["TT", "Nội dung", "Hình thức", "Cơ quan chủ trì", "Cơ quan phối hợp",
                "Thời gian thực hiện", "Ghi chú"]
    for cell, text in zip(table.rows[0].cells, headings, strict=True):
        cell.text = text
    for number in range(1, rows + 1):
        cells = [str(number), f"Tuyên truyền nội dung cải cách hành chính số {number}",
                 "Hội nghị, tọa đàm", SYNTHETIC_LEADS[number % 5],
                 "Sở Tư pháp, Đài Phát thanh và Truyền hình tỉnh" if number % 2 else "",
                 SYNTHETIC_TIMELINES[number % 5], "Ghi chú " + str(number) if number % 3 else ""]
        for cell, text in zip(table.rows[number].cells, cells, strict=True):
            cell.text = text
    for text in ["III. TỔ CHỨC THỰC HIỆN",
                 "Các cơ quan, đơn vị triển khai thực hiện Kế hoạch này./.",
                 "Nơi nhận:", "- UBND tỉnh;", "- Lưu: VT.", "GIÁM ĐỐC", "Nguyễn Văn A"]:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
