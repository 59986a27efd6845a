import datetime
from types import SimpleNamespace

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from plans.periods import (
    CALENDAR,
    DECREE_09,
    expand_codes,
    make_period,
    period_bounds,
    period_containing,
    period_due_date,
    periods_for_plan,
    previous_period,
)


def d(text):
    return datetime.datetime.strptime(text, "%d/%m/%Y").date()


DECREE_09_2022 = [
    ("Q1", "15/12/2021", "14/03/2022"),
    ("H1", "15/12/2021", "14/06/2022"),
    ("M9", "15/12/2021", "14/09/2022"),
    ("Y", "15/12/2021", "14/12/2022"),
    ("Q2", "15/03/2022", "14/06/2022"),
    ("Q3", "15/06/2022", "14/09/2022"),
    ("Q4", "15/09/2022", "14/12/2022"),
    ("M01", "15/12/2021", "14/01/2022"),
    ("M02", "15/01/2022", "14/02/2022"),
    ("M03", "15/02/2022", "14/03/2022"),
    ("M12", "15/11/2022", "14/12/2022"),
]

CALENDAR_2022 = [
    ("Q1", "01/01/2022", "31/03/2022"),
    ("H1", "01/01/2022", "30/06/2022"),
    ("M9", "01/01/2022", "30/09/2022"),
    ("Y", "01/01/2022", "31/12/2022"),
    ("Q2", "01/04/2022", "30/06/2022"),
    ("Q3", "01/07/2022", "30/09/2022"),
    ("Q4", "01/10/2022", "31/12/2022"),
    ("M01", "01/01/2022", "31/01/2022"),
    ("M02", "01/02/2022", "28/02/2022"),
    ("M04", "01/04/2022", "30/04/2022"),
    ("M12", "01/12/2022", "31/12/2022"),
]


@pytest.mark.parametrize(("code", "start", "end"), DECREE_09_2022)
def test_decree_09_bounds_run_from_the_15th_to_the_14th(code, start, end):
    assert period_bounds(2022, code, DECREE_09) == (d(start), d(end))


@pytest.mark.parametrize(("code", "start", "end"), CALENDAR_2022)
def test_calendar_bounds_are_calendar_quarters_and_months(code, start, end):
    assert period_bounds(2022, code, CALENDAR) == (d(start), d(end))


def test_calendar_february_of_a_leap_year_ends_on_the_29th():
    assert period_bounds(2024, "M02", CALENDAR) == (d("01/02/2024"), d("29/02/2024"))
    assert period_bounds(2023, "M02", CALENDAR) == (d("01/02/2023"), d("28/02/2023"))


def test_decree_09_cumulative_periods_start_on_15_december_of_the_previous_year():
    # The 2024 reports (a leap year) still begin in December 2023.
    for code in ["Q1", "H1", "M9", "Y"]:
        assert period_bounds(2024, code, DECREE_09)[0] == d("15/12/2023")
    assert period_bounds(2024, "M03", DECREE_09) == (d("15/02/2024"), d("14/03/2024"))


def test_bounds_follow_the_installation_setting(settings):
    settings.REPORTING_CUTOFF = CALENDAR
    assert period_bounds(2022, "Q1") == (d("01/01/2022"), d("31/03/2022"))
    settings.REPORTING_CUTOFF = DECREE_09
    assert period_bounds(2022, "Q1") == (d("15/12/2021"), d("14/03/2022"))


def test_unknown_code_or_cutoff_is_refused():
    with pytest.raises(ValueError):
        period_bounds(2022, "Q5", DECREE_09)
    with pytest.raises(ValueError):
        period_bounds(2022, "M13", CALENDAR)
    with pytest.raises(ValueError):
        period_bounds(2022, "Q1", "fiscal")


# Due dates: day N of the period's last month, or of the next month when not after the end.


@pytest.mark.parametrize(
    ("code", "due_day", "due"),
    [
        ("Q1", None, "15/03/2022"),  # default day 15: the day after the cut-off
        ("H1", None, "15/06/2022"),
        ("M9", None, "15/09/2022"),
        ("Y", None, "15/12/2022"),
        ("Q3", 20, "20/09/2022"),
        ("Q1", 20, "20/03/2022"),
        ("Q1", 14, "14/04/2022"),  # the 14th is still inside the period: next month
        ("Q1", 10, "10/04/2022"),
        ("M01", 15, "15/01/2022"),
        ("M12", 18, "18/12/2022"),
    ],
)
def test_decree_09_due_dates(code, due_day, due, settings):
    settings.REPORT_DUE_DAY = 15
    assert period_due_date(2022, code, DECREE_09, due_day) == d(due)


@pytest.mark.parametrize(
    ("code", "due_day", "due"),
    [
        ("Q1", None, "15/04/2022"),  # the 15th of March is before the cut-off end
        ("H1", None, "15/07/2022"),
        ("M9", None, "15/10/2022"),
        ("Y", None, "15/01/2023"),
        ("Q2", 20, "20/07/2022"),
        ("Q1", 31, "30/04/2022"),  # 31/03 is the end itself; April has 30 days
        ("M01", 31, "28/02/2022"),
    ],
)
def test_calendar_due_dates_fall_in_the_month_after(code, due_day, due, settings):
    settings.REPORT_DUE_DAY = 15
    assert period_due_date(2022, code, CALENDAR, due_day) == d(due)


def test_due_day_is_capped_at_the_length_of_february():
    assert period_due_date(2024, "M02", DECREE_09, 31) == d("29/02/2024")
    assert period_due_date(2023, "M02", DECREE_09, 31) == d("28/02/2023")
    assert period_due_date(2024, "M01", CALENDAR, 30) == d("29/02/2024")


def test_default_due_day_comes_from_settings_and_bad_days_fall_back(settings):
    settings.REPORT_DUE_DAY = 18
    assert period_due_date(2022, "Q1", DECREE_09) == d("18/03/2022")
    assert period_due_date(2022, "Q1", DECREE_09, 0) == d("18/03/2022")
    assert period_due_date(2022, "Q1", DECREE_09, 45) == d("18/03/2022")


# Labels


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("Q1", "Quarter I/2022"),
        ("Q2", "Quarter II/2022"),
        ("Q4", "Quarter IV/2022"),
        ("H1", "First six months of 2022"),
        ("M9", "First nine months of 2022"),
        ("Y", "Year 2022"),
        ("M03", "Month 03/2022"),
        ("M11", "Month 11/2022"),
    ],
)
def test_labels(code, label):
    with translation.override("en"):
        period = make_period(2022, code, DECREE_09)
        assert period.label == label
        assert str(period) == label
    assert period.key == f"2022-{code}"


# Plans


def plan_like(periods, start=2022, end=None, due_day=None):
    return SimpleNamespace(
        reporting_periods=periods,
        period_start_year=start,
        period_end_year=end or start,
        report_due_day=due_day,
    )


def test_periods_for_plan_lists_the_regime_in_order():
    periods = periods_for_plan(plan_like(["Y", "Q1", "M9", "H1"]), DECREE_09)
    assert [p.code for p in periods] == ["Q1", "H1", "M9", "Y"]
    assert periods[0].start == d("15/12/2021")
    assert periods[-1].due == d("15/12/2022")


def test_periods_for_plan_expands_quarterly_and_keeps_the_year_after_q4():
    periods = periods_for_plan(plan_like(["quarterly", "Y", "Q1"]), CALENDAR)
    assert [p.code for p in periods] == ["Q1", "Q2", "Q3", "Q4", "Y"]


def test_periods_for_plan_monthly_gives_twelve_months():
    periods = periods_for_plan(plan_like(["monthly"]), DECREE_09)
    assert [p.code for p in periods] == [f"M{m:02d}" for m in range(1, 13)]


def test_periods_for_plan_on_request_or_unset_gives_none():
    assert periods_for_plan(plan_like(["on_request"]), DECREE_09) == []
    assert periods_for_plan(plan_like([]), DECREE_09) == []
    assert periods_for_plan(plan_like(["bogus"]), DECREE_09) == []


def test_periods_for_plan_covers_every_year_and_uses_the_plans_due_day():
    plan = plan_like(["Q1", "H1", "M9", "Y"], start=2021, end=2030, due_day=20)
    periods = periods_for_plan(plan, DECREE_09)
    assert len(periods) == 40
    assert (periods[0].year, periods[-1].year) == (2021, 2030)
    assert periods[0].due == d("20/03/2021")
    assert [p.key for p in periods_for_plan(plan, DECREE_09, year=2025)] == [
        "2025-Q1", "2025-H1", "2025-M9", "2025-Y",
    ]
    assert periods_for_plan(plan, DECREE_09, year=2031) == []


def test_expand_codes_removes_repeats():
    assert expand_codes(["Q1", "quarterly", "Q1"]) == ["Q1", "Q2", "Q3", "Q4"]


# Previous period


@pytest.mark.parametrize(
    ("code", "previous"),
    [
        ("H1", "2022-Q1"),
        ("M9", "2022-H1"),
        ("Y", "2022-M9"),
        ("Q1", "2021-Y"),
        ("Q2", "2022-Q1"),
        ("Q3", "2022-Q2"),
        ("Q4", "2022-Q3"),
        ("M01", "2021-M12"),
        ("M07", "2022-M06"),
    ],
)
def test_previous_period(code, previous):
    period = make_period(2022, code, DECREE_09, 20)
    before = previous_period(period)
    assert before.key == previous
    assert before.cutoff == DECREE_09
    assert before.due_day == 20


def test_previous_of_q1_in_a_quarterly_plan_is_last_years_q4():
    period = make_period(2022, "Q1", CALENDAR)
    assert previous_period(period, codes=["quarterly"]).key == "2021-Q4"
    assert previous_period(period, codes=["Q1", "H1", "M9", "Y"]).key == "2021-Y"


def test_previous_of_q1_under_decree_09_ends_the_day_before_it_starts():
    period = make_period(2022, "Q1", DECREE_09)
    assert previous_period(period).end == d("14/12/2021")


# The period containing a day


@pytest.mark.parametrize(
    ("day", "cutoff", "codes", "key"),
    [
        ("14/03/2022", DECREE_09, ("Q1", "Q2", "Q3", "Q4"), "2022-Q1"),
        ("15/03/2022", DECREE_09, ("Q1", "Q2", "Q3", "Q4"), "2022-Q2"),
        ("20/12/2022", DECREE_09, ("Q1", "Q2", "Q3", "Q4"), "2023-Q1"),  # after the cut-off
        ("20/12/2022", CALENDAR, ("Q1", "Q2", "Q3", "Q4"), "2022-Q4"),
        ("31/03/2022", CALENDAR, ("Q1", "Q2", "Q3", "Q4"), "2022-Q1"),
        ("20/04/2022", DECREE_09, ("Q1", "H1", "M9", "Y"), "2022-H1"),
        ("20/12/2022", DECREE_09, ("Q1", "H1", "M9", "Y"), "2023-Q1"),
        ("29/02/2024", CALENDAR, ("monthly",), "2024-M02"),
        ("29/02/2024", DECREE_09, ("monthly",), "2024-M03"),
        ("01/01/2022", DECREE_09, ("monthly",), "2022-M01"),
    ],
)
def test_period_containing(day, cutoff, codes, key):
    assert period_containing(d(day), cutoff, codes).key == key


def test_period_containing_with_no_codes_is_none():
    assert period_containing(d("01/05/2022"), DECREE_09, ["on_request"]) is None


@given(
    year=st.integers(min_value=1990, max_value=2100),
    cutoff=st.sampled_from([CALENDAR, DECREE_09]),
    group=st.sampled_from(["quarterly", "monthly"]),
)
def test_single_periods_tile_the_year_without_gap_or_overlap(year, cutoff, group):
    periods = periods_for_plan(plan_like([group], start=year, end=year + 1), cutoff)
    for before, after in zip(periods, periods[1:], strict=False):
        assert after.start == before.end + datetime.timedelta(days=1)
        assert before.due > before.end
