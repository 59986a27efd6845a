"""Where a plan's text names its own years, for a copy to the next year: plain text rules.

A year of the plan (``first``..``last``) written on its own moves on by one: "năm 2026",
"Quý I/2026", "trước ngày 15/12/2026", "2026." at the end of a sentence. Left alone:

- a longer number ("20260", "1.2026") and a year inside a number ("2026,5");
- a document reference, which cites a document that exists: "12/2025/QĐ-UBND",
  "Kế hoạch số 286/KH-UBND ngày 26/01/2026", "Quyết định số 5/QĐ-UBND ngày 05 tháng 01 năm
  2026" (its number, symbol and date together);
- a range of years other than the plan's own period ("giai đoạn 2026-2030" in a yearly plan of
  2026: the copy for 2027 still lies in that stage); the plan's own period as a range
  ("2021-2025" in a plan for 2021–2025) moves as a whole.

Legal bases are never passed here: they cite existing documents.
"""

import re
from dataclasses import dataclass

# A document's number and symbol, with its year and date when written: 12/2025/QĐ-UBND,
# 286/QĐ-UBND ngày 26/01/2022, 05/KH-UBND ngày 05 tháng 01 năm 2026.
REFERENCE = re.compile(
    r"\d+(?:/\d{4})?/[A-ZĐ][\w&.-]*"
    r"(?:\s*,?\s*ngày\s+\d{1,2}(?:/|\s+tháng\s+)\d{1,2}(?:/|\s+năm\s+)\d{4})?"
)
YEAR = re.compile(r"(?<![\d.,])(\d{4})(?:\s*[-–—]\s*(\d{4}))?(?!\d|[.,]\d)")


@dataclass(frozen=True)
class Occurrence:
    """``text[start:end]`` (``old``) becomes ``new``."""

    start: int
    end: int
    old: str
    new: str


def year_occurrences(text, *, first, last, by=1):
    """Every place of ``text`` where a year of the period first..last is to move by ``by``."""
    if not text:
        return []
    references = [match.span() for match in REFERENCE.finditer(text)]

    def cited(start, end):
        return any(ref_start <= start and end <= ref_end for ref_start, ref_end in references)

    found = []
    for match in YEAR.finditer(text):
        start, end = match.span()
        if cited(start, end):
            continue
        year, to_year = int(match[1]), match[2] and int(match[2])
        if to_year:
            if (year, to_year) != (first, last) or first == last:
                continue
            separator = text[match.end(1) : match.start(2)]
            found.append(Occurrence(start, end, match[0], f"{year + by}{separator}{to_year + by}"))
        elif first <= year <= last:
            found.append(Occurrence(start, end, match[0], str(year + by)))
    return found


def replace_occurrences(text, occurrences):
    """``text`` with each of ``occurrences`` (from ``year_occurrences`` on it) replaced."""
    for occurrence in sorted(occurrences, key=lambda o: o.start, reverse=True):
        text = text[: occurrence.start] + occurrence.new + text[occurrence.end :]
    return text
