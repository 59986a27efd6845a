"""An uploaded document checked the same way wherever one comes in: its size, its extension,
and its content (the name can lie: the first bytes say what the file really is)."""

from pathlib import Path

import filetype
from django import forms
from django.conf import settings
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from .files import check_office_package
from .search import fold

PDF = {".pdf": "application/pdf"}
PDF_OR_DOCX = {
    **PDF,
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def max_upload_mb():
    # Uploaded documents follow the same size limit as progress evidence.
    return f"{settings.EVIDENCE_MAX_BYTES / (1024 * 1024):g}"


def clean_document(upload, *, types=PDF_OR_DOCX, stem="van-ban"):
    """``upload`` checked (``forms.ValidationError`` otherwise) and renamed to a short ASCII
    name; None when no file was sent."""
    if not upload:
        return None
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        raise forms.ValidationError(
            _("The file is larger than %(size)s MB."), params={"size": max_upload_mb()}
        )
    suffix = Path(upload.name).suffix.lower()
    if suffix not in types:
        if types is PDF:
            raise forms.ValidationError(_("Only PDF files are accepted."))
        raise forms.ValidationError(_("Only PDF and DOCX files are accepted."))
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head) if head else None
    wrong = kind is None or kind.mime != types[suffix]
    if not wrong and suffix == ".docx":
        wrong = not check_office_package(upload, "word/")
    if wrong:
        raise forms.ValidationError(
            _("The content of this file is not a %(type)s document, whatever its name says."),
            params={"type": suffix.lstrip(".").upper()},
        )
    upload.name = f"{slugify(fold(Path(upload.name).stem))[:60] or stem}{suffix}"
    return upload
