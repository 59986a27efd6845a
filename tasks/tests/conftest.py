"""Fixtures of the task page tests: an issued plan involving bob's agency (Sở Tư pháp),
an outsider (charlie of Sở Y tế), leadership, a catalogue of measures, and small real files."""

import io
import struct
import zipfile
import zlib

import pytest
from django.utils import translation

from plans.models import Channel, Measure
from tasks import services
from tests.factories import AgencyFactory, PlanFactory, TaskFactory, UserFactory

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]"
    b"/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def png_bytes():
    """A real 1×1 PNG."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


def office_bytes(folder="word/", main="document.xml"):
    """A small Office Open XML package: a .docx with word/, a .xlsx with xl/."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr(f"{folder}{main}", '<?xml version="1.0"?><document/>')
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def english():
    """Pages in English (URLs reversed under /en/), whatever the Vietnamese catalogue holds."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def health(province):
    return AgencyFactory(name="Sở Y tế", code="SYT", kind="department", parent=province)


@pytest.fixture
def outsider(health):
    return UserFactory(username="charlie", agency=health, role="agency_officer")


@pytest.fixture
def leader(province):
    return UserFactory(username="lanhdao", agency=province, role="leadership")


@pytest.fixture
def issued_plan(province, justice):
    plan = PlanFactory(
        issuer=province,
        status="issued",
        title="Kế hoạch tuyên truyền CCHC năm 2022",
        document_number="286/KH-UBND",
        period_start_year=2022,
    )
    plan.addressed_agencies.add(justice)
    return plan


@pytest.fixture
def draft_plan(province):
    return PlanFactory(
        issuer=province, status="draft", title="Dự thảo kế hoạch năm 2022", period_start_year=2022
    )


@pytest.fixture
def measures(db):
    press = Channel.objects.create(code="press", name="Báo chí", position=1)
    portal = Channel.objects.create(
        code="portal", name="Cổng thông tin", is_online=True, position=2
    )
    return {
        "news": Measure.objects.create(
            code="news", name="Tin, bài", unit="tin", channel=press, position=1
        ),
        "posts": Measure.objects.create(
            code="posts", name="Bài đăng", unit="bài", channel=portal, position=1
        ),
    }


def make_task(plan, number, *, title=None, timeline="Quý II/2022", leads=(), coordinators=(),
              lead_groups=()):
    """A scheduled task of ``plan`` with its assignments, as the services would leave it."""
    task = TaskFactory(
        plan=plan, number=number, title=title or f"Nhiệm vụ {number}", timeline_text=timeline
    )
    services.schedule_task(task=task)
    services.set_task_agencies(
        task=task, leads=leads, coordinators=coordinators, lead_groups=lead_groups
    )
    return task


@pytest.fixture
def assigned_task(issued_plan, justice):
    """Task 1 of the issued plan, led by bob's agency."""
    return make_task(issued_plan, 1, title="Đăng tin về cải cách hành chính", leads=[justice])


@pytest.fixture
def assignment(assigned_task, justice):
    return assigned_task.assignments.get(agency=justice)
