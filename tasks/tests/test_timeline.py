import dataclasses
import unicodedata
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tasks.timeline import (
    MAX_RECURRING_YEARS,
    MAX_YEAR,
    MIN_YEAR,
    Schedule,
    ScheduleKind,
    month_end,
    quarter_end,
    resolve_timeline,
)


def plain(text):
    """The phrase as typed without Vietnamese diacritics."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def spellings(phrase):
    """As written, without diacritics, and both of those in upper and lower case."""
    forms = [phrase, plain(phrase), phrase.upper(), phrase.lower(), plain(phrase).upper()]
    return list(dict.fromkeys(forms))


def all_spellings(phrases):
    return [spelling for phrase in phrases for spelling in spellings(phrase)]


def expand(cases):
    return [
        pytest.param(spelling, *rest, id=spelling)
        for phrase, *rest in cases
        for spelling in spellings(phrase)
    ]


DUE_CASES = [
    ("Quý I/2022", {}, date(2022, 3, 31)),
    ("Quy I/2022", {}, date(2022, 3, 31)),
    ("quý 1 năm 2022", {}, date(2022, 3, 31)),
    ("Quý II/2022", {}, date(2022, 6, 30)),
    ("quý IV/2022", {}, date(2022, 12, 31)),
    ("Quý 3 - 2022", {}, date(2022, 9, 30)),
    ("Quý III năm 2022", {}, date(2022, 9, 30)),
    ("Trong quý II/2022", {}, date(2022, 6, 30)),
    ("trong tháng 02/2022", {}, date(2022, 2, 28)),
    ("tháng 2/2022", {}, date(2022, 2, 28)),
    ("Tháng 02 năm 2022", {}, date(2022, 2, 28)),
    ("Tháng 12/2022", {}, date(2022, 12, 31)),
    ("Trong năm 2022", {}, date(2022, 12, 31)),
    ("năm 2022", {}, date(2022, 12, 31)),
    ("6 tháng đầu năm 2022", {}, date(2022, 6, 30)),
    ("06 tháng đầu năm 2022", {}, date(2022, 6, 30)),
    ("6 tháng cuối năm 2022", {}, date(2022, 12, 31)),
    ("9 tháng đầu năm 2022", {}, date(2022, 9, 30)),
    ("trước ngày 15/3/2024", {}, date(2024, 3, 15)),
    ("Trước ngày 15/03/2024", {}, date(2024, 3, 15)),
    ("ngày 15/3/2024", {}, date(2024, 3, 15)),
    ("15/03/2024", {}, date(2024, 3, 15)),
    ("trước ngày 15/3", {"year": 2024}, date(2024, 3, 15)),
    ("Quý II", {"year": 2022}, date(2022, 6, 30)),
    ("tháng 5", {"year": 2023}, date(2023, 5, 31)),
    ("Trong năm", {"year": 2023}, date(2023, 12, 31)),
    ("6 tháng đầu năm", {"year": 2023}, date(2023, 6, 30)),
]


@pytest.mark.parametrize(("text", "kwargs", "expected"), expand(DUE_CASES))
def test_resolve_timeline_due_phrase_gives_its_date(text, kwargs, expected):
    schedule = resolve_timeline(text, **kwargs)
    assert schedule == Schedule(text, ScheduleKind.DUE, due_date=expected)
    assert not schedule.needs_review


@pytest.mark.parametrize(
    "text",
    [
        "  Quý I/2022 ",
        "Quý  I / 2022.",
        "quý I/2022;",
        "- Quý I/2022",
        "Quý\tI\n/2022",
        "Quý Ⅰ/2022",
        "Quý I – 2022",
        "Quý I, 2022",
        "QUÝ I/２０２２",
    ],
)
def test_resolve_timeline_spacing_and_punctuation_ignored(text):
    schedule = resolve_timeline(text)
    assert schedule.due_date == date(2022, 3, 31)
    assert schedule.text == text


def test_resolve_timeline_explicit_year_wins_over_plan_year():
    assert resolve_timeline("Quý I/2022", year=2025).due_date == date(2022, 3, 31)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tháng 2/2024", date(2024, 2, 29)),
        ("tháng 2/2000", date(2000, 2, 29)),
        ("tháng 2/2100", date(2100, 2, 28)),
        ("tháng 2/2023", date(2023, 2, 28)),
        ("ngày 29/02/2024", date(2024, 2, 29)),
    ],
)
def test_resolve_timeline_february_follows_leap_years(text, expected):
    assert resolve_timeline(text).due_date == expected


def test_resolve_timeline_february_29_in_common_year_is_unknown():
    assert resolve_timeline("trước ngày 29/2/2023").kind == ScheduleKind.UNKNOWN


ONGOING_PHRASES = [
    "Thường xuyên",
    "Thường xuyên trong năm",
    "thuong xuyen",
    "Cả năm",
    "Hằng năm",
    "Hàng năm",
    "Thường xuyên.",
]


@pytest.mark.parametrize("text", all_spellings(ONGOING_PHRASES))
@pytest.mark.parametrize("year", [None, 2022])
def test_resolve_timeline_ongoing_phrase_has_no_dates(text, year):
    assert resolve_timeline(text, year=year) == Schedule(text, ScheduleKind.ONGOING)


FOLLOWS_PHRASES = [
    "Theo tiến độ Kế hoạch",
    "Theo tiến độ Kế hoạch được phê duyệt",
    "Theo tiến độ Kế hoạch (được phê duyệt)",
    "theo lộ trình",
    "Theo tiến độ Đề án",
]


@pytest.mark.parametrize("text", all_spellings(FOLLOWS_PHRASES))
def test_resolve_timeline_follows_phrase_has_no_dates(text):
    assert resolve_timeline(text, year=2022) == Schedule(text, ScheduleKind.FOLLOWS)


QUARTER_ENDS_2022 = (date(2022, 3, 31), date(2022, 6, 30), date(2022, 9, 30), date(2022, 12, 31))

QUARTERLY_CASES = [
    ("Định kỳ hàng quý, bắt đầu từ quý I/2022", {}),
    ("Định kỳ hàng quý, bắt đầu từ quý I/2022", {"year": 2022}),
    ("Định kỳ hàng quý, bắt đầu từ quý 1 năm 2022", {"year": 2022, "end_year": 2022}),
    ("hàng quý", {"year": 2022}),
    ("Hằng quý", {"year": 2022, "end_year": 2022}),
    ("định kỳ hằng quý", {"year": 2022}),
]


@pytest.mark.parametrize(("text", "kwargs"), expand(QUARTERLY_CASES))
def test_resolve_timeline_quarterly_checks_each_quarter_end(text, kwargs):
    schedule = resolve_timeline(text, **kwargs)
    assert schedule == Schedule(
        text,
        ScheduleKind.RECURRING,
        due_date=date(2022, 12, 31),
        checkpoints=QUARTER_ENDS_2022,
        recurrence="quarterly",
    )


def test_resolve_timeline_quarterly_runs_from_start_quarter_to_end_year():
    schedule = resolve_timeline(
        "Định kỳ hàng quý, bắt đầu từ quý III/2022", year=2021, end_year=2023
    )
    assert schedule.checkpoints == (
        date(2022, 9, 30),
        date(2022, 12, 31),
        date(2023, 3, 31),
        date(2023, 6, 30),
        date(2023, 9, 30),
        date(2023, 12, 31),
    )
    assert schedule.due_date == date(2023, 12, 31)


def test_resolve_timeline_quarterly_start_without_year_uses_plan_year():
    schedule = resolve_timeline("hàng quý bắt đầu từ quý II", year=2022)
    assert schedule.checkpoints == QUARTER_ENDS_2022[1:]


def test_resolve_timeline_quarterly_end_year_before_start_stops_at_start_year():
    schedule = resolve_timeline("hàng quý bắt đầu từ quý I/2024", year=2022, end_year=2023)
    assert schedule.checkpoints[-1] == date(2024, 12, 31)


MONTHLY_PHRASES = ["hàng tháng", "Hằng tháng", "định kỳ hằng tháng"]


@pytest.mark.parametrize("text", all_spellings(MONTHLY_PHRASES))
def test_resolve_timeline_monthly_checks_each_month_end(text):
    schedule = resolve_timeline(text, year=2024, end_year=2025)
    assert schedule.kind == ScheduleKind.RECURRING
    assert schedule.recurrence == "monthly"
    assert len(schedule.checkpoints) == 24
    assert schedule.checkpoints[:3] == (date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 31))
    assert schedule.due_date == schedule.checkpoints[-1] == date(2025, 12, 31)


@pytest.mark.parametrize(
    "text", ["hàng tháng", "Hằng quý", "Quý II", "trước ngày 15/3", "Trong năm", "6 tháng đầu năm"]
)
def test_resolve_timeline_phrase_without_any_year_is_unknown(text):
    assert resolve_timeline(text).kind == ScheduleKind.UNKNOWN


@pytest.mark.parametrize("text", ["hàng tháng", "Hằng quý"])
def test_resolve_timeline_recurring_capped_at_max_years(text):
    schedule = resolve_timeline(text, year=2022, end_year=9999)
    assert schedule.checkpoints[0].year == 2022
    assert schedule.due_date == date(2022 + MAX_RECURRING_YEARS - 1, 12, 31)


UNKNOWN_CASES = [
    "sớm nhất có thể",
    "",
    "   ",
    "abc",
    "Quý V/2022",
    "Quý 0/2022",
    "tháng 13/2022",
    "tháng 0/2022",
    "trước ngày 31/2/2024",
    "trước ngày 32/1/2024",
    "Quý I/1899",
    "năm 2201",
    "ngày 1/1/2300",
    "0 tháng đầu năm 2022",
    "2/3",
    "1.5",
    "Quý I và II/2022",
    "hàng quý bắt đầu từ tháng 3/2022",
    "tháng 2-3/2022",
    "Quý I/2022 中文",
]


@pytest.mark.parametrize("text", UNKNOWN_CASES)
def test_resolve_timeline_unreadable_is_unknown_and_flagged(text):
    schedule = resolve_timeline(text, year=2022, end_year=2025)
    assert schedule == Schedule(text, ScheduleKind.UNKNOWN)
    assert schedule.needs_review


@pytest.mark.parametrize("year", [1800, 2500, -1, 0, 10**30])
def test_resolve_timeline_plan_year_out_of_range_is_unknown(year):
    assert resolve_timeline("Quý II", year=year).kind == ScheduleKind.UNKNOWN
    assert resolve_timeline("hàng tháng", year=year).kind == ScheduleKind.UNKNOWN


def test_resolve_timeline_none_is_empty_unknown():
    assert resolve_timeline(None) == Schedule("", ScheduleKind.UNKNOWN)


def test_resolve_timeline_huge_input_is_unknown():
    text = "Quý I/2022 " * 100_000
    schedule = resolve_timeline(text)
    assert schedule.kind == ScheduleKind.UNKNOWN
    assert schedule.text is text


def test_schedule_needs_review_only_when_unknown():
    for kind in ScheduleKind:
        assert Schedule("x", kind).needs_review is (kind == ScheduleKind.UNKNOWN)


def test_schedule_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        resolve_timeline("Quý I/2022").text = "other"


@pytest.mark.parametrize(
    ("quarter", "expected"),
    [
        (1, date(2023, 3, 31)),
        (2, date(2023, 6, 30)),
        (3, date(2023, 9, 30)),
        (4, date(2023, 12, 31)),
    ],
)
def test_quarter_end_gives_last_day_of_quarter(quarter, expected):
    assert quarter_end(2023, quarter) == expected


@pytest.mark.parametrize("quarter", [0, 5, -1])
def test_quarter_end_invalid_quarter_raises(quarter):
    with pytest.raises(ValueError):
        quarter_end(2023, quarter)


def test_month_end_gives_last_day_of_month():
    assert [month_end(2024, m).day for m in range(1, 13)] == [
        31,
        29,
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ]
    assert month_end(2023, 2) == date(2023, 2, 28)


@pytest.mark.parametrize("month", [0, 13])
def test_month_end_invalid_month_raises(month):
    with pytest.raises(ValueError):
        month_end(2023, month)


# Property tests

PIECES = [
    "quý",
    "Quý",
    "quy",
    "QUÝ",
    "tháng",
    "Tháng",
    "năm",
    "nam",
    "ngày",
    "trước",
    "trong",
    "hàng",
    "hằng",
    "Định kỳ",
    "thường xuyên",
    "cả",
    "đầu",
    "cuối",
    "bắt đầu từ",
    "theo",
    "tiến độ",
    "lộ trình",
    "Kế hoạch",
    "/",
    "-",
    ".",
    ",",
    "(",
    ")",
    " ",
    "I",
    "II",
    "III",
    "IV",
    "V",
    "X",
    "i",
    "iv",
    "0",
    "00",
    "1",
    "2",
    "3",
    "4",
    "6",
    "9",
    "12",
    "13",
    "29",
    "31",
    "1899",
    "1900",
    "2022",
    "2024",
    "2200",
    "2201",
    "9999",
]

vietnamese_ish = st.lists(
    st.one_of(
        st.sampled_from(PIECES),
        st.integers(min_value=0, max_value=100_000).map(str),
        st.text(max_size=3),
    ),
    max_size=12,
).flatmap(lambda parts: st.sampled_from([" ", "", "/"]).map(lambda sep: sep.join(parts)))

plan_years = st.one_of(st.none(), st.integers(min_value=1850, max_value=2250), st.integers())


def assert_consistent(schedule, text):
    assert schedule.text == text
    assert schedule.needs_review is (schedule.kind == ScheduleKind.UNKNOWN)
    if schedule.kind == ScheduleKind.DUE:
        assert isinstance(schedule.due_date, date)
        assert MIN_YEAR <= schedule.due_date.year <= MAX_YEAR
        assert schedule.checkpoints == ()
        assert schedule.recurrence == ""
    elif schedule.kind == ScheduleKind.RECURRING:
        assert schedule.checkpoints
        assert len(schedule.checkpoints) <= 12 * MAX_RECURRING_YEARS
        assert list(schedule.checkpoints) == sorted(set(schedule.checkpoints))
        assert schedule.due_date == schedule.checkpoints[-1]
        assert MIN_YEAR <= schedule.checkpoints[0].year <= schedule.due_date.year <= MAX_YEAR
        assert schedule.recurrence in ("quarterly", "monthly")
    else:
        assert schedule.due_date is None
        assert schedule.checkpoints == ()
        assert schedule.recurrence == ""


@settings(deadline=None)
@given(text=st.text(), year=plan_years, end_year=plan_years)
def test_resolve_timeline_never_raises_on_any_text(text, year, end_year):
    assert_consistent(resolve_timeline(text, year=year, end_year=end_year), text)


@settings(deadline=None)
@given(text=vietnamese_ish, year=plan_years, end_year=plan_years)
def test_resolve_timeline_never_raises_on_timeline_words(text, year, end_year):
    assert_consistent(resolve_timeline(text, year=year, end_year=end_year), text)


@settings(deadline=None)
@given(
    text=st.lists(st.sampled_from(PIECES), max_size=8).map(" ".join),
    year=st.one_of(st.none(), st.integers(min_value=1900, max_value=2200)),
)
def test_resolve_timeline_ignores_case_and_diacritics_on_timeline_words(text, year):
    def meaning(s):
        schedule = resolve_timeline(s, year=year)
        return schedule.kind, schedule.due_date, schedule.checkpoints, schedule.recurrence

    assert meaning(text) == meaning(plain(text).upper()) == meaning(text.lower())


ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@settings(deadline=None)
@given(
    year=st.integers(min_value=MIN_YEAR, max_value=MAX_YEAR),
    quarter=st.integers(min_value=1, max_value=4),
    roman=st.booleans(),
    prefix=st.sampled_from(["", "Trong ", "trong ", "cuối "]),
    word=st.sampled_from(["Quý", "quý", "Quy", "QUÝ"]),
    sep=st.sampled_from(["/", " / ", " năm ", " nam ", " - ", "-"]),
)
def test_resolve_timeline_any_written_quarter_gives_quarter_end(
    year, quarter, roman, prefix, word, sep
):
    number = ROMAN[quarter] if roman else str(quarter)
    schedule = resolve_timeline(f"{prefix}{word} {number}{sep}{year}")
    assert schedule.kind == ScheduleKind.DUE
    assert schedule.due_date == quarter_end(year, quarter)


@settings(deadline=None)
@given(
    year=st.integers(min_value=MIN_YEAR, max_value=MAX_YEAR),
    month=st.integers(min_value=1, max_value=12),
    padded=st.booleans(),
    sep=st.sampled_from(["/", " năm ", "-"]),
)
def test_resolve_timeline_any_written_month_gives_month_end(year, month, padded, sep):
    number = f"{month:02d}" if padded else str(month)
    schedule = resolve_timeline(f"trong tháng {number}{sep}{year}")
    assert schedule.due_date == month_end(year, month)


@settings(deadline=None)
@given(
    start=st.integers(min_value=MIN_YEAR, max_value=MAX_YEAR),
    quarter=st.integers(min_value=1, max_value=4),
    end_year=st.one_of(st.none(), st.integers()),
)
def test_resolve_timeline_quarterly_checkpoints_ascend_from_start(start, quarter, end_year):
    schedule = resolve_timeline(
        f"Định kỳ hàng quý, bắt đầu từ quý {ROMAN[quarter]}/{start}", end_year=end_year
    )
    assert_consistent(schedule, schedule.text)
    assert schedule.kind == ScheduleKind.RECURRING
    assert schedule.checkpoints[0] == quarter_end(start, quarter)
