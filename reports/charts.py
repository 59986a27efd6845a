"""Charts drawn on the server as inline SVG, for the dashboard and the PDF reports alike.

No JavaScript and no chart library: each function returns a safe SVG string whose numbers
are written as text (so they read in a browser without scripts, to a screen reader through
``<title>``/``<desc>``, and in a WeasyPrint PDF as extractable text). All text is escaped.
The SVG has a ``viewBox`` and ``width="100%"`` and scales to its container; colours are
fixed and dark enough for white backgrounds, and colour is never the only carrier of meaning
(every segment or bar has its number and label in text).
"""

import hashlib
from dataclasses import dataclass

from django.utils.formats import get_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _

from plans.models import SubmissionState
from tasks.counting import percent

from .counting import RANKING_ROWS, ranking_groups

WIDTH = 360
FONT_SIZE = 14
SMALL_FONT_SIZE = 13
INK = "#1f2933"
MUTED = "#5f6b76"
TRACK = "#e5e8eb"
LABEL_CHARS = 46
# The PDF documents' charts are set in the body's Times-metric serif (WeasyPrint draws an
# inline SVG on its own: the page's CSS does not reach its text).
DOCUMENT_FONT = "Times New Roman, Liberation Serif, Tinos, serif"

# Fixed palette (contrast ≥ 4.5:1 against white for each colour).
GREY = "#4b5563"
BLUE = "#1d4ed8"
GREEN = "#15803d"
RED = "#b91c1c"
AMBER = "#a16207"
SLATE = "#64748b"
TEAL = "#0f766e"
VIOLET = "#6d28d9"


@dataclass(frozen=True)
class Segment:
    """A part of a stacked bar: a status and how many tasks have it."""

    label: str
    value: int
    colour: str


@dataclass(frozen=True)
class Bar:
    """A horizontal bar: ``value`` out of ``total`` (e.g. assignments done out of all)."""

    label: str
    value: int
    total: int
    colour: str = BLUE


@dataclass(frozen=True)
class Column:
    label: str
    value: int
    colour: str = BLUE


def format_number(value):
    """Whole numbers grouped by thousands with the language's separator: 1.234 in Vietnamese.

    Django's Vietnamese formats set no grouping, so the separator is applied here.
    """
    return f"{int(value):,}".replace(",", get_format("THOUSAND_SEPARATOR"))


def format_percent(part, whole):
    share = percent(part, whole)
    return "–" if share is None else f"{share}%"


def shorten(text, limit=LABEL_CHARS):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _chart_id(title, summary, chart_id):
    if chart_id:
        return chart_id
    digest = hashlib.sha1(f"{title}|{summary}".encode()).hexdigest()[:8]
    return f"chart-{slugify(title)[:30] or 'x'}-{digest}"


def _svg(*, height, title, description, summary, body, chart_id, css_class, width=WIDTH,
         font_family=None):
    """The ``<svg>`` around ``body`` (already safe), labelled by its title and description."""
    chart_id = _chart_id(title, summary, chart_id)
    desc = f"{description} {summary}".strip() if description else summary
    family = format_html(' font-family="{}"', font_family) if font_family else ""
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart {css_class}" '
        'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        'role="img" aria-labelledby="{id}-title {id}-desc" font-size="{font}"{family} '
        'fill="{ink}">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{body}</svg>',
        css_class=css_class,
        family=family,
        width=width,
        height=height,
        id=chart_id,
        font=FONT_SIZE,
        ink=INK,
        title=title,
        desc=desc,
        body=body,
    )


def _legend(items, *, top):
    """Coloured squares with a text per item, two per row when short; returns (svg, height)."""
    row_height = 20
    columns = 2 if all(len(text) <= 22 for text, _colour in items) else 1
    column_width = WIDTH / columns
    parts = []
    for index, (text, colour) in enumerate(items):
        x = (index % columns) * column_width
        y = top + (index // columns) * row_height
        parts.append(
            format_html(
                '<rect x="{x}" y="{y}" width="12" height="12" fill="{colour}"/>'
                '<text x="{tx}" y="{ty}">{text}</text>',
                x=f"{x:g}",
                y=y,
                colour=colour,
                tx=f"{x + 18:g}",
                ty=y + 11,
                text=shorten(text, int(column_width / 7.5) - 2),
            )
        )
    rows = (len(items) + columns - 1) // columns
    return mark_safe("".join(parts)), rows * row_height


def stacked_bar(segments, *, title, description="", chart_id=None, font_family=None):
    """One bar split by ``segments`` (e.g. tasks by status), with a legend of counts."""
    total = sum(s.value for s in segments)
    summary = "; ".join(
        f"{s.label}: {format_number(s.value)} ({format_percent(s.value, total)})" for s in segments
    )
    bar_height = 28
    parts = [
        format_html(
            '<rect x="0" y="0" width="{w}" height="{h}" fill="{c}" rx="3"/>',
            w=WIDTH,
            h=bar_height,
            c=TRACK,
        )
    ]
    x = 0.0
    for segment in segments:
        if not total or not segment.value:
            continue
        width = WIDTH * segment.value / total
        parts.append(
            format_html(
                '<rect x="{x}" y="0" width="{w}" height="{h}" fill="{c}">'
                "<title>{label}: {value}</title></rect>",
                x=f"{x:.2f}",
                w=f"{width:.2f}",
                h=bar_height,
                c=segment.colour,
                label=segment.label,
                value=format_number(segment.value),
            )
        )
        x += width
    if not total:
        parts.append(
            format_html(
                '<text x="{x}" y="19" text-anchor="middle" fill="{c}">{t}</text>',
                x=WIDTH // 2,
                c=MUTED,
                t=_("Nothing to count"),
            )
        )
    legend, legend_height = _legend(
        [
            (f"{s.label}: {format_number(s.value)} ({format_percent(s.value, total)})", s.colour)
            for s in segments
        ],
        top=bar_height + 12,
    )
    parts.append(legend)
    return _svg(
        height=bar_height + 12 + legend_height,
        title=title,
        description=description,
        summary=summary,
        body=mark_safe("".join(parts)),
        chart_id=chart_id,
        css_class="chart-stacked",
        font_family=font_family,
    )


def bar_chart(bars, *, title, description="", chart_id=None, width=WIDTH, font_family=None):
    """Horizontal bars, one per row: the label above, the bar, then "value/total · percent".

    A narrower ``width`` (in the SVG's units) draws the same text larger where the chart is
    printed narrow, e.g. two side by side.
    """
    summary = "; ".join(
        f"{b.label}: {format_number(b.value)}/{format_number(b.total)} "
        f"({format_percent(b.value, b.total)})"
        for b in bars
    )
    row_height = 40
    track = width - 112
    label_chars = min(LABEL_CHARS, int(width / 7.5))
    rows = []
    for index, bar in enumerate(bars):
        top = index * row_height
        share = bar.value / bar.total if bar.total else 0
        rows.append(
            format_html(
                '<g><title>{full}</title><text x="0" y="{ty}">{label}</text>'
                '<rect x="0" y="{by}" width="{track}" height="14" fill="{bg}" rx="2"/>'
                '<rect x="0" y="{by}" width="{w}" height="14" fill="{c}" rx="2"/>'
                '<text x="{vx}" y="{vy}" font-size="{small}">{value}/{total} · {pct}</text></g>',
                full=f"{bar.label}: {format_number(bar.value)}/{format_number(bar.total)}",
                label=shorten(bar.label, label_chars),
                ty=top + 13,
                by=top + 19,
                track=track,
                bg=TRACK,
                w=f"{track * min(share, 1):.2f}",
                c=bar.colour,
                vx=track + 8,
                vy=top + 31,
                small=SMALL_FONT_SIZE,
                value=format_number(bar.value),
                total=format_number(bar.total),
                pct=format_percent(bar.value, bar.total),
            )
        )
    if not bars:
        rows.append(format_html('<text x="0" y="16" fill="{}">{}</text>', MUTED, _("No data")))
    return _svg(
        height=max(len(bars), 1) * row_height,
        title=title,
        description=description,
        summary=summary,
        body=mark_safe("".join(rows)),
        chart_id=chart_id,
        css_class="chart-bars",
        width=width,
        font_family=font_family,
    )


def column_chart(columns, *, title, description="", legend=(), chart_id=None, font_family=None):
    """Vertical columns numbered 1…n with their value on top, and a key of labels below.

    Labels such as channel names are too long to sit under narrow columns, so each column
    carries its number and the key below lists "number. label: value" in full text.
    """
    summary = "; ".join(f"{c.label}: {format_number(c.value)}" for c in columns)
    plot_top, plot_height = 18, 150
    baseline = plot_top + plot_height
    highest = max((c.value for c in columns), default=0)
    slot = WIDTH / max(len(columns), 1)
    column_width = min(48, slot * 0.7)
    parts = [
        format_html(
            '<line x1="0" y1="{y}" x2="{w}" y2="{y}" stroke="{c}" stroke-width="1"/>',
            y=baseline,
            w=WIDTH,
            c=MUTED,
        )
    ]
    for index, column in enumerate(columns):
        height = plot_height * column.value / highest if highest else 0
        centre = slot * index + slot / 2
        parts.append(
            format_html(
                "<g><title>{label}: {value}</title>"
                '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{c}"/>'
                '<text x="{cx}" y="{vy}" text-anchor="middle" font-size="{small}">{value}</text>'
                '<text x="{cx}" y="{ny}" text-anchor="middle" font-size="{small}">{number}</text>'
                "</g>",
                label=column.label,
                value=format_number(column.value),
                x=f"{centre - column_width / 2:.2f}",
                y=f"{baseline - height:.2f}",
                w=f"{column_width:.2f}",
                h=f"{height:.2f}",
                c=column.colour,
                cx=f"{centre:.2f}",
                vy=f"{baseline - height - 4:.2f}",
                ny=baseline + 15,
                small=SMALL_FONT_SIZE,
                number=index + 1,
            )
        )
    if not columns:
        parts.append(
            format_html(
                '<text x="{x}" y="{y}" text-anchor="middle" fill="{c}">{t}</text>',
                x=WIDTH // 2,
                y=baseline - 60,
                c=MUTED,
                t=_("No data"),
            )
        )
    key_top = baseline + 32
    key = format_html_join(
        "",
        '<text x="0" y="{}" font-size="{}">{}. {}: {}</text>',
        (
            (
                key_top + index * 18,
                SMALL_FONT_SIZE,
                index + 1,
                shorten(c.label, 44),
                format_number(c.value),
            )
            for index, c in enumerate(columns)
        ),
    )
    parts.append(key)
    legend_top = key_top + len(columns) * 18
    legend_svg, legend_height = _legend(list(legend), top=legend_top)
    parts.append(legend_svg)
    return _svg(
        height=legend_top + legend_height,
        title=title,
        description=description,
        summary=summary,
        body=mark_safe("".join(parts)),
        chart_id=chart_id,
        css_class="chart-columns",
        font_family=font_family,
    )


# The dashboard's and the reports' charts, from the numbers of ``reports.counting`` ---------

STATUS_COLOURS = {
    "not_started": SLATE,
    "in_progress": BLUE,
    "done": GREEN,
    "cancelled": "#44403c",
}
SUBMISSION_COLOURS = {"on_time": GREEN, "late": AMBER, "pending": SLATE, "missing": RED}
ONLINE_COLOUR, TRADITIONAL_COLOUR = TEAL, VIOLET


def status_chart(statuses, *, chart_id="chart-status"):
    """Tasks by status (a ``counting.StatusCounts``) as one stacked bar."""
    segments = [
        Segment(label=str(label), value=count, colour=STATUS_COLOURS[status])
        for status, label, count in statuses.by_status()
    ]
    return stacked_bar(
        segments,
        title=_("Key tasks by status"),
        description=_("%(total)s key tasks.") % {"total": format_number(statuses.total)},
        chart_id=chart_id,
    )


def submission_chart(submissions, *, chart_id="chart-submissions"):
    """Agency plans on time, late, pending and missing (a ``counting.SubmissionSummary``)."""
    segments = [
        Segment(str(state.label), submissions.count(state), SUBMISSION_COLOURS[state])
        for state in (
            SubmissionState.ON_TIME,
            SubmissionState.LATE,
            SubmissionState.PENDING,
            SubmissionState.MISSING,
        )
    ]
    return stacked_bar(
        segments,
        title=_("Agency plans submitted"),
        description=_("%(count)s agencies must submit their own plan.")
        % {"count": format_number(submissions.addressed)},
        chart_id=chart_id,
    )


def ranking_chart(rows, *, title, description="", chart_id=None):
    """Agencies' share of assignments done (``counting.AgencyRow`` rows) as bars."""
    bars = [
        Bar(label=row.display_name, value=row.done, total=row.assignments, colour=GREEN)
        for row in rows
    ]
    description = " ".join(
        filter(None, [description, _("Assignments done out of assignments carried.")])
    )
    return bar_chart(bars, title=title, description=description, chart_id=chart_id)


def ranking_charts(ranking, *, each=RANKING_ROWS):
    """The ranking's charts (``counting.ranking_groups``): all agencies in one, or the
    ``each`` furthest ahead and the ``each`` furthest behind.

    Returns (caption, svg) pairs; the svg is None for a group with nothing to show.
    """
    titles = {
        "all": _("Agencies ranked by completion"),
        "ahead": _("The %(count)s agencies furthest ahead") % {"count": each},
        "behind": _("The %(count)s agencies furthest behind") % {"count": each},
    }
    charts = []
    for group in ranking_groups(ranking, each):
        title = titles[group.kind]
        description = "" if group.kind == "all" else _("Out of %(count)s agencies.") % {
            "count": group.of
        }
        chart_id = "chart-ranking" if group.kind == "all" else f"chart-ranking-{group.kind}"
        svg = None
        if group.rows:
            svg = ranking_chart(group.rows, title=title, description=description,
                                chart_id=chart_id)
        charts.append((title, svg))
    return charts


def channel_chart(channels, *, chart_id="chart-channels"):
    """Agencies that reported figures on each channel (``counting.ChannelFigures``)."""
    columns = [
        Column(
            label=channel.name,
            value=channel.agencies,
            colour=ONLINE_COLOUR if channel.is_online else TRADITIONAL_COLOUR,
        )
        for channel in channels
    ]
    return column_chart(
        columns,
        title=_("Agencies reporting figures on each channel"),
        description=_("Number of agencies that reported figures on each channel."),
        legend=[
            (_("Online channel"), ONLINE_COLOUR),
            (_("Traditional channel"), TRADITIONAL_COLOUR),
        ],
        chart_id=chart_id,
    )
