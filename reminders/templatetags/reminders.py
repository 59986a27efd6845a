from django import template
from django.utils import translation

from notifications.services import localized_url, site_url

register = template.Library()


@register.filter
def of(mapping, key):
    """``mapping[key]``, or None: what a reminder's template reads for its recipient."""
    return mapping.get(key) if mapping else None


@register.filter
def link(url):
    """The absolute address of ``url`` (a path reversed in any language) in the language the
    mail is being written in: ``/en/tasks/5/`` for an English reader."""
    return site_url() + localized_url(url, translation.get_language())
