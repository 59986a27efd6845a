"""A select box of thousands of options rendered in milliseconds.

Django's ``Select`` builds a dictionary and renders a template per option: with the 5,000
issuers or 30,000 plans of a national installation that alone takes seconds. ``FastSelect``
writes the same markup directly (HTML-equal to ``Select``'s, without its blank lines).
"""

from html import escape

from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe


def _text(value):
    """``conditional_escape`` of a label or value, as plain text (joined into the select)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape(str(value))


def _option(value, label, selected):
    value = "" if value is None else str(value)
    chosen = " selected" if value in selected else ""
    return f'<option value="{escape(value)}"{chosen}>{_text(label)}</option>'


class FastSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        selected = {str(v) for v in self.format_value(value)}
        parts = []
        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):
                inner = "".join(_option(v, text, selected) for v, text in label)
                parts.append(
                    format_html(
                        '<optgroup label="{}">{}</optgroup>', option_value, mark_safe(inner)
                    )
                )
            else:
                parts.append(_option(option_value, label, selected))
        final_attrs = self.build_attrs(self.attrs, attrs)
        return mark_safe(
            f"<select name=\"{conditional_escape(name)}\"{flatatt(final_attrs)}>"
            f"{''.join(parts)}</select>"
        )
