from django import forms
from django.test.html import parse_html

from cchc_plans.widgets import FastSelect

CHOICES = [
    ("", "— Tất cả —"),
    (1, "Sở Tư pháp"),
    (2, 'Ban "Dân vận" & <Tuyên giáo>'),
    ("2022", [("2022-Q1", "Quý I/2022"), ("2022-03", "Tháng 03/2022")]),
]


def test_fast_select_writes_the_markup_of_django_select():
    attrs = {"id": "id_issuer", "aria-describedby": "id_issuer_helptext"}
    for value in (None, "", 2, "2022-Q1"):
        fast = FastSelect(choices=CHOICES).render("issuer", value, attrs)
        django = forms.Select(choices=CHOICES).render("issuer", value, attrs)
        assert parse_html(fast) == parse_html(django), value


def test_fast_select_of_a_model_choice_field_marks_the_chosen_value():
    field = forms.TypedChoiceField(choices=CHOICES, widget=FastSelect, coerce=int)
    html = field.widget.render("plan", 1)
    assert '<option value="1" selected>Sở Tư pháp</option>' in html
    assert "&lt;Tuyên giáo&gt;" in html
