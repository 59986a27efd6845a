"""The register of outgoing documents: the registers held, one issuer's year as a page,
its xlsx and its PDF, and the clerk's columns of a line."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from agencies.models import Agency
from cchc_plans.access import permission_required
from documents.pdf import render_pdf

from . import selectors, services
from .forms import EntryForm
from .models import RegisterEntry

VIEW = "register.view_register"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# The years a register can be asked for; beyond them the page does not exist.
YEARS = range(1990, 2101)


def _issuer(pk, year):
    if year not in YEARS:
        raise Http404("No register for that year.")
    return get_object_or_404(Agency, pk=pk)


def _context(issuer, year):
    entries = list(selectors.register_entries(issuer, year))
    return {
        "issuer": issuer,
        "year": year,
        "columns": selectors.COLUMNS,
        "entries": entries,
        "rows": [(entry, selectors.row_cells(entry)) for entry in entries],
        "next_number": services.next_number(issuer, year),
    }


def _filename(issuer, year, extension):
    return f"so-van-ban-di-{issuer.code or issuer.pk}-{year}.{extension}"


@require_GET
@login_required
@permission_required(VIEW)
def index(request):
    """Every issuer's register by year, each one click away."""
    return render(request, "register/index.html", {"registers": list(selectors.registers())})


@require_GET
@login_required
@permission_required(VIEW)
def register(request, issuer, year):
    """One issuer's register for one year, in number order."""
    return render(request, "register/register.html", _context(_issuer(issuer, year), year))


@require_GET
@login_required
@permission_required(VIEW)
def register_xlsx(request, issuer, year):
    issuer = _issuer(issuer, year)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(year)
    sheet.append([f"SỔ ĐĂNG KÝ VĂN BẢN ĐI NĂM {year} – {issuer.name.upper()}"])
    sheet["A1"].font = Font(bold=True)
    sheet.append(selectors.COLUMNS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for entry in selectors.register_entries(issuer, year):
        sheet.append(selectors.row_cells(entry))
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEFGH", (16, 12, 60, 24, 36, 20, 10, 24), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A3"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        True, _filename(issuer, year, "xlsx")
    )
    return response


@require_GET
@login_required
@permission_required(VIEW)
def register_pdf(request, issuer, year):
    issuer = _issuer(issuer, year)
    response = HttpResponse(
        render_pdf("documents/register.html", _context(issuer, year)),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = content_disposition_header(
        False, _filename(issuer, year, "pdf")
    )
    return response


@require_http_methods(["GET", "POST"])
@login_required
@permission_required(VIEW)
def edit_entry(request, pk):
    """Copies, the archive copy, recipients and notes of one line (coordinators)."""
    entry = get_object_or_404(RegisterEntry.objects.select_related("issuer"), pk=pk)
    if not request.user.has_perm("register.change_entry", entry):
        raise PermissionDenied
    if request.method == "POST":
        form = EntryForm(request.POST)
        if form.is_valid():
            try:
                services.edit_entry(entry=entry, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("Line %(number)s of the register is saved.")
                    % {"number": entry.number_symbol}
                )
                return redirect("register:register", issuer=entry.issuer_id, year=entry.year)
    else:
        form = EntryForm(initial={
            "recipients": entry.recipients, "kept_by": entry.kept_by,
            "copies": entry.copies, "notes": entry.notes,
        })
    status = 400 if form.is_bound else 200
    return render(request, "register/entry_edit.html", {"entry": entry, "form": form},
                  status=status)


