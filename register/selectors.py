"""Reads of the register: the issuers and years it holds, and one register's lines."""

from django.db.models import Count

from .models import RegisterEntry

# Decree 30/2020, Appendix IV: the columns of the register of outgoing documents, shared by
# the page, the xlsx and the PDF.
COLUMNS = [
    "Số, ký hiệu văn bản",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung văn bản",
    "Người ký",
    "Nơi nhận văn bản",
    "Đơn vị, người nhận bản lưu",
    "Số lượng bản",
    "Ghi chú",
]


def registers():
    """(issuer id, issuer name, year, entries) of every register with a line, newest first."""
    return (
        RegisterEntry.objects.values("issuer", "issuer__name", "year")
        .annotate(entries=Count("pk"))
        .order_by("-year", "issuer__name")
    )


def register_entries(issuer, year):
    """The lines of one register in number order, with the documents they numbered."""
    return (
        RegisterEntry.objects.filter(issuer=issuer, year=year)
        .select_related("registered_by")
        .prefetch_related("document")
        .order_by("number")
    )


def row_cells(entry):
    """The eight cells of a line, as printed."""
    return [
        entry.number_symbol,
        entry.issued_on.strftime("%d/%m/%Y"),
        f"{entry.get_document_type_display()}: {entry.subject}",
        entry.signer,
        "\n".join(entry.recipient_lines()),
        entry.kept_by,
        entry.copies,
        entry.notes,
    ]
