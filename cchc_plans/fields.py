"""Form fields shared by the apps."""

from django import forms
from django.core.exceptions import ValidationError

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
