import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from agencies.models import Agency
from reports import charts, counting
from reports.charts import Bar, Column, Segment

SVG = "{http://www.w3.org/2000/svg}"
EVIL = '<script>alert("x")</script> & Co'


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def parse(svg):
    """The chart as XML: it must be well-formed, so nothing leaked unescaped."""
    return ET.fromstring(str(svg))


def texts(svg):
    return [el.text for el in parse(svg).iter(f"{SVG}text")]


def test_stacked_bar_writes_every_count_and_share_as_text():
    svg = charts.stacked_bar(
        [Segment("Not started", 1, charts.SLATE), Segment("Done", 3, charts.GREEN)],
        title="Key tasks by status",
        description="4 key tasks.",
    )
    root = parse(svg)
    assert root.find(f"{SVG}title").text == "Key tasks by status"
    assert root.find(f"{SVG}desc").text == "4 key tasks. Not started: 1 (25%); Done: 3 (75%)"
    assert root.get("viewBox") == f"0 0 {charts.WIDTH} {root.get('viewBox').split()[3]}"
    assert root.get("width") == "100%"
    assert root.get("role") == "img"
    assert texts(svg) == ["Not started: 1 (25%)", "Done: 3 (75%)"]
    widths = [float(r.get("width")) for r in root.iter(f"{SVG}rect") if r.get("height") == "28"]
    assert widths[1:] == [charts.WIDTH * 0.25, charts.WIDTH * 0.75]


def test_stacked_bar_with_nothing_to_count_says_so():
    svg = charts.stacked_bar([Segment("Done", 0, charts.GREEN)], title="Tasks")
    assert "Nothing to count" in texts(svg)
    assert "Done: 0 (–)" in texts(svg)


def test_bar_chart_labels_values_and_percentages():
    svg = charts.bar_chart(
        [Bar("Sở Nội vụ", 6, 9), Bar("Sở Tư pháp", 0, 3)], title="Agencies ranked"
    )
    assert texts(svg) == ["Sở Nội vụ", "6/9 · 67%", "Sở Tư pháp", "0/3 · 0%"]
    assert "Sở Nội vụ: 6/9 (67%)" in parse(svg).find(f"{SVG}desc").text


def test_bar_chart_shortens_long_labels_but_keeps_them_whole_in_the_tooltip():
    name = "Ban Quản lý các dự án đầu tư xây dựng công trình dân dụng và công nghiệp tỉnh"
    svg = charts.bar_chart([Bar(name, 1, 2)], title="Agencies")
    label = texts(svg)[0]
    assert label.endswith("…") and len(label) <= charts.LABEL_CHARS
    assert f"{name}: 1/2" in [t.text for t in parse(svg).iter(f"{SVG}title")]


def test_column_chart_numbers_columns_and_keys_them_in_text():
    svg = charts.column_chart(
        [Column("Báo chí", 1234), Column("Cổng thông tin", 7, charts.TEAL)],
        title="Agencies per channel",
        legend=[("Online channel", charts.TEAL)],
    )
    words = texts(svg)
    assert "1. Báo chí: 1,234" in words
    assert "2. Cổng thông tin: 7" in words
    assert "Online channel" in words
    assert {"1", "2"} <= set(words)


@pytest.mark.parametrize(
    "draw",
    [
        lambda: charts.stacked_bar([Segment(EVIL, 1, charts.RED)], title=EVIL, description=EVIL),
        lambda: charts.bar_chart([Bar(EVIL, 1, 2)], title=EVIL, description=EVIL),
        lambda: charts.column_chart([Column(EVIL, 3)], title=EVIL, legend=[(EVIL, charts.RED)]),
    ],
    ids=["stacked", "bars", "columns"],
)
def test_charts_escape_every_text(draw):
    svg = str(draw())
    assert "<script" not in svg
    assert "&lt;script&gt;" in svg
    root = parse(svg)
    assert EVIL in root.find(f"{SVG}title").text
    assert not list(root.iter(f"{SVG}script")) and not list(root.iter("script"))


def test_numbers_are_grouped_the_vietnamese_way_in_vietnamese():
    with translation.override("vi"):
        assert charts.format_number(1234567) == "1.234.567"
    assert charts.format_number(1234567) == "1,234,567"


def test_empty_charts_still_draw():
    for svg in (
        charts.bar_chart([], title="Agencies"),
        charts.column_chart([], title="Channels"),
    ):
        assert "No data" in texts(svg)


def test_chart_ids_differ_so_several_charts_fit_on_one_page():
    one = parse(charts.bar_chart([Bar("A", 1, 2)], title="Agencies"))
    two = parse(charts.bar_chart([Bar("B", 1, 2)], title="Agencies"))
    assert one.find(f"{SVG}title").get("id") != two.find(f"{SVG}title").get("id")


def test_status_chart_from_counts():
    counts = counting.StatusCounts(not_started=2, in_progress=1, done=1, cancelled=0)
    words = texts(charts.status_chart(counts))
    assert words == [
        "Not started: 2 (50%)",
        "In progress: 1 (25%)",
        "Done: 1 (25%)",
        "Cancelled: 0 (0%)",
    ]


def test_ranking_charts_show_the_best_and_the_furthest_behind_of_a_long_ranking():
    ranking = [
        counting.AgencyRow(agency=Agency(name=f"Cơ quan {n:02}"), assignments=4, done=4 - n // 8)
        for n in range(30)
    ]
    drawn = charts.ranking_charts(ranking, each=10)
    assert [caption for caption, _svg in drawn] == [
        "The 10 agencies furthest ahead",
        "The 10 agencies furthest behind",
    ]
    assert "Cơ quan 00" in texts(drawn[0][1]) and "Cơ quan 29" in texts(drawn[1][1])
    assert "Cơ quan 15" not in texts(drawn[0][1]) + texts(drawn[1][1])
    assert len(charts.ranking_charts(ranking[:20], each=10)) == 1


def test_ranking_charts_of_agencies_that_finished_nothing_have_nothing_to_show():
    def row(n, done):
        return counting.AgencyRow(agency=Agency(name=f"Cơ quan {n:02}"), assignments=2, done=done)

    nobody = [row(n, 0) for n in range(30)]
    assert [svg for _caption, svg in charts.ranking_charts(nobody, each=10)] == [None, None]
    assert charts.ranking_charts(nobody[:5], each=10) == [("Agencies ranked by completion", None)]
    # The furthest ahead have something to show; the ten behind have all finished nothing.
    some = [row(n, 1) for n in range(12)] + [row(n, 0) for n in range(12, 30)]
    ahead, behind = charts.ranking_charts(some, each=10)
    assert ahead[1] is not None and behind[1] is None
    groups = counting.ranking_groups(some, each=10)
    assert [(g.kind, len(g.rows), g.of) for g in groups] == [("ahead", 10, 30), ("behind", 0, 30)]


def test_chart_text_is_extractable_from_a_pdf():
    weasyprint = pytest.importorskip("weasyprint")
    from pypdf import PdfReader

    svg = charts.bar_chart([Bar("Sở Tư pháp", 5, 8)], title="Agencies ranked")
    pdf = weasyprint.HTML(string=f"<html><body>{svg}</body></html>").write_pdf()
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Sở Tư pháp" in text
    assert re.search(r"5/8\s*·\s*63%", text)
