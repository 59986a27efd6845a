"""Typed text, cleaned once for every form: no direction overrides, nothing only invisible.

``clean_text`` removes the bidirectional controls (U+202A–U+202E, U+2066–U+2069 and the marks
U+200E, U+200F, U+061C), with which U+202E "reverses" what follows in a page or a PDF, and
reduces text made only of invisible characters (zero-width spaces and joiners, soft hyphens,
fillers, whitespace) to "", so that a required field refuses it as empty. Invisible characters
at either end are stripped like spaces; inside the text they are kept.

``install`` makes every Django form ``CharField`` that strips whitespace (the default: every
text field of the forms, the admin and the import pages; passwords do not strip) clean this
way and refuse more than ``TEXT_MAX_CHARS`` characters when it has no smaller bound. It is
called once, from ``cchc_plans.apps``.
"""

import re
import unicodedata

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator

BIDI_CONTROLS = {
    *range(0x202A, 0x202F),  # LRE, RLE, PDF, LRO, RLO
    *range(0x2066, 0x206A),  # LRI, RLI, FSI, PDI
    0x200E, 0x200F, 0x061C,  # LRM, RLM, ALM
}
# A character class, not str.translate: a dict looked up per character costs thirty times more
# on Vietnamese text (every cell of an import goes through here).
_BIDI = re.compile("[" + "".join(chr(code) for code in sorted(BIDI_CONTROLS)) + "]")
# Characters that show nothing but are not "format" characters (category Cf) for Unicode.
BLANK_LOOKALIKES = {
    "\u115f", "\u1160", "\u3164", "\uffa0",  # Hangul fillers
    "\u2800",  # braille blank
    "\u034f",  # combining grapheme joiner
    "\u180e",  # Mongolian vowel separator
}


def is_invisible(char):
    return char.isspace() or char in BLANK_LOOKALIKES or unicodedata.category(char) == "Cf"


def strip_bidi(text):
    return _BIDI.sub("", text)


def clean_text(text):
    """``text`` without bidi controls, nor invisible characters at its ends."""
    text = strip_bidi(text)
    start, end = 0, len(text)
    while start < end and is_invisible(text[start]):
        start += 1
    while end > start and is_invisible(text[end - 1]):
        end -= 1
    return text[start:end]


def install():
    """Clean every stripping form ``CharField`` with ``clean_text`` and bound its length."""
    original = forms.CharField.to_python
    if getattr(original, "cleans_text", False):
        return

    def to_python(self, value):
        value = original(self, value)
        if self.strip and isinstance(value, str) and value:
            value = clean_text(value)
            if not value:
                return self.empty_value
            if self.max_length is None or self.max_length > settings.TEXT_MAX_CHARS:
                MaxLengthValidator(settings.TEXT_MAX_CHARS)(value)
        return value

    to_python.cleans_text = True
    forms.CharField.to_python = to_python
