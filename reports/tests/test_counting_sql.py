"""The rules counted in the database (``counting.counted_at``, the dashboards) and the same
rules applied to every object (``counting.state_at``, the summary reports) agree.

On the demo data at several dates, and on generated histories: updates at any time of day
(several at the same instant too), cancellations, an agency dissolved mid-year whose duties
move to, or close in favour of, its successor, dates before, between and after the updates,
and today, when the assignments' own rows give their state.
"""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports import counting
from tasks.models import Status
from tasks.services import dissolve_agency, post_update
from tests.factories import AgencyFactory, UserFactory
from tests.factories.dashboard import backdate, local_time, make_task
from tests.factories.periodic import reporting_plan

pytestmark = pytest.mark.django_db


def by_objects(plans, as_of):
    """What the dashboard shows, by the rules applied to every task and assignment."""
    tasks, assignments, now = counting.state_at(plans, as_of)
    ranking = [row for row in counting.rank_agencies(tasks, assignments, now) if row.assignments]
    return shown(now.statuses, now.on_time, ranking,
                 counting.overdue_rows(now, tasks, assignments))


def in_the_database(plans, as_of):
    counted = counting.counted_at(plans, as_of)
    return shown(counted.statuses, counted.on_time, counted.ranking, counted.overdue)


def shown(statuses, on_time, ranking, overdue):
    return {
        "statuses": statuses,
        "on_time": on_time,
        "ranking": [
            (row.agency.pk, row.display_name, row.assignments, row.done, row.in_progress,
             row.not_started, row.overdue)
            for row in ranking
        ],
        "overdue": [
            (row.task.pk, row.days_late, [a.pk for a in row.leads],
             [a.pk for a in row.open_leads])
            for row in overdue
        ],
    }


def test_the_demo_counts_alike_both_ways(db):
    call_command("load_demo", stdout=StringIO())
    year = counting.plans_of_year(2022)
    days = [datetime.date(2022, 1, 10), datetime.date(2022, 3, 14), datetime.date(2022, 6, 30),
            datetime.date(2022, 12, 14), timezone.localdate()]
    for as_of in days:
        assert in_the_database(year, as_of) == by_objects(year, as_of), as_of
    assert by_objects(year, days[2])["statuses"].done > 0
    for plan in year:
        assert in_the_database(plan, days[2]) == by_objects(plan, days[2]), plan


def test_the_overdue_tasks_come_a_page_at_a_time(province, justice):
    plan = reporting_plan(province)
    for number in range(1, 6):
        make_task(plan, f"Trong tháng {number:02}/2022", number=number, leads=[justice])
    as_of = datetime.date(2022, 12, 1)
    every = counting.counted_at(plan, as_of).overdue

    pages = [counting.counted_at(plan, as_of, overdue_offset=offset, overdue_limit=2).overdue
             for offset in (0, 2, 4)]

    assert [len(page) for page in pages] == [2, 2, 1]
    assert [row.task.number for page in pages for row in page] == [1, 2, 3, 4, 5]
    assert [row.task.pk for page in pages for row in page] == [row.task.pk for row in every]


TIMELINES = ["Trong tháng 01/2022", "Trong tháng 03/2022", "Quý II/2022", "Trong năm 2022",
             "Thường xuyên", "Định kỳ hàng quý"]
MOMENTS = st.tuples(
    st.dates(datetime.date(2021, 12, 20), datetime.date(2022, 12, 31)),
    st.sampled_from([0, 10, 23]),  # hour: just after midnight, the morning, late at night
)
UPDATE = st.tuples(
    st.integers(0, 2),  # which agency
    st.sampled_from([Status.IN_PROGRESS, Status.DONE, Status.CANCELLED]),
    st.integers(0, 100),
    MOMENTS,
)
TASK = st.tuples(
    st.sampled_from(TIMELINES),
    st.lists(st.integers(0, 2), max_size=2, unique=True),  # leads
    st.lists(st.integers(0, 2), max_size=2, unique=True),  # coordinators
    st.lists(UPDATE, max_size=4),
)
AS_OF = [datetime.date(2022, 1, 31), datetime.date(2022, 3, 31), datetime.date(2022, 6, 30),
         datetime.date(2022, 9, 30), datetime.date(2023, 1, 1)]
generated = iter(range(10_000))


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    plans=st.lists(st.lists(TASK, min_size=1, max_size=4), min_size=1, max_size=2),
    dissolved_on=st.one_of(st.none(), st.dates(datetime.date(2022, 2, 1),
                                               datetime.date(2022, 11, 30))),
    posted_today=st.lists(st.tuples(st.integers(0, 2), st.sampled_from(
        [Status.IN_PROGRESS, Status.DONE])), max_size=3),
)
def test_generated_histories_count_alike_both_ways(province, plans, dissolved_on, posted_today):
    n = next(generated)
    coordinator = UserFactory(agency=province, role="coordinator")  # only they cancel
    agencies = [AgencyFactory(name=f"Sở {n}-{i}", code=f"S{n}-{i}", parent=province)
                for i in range(3)]
    made, carried = [], []
    for p, tasks in enumerate(plans):
        plan = reporting_plan(province, title=f"Kế hoạch {n}-{p}")
        made.append(plan)
        for timeline, leads, coordinators, updates in tasks:
            coordinators = [i for i in coordinators if i not in leads]
            task = make_task(plan, timeline, leads=[agencies[i] for i in leads],
                             coordinators=[agencies[i] for i in coordinators])
            on_task = set(leads) | set(coordinators)
            carried.append(task)
            for who, status, pct, (day, hour) in updates:
                if who not in on_task:
                    continue
                assignment = task.assignments.filter(agency=agencies[who]).first()
                update = post_update(
                    assignment=assignment,
                    author=coordinator if status == Status.CANCELLED
                    else UserFactory(agency=agencies[who], role="agency_officer"),
                    status=status, percent=pct, narrative="Đã thực hiện",
                )
                backdate(update, local_time(day, hour))
    if dissolved_on:
        dissolve_agency(agency=agencies[0], successor=agencies[1], on=dissolved_on)
    for who, status in posted_today:
        for task in carried:
            assignment = task.assignments.filter(agency=agencies[who]).first()
            if assignment and assignment.status != Status.CANCELLED:
                post_update(assignment=assignment,
                            author=UserFactory(agency=agencies[who], role="agency_officer"),
                            status=status, percent=60, narrative="Hôm nay")
                break

    year = counting.plans_of_year(2022).filter(pk__in=[plan.pk for plan in made])
    for as_of in [*AS_OF, timezone.localdate()]:
        assert in_the_database(year, as_of) == by_objects(year, as_of), as_of
        assert in_the_database(made[0], as_of) == by_objects(made[0], as_of), as_of
