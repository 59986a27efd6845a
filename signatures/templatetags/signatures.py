"""``{% signature_verdict obj %}``: the stored signature check of ``obj``'s file, beside it.

The object's ``signature_checks`` (a generic relation) should be prefetched: the tag reads the
prefetched rows and makes no query of its own.
"""

from django import template

from signatures.models import check_of

register = template.Library()


@register.inclusion_tag("signatures/_verdict.html")
def signature_verdict(obj, field_name="file"):
    return {"check": check_of(obj, field_name)}
