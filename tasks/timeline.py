"""Turn the Vietnamese timeline phrase of a key task into a schedule.

Plans give each task's timeline as a short phrase: "Quý II/2022", "Trong năm 2022",
"Thường xuyên", "Định kỳ hàng quý, bắt đầu từ quý I/2022", "Theo tiến độ Kế hoạch", ...
``resolve_timeline`` reads it ignoring case, diacritics, punctuation and spacing. It never
raises: a phrase it cannot read comes back as ``ScheduleKind.UNKNOWN``, text kept verbatim,
for a person to review.
"""

import re
import unicodedata
from calendar import monthrange
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

__all__ = [
    "MAX_RECURRING_YEARS",
    "MAX_YEAR",
    "MIN_YEAR",
    "Schedule",
    "ScheduleKind",
    "month_end",
    "quarter_end",
    "resolve_timeline",
]

MIN_YEAR = 1900
MAX_YEAR = 2200
MAX_RECURRING_YEARS = 10
MAX_PHRASE_LENGTH = 500


class ScheduleKind(StrEnum):
    DUE = "due"
    ONGOING = "ongoing"
    RECURRING = "recurring"
    FOLLOWS = "follows"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Schedule:
    """What a timeline phrase means; ``text`` is the phrase exactly as given."""

    text: str
    kind: ScheduleKind
    due_date: date | None = None
    checkpoints: tuple[date, ...] = ()
    recurrence: str = ""

    @property
    def needs_review(self) -> bool:
        return self.kind == ScheduleKind.UNKNOWN


def month_end(year: int, month: int) -> date:
    """Last day of the month; ValueError for a month outside 1..12 or an impossible year."""
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1..12, not {month}")
    return date(year, month, monthrange(year, month)[1])


def quarter_end(year: int, quarter: int) -> date:
    """Last day of the quarter; ValueError for a quarter outside 1..4 or an impossible year."""
    if not 1 <= quarter <= 4:
        raise ValueError(f"quarter must be 1..4, not {quarter}")
    return month_end(year, quarter * 3)


def resolve_timeline(
    text: str, *, year: int | None = None, end_year: int | None = None
) -> Schedule:
    """Read a timeline phrase; ``year``/``end_year`` are the plan's first and last years.

    ``year`` stands in for a year the phrase leaves out ("Quý II", "hàng tháng");
    ``end_year`` (default ``year``) is where recurring checkpoints stop.
    """
    if text is None:
        text = ""
    elif not isinstance(text, str):
        text = str(text)
    phrase = text.strip()
    if len(phrase) > MAX_PHRASE_LENGTH:
        return Schedule(text, ScheduleKind.UNKNOWN)
    normalized = _normalize(phrase)
    for pattern, handler in _RULES:
        match = pattern.fullmatch(normalized)
        if match is None:
            continue
        try:
            return handler(text, match, year, end_year)
        except ValueError:
            break
    return Schedule(text, ScheduleKind.UNKNOWN)


_LETTER_D = str.maketrans({"đ": "d", "ð": "d"})
_DASHES = str.maketrans(dict.fromkeys("‐‑‒–—―−", "-"))
_MARKS = "/.-"
_SPACED_MARK = re.compile(r" ?([/.-]) ?")


def _normalize(text: str) -> str:
    """Lower-case ASCII-ish form: no diacritics, single spaces, punctuation other than / . -
    turned into spaces, and no spaces around those three marks."""
    # Legacy Vietnamese fonts type Đ as the Icelandic eth, hence "ð" as well as "đ".
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LETTER_D))
    kept = []
    for char in decomposed.translate(_DASHES):
        category = unicodedata.category(char)
        if category in ("Mn", "Me", "Cf"):
            continue
        kept.append(char if char in _MARKS or category[0] in "LN" else " ")
    collapsed = " ".join("".join(kept).split())
    return _SPACED_MARK.sub(r"\1", collapsed).strip(" " + _MARKS)


_ROMAN_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def _year(token: str | None, fallback: int | None) -> int:
    value = int(token) if token else fallback
    if not isinstance(value, int) or not MIN_YEAR <= value <= MAX_YEAR:
        raise ValueError(f"no usable year: {value!r}")
    return value


def _quarter_number(token: str) -> int:
    number = _ROMAN_QUARTERS[token] if token in _ROMAN_QUARTERS else int(token)
    if not 1 <= number <= 4:
        raise ValueError(f"no quarter {token!r}")
    return number


def _month_number(token: str) -> int:
    number = int(token)
    if not 1 <= number <= 12:
        raise ValueError(f"no month {token!r}")
    return number


def _last_year(first_year: int, year: int | None, end_year: int | None) -> int:
    last = end_year if end_year is not None else year
    if not isinstance(last, int) or last < first_year:
        return first_year
    return min(last, first_year + MAX_RECURRING_YEARS - 1, MAX_YEAR)


def _due(text: str, when: date) -> Schedule:
    return Schedule(text, ScheduleKind.DUE, due_date=when)


def _on_ongoing(text, match, year, end_year):
    if match["year"]:
        _year(match["year"], None)
    return Schedule(text, ScheduleKind.ONGOING)


def _on_follows(text, match, year, end_year):
    return Schedule(text, ScheduleKind.FOLLOWS)


def _on_recurring(text, match, year, end_year):
    quarterly = match["unit"] == "quy"
    if match["start"] is None:
        first_year, first = _year(None, year), 1
    elif match["start_unit"] != match["unit"]:
        raise ValueError("start given in another unit than the recurrence")
    else:
        first_year = _year(match["year"], year)
        first = (_quarter_number if quarterly else _month_number)(match["start"])
    last_year = _last_year(first_year, year, end_year)
    period_end, periods = (quarter_end, 4) if quarterly else (month_end, 12)
    checkpoints = tuple(
        period_end(y, period)
        for y in range(first_year, last_year + 1)
        for period in range(first if y == first_year else 1, periods + 1)
    )
    return Schedule(
        text,
        ScheduleKind.RECURRING,
        due_date=checkpoints[-1],
        checkpoints=checkpoints,
        recurrence="quarterly" if quarterly else "monthly",
    )


def _on_quarter(text, match, year, end_year):
    return _due(text, quarter_end(_year(match["year"], year), _quarter_number(match["quarter"])))


def _on_month(text, match, year, end_year):
    return _due(text, month_end(_year(match["year"], year), _month_number(match["month"])))


def _on_part_of_year(text, match, year, end_year):
    months = int(match["months"])
    if not 1 <= months <= 12:
        raise ValueError(f"no part of a year of {months} months")
    last_month = months if match["part"] == "dau" else 12
    return _due(text, month_end(_year(match["year"], year), last_month))


def _on_year(text, match, year, end_year):
    return _due(text, date(_year(match["year"], year), 12, 31))


def _on_day(text, match, year, end_year):
    # A bare "1.5" or "2/3" is too likely a number or a ratio to read as a date.
    if match["year"] is None and (match["lead"] is None or match["sep"] == "."):
        raise ValueError("a day without a year needs 'ngày' or 'trước'")
    day, month = int(match["day"]), int(match["month"])
    return _due(text, date(_year(match["year"], year), month, day))


_YEAR = r"(?P<year>[0-9]{4})"
_YEAR_SEP = r"(?:[/.-]| (?:nam )?)"
_PERIOD = r"[0-9]{1,2}|[ivx]{1,4}"
_WITHIN = r"(?:(?:trong|cuoi|het) )?"

_Handler = Callable[[str, re.Match[str], int | None, int | None], Schedule]

# Tried in order on the normalized phrase; the first full match decides.
_RULES: list[tuple[re.Pattern[str], _Handler]] = [
    (re.compile(p), handler)
    for p, handler in [
        (
            r"(?:thuong xuyen(?: (?:trong|hang|ca) nam)?|(?:trong )?ca nam|(?:dinh ky )?hang nam)"
            rf"(?: {_YEAR})?",
            _on_ongoing,
        ),
        (r"theo (?:tien do|lo trinh|ke hoach|de an|chuong trinh|du an)(?: .*)?", _on_follows),
        (
            r"(?:dinh ky )?(?:hang|moi) (?P<unit>quy|thang)"
            rf"(?: (?:bat dau )?tu (?P<start_unit>quy|thang) (?P<start>{_PERIOD})"
            rf"(?:{_YEAR_SEP}{_YEAR})?)?",
            _on_recurring,
        ),
        (rf"{_WITHIN}quy (?P<quarter>{_PERIOD})(?:{_YEAR_SEP}{_YEAR})?", _on_quarter),
        (rf"{_WITHIN}thang (?P<month>[0-9]{{1,2}})(?:{_YEAR_SEP}{_YEAR})?", _on_month),
        (
            rf"(?:trong )?(?P<months>[0-9]{{1,2}}) thang (?P<part>dau|cuoi) nam(?: {_YEAR})?",
            _on_part_of_year,
        ),
        (rf"(?:(?:trong|cuoi|het) nam|nam(?= ))(?: {_YEAR})?", _on_year),
        (
            r"(?:(?P<lead>(?:truoc|den|cham nhat|han)(?: ngay)?|ngay) )?"
            rf"(?P<day>[0-9]{{1,2}})(?P<sep>[/.-])(?P<month>[0-9]{{1,2}})(?:(?P=sep){_YEAR})?",
            _on_day,
        ),
    ]
]
