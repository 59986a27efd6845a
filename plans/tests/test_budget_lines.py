"""A plan's budget lines: edited on the budget form, totalled, printed as a table."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from plans.models import BudgetLine
from plans.services import edit_plan_section
from reports.generation import render_plan_document
from tests.factories import PlanFactory
from tests.factories.plans import add_row, page_data, vi
from tests.wording import docx_text, pdf_words, words

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(province):
    return PlanFactory(
        issuer=province,
        status="draft",
        title="Kế hoạch tuyên truyền CCHC 2025",
        budget_text="Kinh phí theo Thông tư số 26/2019/TT-BTC.",
        budget_amount=Decimal("5000000"),
        period_start_year=2025,
    )


def url(plan):
    return reverse("plans:edit_section", args=[plan.pk, "budget"])


def load(client, plan):
    response = client.get(url(plan))
    assert response.status_code == 200
    return page_data(response)


LINES = [
    {"source": "Ngân sách tỉnh", "item": "Tổ chức hội nghị tuyên truyền", "amount": "1234567"},
    {"source": "Nguồn xã hội hóa", "item": "In tờ rơi", "amount": "300000"},
]


def with_lines(data, lines):
    for line in lines:
        data = add_row(data, line)
    return data


def test_budget_lines_are_saved_and_give_the_total(client, coordinator, draft):
    client.force_login(coordinator)
    response = client.post(url(draft), with_lines(load(client, draft), LINES))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert [(line.source, line.amount) for line in draft.budget_lines.all()] == [
        ("Ngân sách tỉnh", 1234567),
        ("Nguồn xã hội hóa", 300000),
    ]
    # With lines, their sum replaces the total typed before.
    assert draft.budget_amount == Decimal("1534567")
    html = client.get(reverse("plans:detail", args=[draft.pk])).text
    assert "1.234.567 đ" in html and "1.534.567 đ" in html
    history = client.get(reverse("plans:history", args=[draft.pk])).text
    assert "Tổ chức hội nghị tuyên truyền" in history and "1.234.567 đ" in history


def test_without_lines_the_typed_total_is_kept(client, coordinator, draft):
    client.force_login(coordinator)
    data = load(client, draft)
    data["budget_amount"] = "7000000"
    assert client.post(url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.budget_amount == Decimal("7000000")
    assert not draft.budget_lines.exists()


def test_removing_every_line_keeps_the_last_total(coordinator, draft):
    rows = [{"source": "Ngân sách tỉnh", "item": "Hội nghị", "amount": Decimal("2000000")}]
    plan, _changed = edit_plan_section(
        plan=draft, version=draft.version, section="budget", parts=("budget_lines", rows)
    )
    assert plan.budget_amount == Decimal("2000000")
    plan, _changed = edit_plan_section(
        plan=plan, version=plan.version, section="budget", parts=("budget_lines", [])
    )
    assert plan.budget_amount == Decimal("2000000") and not plan.budget_lines.exists()


def test_a_negative_amount_is_refused_in_vietnamese_and_nothing_saved(client, coordinator, draft):
    client.force_login(coordinator)
    data = with_lines(load(client, draft), [{**LINES[0], "amount": "-5"}])
    with translation.override("vi"):
        response = client.post(url(draft), data)
    assert response.status_code == 200
    assert vi("An amount cannot be negative.") in response.text
    draft.refresh_from_db()
    assert draft.budget_amount == Decimal("5000000") and not BudgetLine.objects.exists()


def test_budget_lines_saved_over_a_newer_version_are_refused(client, coordinator, draft):
    client.force_login(coordinator)
    stale = with_lines(load(client, draft), LINES)
    fresh = with_lines(load(client, draft), LINES[1:])
    assert client.post(url(draft), fresh).status_code == 302
    assert client.post(url(draft), stale).status_code == 409
    assert list(BudgetLine.objects.values_list("item", flat=True)) == ["In tờ rơi"]


def test_plan_pdf_and_word_file_print_the_budget_table(coordinator, draft, tmp_path):
    rows = [
        {"source": line["source"], "item": line["item"], "amount": Decimal(line["amount"])}
        for line in LINES
    ]
    edit_plan_section(
        plan=draft, version=draft.version, section="budget", parts=("budget_lines", rows)
    )
    expected = [
        "Nguồn kinh phí",
        "Ngân sách tỉnh",
        "Tổ chức hội nghị tuyên truyền",
        "1.234.567 đ",
        "Nguồn xã hội hóa",
        "300.000 đ",
        "Tổng cộng",
        "1.534.567 đ",
    ]
    pdf = " ".join(pdf_words(render_plan_document(draft).content))
    docx_path = tmp_path / "plan.docx"
    docx_path.write_bytes(render_plan_document(draft, "docx").content)
    word = " ".join(words(docx_text(docx_path)))
    for text in expected:
        assert " ".join(words(text)) in pdf, text
        assert " ".join(words(text)) in word, text
