"""Shared behaviour of the import/export resources."""

from django.core.exceptions import ValidationError

# A cell starting with one of these is read as a formula by spreadsheet programs (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def restore_text(value):
    """Undo ``neutralise_formula`` on import, so an exported file re-imports unchanged."""
    if isinstance(value, str) and value.startswith("'") and value[1:2] in FORMULA_PREFIXES:
        return value[1:]
    return value


class SafeSpreadsheetMixin:
    """Exported cells never carry formulas; every bad row is reported and nothing is saved."""

    def export_resource(self, instance, selected_fields=None, **kwargs):
        row = super().export_resource(instance, selected_fields, **kwargs)
        return [neutralise_formula(value) for value in row]

    def before_import_row(self, row, **kwargs):
        for key, value in list(row.items()):
            row[key] = restore_text(value.strip() if isinstance(value, str) else value)
        super().before_import_row(row, **kwargs)

    def import_data(
        self,
        dataset,
        dry_run=False,
        raise_errors=False,
        use_transactions=None,
        collect_failed_rows=False,
        rollback_on_validation_errors=False,
        **kwargs,
    ):
        # All or nothing: a single invalid row rolls the whole file back.
        return super().import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=raise_errors,
            use_transactions=True,
            collect_failed_rows=collect_failed_rows,
            rollback_on_validation_errors=True,
            **kwargs,
        )


def required(row, column, message):
    value = row.get(column)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationError({column: message})
    return value


def split_names(value):
    """Split a cell listing several agencies: one per line or separated by ';'."""
    if not value:
        return []
    parts = str(value).replace("\n", ";").split(";")
    return [part.strip(" -•\t") for part in parts if part.strip(" -•\t")]
