"""The signed original's stamp, printed on a plan, never overlaps the signature the
application adds, nor the header under it (read back from the PDF with pdfplumber)."""

from io import BytesIO

import pdfplumber
import pytest
from django.test import override_settings

from plans.models import PlanStatus
from reports.generation import render_plan_document
from reports.models import GenerationStatus
from tests.factories.dashboard import populate
from tests.factories.periodic import reporting_plan

from .test_issuing import IMMEDIATE, generate
from .test_signing import signature_widgets

pytestmark = pytest.mark.django_db
STAMP = "Ký bởi: Ủy ban nhân dân tỉnh Khánh Hòa; Email: ubnd@khanhhoa.gov.vn; " \
    "Ngày ký: 16.02.2022 10:30:03"
# The printed stamp is set in 9 pt, the rest of the first page in 12 pt or more.
STAMP_SIZE = 9.5


@pytest.fixture
def plan(province, home_affairs):
    plan = reporting_plan(province, title="Kế hoạch tuyên truyền cải cách hành chính năm 2022",
                          place="Khánh Hòa")
    populate(plan, 1)
    plan.status, plan.document_number = PlanStatus.ISSUED, "286/KH-UBND"
    plan.electronic_signature = STAMP
    plan.save()
    return plan


def first_page(content):
    """(page height, the printed stamp's words, the other words) of page 1, top-down."""
    with pdfplumber.open(BytesIO(content)) as pdf:
        page = pdf.pages[0]
        found = page.extract_words(extra_attrs=["size"], keep_blank_chars=False)
        stamp = [w for w in found if w["size"] < STAMP_SIZE]
        rest = [w for w in found if w["size"] >= STAMP_SIZE]
        return float(page.height), stamp, rest


def box(words):
    return (min(w["x0"] for w in words), min(w["top"] for w in words),
            max(w["x1"] for w in words), max(w["bottom"] for w in words))


def intersect(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def text(words):
    return " ".join(w["text"] for w in words)


@override_settings(TASKS=IMMEDIATE)
def test_the_printed_stamp_stands_beside_the_signature_the_application_adds(
    client, signing, coordinator, plan
):
    client.force_login(coordinator)
    item = generate(client, plan, period="plan")
    assert item.status == GenerationStatus.DONE and item.is_signed
    signed = item.file.read()
    [(page, (x1, y1, x2, y2))] = signature_widgets(signed)
    height, stamp, rest = first_page(signed)
    assert page == 1
    assert text(stamp) == ("Ký bởi: Ủy ban nhân dân tỉnh Khánh Hòa Email: ubnd@khanhhoa.gov.vn "
                           "Ngày ký: 16.02.2022 10:30:03")
    signature = (x1, height - y2, x2, height - y1)  # from the top, as pdfplumber measures
    assert not intersect(box(stamp), signature), (box(stamp), signature)
    assert not any(intersect(box([word]), signature) for word in rest)
    # Both stay in the top margin, above the header.
    header_top = min(w["top"] for w in rest)
    assert box(stamp)[3] < header_top and signature[3] < header_top


def test_an_unsigned_plan_prints_the_stamp_at_the_top_right(plan):
    height, stamp, rest = first_page(render_plan_document(plan).content)
    left, top, right, bottom = box(stamp)
    # Its box ends at the right margin (15 mm); the words start 4 pt inside it.
    assert 595 - 15 / 25.4 * 72 - 62 / 25.4 * 72 < left < 595 / 2 + 150
    assert bottom < min(w["top"] for w in rest)


def test_a_stamp_of_many_lines_pushes_the_header_down_instead_of_running_over_it(plan):
    plan.electronic_signature = "; ".join([
        "Ký bởi: Văn phòng Ủy ban nhân dân tỉnh Khánh Hòa", "Cơ quan: Ủy ban nhân dân tỉnh",
        "Email: vpubnd@khanhhoa.gov.vn", "Chức vụ: Chánh Văn phòng", "Ngày ký: 16.02.2022",
        "Thời gian: 10:30:03 +07:00",
    ])
    plan.save()
    height, stamp, rest = first_page(render_plan_document(plan).content)
    assert "Thời gian: 10:30:03 +07:00" in text(stamp)
    assert not any(intersect(box(stamp), box([word])) for word in rest)
    assert box(stamp)[3] < min(w["top"] for w in rest)
