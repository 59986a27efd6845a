from django import template
from django.utils.html import format_html

from cchc_plans.once import TOKEN_FIELD, new_token

register = template.Library()


@register.simple_tag
def once_token():
    """The hidden one-time token of a form acted on once (cchc_plans/once.py)."""
    return format_html('<input type="hidden" name="{}" value="{}">', TOKEN_FIELD, new_token())
