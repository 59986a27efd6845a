"""The dashboard at a period's cut-off and that period's report count the same.

Both go through ``reports/counting.py``: the same statuses, overdue tasks and days late,
on-time rate, ranking, figures and status words, on the demo and on generated plans.
"""

import datetime
import re
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from plans.models import Plan
from reports import dashboard
from reports.generation import render_report
from reports.summary import build_summary
from reports.tables import STATUS_WORDS
from tasks.models import Status
from tests.factories import AgencyFactory, UserFactory
from tests.factories.dashboard import make_task, report
from tests.factories.periodic import measure, reporting_plan

LATER = datetime.date(2026, 1, 1)
MARCH_14 = datetime.date(2022, 3, 14)
MARCH_31 = datetime.date(2022, 3, 31)
DECEMBER_14 = datetime.date(2022, 12, 14)


def figures_of(board, summary):
    """Both sides' (statuses, on-time, overdue, ranking, figures), comparable."""
    rate = board.on_time
    dashboard = {
        "statuses": board.statuses,
        "on_time": (rate.on_time, rate.done_late, rate.unfinished, rate.percent),
        "overdue": [(row.task.pk, row.days_late) for row in board.overdue],
        "ranking": [
            (row.agency.pk, row.assignments, row.done, row.in_progress, row.not_started,
             row.overdue)
            for row in board.ranking
        ],
        "figures": {m.measure.pk: m.current for c in board.channels for m in c.measures},
    }
    rate = summary.now.on_time
    late = sorted((row for row in summary.task_rows if row.is_overdue),
                  key=lambda row: (row.task.due_date, row.task.number))
    report = {
        "statuses": summary.now.statuses,
        "on_time": (rate.on_time, rate.done_late, rate.unfinished, rate.percent),
        "overdue": [(row.task.pk, row.days_late) for row in late],
        "ranking": [
            (row.agency.pk, row.assignments, row.done, row.in_progress, row.not_started,
             row.overdue)
            for row in summary.agency_rows if row.assignments
        ],
        "figures": {row.measure.pk: row.current for row in summary.measure_rows if row.current},
    }
    return dashboard, report


# ---------------------------------------------------------------------------------------------
# The demo


CASES = [
    ("decree_09", MARCH_14, "Q1"),
    ("decree_09", DECEMBER_14, "Y"),
    ("calendar", MARCH_31, "Q1"),
]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo's dashboard and reports at each case, read once, then rolled back."""
    from django.conf import settings as django_settings

    result = {}
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=StringIO())
        plan = Plan.objects.get(decision_number="286/QĐ-UBND")
        leader = UserFactory(username="lanhdao-same", agency=plan.issuer, role="leadership")
        client = Client()
        client.force_login(leader)
        saved = getattr(django_settings, "REPORTING_CUTOFF", "decree_09")
        try:
            for cutoff, as_of, code in CASES:
                django_settings.REPORTING_CUTOFF = cutoff
                board = dashboard.dashboard(plan, as_of=as_of)
                summary = build_summary(plan, 2022, code, today=LATER)
                with translation.override("vi"):
                    page = client.get(
                        reverse("reports:plan_dashboard", args=[plan.pk]),
                        {"as_of": as_of.strftime("%d/%m/%Y")},
                        HTTP_ACCEPT_LANGUAGE="vi",
                    ).content.decode()
                result[cutoff, code] = {"board": board, "summary": summary, "page": page}
            django_settings.REPORTING_CUTOFF = "decree_09"
            pdf = render_report(plan, 2022, "Q1", "pdf")
            result["pdf"] = " ".join(
                page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages
            )
            # Before: the dashboard read the statuses recorded today, whatever its date.
            result["done_today"] = plan.tasks.filter(status=Status.DONE).count()
        finally:
            django_settings.REPORTING_CUTOFF = saved
        transaction.set_rollback(True)
    return result


@pytest.mark.parametrize("cutoff, as_of, code", CASES)
def test_the_demo_dashboard_at_the_cut_off_counts_as_the_report(demo, cutoff, as_of, code):
    case = demo[cutoff, code]
    assert case["summary"].as_of == as_of
    on_board, in_report = figures_of(case["board"], case["summary"])
    assert on_board == in_report
    (window,) = case["board"].windows
    assert (window.period.code, window.start, window.end) == (
        code, case["summary"].period.start, as_of
    )


def test_the_dashboard_of_14_03_2022_shows_the_q1_reports_done_tasks(demo):
    # Issue 12: the dashboard said 8 done on 14/03/2022, the Q1 report 0.
    q1 = demo["decree_09", "Q1"]
    done = q1["summary"].now.statuses.done
    assert demo["done_today"] > done
    assert q1["board"].statuses.done == done
    assert re.search(
        rf'dash-number">{done}</span>\s*{STATUS_WORDS[Status.DONE]}', q1["page"]
    )


def test_the_annual_on_time_rate_counts_the_overdue_task_against_it(demo):
    # Issue 12: "100 % (6/6 …)" beside task 16, 167 days late at 70 %.
    y = demo["decree_09", "Y"]["summary"]
    rate = y.now.on_time
    assert y.late_rows[0].days_late == 167 and y.late_rows[0].state.percent == 70
    assert rate.unfinished == y.now.statuses.overdue >= 1
    assert rate.percent < 100
    assert rate.counted == rate.on_time + rate.done_late + rate.unfinished
    assert demo["decree_09", "Y"]["board"].on_time.percent == rate.percent


def test_status_words_are_the_same_on_the_dashboard_and_in_the_pdf(demo):
    page = demo["decree_09", "Q1"]["page"]
    pdf = " ".join(demo["pdf"].split())
    for status in (Status.DONE, Status.IN_PROGRESS, Status.NOT_STARTED):
        assert STATUS_WORDS[status] in page
        assert STATUS_WORDS[status] in pdf
    assert STATUS_WORDS[Status.NOT_STARTED] == "Chưa triển khai"
    assert "Chưa thực hiện" not in page and "Chưa thực hiện" not in pdf


# ---------------------------------------------------------------------------------------------
# Generated plans

TIMELINES = ["Trong tháng 01/2022", "Trong tháng 03/2022", "Quý II/2022", "Trong năm 2022",
             "Thường xuyên"]
DAYS = st.dates(datetime.date(2021, 12, 20), datetime.date(2022, 12, 31))
UPDATE = st.tuples(
    st.integers(0, 2),  # which agency
    st.sampled_from([Status.IN_PROGRESS, Status.DONE, Status.CANCELLED]),
    st.integers(0, 100),
    DAYS,
    st.integers(0, 5),  # a figure
)
TASK = st.tuples(
    st.sampled_from(TIMELINES),
    st.lists(st.integers(0, 2), min_size=0, max_size=2, unique=True),  # leads
    st.lists(st.integers(0, 2), max_size=1),  # coordinators
    st.lists(UPDATE, max_size=3),
)
generated_count = iter(range(10_000))


@pytest.mark.django_db
@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(tasks=st.lists(TASK, min_size=1, max_size=4), code=st.sampled_from(["Q1", "H1", "Y"]))
def test_generated_plans_count_the_same_on_the_dashboard_and_in_the_report(
    province, tasks, code
):
    n = next(generated_count)
    AgencyFactory(name=f"Sở Nội vụ {n}", code=f"SNV{n}", parent=province)
    agencies = [AgencyFactory(name=f"Sở {n}-{i}", code=f"G{n}-{i}", parent=province)
                for i in range(3)]
    plan = reporting_plan(province, title=f"Kế hoạch {n}")
    news = measure(f"news-{n}")
    for timeline, leads, coordinators, updates in tasks:
        coordinators = [i for i in coordinators if i not in leads]
        task = make_task(plan, timeline, leads=[agencies[i] for i in leads],
                         coordinators=[agencies[i] for i in coordinators])
        on_task = set(leads) | set(coordinators)
        for who, status, pct, day, figure in sorted(updates, key=lambda u: u[3]):
            if who in on_task:
                report(task, agencies[who], status, when=day, percent=pct,
                       figures={news: figure})

    summary = build_summary(plan, 2022, code, today=LATER)
    board = dashboard.dashboard(plan, as_of=summary.as_of)

    on_board, in_report = figures_of(board, summary)
    assert on_board == in_report
