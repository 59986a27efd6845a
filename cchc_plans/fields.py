"""Form fields shared by the apps."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.backends.base.operations import BaseDatabaseOperations

BIGINT_MAX = 2**63 - 1


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, refusing ids no database column can hold before it queries them.

    ``pk__in`` with such an id raises OverflowError on SQLite instead of finding nothing.
    """

    def _check_values(self, value):
        for pk in value:
            text = str(pk).strip()
            if text.lstrip("-").isascii() and text.lstrip("-").isdigit() and (
                abs(int(text)) > BIGINT_MAX
            ):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


def integer_field_for(model_field, *, min_value=None, max_value=None, **kwargs):
    """A form IntegerField bounded by what ``model_field``'s column holds on every database
    (PostgreSQL's ``integer`` stops at 2,147,483,647; SQLite would take more, the same bound
    keeps the data portable), within ``min_value``/``max_value`` if given."""
    ranges = BaseDatabaseOperations.integer_field_ranges
    low, high = ranges[model_field.get_internal_type()]
    if min_value is not None:
        low = min_value if low is None else max(low, min_value)
    if max_value is not None:
        high = max_value if high is None else min(high, max_value)
    widget = kwargs.pop("widget", None) or forms.NumberInput()
    widget.attrs.setdefault("inputmode", "numeric")
    return forms.IntegerField(min_value=low, max_value=high, widget=widget, **kwargs)
