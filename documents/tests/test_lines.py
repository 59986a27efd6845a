"""Where printed lines break: titles between compounds, URLs whole at "https://", and the
signer's authority and title on their own lines."""

import subprocess
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from documents.lines import balanced_lines, unbroken_urls, units
from documents.pdf import Signature, render_pdf, signer_lines
from documents.plan import PLAN_TEMPLATE, plan_document, plan_document_queryset
from plans.models import Plan


def test_units_keep_compounds_and_a_period_with_its_number():
    assert units("Kế hoạch tuyên truyền cải cách hành chính quý I năm 2022") == [
        "Kế hoạch", "tuyên truyền", "cải cách", "hành chính", "quý I", "năm 2022",
    ]
    assert units("chuyển đổi số giai đoạn 2021-2025") == ["chuyển đổi số", "giai đoạn 2021-2025"]


def test_a_title_breaks_between_compounds_where_a_balanced_break_exists():
    title = "Kết quả thực hiện Kế hoạch tuyên truyền cải cách hành chính tỉnh Khánh Hòa năm 2022"
    lines = balanced_lines(title, 68)
    assert lines == [
        "Kết quả thực hiện Kế hoạch tuyên truyền",
        "cải cách hành chính tỉnh Khánh Hòa năm 2022",
    ]
    for line in lines:
        assert not line.endswith(("cải", "hành", "Khánh", "tuyên")), line


def test_a_title_breaks_inside_a_compound_only_when_nothing_else_fits():
    # One "word" longer than the line: the words' own break is kept.
    assert balanced_lines("cải cách", 4) == ["cải", "cách"]


def test_urls_keep_their_scheme_and_host_together_and_text_is_escaped():
    html = unbroken_urls("Xem <b>tại</b> https://cchc.khanhhoa.gov.vn/tin-tuc và http://a.vn.")
    assert html == (
        'Xem &lt;b&gt;tại&lt;/b&gt; <span class="url">https://cchc.khanhhoa.gov.vn</span>'
        '/tin-tuc và <span class="url">http://a.vn.</span>'
    )


@pytest.mark.parametrize(
    ("authority", "title", "lines"),
    [
        ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]),
        ("", "KT. CHỦ TỊCH PHÓ CHỦ TỊCH", ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]),
        ("TM. ỦY BAN NHÂN DÂN CHỦ TỊCH", "", ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]),
        ("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", "", ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]),
        ("", "GIÁM ĐỐC", ["GIÁM ĐỐC"]),
    ],
)
def test_signer_lines_put_authority_and_title_on_lines_of_their_own(authority, title, lines):
    assert signer_lines(authority, title) == lines
    assert Signature(authority=authority, title=title).lines == lines


@pytest.fixture(scope="module")
def demo_plan_pdf(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=StringIO())
        plan = Plan.objects.get(decision_number="286/QĐ-UBND")
        # Typed on one line, as issue 8 found it.
        Plan.objects.filter(pk=plan.pk).update(
            signer_authority="", signer_title="KT. CHỦ TỊCH PHÓ CHỦ TỊCH",
            signer_name="Lê Hữu Hoàng",
        )
        plan = plan_document_queryset(Plan.objects.filter(pk=plan.pk)).get()
        pdf = render_pdf(PLAN_TEMPLATE, plan_document(plan))
        transaction.set_rollback(True)
    return pdf


def layout(pdf):
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                         check=True).stdout.decode()
    return [" ".join(line.split()) for line in out.splitlines() if line.strip()]


def test_the_plan_prints_a_one_line_signer_title_on_two_lines(demo_plan_pdf):
    lines = layout(demo_plan_pdf)
    at = next(i for i, line in enumerate(lines) if line.endswith("KT. CHỦ TỊCH"))
    assert lines[at + 1].endswith("PHÓ CHỦ TỊCH")
    assert not any("KT. CHỦ TỊCH PHÓ CHỦ TỊCH" in line for line in lines)


def test_no_line_of_the_plan_ends_with_the_start_of_a_url(demo_plan_pdf):
    lines = layout(demo_plan_pdf)
    assert any("https://" in line for line in lines)
    for line in lines:
        assert not line.rstrip("(<“ ").endswith(("https://", "http://", "https:", "https:/")), line
