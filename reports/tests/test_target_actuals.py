"""The targets' actuals read back where they are shown: the dashboard's targets block and the
summary report (its table, its PDF), all through ``plans.targets.actual_at``."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from plans import targets
from plans.models import Target
from reports.generation import render_report
from reports.summary import build_summary
from tests.factories.periodic import reporting_plan
from tests.wording import pdf_words, words

pytestmark = pytest.mark.django_db
SOURCE = "PAR INDEX 2022 công bố ngày 16/5/2023"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def plan(province, home_affairs):
    return reporting_plan(
        province, title="Kế hoạch tuyên truyền cải cách hành chính năm 2022", place="Khánh Hòa"
    )


def add_targets(plan, coordinator, count):
    made = []
    for index in range(count):
        target = Target.objects.create(
            plan=plan,
            position=index,
            indicator=f"PAR INDEX {index}",
            unit="rank",
            description="Xếp hạng Chỉ số cải cách hành chính",
            target_value=20,
        )
        targets.save_target_actual(
            target=target,
            user=coordinator,
            period_key="2022-H1",
            value=24,
            source="Tự đánh giá 6 tháng",
        )
        targets.save_target_actual(
            target=target,
            user=coordinator,
            period_key="2022-Y",
            value=18,
            source=SOURCE,
            source_url="https://chinhphu.vn/par-index-2022",
        )
        made.append(target)
    return made


def dashboard_html(client, plan, as_of):
    response = client.get(reverse("reports:plan_dashboard", args=[plan.pk]), {"as_of": as_of})
    assert response.status_code == 200
    return response.text


def targets_block(html):
    start = html.index('id="dash-targets"')
    return html[start : html.index("</section>", start)]


def test_dashboard_shows_each_target_against_the_actual_of_its_date(
    client, leadership, coordinator, plan
):
    add_targets(plan, coordinator, 1)
    client.force_login(leadership)

    before = targets_block(dashboard_html(client, plan, "2022-03-01"))
    assert "PAR INDEX 0" in before and "no actual yet" in before

    mid_year = targets_block(dashboard_html(client, plan, "2022-07-01"))
    assert "24" in mid_year and "Tự đánh giá 6 tháng" in mid_year and "not met" in mid_year

    after = targets_block(dashboard_html(client, plan, "2023-01-10"))
    assert "18" in after and SOURCE in after and "https://chinhphu.vn/par-index-2022" in after
    assert "is-met" in after


@pytest.mark.parametrize("size", [1, 10])
def test_dashboard_targets_block_query_count_does_not_grow(
    client, leadership, coordinator, plan, size, django_assert_num_queries
):
    add_targets(plan, coordinator, size)
    client.force_login(leadership)
    # session, user, the plans to choose from, the plan of the address; the dashboard's
    # states counted in one query, the agency plans; the targets block's targets and their
    # actuals (the user comes with agency and permissions)
    with django_assert_num_queries(9):
        html = dashboard_html(client, plan, "2023-01-10")
    assert targets_block(html).count(SOURCE) == size


def test_summary_table_has_the_actual_of_the_period_with_its_source(coordinator, plan):
    add_targets(plan, coordinator, 1)
    h1 = build_summary(plan, 2022, "H1", today=datetime.date(2023, 1, 10))
    year = build_summary(plan, 2022, "Y", today=datetime.date(2023, 1, 10))
    assert h1.target_table().rows[0][5:] == ["xếp hạng 24", "Tự đánh giá 6 tháng", "Chưa đạt"]
    assert year.target_table().rows[0][5:] == [
        "xếp hạng 18",
        f"{SOURCE} (https://chinhphu.vn/par-index-2022)",
        "Đạt",
    ]


def test_summary_pdf_prints_target_actual_source_and_assessment(coordinator, plan):
    add_targets(plan, coordinator, 1)
    pdf = render_report(plan, 2022, "Y", "pdf", today=datetime.date(2023, 1, 10))
    text = " ".join(pdf_words(pdf.content))
    for expected in ["Nguồn số liệu", "xếp hạng 20", "xếp hạng 18", SOURCE, "Đạt"]:
        assert " ".join(words(expected)) in text, expected
