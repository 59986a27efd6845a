"""manage.py render_plan: the plan document it writes, and what it refuses."""

import os
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from plans.services import rebuild_outline
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(province):
    plan = PlanFactory(issuer=province, title="Kế hoạch tuyên truyền cải cách hành chính 2025",
                       decision_number="12/QĐ-UBND", decision_text="Điều 1. Ban hành Kế hoạch.",
                       objectives="Mục tiêu một.", place="Khánh Hòa")
    rebuild_outline(plan=plan)
    return plan


def render(*args):
    out = StringIO()
    call_command("render_plan", *args, stdout=out)
    return out.getvalue()


def test_writes_the_decision_then_the_plan_as_a_pdf(plan, tmp_path):
    output = tmp_path / "qd-12.pdf"
    message = render("--plan", "12/QĐ-UBND", "--output", str(output))
    pages = [page.extract_text() for page in PdfReader(output).pages]
    assert "QUYẾT ĐỊNH" in pages[0] and "Điều 1. Ban hành Kế hoạch./." in pages[0]
    assert "I. MỤC TIÊU, YÊU CẦU" in pages[1]
    assert message.startswith(f"Plan {plan.pk} written to {output} (")
    assert os.listdir(tmp_path) == ["qd-12.pdf"]


@pytest.mark.parametrize("args, error", [
    (["--plan", "999999"], "No plan with the id or number '999999'."),
    (["--format", "odt"], "Unknown format 'odt': use one of pdf, docx."),
    (["--format", "docx"], "The plan cannot be written as a Word document yet"),
    (["--output", "/nonexistent/dir/plan.pdf"], "the directory /nonexistent/dir does not exist"),
])
def test_refuses_with_a_message(plan, tmp_path, args, error):
    base = {"--plan": str(plan.pk), "--output": str(tmp_path / "plan.pdf")}
    for name, value in zip(args[::2], args[1::2], strict=True):
        base[name] = value
    with pytest.raises(CommandError, match=error.replace("(", r"\(").replace(".", r"\.")):
        render(*[part for pair in base.items() for part in pair])
    assert not (tmp_path / "plan.pdf").exists()
