from django import template

register = template.Library()


@register.filter
def of(mapping, key):
    """``mapping[key]``, or None: what a reminder's template reads for its recipient."""
    return mapping.get(key) if mapping else None
