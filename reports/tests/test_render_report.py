"""manage.py render_report: the file it writes, and a clear error for everything it refuses."""

import contextlib
import os
from io import BytesIO, StringIO

import pytest
from django.core.management import CommandError, ManagementUtility, call_command
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.factories.dashboard import populate
from tests.factories.periodic import reporting_plan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    # English URLs (/en/…) and msgids, whatever the Vietnamese catalogue says.
    with translation.override("en"):
        yield


@pytest.fixture
def plan(province, home_affairs):
    plan = reporting_plan(province, title="Kế hoạch tuyên truyền cải cách hành chính năm 2022",
                          decision_number="286/QĐ-UBND", place="Khánh Hòa")
    populate(plan, 1)
    return plan


def render(*args):
    out = StringIO()
    call_command("render_report", *args, stdout=out)
    return out.getvalue()


def test_renders_a_pdf_by_decision_number(plan, tmp_path):
    output = tmp_path / "q1.pdf"
    message = render("--plan", "286/QĐ-UBND", "--period", "Q1", "--year", "2022",
                     "--output", str(output))
    reader = PdfReader(output)
    assert "BÁO CÁO" in reader.pages[0].extract_text()
    assert f"Period summary 2022-Q1 of plan {plan.pk} written to {output}" in message
    assert os.listdir(tmp_path) == ["q1.pdf"]  # no temporary file left beside it


def test_renders_the_annual_xlsx_by_id(plan, tmp_path):
    output = tmp_path / "year.xlsx"
    message = render("--plan", str(plan.pk), "--period", "y", "--year", "2022",
                     "--format", "xlsx", "--output", str(output))
    assert "Annual report 2022-Y" in message
    workbook = load_workbook(BytesIO(output.read_bytes()))
    assert "Tổng quan" in workbook.sheetnames


def test_renders_the_html_preview(plan, tmp_path):
    output = tmp_path / "q1.html"
    render("--plan", str(plan.pk), "--period", "Q1", "--year", "2022", "--format", "html",
           "--output", str(output))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in output.read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--plan", "99999"], "No plan with the id or number '99999'."),
        (["--plan", "1/KH-KHONG"], "No plan with the id or number '1/KH-KHONG'."),
        (["--period", "Q3"], "has no report for the period Q3 of 2022. Its periods: Q1, H1, M9, Y"),
        (["--year", "2023"], "has no report for the period Q1 of 2023"),
        (["--format", "odt"], "Unknown format 'odt': use one of pdf, docx, xlsx, html."),
    ],
)
def test_refuses_with_a_clear_message(plan, tmp_path, args, message):
    options = {"--plan": "286/QĐ-UBND", "--period": "Q1", "--year": "2022", "--format": "pdf",
               "--output": str(tmp_path / "out.pdf")}
    options.update(dict(zip(args[::2], args[1::2], strict=True)))
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(".", r"\.")):
        render(*[part for pair in options.items() for part in pair])
    assert not (tmp_path / "out.pdf").exists()


def test_refuses_an_output_it_cannot_write(plan, tmp_path):
    with pytest.raises(CommandError, match="the directory .*missing does not exist"):
        render("--plan", str(plan.pk), "--period", "Q1", "--year", "2022",
               "--output", str(tmp_path / "missing" / "out.pdf"))
    with pytest.raises(CommandError, match="is a directory"):
        render("--plan", str(plan.pk), "--period", "Q1", "--year", "2022",
               "--output", str(tmp_path))


def test_exits_non_zero_from_the_shell(plan, tmp_path):
    # A CommandError run from the command line prints its message and exits with status 1.
    err = StringIO()
    command = ["manage.py", "render_report", "--plan", "99999", "--period", "Q1", "--year",
               "2022", "--output", str(tmp_path / "x.pdf")]
    with pytest.raises(SystemExit) as exit_info, contextlib.redirect_stderr(err):
        ManagementUtility(command).execute()
    assert exit_info.value.code == 1
    assert "CommandError: No plan with the id or number '99999'." in err.getvalue()
