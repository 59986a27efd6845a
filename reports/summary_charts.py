"""The summary report's charts, with the document's Vietnamese wording (``reports/charts.py``
draws them): left out when they have nothing to show, numbered in the order printed."""

from documents.plan import short_date
from plans.models import SubmissionState

from . import charts
from .counting import STATUS_ORDER, agency_totals, ranking_groups
from .tables import STATUS_WORDS, SUBMISSION_WORDS

# Two ranking charts side by side are drawn this wide (in SVG units) so that their text prints
# at 11 pt or more in a half-width column (static/css/summary.css).
PAIR_WIDTH = 250
FONT = charts.DOCUMENT_FONT


def summary_charts(summary):
    """The document's charts; a chart with nothing to show is None, and ``notes`` says why.

    Returns a dict: ``status``, ``ranking`` ((caption, svg) pairs), ``submissions``,
    ``channels``, and ``notes`` (key → the sentence printed instead of a chart left out).
    """
    s = summary.now.statuses
    as_of = short_date(summary.as_of)
    notes = {}
    status = None
    if s.total:
        status = charts.stacked_bar(
            [
                charts.Segment(STATUS_WORDS[status], getattr(s, status.value),
                               charts.STATUS_COLOURS[status.value])
                for status in STATUS_ORDER
            ],
            title="Nhiệm vụ trọng điểm theo tình trạng",
            description=f"{s.total} nhiệm vụ trọng điểm đến ngày {as_of}.",
            chart_id="summary-status",
            font_family=FONT,
        )
    each = charts.RANKING_ROWS
    titles = {
        "all": "Tỷ lệ hoàn thành nhiệm vụ theo cơ quan, đơn vị",
        "ahead": f"{each} cơ quan, đơn vị có tỷ lệ hoàn thành cao nhất",
        "behind": f"{each} cơ quan, đơn vị có tỷ lệ hoàn thành thấp nhất",
    }
    # A group with nothing to show (no agency of it has finished anything) has no chart: a
    # sentence says so instead.
    groups = ranking_groups(summary.agency_rows, each)
    drawn = [group for group in groups if group.rows]
    if groups and not drawn and groups[0].of:
        notes["ranking"] = (
            f"Đến ngày {as_of}, chưa cơ quan, đơn vị nào hoàn thành nhiệm vụ được giao "
            f"({groups[0].of} cơ quan, đơn vị được giao nhiệm vụ)."
        )
    elif len(drawn) < len(groups):
        nothing_done = agency_totals(summary.agency_rows).with_nothing_done
        notes["ranking"] = (
            f"{nothing_done} cơ quan, đơn vị chưa hoàn thành nhiệm vụ nào được giao "
            f"đến ngày {as_of}."
        )
    pair = len(drawn) > 1
    ranking = [
        (
            titles[group.kind],
            charts.bar_chart(
                [
                    charts.Bar(row.display_name, row.done, row.assignments, charts.GREEN)
                    for row in group.rows
                ],
                title=titles[group.kind],
                description="Số nhiệm vụ hoàn thành trên số nhiệm vụ được giao.",
                chart_id=f"summary-ranking-{index}",
                width=PAIR_WIDTH if pair else charts.WIDTH,
                font_family=FONT,
            ),
        )
        for index, group in enumerate(drawn)
    ]
    sub = summary.submissions
    submissions = None
    if sub.addressed:
        submissions = charts.stacked_bar(
            [
                charts.Segment(SUBMISSION_WORDS[state], sub.count(state),
                               charts.SUBMISSION_COLOURS[state])
                for state in (SubmissionState.ON_TIME, SubmissionState.LATE,
                              SubmissionState.PENDING, SubmissionState.MISSING)
            ],
            title="Kế hoạch của các cơ quan, đơn vị",
            description=f"{sub.addressed} cơ quan, đơn vị phải ban hành kế hoạch.",
            chart_id="summary-submissions",
            font_family=FONT,
        )
    channel_chart = None
    if summary.channels:
        channel_chart = charts.column_chart(
            [
                charts.Column(
                    channel.name,
                    channel.agencies,
                    charts.ONLINE_COLOUR if channel.is_online else charts.TRADITIONAL_COLOUR,
                )
                for channel in summary.channels
            ],
            title="Số cơ quan, đơn vị có số liệu theo hình thức tuyên truyền",
            description="Số cơ quan, đơn vị có số liệu trong kỳ, theo từng hình thức.",
            legend=[("Trực tuyến", charts.ONLINE_COLOUR),
                    ("Truyền thống", charts.TRADITIONAL_COLOUR)],
            chart_id="summary-channels",
            font_family=FONT,
        )
    return {
        "status": status,
        "ranking": ranking,
        "submissions": submissions,
        "channels": channel_chart,
        "notes": notes,
    }


CHART_TITLES = {
    "status": "Nhiệm vụ trọng điểm theo tình trạng",
    "channels": "Số cơ quan, đơn vị có số liệu theo từng hình thức tuyên truyền",
    "submissions": "Tình hình gửi kế hoạch của các cơ quan, đơn vị",
}


def chart_captions(drawn):
    """ "Biểu đồ 2. …": charts numbered in the order printed, those left out skipped.

    Returns key → caption, and for ``ranking`` one caption per chart ("2a", "2b" for two).
    """
    captions, number = {}, 0
    for key in ("status", "ranking", "channels", "submissions"):
        if not drawn.get(key):
            continue
        number += 1
        if key == "ranking":
            ranking = drawn[key]
            letters = "ab" if len(ranking) > 1 else [""]
            captions[key] = [
                f"Biểu đồ {number}{letter}. {title}"
                for letter, (title, _svg) in zip(letters, ranking, strict=False)
            ]
        else:
            captions[key] = f"Biểu đồ {number}. {CHART_TITLES[key]}"
    return captions
