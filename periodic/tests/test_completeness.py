"""The coordinators' completeness matrix: agencies × periods of a plan."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation

from periodic.models import ReportStatus
from periodic.services import return_report, start_report, submit
from tasks.models import AssignmentRole
from tasks.services import dissolve_agency
from tests.factories import AgencyFactory, UserFactory
from tests.factories.periodic import assignment_for, reporting_plan, submitted_on

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_decree_09(settings):
    settings.REPORTING_CUTOFF = "decree_09"
    # English URLs (/en/…) and msgids, whatever the Vietnamese catalogue says.
    with translation.override("en"):
        yield


def make_report(plan, agency, user, code, *, status=ReportStatus.SUBMITTED, submitted=None,
                reviewer=None):
    report = start_report(plan=plan, agency=agency, year=2022, period_code=code, user=user)
    report.results = f"Kết quả {code}"
    report.save()
    if status == ReportStatus.DRAFT:
        return report
    report = submit(report=report, user=user)
    if submitted:
        report = submitted_on(report, submitted)
    if status == ReportStatus.RETURNED:
        report = return_report(report=report, user=reviewer, comment="Bổ sung số liệu")
    return report


def cells_of(page, agency_name):
    """The states shown in the agency's row, left to right."""
    for row in page.split("<tr>"):
        if agency_name in row:
            return re.findall(r'class="cell cell-(\w+)"', row)
    return None


@pytest.fixture
def world(province, justice, districts, coordinator, officer):
    """Due dates of the 2022 plan (day 20): Q1 20/03, H1 20/06, M9 20/09, Y 20/12/2022."""
    plan = reporting_plan(province, due_day=20, title="Kế hoạch tuyên truyền CCHC năm 2022")
    science = AgencyFactory(name="Sở Khoa học và Công nghệ", code="SKHCN", parent=province)
    merged = AgencyFactory(name="Sở Khoa học, Công nghệ và Truyền thông", code="SKHCNTT",
                           parent=province)
    plan.addressed_agencies.add(justice, districts[0], science)
    assignment_for(plan, districts[1], role=AssignmentRole.COORDINATOR)
    science_officer = UserFactory(username="khcn", agency=science, role="agency_officer")
    reports = {
        "q1": make_report(plan, justice, officer, "Q1", submitted="20/03/2022 16:00"),
        "h1": make_report(plan, justice, officer, "H1", submitted="21/06/2022 08:00"),
        "m9": make_report(plan, justice, officer, "M9", status=ReportStatus.RETURNED,
                          reviewer=coordinator),
        "y": make_report(plan, justice, officer, "Y", status=ReportStatus.DRAFT),
        "science": make_report(plan, science, science_officer, "Q1",
                               submitted="10/03/2022 09:00"),
    }
    dissolve_agency(agency=science, successor=merged, on=datetime.date(2025, 7, 1))
    return plan, reports


def test_matrix_shows_on_time_late_returned_draft_and_missing(client, coordinator, world,
                                                              districts):
    plan, reports = world
    client.force_login(coordinator)

    page = client.get(reverse("periodic:completeness", args=[plan.pk]),
                      {"year": 2022}).content.decode()

    headers = ["Quarter I/2022", "First six months of 2022", "First nine months of 2022",
               "Year 2022"]
    assert all(header in page for header in headers)
    assert "due 20/03/2022" in page
    assert cells_of(page, "Sở Tư pháp") == ["on_time", "late", "returned", "draft"]
    assert cells_of(page, districts[0].name) == ["missing"] * 4
    assert cells_of(page, districts[1].name) == ["missing"] * 4  # assigned, not addressed
    assert cells_of(page, districts[2].name) is None  # neither addressed nor assigned
    for key in ["q1", "h1", "m9", "y"]:
        assert reverse("periodic:report_detail", args=[reports[key].pk]) in page
    for label in ["On time", "Late", "Returned", "Draft, not submitted", "Missing"]:
        assert label in page


def test_dissolved_agency_keeps_its_reports_under_its_old_name(client, coordinator, world):
    plan, reports = world
    client.force_login(coordinator)

    response = client.get(reverse("periodic:completeness", args=[plan.pk]))
    page = response.content.decode()

    assert cells_of(page, "Sở Khoa học và Công nghệ") == ["on_time", "missing", "missing",
                                                         "missing"]
    assert "dissolved on 01/07/2025, succeeded by Sở Khoa học, Công nghệ và Truyền thông" in page
    assert reverse("periodic:report_detail", args=[reports["science"].pk]) in page
    # The successor, now addressed by the plan, has its own row and owes the reports to come.
    rows = {row.agency.name: row for row in response.context["page"].object_list}
    assert [c.state for c in rows["Sở Khoa học, Công nghệ và Truyền thông"].cells] == [
        "missing"] * 4
    detail = client.get(reverse("periodic:report_detail", args=[reports["science"].pk]))
    assert "Sở Khoa học và Công nghệ" in detail.content.decode()
    assert "dissolved on 01/07/2025" in detail.content.decode()


def test_accepted_report_is_marked_in_its_cell(client, coordinator, world):
    plan, reports = world
    client.force_login(coordinator)
    client.post(reverse("periodic:report_accept", args=[reports["q1"].pk]))

    page = client.get(reverse("periodic:completeness", args=[plan.pk])).content.decode()

    row = next(r for r in page.split("<tr>") if "Sở Tư pháp" in r)
    assert 'title="accepted"' in row
    assert cells_of(page, "Sở Tư pháp")[0] == "on_time"


def test_filters_period_state_and_kind(client, coordinator, world, districts):
    plan, _ = world
    client.force_login(coordinator)
    url = reverse("periodic:completeness", args=[plan.pk])

    one_period = client.get(url, {"period": "2022-H1"}).content.decode()
    assert cells_of(one_period, "Sở Tư pháp") == ["late"]
    assert "Quarter I/2022</th>" not in one_period

    late = client.get(url, {"state": "late"}).content.decode()
    assert cells_of(late, "Sở Tư pháp") is not None
    assert cells_of(late, districts[0].name) is None

    only_districts = client.get(url, {"kind": "district"}).content.decode()
    assert cells_of(only_districts, districts[0].name) == ["missing"] * 4
    assert cells_of(only_districts, "Sở Tư pháp") is None

    nothing = client.get(url, {"kind": "press"}).content.decode()
    assert "No agency matches these filters." in nothing


def test_bad_filters_are_reported_and_ignored(client, coordinator, world):
    plan, _ = world
    client.force_login(coordinator)
    response = client.get(
        reverse("periodic:completeness", args=[plan.pk]),
        {"year": "1999", "period": "2022-Q9", "state": "x", "kind": "y", "page": "abc"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("Select a valid choice") == 4
    assert cells_of(page, "Sở Tư pháp") == ["on_time", "late", "returned", "draft"]


def test_periods_not_yet_due_are_not_missing(client, coordinator, province, justice):
    plan = reporting_plan(province, year=2099)
    plan.addressed_agencies.add(justice)
    client.force_login(coordinator)

    page = client.get(reverse("periodic:completeness", args=[plan.pk])).content.decode()

    assert cells_of(page, "Sở Tư pháp") == ["not_due"] * 4
    assert "Not due yet" in page


def test_plan_reported_on_request_has_an_empty_state(client, coordinator, province):
    plan = reporting_plan(province, periods=["on_request"])
    client.force_login(coordinator)
    page = client.get(reverse("periodic:completeness", args=[plan.pk])).content.decode()
    assert "This plan asks for no periodic report" in page


def test_plan_without_agencies_has_an_empty_state(client, coordinator, province):
    plan = reporting_plan(province)
    client.force_login(coordinator)
    page = client.get(reverse("periodic:completeness", args=[plan.pk])).content.decode()
    assert "No agency is addressed by this plan" in page


def test_unknown_plan_is_404(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("periodic:completeness", args=[999999])).status_code == 404


def test_leadership_reads_the_matrix_officers_do_not(client, world, officer, province):
    plan, _ = world
    url = reverse("periodic:completeness", args=[plan.pk])
    client.force_login(UserFactory(username="lanhdao", agency=province, role="leadership"))
    assert "Sở Tư pháp" in client.get(url).content.decode()
    assert client.post(url).status_code == 405
    client.force_login(officer)
    assert client.get(url).status_code == 403


def test_matrix_query_count_does_not_grow_with_agencies(
    client, django_assert_num_queries, coordinator, province, officer
):
    plan = reporting_plan(province)
    client.force_login(coordinator)
    url = reverse("periodic:completeness", args=[plan.pk])
    for count in (1, 10):
        while plan.addressed_agencies.count() < count:
            number = plan.addressed_agencies.count()
            agency = AgencyFactory(name=f"UBND xã số {number}", code=f"XA{number}",
                                   kind="commune", parent=province)
            plan.addressed_agencies.add(agency)
            assignment_for(plan, agency)
            make_report(plan, agency, officer, "Q1", submitted="15/03/2022 10:00")
        # session, user (with agency and permissions), plan with issuer, agencies (with
        # successors), the plan's reports (no signed copy: no check to read), the
        # coordinators' reminders about the plan's reports with their senders
        with django_assert_num_queries(6):
            response = client.get(url)
        assert len(response.context["page"].object_list) == count
        assert cells_of(response.content.decode(), "UBND xã số 0") == [
            "on_time", "missing", "missing", "missing",
        ]


def test_matrix_is_paginated(client, coordinator, province):
    plan = reporting_plan(province)
    plan.addressed_agencies.add(*[
        AgencyFactory(name=f"UBND xã {n:03d}", code=f"P{n}", kind="commune") for n in range(55)
    ])
    client.force_login(coordinator)
    url = reverse("periodic:completeness", args=[plan.pk])

    first = client.get(url, {"kind": "commune"}).content.decode()
    second = client.get(url, {"kind": "commune", "page": 2}).content.decode()

    assert "UBND xã 049" in first and "UBND xã 050" not in first
    assert "UBND xã 054" in second
    assert "kind=commune&amp;page=2" in first


def test_agencies_are_listed_alphabetically_ignoring_diacritics(client, coordinator, province):
    plan = reporting_plan(province)
    plan.addressed_agencies.add(
        AgencyFactory(name="Bưu điện tỉnh Khánh Hòa", code="BD"),
        AgencyFactory(name="Bảo hiểm xã hội tỉnh Khánh Hòa", code="BHXH"),
        AgencyFactory(name="Ban Quản lý Khu kinh tế Vân Phong", code="BQL"),
    )
    client.force_login(coordinator)
    page = client.get(reverse("periodic:completeness", args=[plan.pk])).content.decode()
    assert page.index("Ban Quản lý") < page.index("Bảo hiểm") < page.index("Bưu điện")


def test_report_page_says_whether_it_came_on_time(client, coordinator, world):
    _, reports = world
    client.force_login(coordinator)
    late = client.get(reverse("periodic:report_detail", args=[reports["h1"].pk]))
    assert 'class="state state-late">Late<' in late.content.decode()
    returned = client.get(reverse("periodic:report_detail", args=[reports["m9"].pk]))
    assert "Bổ sung số liệu" in returned.content.decode()
