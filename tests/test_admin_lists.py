"""The admin change lists of the large tables cost the same queries whatever their size."""

import pytest
from django.db import connection
from django.urls import reverse

from cchc_plans.admin_lists import EstimatedCountPaginator
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
# filters' choices; the plan and report lists' years; the history admins' extra reads
QUERIES = {
    "admin:plans_plan_changelist": 8,
    "admin:tasks_task_changelist": 6,
    "admin:tasks_progressupdate_changelist": 4,
    "admin:periodic_agencyreport_changelist": 9,
    "admin:agencies_agency_changelist": 5,
}


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("size", [1, 10])
def test_admin_change_list_query_count_does_not_grow(client, staff, province, officer, name,
                                                     size, django_assert_num_queries):
    fill(province, officer, size)
    # on PostgreSQL the unfiltered large lists read the table's estimated size first
    estimate = connection.vendor == "postgresql" and name != "admin:agencies_agency_changelist"
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
