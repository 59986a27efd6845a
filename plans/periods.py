"""Reporting periods of a plan: their data cut-off, the day each agency report is due, a label.

A period is named by a year and a code: the cumulative ``Q1`` (first quarter), ``H1`` (six
months), ``M9`` (nine months) and ``Y`` (year); the single quarters ``Q2``..``Q4`` (``Q1`` is
both the first quarter and the first single quarter); the months ``M01``..``M12``. A plan lists
the codes it asks for in ``Plan.reporting_periods``, where ``quarterly`` stands for Q1..Q4,
``monthly`` for M01..M12 and ``on_request`` for no fixed period at all.

Two cut-off regimes, chosen per installation by ``settings.REPORTING_CUTOFF``:

``calendar``
    Calendar quarters, half-year, nine months, year and months.
``decree_09``
    Decree 09/2019/NĐ-CP, art. 12: data run from the 15th of the month before the period to
    the 14th of its last month. Q1, six months, nine months and the year all start on 15/12 of
    the previous year; Q2 alone is 15/03–14/06, Q3 alone 15/06–14/09, Q4 alone 15/09–14/12;
    month n is 15/(n-1)–14/n.

Due date of an agency report: day N of the period's last month, where N is the plan's
``report_due_day`` or else ``settings.REPORT_DUE_DAY`` (15 by default), capped at the
month's length. A report cannot be due before its data are complete, so when that day is not
after the cut-off end, the report is due on day N of the following month instead. With
``decree_09`` and N ≥ 15 the report is due in the period's last month (Q1 → 15/03); with
``calendar`` it is due in the month after the period (Q1 → 15/04).

Everything here is plain Python: no database.
"""

import datetime
from calendar import monthrange
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext

__all__ = [
    "CALENDAR",
    "CUTOFFS",
    "DECREE_09",
    "DEFAULT_DUE_DAY",
    "Period",
    "expand_codes",
    "make_period",
    "period_bounds",
    "period_containing",
    "period_due_date",
    "periods_for_plan",
    "previous_period",
]

CALENDAR = "calendar"
DECREE_09 = "decree_09"
CUTOFFS = (CALENDAR, DECREE_09)
DEFAULT_DUE_DAY = 15

CUMULATIVE_CODES = ("Q1", "H1", "M9", "Y")
QUARTER_CODES = ("Q1", "Q2", "Q3", "Q4")
MONTH_CODES = tuple(f"M{month:02d}" for month in range(1, 13))
ALL_CODES = (*CUMULATIVE_CODES, *QUARTER_CODES[1:], *MONTH_CODES)
GROUP_CODES = {"quarterly": QUARTER_CODES, "monthly": MONTH_CODES, "on_request": ()}

# The last month of each period, and its first month (None: January, or 15/12 before it).
LAST_MONTH = {"Q1": 3, "H1": 6, "M9": 9, "Y": 12, "Q2": 6, "Q3": 9, "Q4": 12}
FIRST_MONTH = {"Q2": 4, "Q3": 7, "Q4": 10}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}

# What "compare with the previous period" compares with.
PREVIOUS = {"H1": "Q1", "M9": "H1", "Y": "M9", "Q2": "Q1", "Q3": "Q2", "Q4": "Q3"}


def _check(code, cutoff):
    if code not in ALL_CODES:
        raise ValueError(f"unknown period code {code!r}")
    if cutoff not in CUTOFFS:
        raise ValueError(f"unknown reporting cut-off {cutoff!r}; use one of {CUTOFFS}")


def _month_of(code):
    return int(code[1:]) if code in MONTH_CODES else None


def _last_day(year, month):
    return datetime.date(year, month, monthrange(year, month)[1])


def _add_months(year, month, months):
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def default_cutoff():
    return getattr(settings, "REPORTING_CUTOFF", DECREE_09)


def default_due_day():
    return getattr(settings, "REPORT_DUE_DAY", DEFAULT_DUE_DAY)


def period_bounds(year, code, cutoff=None):
    """First and last day (both included) of the data the period's report covers."""
    cutoff = cutoff or default_cutoff()
    _check(code, cutoff)
    month = _month_of(code)
    if month is not None:
        last_month = first_month = month
    else:
        last_month = LAST_MONTH[code]
        first_month = FIRST_MONTH.get(code, 1)
    if cutoff == CALENDAR:
        return datetime.date(year, first_month, 1), _last_day(year, last_month)
    # Decree 09/2019, art. 12: from the 15th of the month before to the 14th of the last month.
    start_year, start_month = _add_months(year, first_month, -1)
    return datetime.date(start_year, start_month, 15), datetime.date(year, last_month, 14)


def period_due_date(year, code, cutoff=None, due_day=None):
    """Day ``due_day`` of the period's last month, or of the next one if not after the end."""
    cutoff = cutoff or default_cutoff()
    due_day = due_day if due_day and 1 <= due_day <= 31 else default_due_day()
    end = period_bounds(year, code, cutoff)[1]
    due_year, due_month = end.year, end.month
    while True:
        due = datetime.date(
            due_year, due_month, min(due_day, monthrange(due_year, due_month)[1])
        )
        if due > end:
            return due
        due_year, due_month = _add_months(due_year, due_month, 1)


@dataclass(frozen=True)
class Period:
    """One reporting period: ``start``..``end`` inclusive, the report ``due`` date."""

    year: int
    code: str
    cutoff: str
    start: datetime.date
    end: datetime.date
    due: datetime.date
    due_day: int | None = None

    def __str__(self):
        return self.label

    @property
    def key(self):
        """A stable text key such as ``2022-Q1``, for URLs and filters."""
        return f"{self.year}-{self.code}"

    @property
    def label(self):
        """The period's name as Vietnamese documents write it ("Quý I/2022", "Năm 2022")."""
        year = self.year
        month = _month_of(self.code)
        if month is not None:
            # Translators: Vietnamese "Tháng %(month)02d/%(year)s" (Tháng 03/2022).
            return gettext("Month %(month)02d/%(year)s") % {"month": month, "year": year}
        if self.code in QUARTER_CODES:
            # Translators: Vietnamese "Quý %(quarter)s/%(year)s" (Quý I/2022); roman numerals.
            return gettext("Quarter %(quarter)s/%(year)s") % {
                "quarter": ROMAN[int(self.code[1])],
                "year": year,
            }
        if self.code == "H1":
            # Translators: Vietnamese "6 tháng đầu năm %(year)s".
            return gettext("First six months of %(year)s") % {"year": year}
        if self.code == "M9":
            # Translators: Vietnamese "9 tháng đầu năm %(year)s".
            return gettext("First nine months of %(year)s") % {"year": year}
        # Translators: Vietnamese "Năm %(year)s".
        return gettext("Year %(year)s") % {"year": year}

    def contains(self, day):
        return self.start <= day <= self.end

    def is_due(self, today):
        """True once the due date has passed: a report still missing is then missing."""
        return today > self.due


def make_period(year, code, cutoff=None, due_day=None):
    cutoff = cutoff or default_cutoff()
    start, end = period_bounds(year, code, cutoff)
    return Period(
        year=year,
        code=code,
        cutoff=cutoff,
        start=start,
        end=end,
        due=period_due_date(year, code, cutoff, due_day),
        due_day=due_day,
    )


def expand_codes(codes):
    """The plan's reporting codes as period codes, without repeats, in a stable order.

    ``quarterly`` becomes Q1..Q4, ``monthly`` M01..M12; ``on_request`` and unknown codes
    give nothing.
    """
    expanded = []
    for code in codes or ():
        for one in GROUP_CODES.get(code, (code,)):
            if one in ALL_CODES and one not in expanded:
                expanded.append(one)
    return expanded


def _order(period):
    # Chronological by cut-off end; of two periods ending together the shorter comes first.
    return (period.end, -period.start.toordinal())


def periods_for_plan(plan, cutoff=None, year=None):
    """Every period the plan asks reports for, over its years, in chronological order.

    ``plan`` needs ``reporting_periods``, ``period_start_year``, ``period_end_year`` and
    ``report_due_day``; ``year`` keeps one year only.
    """
    codes = expand_codes(plan.reporting_periods)
    years = range(plan.period_start_year, plan.period_end_year + 1)
    if year is not None:
        years = [year] if year in years else []
    periods = [
        make_period(y, code, cutoff, plan.report_due_day) for y in years for code in codes
    ]
    return sorted(periods, key=_order)


def previous_period(period, codes=None):
    """The period a report is compared with.

    H1 → Q1, M9 → H1, Y → M9 of the same year; Q1 → the previous year's Y; Qn → Qn-1;
    a month → the month before. When ``codes`` (a plan's reporting codes) are given and
    hold Q4 but no Y, Q1 compares with the previous year's Q4.
    """
    code, year = period.code, period.year
    month = _month_of(code)
    if month is not None:
        previous_year, previous_month = _add_months(year, month, -1)
        previous = (previous_year, f"M{previous_month:02d}")
    elif code == "Q1":
        expanded = expand_codes(codes) if codes is not None else None
        if expanded is not None and "Y" not in expanded and "Q4" in expanded:
            previous = (year - 1, "Q4")
        else:
            previous = (year - 1, "Y")
    else:
        previous = (year, PREVIOUS[code])
    return make_period(*previous, period.cutoff, period.due_day)


def period_containing(day, cutoff=None, codes=QUARTER_CODES, due_day=None):
    """The period among ``codes`` whose data include ``day`` and that ends first.

    With the default single quarters exactly one period contains a day; with cumulative
    codes (Q1, H1, M9, Y) it is the first report that will cover the day. Under
    ``decree_09`` a day from 15/12 on belongs to the next year's periods.
    """
    cutoff = cutoff or default_cutoff()
    codes = expand_codes(codes)
    candidates = [
        make_period(year, code, cutoff, due_day)
        for year in (day.year, day.year + 1)
        for code in codes
    ]
    containing = [period for period in candidates if period.contains(day)]
    return min(containing, key=_order) if containing else None
