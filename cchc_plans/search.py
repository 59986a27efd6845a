"""Diacritics-insensitive search: "so noi vu" finds "Sở Nội vụ"."""

import unicodedata

from django.db.models import Q


def fold(text):
    """Lower-case ``text`` and strip Vietnamese diacritics (đ becomes d)."""
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())


def folded_filter(field, query):
    """A Q matching rows whose folded ``field`` contains every word of ``query``."""
    condition = Q()
    for word in fold(query).split():
        condition &= Q(**{f"{field}__contains": word})
    return condition
