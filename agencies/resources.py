from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets

from cchc_plans.search import fold
from cchc_plans.spreadsheets import SafeSpreadsheetMixin

from .models import Agency, AgencyKind


class AgencyKindWidget(widgets.Widget):
    """Accepts a kind's code or its label, with or without diacritics."""

    def clean(self, value, row=None, **kwargs):
        if not value:
            raise ValueError(_("The kind of agency is missing."))
        wanted = fold(str(value))
        for code, label in AgencyKind.choices:
            if wanted in (fold(code), fold(str(label))):
                return code
        raise ValueError(_("Unknown kind of agency: %(value)s") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return str(AgencyKind(value).label) if value else ""


class AgencyResource(SafeSpreadsheetMixin, resources.ModelResource):
    code = fields.Field(attribute="code", column_name=gettext_lazy("code"))
    name = fields.Field(attribute="name", column_name=gettext_lazy("full name"))
    short_name = fields.Field(attribute="short_name", column_name=gettext_lazy("short name"))
    kind = fields.Field(
        attribute="kind", column_name=gettext_lazy("kind"), widget=AgencyKindWidget()
    )
    parent = fields.Field(
        attribute="parent",
        column_name=gettext_lazy("parent agency code"),
        widget=widgets.ForeignKeyWidget(Agency, field="code"),
    )
    email = fields.Field(attribute="email", column_name=gettext_lazy("e-mail"))
    phone = fields.Field(attribute="phone", column_name=gettext_lazy("phone"))
    address = fields.Field(attribute="address", column_name=gettext_lazy("address"))
    contact_person = fields.Field(
        attribute="contact_person", column_name=gettext_lazy("focal point")
    )

    class Meta:
        model = Agency
        import_id_fields = ["code"]
        fields = [
            "code",
            "name",
            "short_name",
            "kind",
            "parent",
            "email",
            "phone",
            "address",
            "contact_person",
        ]
        skip_unchanged = True
        report_skipped = False
        clean_model_instances = True

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        errors = {}
        for field in ("code", "name"):
            column = self.fields[field].column_name
            if not row.get(column):
                errors[column] = _("This cell is required.")
        parent_code = row.get(self.fields["parent"].column_name)
        if parent_code and not Agency.objects.filter(code=parent_code).exists():
            errors[self.fields["parent"].column_name] = _("No agency has the code %(code)s.") % {
                "code": parent_code
            }
        if errors:
            raise ValidationError(errors)
