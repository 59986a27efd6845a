"""Fixtures of the task page tests: an issued plan involving bob's agency (Sở Tư pháp), a
draft plan, a catalogue of measures and bob's assignment (the users are in the root)."""

import pytest
from django.utils import translation

from plans.models import Channel, Measure
from tests.factories import PlanFactory
from tests.factories.tasks import make_task


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


@pytest.fixture
def assigned_task(issued_plan, justice):
    """Task 1 of the issued plan, led by bob's agency."""
    return make_task(
        issued_plan, "Quý II/2022", number=1, title="Đăng tin về cải cách hành chính",
        leads=[justice],
    )


@pytest.fixture
def assignment(assigned_task, justice):
    return assigned_task.assignments.get(agency=justice)
