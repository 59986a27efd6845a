"""The admin change lists of the large tables cost the same queries whatever their size."""

import pytest
from django.db import connection
from django.urls import reverse

from cchc_plans.admin_lists import EstimatedCountPaginator
from periodic.models import AgencyReport
from plans.models import Plan
from tasks.models import ProgressUpdate
from tasks.services import post_update, set_task_agencies
from tests.factories import AgencyFactory, PlanFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db

LISTS = [
    "admin:plans_plan_changelist",
    "admin:tasks_task_changelist",
    "admin:tasks_progressupdate_changelist",
    "admin:periodic_agencyreport_changelist",
    "admin:agencies_agency_changelist",
]


@pytest.fixture
def staff(client, home_affairs):
    user = UserFactory(username="quantri", agency=home_affairs, role="admin", is_staff=True,
                       is_superuser=True)
    client.force_login(user)
    return user


def fill(province, officer, size):
    for i in range(size):
        agency = AgencyFactory(name=f"Sở {size}-{i}", code=f"A{size}-{i}")
        plan = PlanFactory(issuer=province, status="issued", title=f"Kế hoạch {size}-{i}")
        for number in (1, 2):
            task = TaskFactory(plan=plan, number=number)
            set_task_agencies(task=task, leads=[agency, officer.agency])
            post_update(assignment=task.assignments.get(agency=officer.agency), author=officer,
                        status="in_progress", percent=40, narrative="Đang làm")


# session, user, the page's count, the page of rows with their related objects, the
# filters' choices; the plan, task and report lists' first and last year; the history
# admins' extra reads
QUERIES = {
    "admin:plans_plan_changelist": 6,
    "admin:tasks_task_changelist": 6,
    "admin:tasks_progressupdate_changelist": 4,
    "admin:periodic_agencyreport_changelist": 6,
    "admin:agencies_agency_changelist": 4,
}


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("size", [1, 10])
def test_admin_change_list_query_count_does_not_grow(client, staff, province, officer, name,
                                                     size, django_assert_num_queries):
    fill(province, officer, size)
    # on PostgreSQL the unfiltered lists read the table's estimated size first
    estimate = connection.vendor == "postgresql"
    with django_assert_num_queries(QUERIES[name] + estimate):
        response = client.get(reverse(name))
    assert response.status_code == 200


def test_a_filtered_list_counts_exactly_and_no_second_count(client, staff, province, officer):
    fill(province, officer, 3)
    response = client.get(reverse("admin:tasks_progressupdate_changelist"), {"status": "done"})
    assert response.context["cl"].result_count == 0
    assert response.context["cl"].show_full_result_count is False


def test_a_small_table_is_counted_exactly(province, officer):
    fill(province, officer, 2)
    assert EstimatedCountPaginator(ProgressUpdate.objects.order_by("pk"), 10).count == 4


def _filter_choices(response, field_path):
    specs = response.context["cl"].filter_specs
    (spec,) = [s for s in specs if getattr(s, "field_path", None) == field_path]
    return [display for _pk, display in spec.lookup_choices]


def _plan_filter_choices(response):
    return _filter_choices(response, "plan")


def test_the_task_list_s_plan_filter_lists_the_provinces_plans_and_the_chosen_one(
    client, staff, province, justice
):
    older = PlanFactory(issuer=province, period_start_year=2020, period_end_year=2020)
    provincial = PlanFactory(issuer=province, status="issued", title="Kế hoạch của tỉnh")
    agency_plan = PlanFactory(issuer=justice, parent=provincial, title="Kế hoạch của Sở Tư pháp")
    for plan in (provincial, agency_plan):
        TaskFactory(plan=plan, number=1, title=f"Nhiệm vụ của {plan.title}")
    url = reverse("admin:tasks_task_changelist")
    assert _plan_filter_choices(client.get(url)) == [str(provincial), str(older)]
    chosen = client.get(url, {"plan__id__exact": agency_plan.pk})
    assert _plan_filter_choices(chosen) == [str(provincial), str(older), str(agency_plan)]
    assert [task.plan for task in chosen.context["cl"].result_list] == [agency_plan]


def test_the_plan_filter_of_the_lists_is_bounded(client, staff, province):
    for year in range(2000, 2060):
        PlanFactory(issuer=province, period_start_year=year, period_end_year=year)
    for name in ("admin:tasks_task_changelist", "admin:periodic_agencyreport_changelist"):
        choices = _plan_filter_choices(client.get(reverse(name)))
        assert len(choices) == 50
        assert choices[0] == str(Plan.objects.get(period_start_year=2059))


def test_the_plan_list_s_issuer_filter_lists_the_provinces(client, staff, province, justice):
    other = AgencyFactory(name="Ủy ban nhân dân tỉnh Lâm Đồng", kind="province")
    PlanFactory(issuer=justice)
    PlanFactory(issuer=province)
    response = client.get(reverse("admin:plans_plan_changelist"))
    assert _filter_choices(response, "issuer") == [province.name, other.name]


def test_the_plan_list_s_year_filter_runs_from_the_first_year_to_the_last(
    client, staff, province
):
    PlanFactory(issuer=province, period_start_year=2021, period_end_year=2021)
    PlanFactory(issuer=province, period_start_year=2023, period_end_year=2025)
    url = reverse("admin:plans_plan_changelist")
    (spec,) = [s for s in client.get(url).context["cl"].filter_specs
               if getattr(s, "parameter_name", None) == "year"]
    assert [year for year, _label in spec.lookup_choices] == [
        "2025", "2024", "2023", "2022", "2021"
    ]
    assert len(client.get(url, {"year": "2024"}).context["cl"].result_list) == 1


def test_the_report_list_filters_by_year_and_period_without_reading_every_report(
    client, staff, province, justice
):
    plan = PlanFactory(issuer=province, status="issued", period_start_year=2022,
                       period_end_year=2024, reporting_periods=["Q1", "Y"])
    for year, code in ((2022, "Q1"), (2024, "Y")):
        AgencyReport.objects.create(plan=plan, agency=justice, year=year, period_code=code)
    url = reverse("admin:periodic_agencyreport_changelist")
    response = client.get(url)
    specs = {spec.parameter_name: spec for spec in response.context["cl"].filter_specs
             if hasattr(spec, "parameter_name")}
    assert [year for year, _label in specs["year"].lookup_choices] == ["2024", "2023", "2022"]
    assert ("M09", "M09") in specs["period_code"].lookup_choices
    reports = client.get(url, {"year": "2024", "period_code": "Y"}).context["cl"].result_list
    assert [(r.year, r.period_code) for r in reports] == [(2024, "Y")]
    assert client.get(url, {"year": "abc", "period_code": "Z"}).status_code == 200


def test_the_task_list_s_year_filter_lists_the_tasks_of_the_plans_in_force_that_year(
    client, staff, province
):
    yearly = PlanFactory(issuer=province, period_start_year=2022, period_end_year=2022)
    five_years = PlanFactory(issuer=province, period_start_year=2021, period_end_year=2025)
    for plan in (yearly, five_years):
        TaskFactory(plan=plan, number=1, title=f"Nhiệm vụ {plan.period_start_year}")
    url = reverse("admin:tasks_task_changelist")
    response = client.get(url)
    (spec,) = [s for s in response.context["cl"].filter_specs
               if getattr(s, "parameter_name", None) == "year"]
    assert [year for year, _label in spec.lookup_choices] == [
        "2025", "2024", "2023", "2022", "2021"
    ]
    in_2022 = client.get(url, {"year": "2022"}).context["cl"].result_list
    assert {task.plan for task in in_2022} == {yearly, five_years}
    in_2024 = client.get(url, {"year": "2024"}).context["cl"].result_list
    assert [task.plan for task in in_2024] == [five_years]
    assert client.get(url, {"year": "abc"}).status_code == 200
