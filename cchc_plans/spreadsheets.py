"""Safe spreadsheet import/export, shared by the agency and key-task resources.

Export: cells a spreadsheet would read as a formula are prefixed with ``'``.

Import, in three steps that never trust the file:

1. ``check_upload`` (in the request, at once): size, format, and for an xlsx the zip
   package's member count and declared uncompressed sizes, for a csv its encoding and a
   count of its rows; every limit gives a message in the user's language.
2. ``read_dataset``: the same checks, then the rows, bounded in rows, columns and cells. An
   xlsx is read by openpyxl (XML through defusedxml); zipfile never inflates a part beyond
   the size its directory declares, so the check of step 1 bounds what it can be made to read.
3. ``SafeSpreadsheetMixin.import_data``: every row is checked with no transaction open (no
   lock held while thousands of rows are read); only a file without a bad row is then written,
   all at once, by the app's import service in one short transaction: all or nothing.
"""

import codecs
import csv
import io
import logging
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath

import openpyxl
import tablib
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from import_export.instance_loaders import BaseInstanceLoader
from import_export.results import RowResult
from import_export.widgets import CharWidget

from cchc_plans.files import ZipRefused, check_zip_package
from cchc_plans.search import fold
from cchc_plans.text import clean_text

logger = logging.getLogger(__name__)

# A cell starting with one of these is read as a formula by spreadsheet programs (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("xlsx", "csv")
MAX_COLUMNS = 50
# An xlsx written by Excel or LibreOffice has about ten parts per sheet.
MAX_ZIP_MEMBERS = 500
CSV_DELIMITERS = ",;\t"  # Excel on a Vietnamese Windows writes ";"
ENCODINGS_ACCEPTED = "UTF-8, UTF-8 BOM, Windows-1258"


def neutralise_formula(value):
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def restore_text(value):
    """Undo ``neutralise_formula`` on import, so an exported file re-imports unchanged."""
    if isinstance(value, str) and value.startswith("'") and value[1:2] in FORMULA_PREFIXES:
        return value[1:]
    return value


def clean_cell(value):
    """A cell as the import reads it: text trimmed, in NFC, with a formula guard removed, and
    cleaned like the text of every form (``cchc_plans.text``: no bidi controls, nothing only
    invisible)."""
    if value is None:
        return ""
    return restore_text(unicodedata.normalize("NFC", clean_text(str(value))))


def split_names(value):
    """Split a cell listing several agencies: one per line or separated by ';'."""
    if not value:
        return []
    parts = str(value).replace("\n", ";").split(";")
    return [part.strip(" -•\t") for part in parts if part.strip(" -•\t")]


# ---------------------------------------------------------------------------------------------
# Reading a file within limits


class ImportRefused(Exception):
    """The import service refused the file as a whole; ``message`` is meant for the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class SpreadsheetError(Exception):
    """A file refused as a whole; ``message`` is meant for the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_rows: int
    max_cells: int
    max_uncompressed_bytes: int

    @classmethod
    def from_settings(cls):
        return cls(
            max_bytes=settings.IMPORT_MAX_BYTES,
            max_rows=settings.IMPORT_MAX_ROWS,
            max_cells=settings.IMPORT_MAX_CELLS,
            max_uncompressed_bytes=settings.IMPORT_MAX_UNCOMPRESSED_BYTES,
        )


def _number(value):
    return number_format(value, force_grouping=True)


def spreadsheet_format(name):
    extension = PurePath(name or "").suffix.lower().lstrip(".")
    if extension not in FORMATS:
        raise SpreadsheetError(
            _("Only Excel workbooks (.xlsx) and CSV files (.csv) can be imported.")
        )
    return extension


def _check_size(size, limits):
    if size > limits.max_bytes:
        raise SpreadsheetError(
            _("The file is %(size)s; an import file may be at most %(max)s.")
            % {"size": filesizeformat(size), "max": filesizeformat(limits.max_bytes)}
        )


def _not_a_workbook():
    return SpreadsheetError(
        _(
            "This file is not a readable Excel workbook. Open it in Excel or LibreOffice and "
            "save it again as “Excel Workbook (.xlsx)”."
        )
    )


def _too_big_unpacked(limits):
    return SpreadsheetError(
        _(
            "Unpacked, this workbook holds more than %(max)s, more than an import may read. "
            "Remove other sheets, pictures or unused cells, or split it into several files."
        )
        % {"max": filesizeformat(limits.max_uncompressed_bytes)}
    )


def _check_package(data, limits):
    """The xlsx's zip directory: member count, declared sizes, a workbook part."""
    try:
        members = check_zip_package(
            io.BytesIO(data),
            max_members=MAX_ZIP_MEMBERS,
            max_unpacked_bytes=limits.max_uncompressed_bytes,
        )
    except ZipRefused as refused:
        if refused.reason == "members":
            raise SpreadsheetError(
                _("This workbook has %(count)s parts; an import file may have at most %(max)s.")
                % {"count": _number(refused.count), "max": _number(MAX_ZIP_MEMBERS)}
            ) from None
        if refused.reason == "unpacked":
            raise _too_big_unpacked(limits) from None
        raise _not_a_workbook() from None
    if "xl/workbook.xml" not in {member.filename for member in members}:
        raise _not_a_workbook()


def _decode_csv(data):
    """The text of a csv file: UTF-8 with or without BOM, else Windows-1258 (Excel's
    "CSV" on a Vietnamese Windows). Anything else is refused rather than misread."""
    refused = SpreadsheetError(
        _(
            "This CSV file is not in an accepted encoding. Accepted: UTF-8 (with or without "
            "BOM) and Windows-1258 (Vietnamese). In Excel, save it as “CSV UTF-8 (Comma "
            "delimited)”."
        )
    )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in data:
        raise refused
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        # Real UTF-8 letters next to broken bytes: a damaged UTF-8 file, not Windows-1258.
        if any(ord(ch) > 127 and ch != "\ufffd" for ch in data.decode("utf-8", "replace")):
            raise refused from None
        try:
            text = data.decode("cp1258")
        except UnicodeDecodeError:
            raise refused from None
    # Windows-1258 and some Mac programs write decomposed letters; the database holds NFC.
    return unicodedata.normalize("NFC", text)


def _csv_rows(text):
    first_line = text.split("\n", 1)[0]
    try:
        dialect = csv.Sniffer().sniff(first_line, delimiters=CSV_DELIMITERS)
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _bounded_rows(rows, limits):
    """Header and rows (lists of cells, width of the header), within the row and cell limits.

    Rows with no value at all (Excel keeps formatted empty rows) are left out.
    """
    try:
        header = next(rows, None)
        while header is not None and not any(_filled(cell) for cell in header):
            header = next(rows, None)
        if header is None:
            raise SpreadsheetError(_("The file is empty: its first row must name the columns."))
        header = list(header)
        while header and not _filled(header[-1]):
            header.pop()
        width = len(header)
        if width > MAX_COLUMNS:
            raise SpreadsheetError(
                _("The file has %(count)s columns; an import file may have at most %(max)s.")
                % {"count": _number(width), "max": _number(MAX_COLUMNS)}
            )
        body = []
        too_many = SpreadsheetError(
            _("The file has more than %(max)s rows; split it into several files.")
            % {"max": _number(limits.max_rows)}
        )
        # Blank rows are skipped, but not without end (a cell far down a sheet makes a million).
        for scanned, row in enumerate(rows):
            if scanned > 2 * limits.max_rows:
                raise too_many
            cells = list(row[:width])
            if not any(_filled(cell) for cell in cells):
                continue
            if len(body) == limits.max_rows:
                raise too_many
            cells.extend([None] * (width - len(cells)))
            body.append(cells)
            if len(body) * width > limits.max_cells:
                raise SpreadsheetError(
                    _(
                        "The file has more than %(max)s cells (rows × columns); split it into "
                        "several files."
                    )
                    % {"max": _number(limits.max_cells)}
                )
    except csv.Error as error:
        logger.info("Unreadable csv: %s", error)
        raise SpreadsheetError(
            _(
                "This CSV file cannot be read: a cell is too long or a quotation mark is not "
                "closed. Save it again from Excel or LibreOffice."
            )
        ) from None
    headers = [str(cell).strip() if _filled(cell) else "" for cell in header]
    return headers, body


def _filled(cell):
    return cell is not None and str(cell).strip() != ""


def check_upload(upload, limits=None):
    """Refuse at once a file over a limit that can be seen without reading its rows.

    Returns the format ("xlsx" or "csv"). A csv's rows are counted (csv parsing is cheap; it
    is the import of each row that is not).
    """
    limits = limits or Limits.from_settings()
    fmt = spreadsheet_format(upload.name)
    _check_size(upload.size, limits)
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if fmt == "xlsx":
        _check_package(data, limits)
    else:
        _bounded_rows(_csv_rows(_decode_csv(data)), limits)
    return fmt


def read_dataset(data, fmt, limits=None):
    """The file's rows as a ``tablib.Dataset`` (headers from the first filled row)."""
    limits = limits or Limits.from_settings()
    _check_size(len(data), limits)
    if fmt == "csv":
        headers, body = _bounded_rows(_csv_rows(_decode_csv(data)), limits)
    else:
        # zipfile never inflates a part beyond its declared size (it stops with a bad CRC),
        # so the sizes checked in the directory bound what openpyxl can be made to read.
        _check_package(data, limits)
        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            sheet = book.worksheets[0]
            # The size the sheet declares may be wrong (rows would be lost) or huge.
            sheet.reset_dimensions()
            rows = sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True)
            headers, body = _bounded_rows(rows, limits)
            book.close()
        except SpreadsheetError:
            raise
        except Exception:  # openpyxl raises many kinds of errors on damaged files
            logger.info("Unreadable xlsx", exc_info=True)
            raise _not_a_workbook() from None
    return tablib.Dataset(*body, headers=headers)


# ---------------------------------------------------------------------------------------------
# Importing rows


class PreloadedInstanceLoader(BaseInstanceLoader):
    """Existing objects come from the resource's lookup, filled once per file."""

    def get_instance(self, row):
        return self.resource.stored_instance(row)


@dataclass
class RowProblem:
    line: int  # line in the spreadsheet (the header is line 1)
    messages: list

    def as_dict(self):
        return {"line": self.line, "messages": self.messages}


class SafeSpreadsheetMixin:
    """Shared behaviour of the resources: formula-safe export, all-or-nothing bulk import.

    A resource names its ``required_columns`` and implements ``before_import(dataset)`` (look
    up everything the file refers to, once), ``stored_instance(row)``, ``snapshot(instance)``
    (what a row may change, to skip unchanged rows), ``check_instance(instance)`` (the rules
    a changed row must pass) and ``save_rows(rows, user)`` (call the app's import service).
    Each resource's ``Meta`` sets ``use_bulk = True`` and ``skip_diff = True`` (no savepoint
    and no deep copy per row) and ``instance_loader_class = PreloadedInstanceLoader``.
    """

    required_columns = ()
    clean_exclude = ()  # model fields the resource checks itself (relations looked up once)
    progress_every = 500

    # Export -----------------------------------------------------------------------------------

    def export_resource(self, instance, selected_fields=None, **kwargs):
        row = super().export_resource(instance, selected_fields, **kwargs)
        return [neutralise_formula(value) for value in row]

    # Import -----------------------------------------------------------------------------------

    def column(self, name):
        return str(self.fields[name].column_name)

    def match_headers(self, dataset):
        """Name the file's columns as this resource does, whatever the interface language the
        file was exported in and however its headers are accented; refuse missing columns."""
        known = {}
        for name, field in self.fields.items():
            current = str(field.column_name)
            for language, _label in settings.LANGUAGES:
                with translation.override(language):
                    known[fold(str(field.column_name))] = current
            known[fold(name)] = current
            # Translated once: the rows are matched against plain strings.
            field.column_name = current
        expected = ", ".join(f"“{self.column(name)}”" for name in self.fields)
        # A misspelt column would be left out without a word: refuse it, and a repeated one.
        unknown = [header for header in dataset.headers
                   if header and fold(header) not in known]
        if unknown:
            raise SpreadsheetError(
                _("The file has columns this import does not know: %(unknown)s. Its columns "
                  "are: %(expected)s.")
                % {"unknown": ", ".join(f"“{name}”" for name in unknown), "expected": expected}
            )
        dataset.headers = [known.get(fold(header), header) for header in dataset.headers]
        repeated = sorted({h for h in dataset.headers if h and dataset.headers.count(h) > 1})
        if repeated:
            raise SpreadsheetError(
                _("The file has the column %(columns)s more than once.")
                % {"columns": ", ".join(f"“{name}”" for name in repeated)}
            )
        missing = [self.column(name) for name in self.required_columns
                   if self.column(name) not in dataset.headers]
        if missing:
            raise SpreadsheetError(
                _("The file has no column %(missing)s. Its first row must name the columns: "
                  "%(expected)s.")
                % {"missing": ", ".join(f"“{name}”" for name in missing), "expected": expected}
            )

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None,
                    collect_failed_rows=False, rollback_on_validation_errors=False,
                    user=None, progress=None, **kwargs):
        """Check every row, then, unless ``dry_run`` or a row is bad, write them all at once.

        The rows are checked with no transaction open; ``save_rows`` writes in one
        transaction, so a file is imported whole or not at all. ``progress(rows_done)`` is
        called every ``progress_every`` rows.
        """
        self.match_headers(dataset)
        self.pending = []
        self.user = user
        result = self.import_data_inner(
            dataset, True, raise_errors, False, collect_failed_rows, progress=progress, **kwargs
        )
        if progress:
            progress(len(dataset))
        if not dry_run and self.pending and not result.has_errors() and not (
            result.has_validation_errors()
        ):
            self.save_rows(self.pending, user=user)
        return result

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        # What each row sets, found once per file rather than once per row.
        self.import_fields = [
            field for field in self.get_import_fields()
            if field.attribute and not field.readonly and field.column_name in dataset.headers
        ]
        set_attributes = {field.attribute for field in self.import_fields}
        self.not_validated = [
            field.name for field in self._meta.model._meta.fields
            if field.name not in set_attributes or field.name in self.clean_exclude
        ]

    def import_row(self, row, instance_loader, **kwargs):
        """The library's ``import_row`` for the one way these resources import (no deletion,
        no diff, no savepoint, the row kept for the import service): its cost per row is what
        limits a file of thousands of rows."""
        row_result = RowResult()
        try:
            self.before_import_row(row, **kwargs)
            stored = instance_loader.get_instance(row)
            new = stored is None
            instance = self.init_instance(row) if new else stored
            self.after_init_instance(instance, new, row, **kwargs)
            row_result.import_type = (
                RowResult.IMPORT_TYPE_NEW if new else RowResult.IMPORT_TYPE_UPDATE
            )
            errors = {}
            try:
                self.import_instance(instance, row, **kwargs)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
            if self.skip_row(instance, None, row, errors):
                row_result.import_type = RowResult.IMPORT_TYPE_SKIP
            else:
                self.validate_instance(instance, errors)
                self.save_instance(instance, new, row, **kwargs)
            row_result.object_id = instance.pk
            self.after_import_row(row, row_result, **kwargs)
        except ValidationError as error:
            row_result.import_type = RowResult.IMPORT_TYPE_INVALID
            row_result.validation_error = error
        except Exception as error:
            row_result.import_type = RowResult.IMPORT_TYPE_ERROR
            logger.debug(error, exc_info=True)
            row_result.errors.append(
                self.get_error_result_class()(error, row=row, number=kwargs["row_number"])
            )
        return row_result

    def import_instance(self, instance, row, **kwargs):
        """Set the row's values on ``instance``; a text column's cell is set as it is (it is
        text already, from ``clean_cell``), the others through their widget."""
        errors = {}
        for field in self.import_fields:
            if type(field.widget) is CharWidget:
                setattr(instance, field.attribute, row[field.column_name])
                continue
            try:
                field.save(instance, row, **kwargs)
            except ValueError as error:
                errors[field.attribute] = ValidationError(force_str(error), code="invalid")
        if errors:
            raise ValidationError(errors)

    def before_import_row(self, row, **kwargs):
        for key, value in row.items():
            row[key] = clean_cell(value)

    def after_init_instance(self, instance, new, row, **kwargs):
        instance._import_snapshot = None if new else self.snapshot(instance)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or instance._import_snapshot is None:
            return False
        return self.snapshot(instance) == instance._import_snapshot

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The resource's rules, then the model's own validation of the fields the file sets
        (the others are as stored, or a new row's defaults), each error named by its row
        (without the unique checks' query per row: the file's keys are checked against the
        lookup). The import service validates again before it writes."""
        errors = dict(import_validation_errors or {})
        try:
            self.check_instance(instance)
            instance.full_clean(exclude=[*errors, *self.not_validated],
                                validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def check_instance(self, instance):
        """Rules a changed row must pass besides the model's validation; raise ValidationError."""

    def save_instance(self, instance, is_create, row, **kwargs):
        self.pending.append(self.pending_row(instance, row))

    def pending_row(self, instance, row):
        return instance

    def after_import_row(self, row, row_result, **kwargs):
        super().after_import_row(row, row_result, **kwargs)
        progress, number = kwargs.get("progress"), kwargs.get("row_number")
        if progress and number and number % self.progress_every == 0:
            progress(number)

    # Reporting --------------------------------------------------------------------------------

    def column_for(self, key):
        """The column a validation error key (a resource field or a model attribute) names."""
        if key in self.fields:
            return self.column(key)
        for field in self.fields.values():
            if field.attribute == key:
                return str(field.column_name)
        return ""

    def row_problems(self, result):
        """Every bad row of ``result`` with its reasons, named by spreadsheet line.

        A row that failed with anything but a validation error is logged in full and shown
        with a plain message: no database or Python text reaches the user.
        """
        problems = []
        for invalid in result.invalid_rows:
            messages = []
            for key, errors in invalid.error_dict.items():
                column = "" if key == NON_FIELD_ERRORS else self.column_for(key)
                for message in errors:
                    messages.append(f"{column}: {message}" if column else str(message))
            problems.append(RowProblem(invalid.number + 1, messages))
        for error_row in result.error_rows:
            for error in error_row.errors:
                logger.error("Import of row %s failed", error_row.number, exc_info=error.error)
            problems.append(RowProblem(error_row.number + 1, [
                _("This row could not be read; check its cells or ask an administrator.")
            ]))
        for error in result.base_errors:
            logger.error("Import failed", exc_info=error.error)
            problems.append(
                RowProblem(1, [_("The file could not be checked; ask an administrator.")])
            )
        return sorted(problems, key=lambda problem: problem.line)
