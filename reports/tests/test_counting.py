import datetime

import pytest

from plans.models import SubmissionState
from reports import counting, dashboard
from tasks.models import Status
from tests.factories import AgencyFactory, PlanFactory, UserFactory
from tests.factories.dashboard import local_time, make_task, measures, populate, report

pytestmark = pytest.mark.django_db

MARCH_31 = datetime.date(2022, 3, 31)
APRIL_15 = datetime.date(2022, 4, 15)


@pytest.fixture
def agencies(province):
    return [
        AgencyFactory(name=name, code=code, parent=province)
        for name, code in [("Sở Nội vụ", "SNV"), ("Sở Tư pháp", "STP"), ("Sở Y tế", "SYT")]
    ]


@pytest.mark.parametrize(
    "part, whole, expected",
    [(5, 8, 63), (1, 3, 33), (2, 3, 67), (0, 4, 0), (4, 4, 100), (0, 0, None)],
)
def test_percent_rounds_halves_up(part, whole, expected):
    assert counting.percent(part, whole) == expected


def test_task_status_counts_by_status_and_overdue_at_a_date(plan, agencies):
    home, justice, health = agencies
    make_task(plan, leads=[home])  # Q1, not started: overdue in April
    started = make_task(plan, leads=[justice])
    report(started, justice, Status.IN_PROGRESS, when=datetime.date(2022, 3, 1))
    done = make_task(plan, leads=[health])
    report(done, health, Status.DONE, when=datetime.date(2022, 3, 2))
    cancelled = make_task(plan, leads=[health])
    report(cancelled, health, Status.CANCELLED, when=datetime.date(2022, 3, 2),
           author=UserFactory(agency=home, role="coordinator"))
    make_task(plan, "Quý II/2022", leads=[home])
    make_task(plan, "Thường xuyên", leads=[home])  # ongoing: never overdue
    make_task(plan, "Định kỳ hàng quý, bắt đầu từ quý I/2022", leads=[home])  # recurring

    counts = dashboard.dashboard(plan, as_of=APRIL_15).statuses

    assert (counts.not_started, counts.in_progress, counts.done, counts.cancelled) == (4, 1, 1, 1)
    assert counts.total == 7
    assert counts.overdue == 2
    assert dashboard.dashboard(plan, as_of=MARCH_31).statuses.overdue == 0
    assert dashboard.dashboard(plan, as_of=datetime.date(2022, 7, 1)).statuses.overdue == 3


def test_overdue_tasks_most_days_late_first_with_open_leads(
    plan, agencies, district_group, districts
):
    home, justice, health = agencies
    q1 = make_task(plan, "Quý I/2022", leads=[justice], title="Hội nghị triển khai")
    feb = make_task(plan, "trong tháng 02/2022", leads=[home, health], title="Ban hành kế hoạch")
    report(feb, health, Status.DONE, when=datetime.date(2022, 2, 10))
    group = make_task(plan, "Quý I/2022", lead_groups=[district_group], title="Tuyên truyền")
    make_task(plan, "Quý II/2022", leads=[justice])
    make_task(plan, "Quý I/2022", coordinators=[justice], title="Không có cơ quan chủ trì")

    rows = dashboard.dashboard(plan, as_of=APRIL_15).overdue

    assert [(row.task.title, row.days_late) for row in rows] == [
        ("Ban hành kế hoạch", 46),  # due 28/02
        ("Hội nghị triển khai", 15),  # due 31/03
        ("Tuyên truyền", 15),
        ("Không có cơ quan chủ trì", 15),
    ]
    assert [a.agency for a in rows[0].open_leads] == [home]
    assert len(rows[0].leads) == 2
    assert {a.agency for a in rows[2].open_leads} == set(districts)
    assert [a.agency for a in rows[3].leads] == [justice]  # coordinators carry it
    assert rows[1].task == q1 and rows[2].task == group
    assert len(dashboard.dashboard(plan, as_of=APRIL_15, overdue_limit=2).overdue) == 2


def test_on_time_rate_compares_local_completion_day_with_due_date(plan, agencies):
    home, justice, health = agencies
    early = make_task(plan, leads=[home])
    report(early, home, Status.DONE, when=datetime.date(2022, 3, 20))
    # 23:30 on the due day in Hà Nội time is still on time (16:30 UTC).
    last_minute = make_task(plan, leads=[justice])
    report(last_minute, justice, Status.DONE, when=local_time(MARCH_31, 23, 30))
    # 00:30 the next day is late, although it is still 31/03 in UTC.
    just_late = make_task(plan, leads=[health])
    report(just_late, health, Status.DONE, when=local_time(datetime.date(2022, 4, 1), 0, 30))
    undated = make_task(plan, "Theo tiến độ Kế hoạch", leads=[home])
    report(undated, home, Status.DONE, when=datetime.date(2022, 3, 1))
    open_task = make_task(plan, leads=[home])
    report(open_task, home, Status.IN_PROGRESS, when=datetime.date(2022, 3, 1))

    rate = dashboard.dashboard(plan, as_of=APRIL_15).on_time

    # The open task, due 31/03, is overdue on 15/04: it counts against the rate.
    assert (rate.on_time, rate.done_late, rate.unfinished, rate.percent) == (2, 1, 1, 50)


def test_on_time_rate_uses_when_the_last_lead_reached_done(plan, agencies):
    home, justice, health = agencies
    # Done in time, then another "done" update adding figures after the due date: on time.
    extra = make_task(plan, leads=[home])
    report(extra, home, Status.DONE, when=datetime.date(2022, 3, 25))
    report(extra, home, Status.DONE, when=datetime.date(2022, 4, 10))
    # Done, reopened, done again after the due date: late.
    reopened = make_task(plan, leads=[justice])
    report(reopened, justice, Status.DONE, when=datetime.date(2022, 3, 10))
    report(reopened, justice, Status.IN_PROGRESS, when=datetime.date(2022, 3, 15))
    report(reopened, justice, Status.DONE, when=datetime.date(2022, 4, 2))
    # Two leads: the task is done when the second finishes, after the due date: late.
    shared = make_task(plan, leads=[home, health], coordinators=[justice])
    report(shared, home, Status.DONE, when=datetime.date(2022, 3, 1))
    report(shared, health, Status.DONE, when=datetime.date(2022, 4, 3))
    # A coordinating agency finishing early does not make a late lead on time.
    report(shared, justice, Status.DONE, when=datetime.date(2022, 2, 1))
    # No lead: the coordinators carry the task.
    coordinated = make_task(plan, coordinators=[health])
    report(coordinated, health, Status.DONE, when=datetime.date(2022, 3, 30))

    _tasks, _assignments, now = counting.state_at(plan, APRIL_15)
    completed, rate = now.completed_at, now.on_time

    assert completed[extra.pk] == local_time(datetime.date(2022, 3, 25))
    assert completed[reopened.pk] == local_time(datetime.date(2022, 4, 2))
    assert completed[shared.pk] == local_time(datetime.date(2022, 4, 3))
    assert completed[coordinated.pk] == local_time(datetime.date(2022, 3, 30))
    assert (rate.on_time, rate.counted) == (2, 4)


def test_a_status_set_without_updates_is_not_in_the_history(plan, agencies):
    task = make_task(plan, leads=[agencies[0]])
    task.status = Status.DONE  # e.g. corrected in the admin, no update posted
    task.save()
    board = dashboard.dashboard(plan, as_of=APRIL_15)
    assert (board.statuses.done, board.statuses.overdue) == (0, 1)
    assert (board.on_time.on_time, board.on_time.counted) == (0, 1)


def test_on_time_rate_before_anything_falls_due_has_no_percent(plan, agencies):
    make_task(plan, leads=[agencies[0]])  # due 31/03
    rate = dashboard.dashboard(plan, as_of=datetime.date(2022, 3, 1)).on_time
    assert (rate.on_time, rate.counted, rate.percent) == (0, 0, None)
    # On its due day, still open, it is not counted yet; the day after, it is late.
    assert dashboard.dashboard(plan, as_of=MARCH_31).on_time.counted == 0
    rate = dashboard.dashboard(plan, as_of=datetime.date(2022, 4, 1)).on_time
    assert (rate.on_time, rate.unfinished, rate.percent) == (0, 1, 0)


def test_agency_ranking_best_first_with_overdue(plan, agencies, districts):
    home, justice, health = agencies
    for _ in range(2):
        task = make_task(plan, leads=[home])
        report(task, home, Status.DONE, when=datetime.date(2022, 3, 1))
    half = make_task(plan, leads=[justice])
    report(half, justice, Status.DONE, when=datetime.date(2022, 3, 1))
    make_task(plan, leads=[justice])  # Q1, overdue in April
    make_task(plan, "Quý II/2022", leads=[health, districts[0]])
    make_task(plan, "Quý II/2022", leads=[health])
    dropped = make_task(plan, "Quý II/2022", leads=[districts[1]], coordinators=[home])
    report(dropped, districts[1], Status.CANCELLED, when=datetime.date(2022, 3, 1),
           author=UserFactory(agency=home, role="coordinator"))
    make_task(plan, "Thường xuyên", coordinators=[districts[2]])

    ranking = dashboard.dashboard(plan, as_of=APRIL_15).ranking

    assert [(r.agency.name, r.assignments, r.done, r.percent_done, r.overdue) for r in ranking] == [
        ("Sở Nội vụ", 2, 2, 100, 0),  # coordinating "dropped" is not counted
        ("Sở Tư pháp", 2, 1, 50, 1),
        (districts[2].name, 1, 0, 0, 0),  # carries a task with no lead
        (districts[0].name, 1, 0, 0, 0),  # 0 of 1 is ahead of 0 of 2
        ("Sở Y tế", 2, 0, 0, 0),
    ]
    assert ranking[2].display_name == districts[2].short_name


def test_submission_completeness_states(plan, agencies, districts):
    home, justice, health = agencies
    plan.submission_deadline = datetime.date(2022, 2, 28)
    plan.save()
    plan.addressed_agencies.add(home, justice, health, districts[0])
    PlanFactory(issuer=home, parent=plan, submitted_at=local_time(datetime.date(2022, 2, 28), 23))
    PlanFactory(issuer=justice, parent=plan, submitted_at=local_time(datetime.date(2022, 3, 9)))
    PlanFactory(issuer=justice, parent=plan, submitted_at=local_time(datetime.date(2022, 3, 20)))
    PlanFactory(issuer=health, parent=plan, submitted_at=None)  # written, never sent
    other_parent = PlanFactory(issuer=plan.issuer)
    PlanFactory(
        issuer=districts[0], parent=other_parent, submitted_at=local_time(datetime.date(2022, 2, 1))
    )
    PlanFactory(
        issuer=districts[1],
        parent=plan,  # not addressed: not listed
        submitted_at=local_time(datetime.date(2022, 2, 1)),
    )

    summary = counting.submission_completeness(plan, as_of=APRIL_15)

    assert [
        (row.agency.name, row.state, row.submitted_on, row.days_late) for row in summary.rows
    ] == [
        ("Sở Y tế", SubmissionState.MISSING, None, 0),
        (districts[0].name, SubmissionState.MISSING, None, 0),
        ("Sở Tư pháp", SubmissionState.LATE, datetime.date(2022, 3, 9), 9),
        ("Sở Nội vụ", SubmissionState.ON_TIME, datetime.date(2022, 2, 28), 0),
    ]
    assert (
        summary.addressed,
        summary.submitted,
        summary.on_time,
        summary.late,
        summary.missing,
        summary.pending,
    ) == (4, 2, 1, 1, 2, 0)

    before = counting.submission_completeness(plan, as_of=datetime.date(2022, 2, 20))
    assert {row.agency.name: row.state for row in before.rows} == {
        "Sở Nội vụ": SubmissionState.PENDING,
        "Sở Tư pháp": SubmissionState.PENDING,
        "Sở Y tế": SubmissionState.PENDING,
        districts[0].name: SubmissionState.PENDING,
    }


def test_channel_figures_summed_per_measure_grouped_by_channel(plan, agencies):
    home, justice, health = agencies
    m = measures()
    task = make_task(plan, leads=[home], coordinators=[justice])
    report(
        task,
        home,
        Status.IN_PROGRESS,
        when=datetime.date(2022, 2, 1),
        figures={m["articles"]: 3, m["news"]: 10},
    )
    report(
        task,
        justice,
        Status.IN_PROGRESS,
        when=datetime.date(2022, 3, 1),
        figures={m["articles"]: 4, m["columns"]: 1},
    )
    report(task, home, Status.DONE, when=datetime.date(2022, 5, 1), figures={m["news"]: 100})
    elsewhere = make_task(PlanFactory(issuer=plan.issuer), leads=[health])
    report(
        elsewhere,
        health,
        Status.DONE,
        when=datetime.date(2022, 3, 1),
        figures={m["articles"]: 1000},
    )

    channels = dashboard.dashboard(plan, as_of=APRIL_15).channels

    assert [(c.name, c.is_online, c.agencies) for c in channels] == [
        ("Báo chí", False, 2),
        ("Cổng thông tin điện tử", True, 1),
    ]
    assert [(f.measure.name, f.measure.unit, f.current) for f in channels[0].measures] == [
        ("Tin, bài", "tin, bài", 7),
        ("Chuyên mục", "chuyên mục", 1),
    ]
    assert [f.current for f in channels[1].measures] == [10]
    later = dashboard.dashboard(plan, as_of=datetime.date(2022, 5, 1)).channels
    assert [f.current for f in later[1].measures] == [110]


def test_year_scope_counts_every_plan_in_force_that_covers_the_year(province, agencies):
    home = agencies[0]
    provincial = PlanFactory(issuer=province, status="issued")
    multi_year = PlanFactory(
        issuer=province, status="issued", period_start_year=2021, period_end_year=2030
    )
    draft = PlanFactory(issuer=province, status="draft")
    next_year = PlanFactory(issuer=province, status="issued", period_start_year=2023)
    for p in (provincial, multi_year, draft, next_year):
        make_task(p, leads=[home])

    assert set(counting.plans_of_year(2022)) == {provincial, multi_year}
    counts = dashboard.dashboard(counting.plans_of_year(2022), as_of=APRIL_15).statuses
    assert counts.total == 2


@pytest.mark.parametrize("scale", [1, 10])
def test_counting_uses_a_fixed_number_of_queries(plan, scale, django_assert_num_queries):
    populate(plan, scale)
    year = counting.plans_of_year(2022)
    for scope in (plan, year):
        # Tasks, assignments, progress history.
        with django_assert_num_queries(3):
            _tasks, _assignments, now = counting.state_at(scope, APRIL_15)
        assert now.on_time.counted == 3 * scale
        with django_assert_num_queries(1):
            counting.submission_completeness(scope, as_of=APRIL_15)
        # Counted in the database: the states once (task counts, ranking, a page of overdue
        # tasks), that page's tasks and leads, the updates' figures, the measures, the
        # agency plans, the
        # targets (none: their actuals are not fetched); a year's also its plans' windows.
        # No period ends on the date: no agency report counts, none is fetched.
        with django_assert_num_queries(7 if scope is plan else 8):
            data = dashboard.dashboard(scope, as_of=APRIL_15)
        assert data.statuses.total == 4 * scale
        assert len(data.overdue) == scale
        assert data.submissions.late == scale
        assert data.channels[0].measures[0].current == 3 * scale
