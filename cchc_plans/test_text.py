"""Text typed into any form: no bidi controls, nothing only invisible, a bound on length."""

import pytest
from django import forms
from django.contrib.auth.forms import AuthenticationForm

from cchc_plans.files import shorten_name, storage_name
from cchc_plans.text import clean_text


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Kế hoạch năm 2022", "Kế hoạch năm 2022"),
        ("\u200b\u200c\u200d\u2060\ufeff\u00ad", ""),
        ("\u3164\u2800 \u00a0\u180e", ""),
        ("\u200bKế hoạch\u200b", "Kế hoạch"),
        ("abc\u202edef\u202c", "abcdef"),
        ("\u2066\u2067\u2068x\u2069\u202a\u202b\u202d\u200e\u200f\u061c", "x"),
        ("tin\u200bbài", "tin\u200bbài"),  # inside the text, zero-width characters stay
    ],
)
def test_clean_text(typed, kept):
    assert clean_text(typed) == kept


class TitleForm(forms.Form):
    title = forms.CharField()
    note = forms.CharField(required=False, max_length=20)
    body = forms.CharField(required=False, widget=forms.Textarea)


def test_every_form_refuses_a_title_of_invisible_characters():
    form = TitleForm({"title": "\u200b\u200d\u2060"})

    assert form.errors["title"] == [forms.CharField.default_error_messages["required"]]


def test_every_form_removes_bidi_controls():
    form = TitleForm({"title": "Kế hoạch \u202e2202 mân\u202c"})

    assert form.is_valid()
    assert form.cleaned_data["title"] == "Kế hoạch 2202 mân"


def test_a_text_without_a_bound_takes_at_most_text_max_chars(settings):
    settings.TEXT_MAX_CHARS = 50

    assert TitleForm({"title": "x", "body": "y" * 50}).is_valid()
    form = TitleForm({"title": "x", "body": "y" * 51, "note": "z" * 20})
    assert list(form.errors) == ["body"]


def test_passwords_are_taken_as_typed(rf):
    form = AuthenticationForm(rf.get("/"), {"username": "bob", "password": "\u202e \u200b"})

    assert form.fields["password"].clean("\u202e \u200b") == "\u202e \u200b"


@pytest.mark.parametrize(
    "name",
    ["Biên bản hội nghị " * 30 + ".docx", "𝐁" * 100 + ".pdf", "x" * 300 + ".xlsx"],
)
def test_shorten_name_keeps_the_extension_within_255_bytes(name):
    short = shorten_name(name)

    assert len(short.encode()) <= 255
    assert short.endswith(name.rsplit(".", 1)[1])
    assert name.startswith(short.rsplit(".", 1)[0])


def test_shorten_name_leaves_a_short_name_alone():
    assert shorten_name("Biên bản.pdf") == "Biên bản.pdf"


def test_storage_name_is_short_ascii():
    stored = storage_name("Biên bản hội nghị " * 30 + ".PDF")

    assert stored == "bien-ban-hoi-nghi-" * 3 + "bien-b.pdf"
