"""plans.years: which years of a plan's text a copy to the next year moves on."""

import pytest

from plans.years import replace_occurrences, year_occurrences


def moved(text, first=2026, last=2026):
    return replace_occurrences(text, year_occurrences(text, first=first, last=last))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kế hoạch tuyên truyền CCHC năm 2026", "Kế hoạch tuyên truyền CCHC năm 2027"),
        ("Quý I/2026; trước ngày 15/12/2026.", "Quý I/2027; trước ngày 15/12/2027."),
        ("Năm 2026, tỉnh phấn đấu", "Năm 2027, tỉnh phấn đấu"),
        # Longer numbers and decimals are not years.
        ("Mã số 20260 và 120265", "Mã số 20260 và 120265"),
        ("Tỷ lệ 2026,5 điểm; 1.2026 bản", "Tỷ lệ 2026,5 điểm; 1.2026 bản"),
        # A document reference cites a document that exists: its number, year and date stay.
        (
            "Quyết định số 12/2026/QĐ-UBND của UBND tỉnh",
            "Quyết định số 12/2026/QĐ-UBND của UBND tỉnh",
        ),
        (
            "Kế hoạch số 286/KH-UBND ngày 26/01/2026 của UBND tỉnh về năm 2026",
            "Kế hoạch số 286/KH-UBND ngày 26/01/2026 của UBND tỉnh về năm 2027",
        ),
        (
            "Công văn số 5/SNV-CCHC ngày 05 tháng 01 năm 2026",
            "Công văn số 5/SNV-CCHC ngày 05 tháng 01 năm 2026",
        ),
        ("Quyết định số 123/QĐ-UBND", "Quyết định số 123/QĐ-UBND"),
        # A stage of several years is not the plan's year.
        ("giai đoạn 2026-2030", "giai đoạn 2026-2030"),
        ("giai đoạn 2026 – 2030", "giai đoạn 2026 – 2030"),
        # Other years stay.
        ("so với năm 2025", "so với năm 2025"),
    ],
)
def test_only_the_plans_year_written_on_its_own_moves(text, expected):
    assert moved(text) == expected


def test_a_multi_year_plan_moves_its_years_and_its_own_period():
    assert moved("giai đoạn 2021-2025, năm 2023", 2021, 2025) == "giai đoạn 2022-2026, năm 2024"
    assert moved("Chương trình 2021–2030", 2021, 2025) == "Chương trình 2021–2030"


def test_occurrences_name_what_changes_where():
    [occurrence] = year_occurrences("Trong năm 2026.", first=2026, last=2026)
    assert (occurrence.start, occurrence.old, occurrence.new) == (10, "2026", "2027")
