"""Text of a document as the page should break it."""

import re

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()

# "Quý II/2022", "286/QĐ-UBND", "https://dichvucong.gov.vn": a slash never ends a line;
# longer runs may break, or they would overflow their column.
SLASHED = re.compile(r"\S*/\S*")
UNBROKEN_MAX = 40


@register.filter
def unbroken(text):
    """``text`` escaped, its short words with a slash kept on one line."""
    text = str(text)
    out, last = [], 0
    for match in SLASHED.finditer(text):
        if len(match[0]) > UNBROKEN_MAX:
            continue
        out.append(conditional_escape(text[last:match.start()]))
        out.append(format_html('<span class="unbroken">{}</span>', match[0]))
        last = match.end()
    out.append(conditional_escape(text[last:]))
    return mark_safe("".join(out))
