import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation

from tasks.models import Status
from tasks.services import set_task_agencies
from tests.factories import AgencyFactory, PlanFactory, TaskFactory
from tests.factories.dashboard import local_time, make_task, populate, report

pytestmark = pytest.mark.django_db

AS_OF = "2022-04-15"


@pytest.fixture(autouse=True)
def english():
    # English URLs (/en/…) and msgids, whatever the Vietnamese catalogue says.
    with translation.override("en"):
        yield



@pytest.fixture
def reader(client, leadership):
    client.force_login(leadership)
    return client


@pytest.fixture
def issued(plan):
    plan.status = "issued"
    plan.title = "Kế hoạch tuyên truyền CCHC năm 2022"
    plan.save()
    return plan


def card(html, label):
    """The number on the dashboard card labelled ``label``."""
    match = re.search(rf'dash-number">([^<]+)</span>\s*{label}\b', html)
    assert match, f"no card {label!r}"
    return match.group(1).strip()


def page(client, *args, **params):
    name = "reports:plan_dashboard" if args else "reports:dashboard"
    response = client.get(reverse(name, args=args), params)
    assert response.status_code == 200
    return response.content.decode()


def test_dashboard_shows_the_plan_numbers_tables_and_charts(reader, issued):
    populate(issued, 1)

    html = page(reader, as_of=AS_OF)

    assert "Kế hoạch tuyên truyền CCHC năm 2022" in html
    assert (
        card(html, "key tasks"),
        card(html, "Done"),
        card(html, "In progress"),
        card(html, "Not started"),
        card(html, "overdue"),
    ) == ("4", "2", "1", "1", "1")
    # Due by 15/04: done on time, done late, overdue and unfinished.
    assert card(html, "on time") == "33%"
    assert card(html, "agency plans submitted") == "1/2"
    # The overdue task, its lead, its due date and how late it is.
    overdue = html.split('id="dash-overdue"')[1].split("</section>")[0]
    assert "Sở X0" in overdue and "31/03/2022" in overdue
    assert re.search(r'class="num">15</td>', overdue)
    # Charts are inline SVG with their numbers as text (the page's own, not the bell's).
    assert html.split("<main")[1].count("<svg") == 4
    assert "Done: 2 (50%)" in html
    assert "1/2 · 50%" in html
    assert "Late: 1 (50%)" in html and "Missing: 1 (50%)" in html
    assert "1. Báo chí: 1" in html
    assert "<script" not in html


def test_dashboard_counts_a_freshly_posted_update(reader, issued, justice):
    task = make_task(issued, "Quý II/2022", leads=[justice])
    assert card(page(reader), "Done") == "0"

    report(task, justice, Status.DONE, when=datetime.date(2022, 6, 1))

    html = page(reader)
    assert card(html, "Done") == "1"
    assert card(html, "on time") == "100%"
    task.refresh_from_db()
    assert task.status == Status.DONE


def test_dashboard_of_a_year_covers_every_plan_in_force(reader, issued, province, justice):
    other = PlanFactory(issuer=province, status="issued", title="Kế hoạch truyền thông số")
    draft = PlanFactory(issuer=province, status="draft", title="Dự thảo kế hoạch")
    for p in (issued, other, draft):
        make_task(p, leads=[justice], title=f"Nhiệm vụ của {p.title}")

    html = page(reader, year="2022", as_of=AS_OF)

    assert "All plans of 2022" in html
    assert "Kế hoạch tuyên truyền CCHC năm 2022" in html and "Kế hoạch truyền thông số" in html
    assert card(html, "key tasks") == "2"
    assert card(html, "overdue") == "2"
    assert "Nhiệm vụ của Kế hoạch truyền thông số" in html
    assert "Nhiệm vụ của Dự thảo kế hoạch" not in html


def test_dashboard_of_a_year_counts_only_the_readers_province(reader, issued, justice):
    other = AgencyFactory(name="Ủy ban nhân dân tỉnh Ninh Thuận", code="UBND-NT", kind="province")
    theirs = PlanFactory(issuer=other, status="issued", title="Kế hoạch của Ninh Thuận")
    their_agency = AgencyFactory(name="Sở Tư pháp tỉnh Ninh Thuận", parent=other)
    make_task(issued, leads=[justice], title="Nhiệm vụ của Khánh Hòa")
    make_task(theirs, leads=[their_agency], title="Nhiệm vụ của Ninh Thuận")

    html = page(reader, year="2022", as_of=AS_OF)

    assert card(html, "key tasks") == "1"
    assert "Nhiệm vụ của Khánh Hòa" in html
    assert "Nhiệm vụ của Ninh Thuận" not in html
    assert "Sở Tư pháp tỉnh Ninh Thuận" not in html
    assert "Kế hoạch của Ninh Thuận" not in html


def test_plan_dashboard_shows_the_plan_of_its_address(reader, issued, province, justice):
    agency_plan = PlanFactory(
        issuer=justice, parent=issued, status="issued", title="Kế hoạch của Sở Tư pháp"
    )
    make_task(agency_plan, leads=[justice], title="Nhiệm vụ riêng của Sở Tư pháp")

    html = page(reader, agency_plan.pk, as_of=AS_OF)

    assert "Kế hoạch của Sở Tư pháp" in html
    assert "Nhiệm vụ riêng của Sở Tư pháp" in html
    assert card(html, "key tasks") == "1"
    assert f'<option value="{agency_plan.pk}" selected>' in html


def test_plan_dashboard_of_an_unknown_plan_is_404(reader, issued):
    response = reader.get(reverse("reports:plan_dashboard", args=[issued.pk + 1000]))
    assert response.status_code == 404


def test_dashboard_defaults_to_the_latest_plan_in_force_with_tasks(
    reader, issued, province, justice
):
    make_task(issued, leads=[justice])
    PlanFactory(issuer=province, status="issued", period_start_year=2024, title="Chưa có nhiệm vụ")
    newer_draft = PlanFactory(
        issuer=province, status="draft", period_start_year=2025, title="Dự thảo 2025"
    )
    make_task(newer_draft, "Quý I/2025", leads=[justice])

    html = page(reader)

    title = re.search(r'<h2 id="dash-scope-title">(.*?)</h2>', html).group(1)
    assert "Kế hoạch tuyên truyền CCHC năm 2022" in title
    assert "Dự thảo 2025" in html  # still one of the choices


def test_dashboard_reports_bad_query_values_and_uses_defaults(reader, issued, justice):
    make_task(issued, leads=[justice])

    html = page(reader, year="abc", as_of="31/31/2022", plan="999999")

    assert html.count("errorlist") >= 3
    assert "Enter a valid date." in html
    assert "Select a valid choice." in html
    assert card(html, "key tasks") == "1"
    assert "Kế hoạch tuyên truyền CCHC năm 2022" in html


def test_dashboard_takes_a_day_month_year_date(reader, issued, justice):
    make_task(issued, leads=[justice])
    html = page(reader, as_of="01/03/2022")
    assert "at the end of 01/03/2022" in html
    assert card(html, "overdue") == "0"


def test_dashboard_refuses_a_date_far_outside_any_plan(reader, issued, justice):
    make_task(issued, leads=[justice])
    html = page(reader, as_of="31/12/9999")
    assert "Choose a date between 01/01/2000 and 31/12/2099." in html
    assert card(html, "key tasks") == "1"  # today's dashboard instead


def test_dashboard_without_any_plan_says_so(reader, db):
    html = page(reader)
    assert "No plan yet." in html
    assert "<svg" not in html.split("<main")[1]


def test_dashboard_of_a_plan_without_tasks_has_empty_states(reader, issued):
    html = page(reader)
    assert "No key task in this plan yet." in html
    assert "No agency is assigned a task yet." in html
    assert "No agency is asked to submit its own plan." in html
    assert "No figure reported yet." in html


def test_dashboard_escapes_agency_names(reader, issued):
    evil = AgencyFactory(name='<script>alert("x")</script>', code="EVIL")
    task = make_task(issued, leads=[evil])
    report(task, evil, Status.IN_PROGRESS, when=local_time(datetime.date(2022, 3, 1)))

    html = page(reader, as_of=AS_OF)

    assert "<script" not in html
    assert "&lt;script&gt;" in html


def test_agency_officer_is_refused(client, officer, issued):
    client.force_login(officer)
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 403


# Queries, whatever the size: session, user (with agency and permissions), the plans to
# choose from, the dashboard's (counting.dashboard: the states counted once for the task
# counts, the ranking and the page of overdue tasks, that page's tasks and leads, the
# updates' figures and their measures, the agency plans; no period ends on the date, so no
# agency report and none of their figures), the targets block's targets (no target here, so
# none of their actuals).
@pytest.mark.parametrize("scale", [1, 10])
def test_dashboard_uses_a_fixed_number_of_queries(reader, issued, scale, django_assert_num_queries):
    populate(issued, scale)
    with django_assert_num_queries(10):
        html = page(reader, as_of=AS_OF)
    assert card(html, "key tasks") == str(4 * scale)


@pytest.mark.parametrize("scale", [1, 10])
def test_year_dashboard_uses_a_fixed_number_of_queries(
    reader, issued, scale, django_assert_num_queries
):
    populate(issued, scale)
    with django_assert_num_queries(11):  # as above, and the windows of the year's plans
        html = page(reader, year="2022", as_of=AS_OF)
    assert card(html, "overdue") == str(scale)


@pytest.mark.parametrize("scale", [1, 10])
def test_plan_dashboard_uses_a_fixed_number_of_queries(
    reader, issued, scale, django_assert_num_queries
):
    populate(issued, scale)
    with django_assert_num_queries(11):  # as the first, and the plan of the address
        html = page(reader, issued.pk, as_of=AS_OF)
    assert card(html, "agency plans submitted") == f"{scale}/{2 * scale}"


@pytest.mark.django_db
def test_year_dashboard_shows_the_first_rows_and_pages_through_the_rest(reader, province):
    """A national year is thousands of agencies: a page of them, the others a click away."""
    from reports.views import TABLE_ROWS, YEAR_PLANS

    plans = [PlanFactory(issuer=province, status="issued", title=f"Kế hoạch số {i:02}")
             for i in range(YEAR_PLANS + 2)]
    agencies = [AgencyFactory(name=f"Cơ quan {i:02}", code=f"CQ{i}") for i in range(TABLE_ROWS + 5)]
    for i, agency in enumerate(agencies):
        task = TaskFactory(plan=plans[i % len(plans)], number=i + 1)
        set_task_agencies(task=task, leads=[agency])
    url = reverse("reports:dashboard")
    first = reader.get(url, {"year": "2022"})
    ranking = first.context["tables"]["ranking"]
    assert len(ranking.object_list) == TABLE_ROWS
    assert ranking.paginator.count == TABLE_ROWS + 5
    html = first.text
    assert "And 2 more plans" in html and f'{reverse("plans:list")}?year=2022' in html
    assert "?year=2022&amp;ranking_page=2#ranking_page" in html
    second = reader.get(url, {"year": "2022", "ranking_page": "2"})
    rows = second.context["tables"]["ranking"].object_list
    assert len(rows) == 5
    assert f'<td class="num">{TABLE_ROWS + 1}</td>' in second.text
    assert 'id="ranking_page" open' in second.text


def test_dashboard_pages_through_the_overdue_tasks(reader, issued, justice):
    from reports.views import OVERDUE_ROWS

    for number in range(1, OVERDUE_ROWS + 4):
        make_task(issued, "Quý I/2022", number=number, title=f"Việc {number:02}", leads=[justice])

    first = page(reader, as_of=AS_OF)
    second = page(reader, as_of=AS_OF, overdue_page="2")
    past_the_end = page(reader, as_of=AS_OF, overdue_page="99")

    assert card(first, "overdue") == str(OVERDUE_ROWS + 3)
    assert f"{OVERDUE_ROWS}. Việc {OVERDUE_ROWS:02}" in first
    assert f"{OVERDUE_ROWS + 1}. Việc" not in first
    assert f"Rows 1–{OVERDUE_ROWS} of {OVERDUE_ROWS + 3}" in first
    assert "overdue_page=2#overdue_page" in first
    assert f"{OVERDUE_ROWS + 3}. Việc {OVERDUE_ROWS + 3:02}" in second
    assert "1. Việc 01" not in second
    assert f"Rows {OVERDUE_ROWS + 1}–{OVERDUE_ROWS + 3} of {OVERDUE_ROWS + 3}" in second
    assert f"Rows {OVERDUE_ROWS + 1}–{OVERDUE_ROWS + 3}" in past_the_end
