"""Filters of the document templates."""

from django import template

from documents.lines import unbroken_urls as _unbroken_urls

register = template.Library()


@register.filter
def unbroken_urls(text):
    """The text escaped, its URLs kept whole at "https://" (``documents.lines``)."""
    return _unbroken_urls(text)
