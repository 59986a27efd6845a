"""The key-task table's agency cells, written in Python: a plan of 50 tasks had two template
includes a row and one more per agency, the most of the plan page's rendering."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext

register = template.Library()

SHOWN = 3  # agencies shown in a cell; the others behind "n more agencies"


def _label(label):
    if label.member_count is None:
        return label.name
    return ngettext(
        "%(name)s (%(counter)s agency)", "%(name)s (%(counter)s agencies)", label.member_count
    ) % {"name": label.name, "counter": label.member_count}


def _items(labels):
    return format_html_join("", "<li>{}</li>", ((_label(label),) for label in labels))


@register.simple_tag
def agency_labels(labels):
    """The agencies of a cell (``plans.selectors.AgencyLabel``): the first three, the others
    folded under "n more agencies"; a dash when there is none."""
    if not labels:
        return mark_safe('<span class="muted">—</span>')
    shown = format_html('<ul class="agencies">{}</ul>', _items(labels[:SHOWN]))
    if len(labels) <= SHOWN:
        return shown
    more = len(labels) - SHOWN
    summary = ngettext("%(counter)s more agency", "%(counter)s more agencies", more) % {
        "counter": more
    }
    return format_html(
        '{}\n<details class="more-agencies"><summary>{}</summary>\n'
        '<ul class="agencies">{}</ul></details>',
        shown, summary, _items(labels[SHOWN:]),
    )
