"""The summary report as an Excel workbook: one sheet per table of the report.

The sheets are ``Summary.tables``, the very tables the PDF prints, so both show the same
numbers. Numbers are written as numbers (percentages as whole numbers shown with a % sign,
dates as dates), never as formulas; a text cell that a spreadsheet would read as a formula
(starting with = + - @) is prefixed with ' (``cchc_plans.spreadsheets.neutralise_formula``).
"""

import datetime
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from cchc_plans.spreadsheets import neutralise_formula
from documents.plan import short_date

from .tables import Percent

PERCENT_FORMAT = '0"%"'
DATE_FORMAT = "dd/mm/yyyy"
MAX_WIDTH = 60


def cell_value(value):
    """What goes into a cell: numbers as numbers, text made safe, nothing as empty."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | datetime.date):
        return int(value) if isinstance(value, Percent) else value
    return neutralise_formula(str(value))


def info_rows(summary):
    period = summary.period
    rows = [
        ("Báo cáo", summary.title),
        ("Kế hoạch", summary.plan_reference),
        ("Kỳ báo cáo", summary.period_heading),
        ("Số liệu từ ngày", short_date(period.start)),
        ("Số liệu đến ngày", short_date(summary.as_of)),
        ("So sánh với kỳ", summary.previous_heading if summary.previous else "–"),
        ("Cơ quan báo cáo", summary.issuer.name),
        ("Số báo cáo", summary.number or "(chưa ban hành)"),
        ("Lập ngày", short_date(summary.today)),
    ]
    return rows


def _write_sheet(sheet, headers, rows, kinds=None):
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    widths = [len(str(header)) for header in headers]
    for row in rows:
        sheet.append([cell_value(value) for value in row])
        for index, value in enumerate(row):
            cell = sheet.cell(row=sheet.max_row, column=index + 1)
            if isinstance(value, Percent):
                cell.number_format = PERCENT_FORMAT
            elif isinstance(value, datetime.date):
                cell.number_format = DATE_FORMAT
            elif isinstance(value, str) and len(value) > 40:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            widths[index] = max(widths[index], min(len(str(value or "")), MAX_WIDTH))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(8, width + 2)
    sheet.freeze_panes = "A2"


def render_xlsx(summary):
    """The workbook as bytes: an information sheet, then one sheet per table."""
    workbook = Workbook()
    info = workbook.active
    info.title = "Thông tin"
    _write_sheet(info, ["Mục", "Nội dung"], info_rows(summary))
    for table in summary.tables:
        sheet = workbook.create_sheet(table.sheet[:31])
        _write_sheet(sheet, [column.header for column in table.columns], table.rows)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
