"""An agency's report prefill, "Việc của đơn vị" and the dashboard count one assignment alike.

All three call ``tasks/counting.py``: the state of an assignment at a date, its days late, the
figures of its updates within a period.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from periodic.models import AgencyReport
from periodic.services import plan_period, save_draft, start_report, submit
from reports import counting, dashboard
from tasks.models import Assignment, Status, Task
from tasks.services import dissolve_agency
from tests.factories import AgencyFactory
from tests.factories.dashboard import make_task
from tests.factories.periodic import measure, reporting_plan, update_at

pytestmark = pytest.mark.django_db

MARCH_1 = datetime.date(2022, 3, 1)
MARCH_14 = datetime.date(2022, 3, 14)


@pytest.fixture(autouse=True)
def decree_09(settings):
    settings.REPORTING_CUTOFF = "decree_09"  # Q1/2022: 15/12/2021 – 14/03/2022


def prefilled(report):
    return {s.assignment_id: (s.status, s.percent) for s in report.task_states.all()}


def counted(plan, agency, as_of):
    _tasks, assignments, now = counting.state_at(plan, as_of)
    return {
        a.pk: (now.assignments[a.pk].status, now.assignments[a.pk].percent)
        for a in assignments
        if a.agency_id == agency.pk
    }


def test_the_prefill_of_a_dissolved_agency_closes_its_duty_as_the_summary_counts_it(
    province, justice, officer
):
    # Sở Tư pháp is dissolved on 01/03/2022; its successor already leads the same task, so
    # its own line closes without an update. Before, the prefill kept "in progress, 40 %".
    plan = reporting_plan(province)
    successor = AgencyFactory(name="Sở Tư pháp và Nội vụ", parent=province)
    task = make_task(plan, leads=[justice, successor])
    mine = task.assignments.get(agency=justice)
    update_at(mine, officer, "10/01/2022 09:00", percent=40)
    dissolve_agency(agency=justice, successor=successor, on=MARCH_1)

    report = start_report(plan=plan, agency=justice, year=2022, period_code="Q1", user=officer)

    assert prefilled(report) == {mine.pk: (Status.CANCELLED, 0)}
    assert prefilled(report) == counted(plan, justice, MARCH_14)


def test_the_prefill_gives_the_states_and_figures_the_summary_counts(
    province, justice, districts, officer
):
    plan = reporting_plan(province)
    news = measure("portal-news", position=1)
    first = make_task(plan, number=1, leads=[justice]).assignments.get()
    second = make_task(plan, number=2, leads=[districts[0]], coordinators=[justice])
    second = second.assignments.get(agency=justice)
    third = make_task(plan, number=3, leads=[justice]).assignments.get()
    update_at(first, officer, "14/12/2021 23:59", figures={news: 50})  # before Q1
    update_at(first, officer, "10/01/2022 09:00", figures={news: 3}, percent=40)
    update_at(second, officer, "14/03/2022 23:30", figures={news: 2}, status=Status.DONE)
    update_at(first, officer, "15/03/2022 00:10", figures={news: 100}, percent=90)  # after
    update_at(third, officer, "20/06/2022 10:00", status=Status.DONE)  # after

    report = start_report(plan=plan, agency=justice, year=2022, period_code="Q1", user=officer)

    period = plan_period(plan, 2022, "Q1")
    assert prefilled(report) == counted(plan, justice, period.end)
    assert prefilled(report) == {
        first.pk: (Status.IN_PROGRESS, 40),
        second.pk: (Status.DONE, 100),
        third.pk: (Status.NOT_STARTED, 0),
    }
    figures = {f.measure_id: f.value for f in report.figures.all()}
    assert figures == counting.period_figures(plan, period, []).by_agency[justice.pk]
    assert figures == {news.pk: 5}


def test_my_work_and_the_dashboard_agree_on_days_late(
    client, monkeypatch, province, justice, districts, officer
):
    plan = reporting_plan(province)
    late = make_task(plan, number=1, title="Việc trễ hạn", leads=[justice])
    done = make_task(plan, number=2, title="Việc đã xong", leads=[justice])
    coordinated = make_task(
        plan, number=3, title="Việc phối hợp", leads=[districts[0]], coordinators=[justice]
    )
    Task.objects.filter(pk__in=[late.pk, done.pk, coordinated.pk]).update(
        due_date=datetime.date(2022, 2, 28), schedule_kind="due"
    )
    update_at(late.assignments.get(), officer, "10/01/2022 09:00", percent=40)
    update_at(done.assignments.get(), officer, "20/02/2022 09:00", status=Status.DONE)
    real_localdate = timezone.localdate
    monkeypatch.setattr(
        timezone,
        "localdate",
        lambda value=None, timezone=None: MARCH_14 if value is None else real_localdate(value),
    )
    client.force_login(officer)

    page = client.get(reverse("tasks:my_work")).content.decode()

    board = dashboard.dashboard(plan, as_of=MARCH_14)
    rows = re.findall(r'<tr class="([^"]*)">\s*<td[^>]*><a[^>]*>(\d+)\.', page)
    late_on_page = {int(number) for css, number in rows if css == "tk-late"}
    days = [
        int(re.search(r"\d+", text)[0]) for text in re.findall(r'class="tk-overdue">([^<]*)<', page)
    ]
    overdue = {row.task.number: row.days_late for row in board.overdue}
    assert late_on_page == {1, 3} and days == [14, 14]
    assert overdue == {1: 14, 3: 14}  # the coordinated task is late as its lead is
    mine = {row.agency.pk: row.overdue for row in board.ranking}
    assert mine[justice.pk] == 1  # as lead; coordinators of a led task are not ranked
    assert Assignment.objects.get(task=late, agency=justice).status == Status.IN_PROGRESS


def test_figures_of_several_periods_together_are_each_period_s_alone(
    province, justice, districts, officer, django_assert_num_queries
):
    # Q1 and H1 overlap; Sở Tư pháp's sent Q1 report gives its Q1 figures, its updates its
    # H1 ones; the district reports nothing and counts from its updates in both.
    plan = reporting_plan(province)
    news = measure("portal-news", position=1)
    mine = make_task(plan, number=1, leads=[justice]).assignments.get()
    theirs = make_task(plan, number=2, leads=[districts[0]]).assignments.get()
    update_at(mine, officer, "10/01/2022 09:00", figures={news: 3})
    update_at(theirs, officer, "11/01/2022 09:00", figures={news: 7})
    report = start_report(plan=plan, agency=justice, year=2022, period_code="Q1", user=officer)
    # The agency corrects its figure before sending.
    report = save_draft(report=report, user=officer, results="Đã đăng tin.", figures={news: 30})
    submit(report=report, user=officer)
    update_at(mine, officer, "10/05/2022 09:00", figures={news: 4})
    update_at(theirs, officer, "11/05/2022 09:00", figures={news: 1})
    reports = list(AgencyReport.objects.all())
    q1 = {plan.pk: counting.Window.of(plan_period(plan, 2022, "Q1"))}
    h1 = {plan.pk: counting.Window.of(plan_period(plan, 2022, "H1"))}

    with django_assert_num_queries(2):
        both = counting.figures_of_each([h1, q1], reports)

    assert both == [counting.figures_of(h1, reports), counting.figures_of(q1, reports)]
    assert both[1].by_agency == {justice.pk: {news.pk: 30}, districts[0].pk: {news.pk: 7}}
    assert both[1].from_reports == {justice.pk}
    assert both[0].by_agency == {justice.pk: {news.pk: 7}, districts[0].pk: {news.pk: 8}}
