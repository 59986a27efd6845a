from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets

from cchc_plans.search import fold
from cchc_plans.spreadsheets import (
    ImportRefused,
    PreloadedInstanceLoader,
    SafeSpreadsheetMixin,
    clean_cell,
)

from .models import Agency, AgencyKind
from .services import import_agencies, looping_parents

TEXT = widgets.CharWidget  # a blank cell is an empty text, never NULL


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


class ParentCodeWidget(widgets.Widget):
    """Exports the parent's code; on import the resource links parents itself (a parent
    may be a later row of the same file)."""

    def render(self, value, obj=None, **kwargs):
        return value.code if value else ""


class AgencyResource(SafeSpreadsheetMixin, resources.ModelResource):
    code = fields.Field(attribute="code", column_name=gettext_lazy("code"), widget=TEXT())
    name = fields.Field(attribute="name", column_name=gettext_lazy("full name"), widget=TEXT())
    short_name = fields.Field(
        attribute="short_name", column_name=gettext_lazy("short name"), widget=TEXT()
    )
    kind = fields.Field(
        attribute="kind", column_name=gettext_lazy("kind"), widget=AgencyKindWidget()
    )
    parent = fields.Field(
        attribute="parent",
        column_name=gettext_lazy("parent agency code"),
        widget=ParentCodeWidget(),
        readonly=True,
    )
    email = fields.Field(attribute="email", column_name=gettext_lazy("e-mail"), widget=TEXT())
    phone = fields.Field(attribute="phone", column_name=gettext_lazy("phone"), widget=TEXT())
    address = fields.Field(attribute="address", column_name=gettext_lazy("address"), widget=TEXT())
    contact_person = fields.Field(
        attribute="contact_person", column_name=gettext_lazy("focal point"), widget=TEXT()
    )
    head_name = fields.Field(
        attribute="head_name", column_name=gettext_lazy("head's name"), widget=TEXT()
    )
    head_title = fields.Field(
        attribute="head_title", column_name=gettext_lazy("head's title"), widget=TEXT()
    )
    head_email = fields.Field(
        attribute="head_email", column_name=gettext_lazy("head's e-mail"), widget=TEXT()
    )

    required_columns = ("code", "name", "kind")
    clean_exclude = ("parent", "successor")

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
            "head_name",
            "head_title",
            "head_email",
        ]
        use_bulk = True
        skip_diff = True
        instance_loader_class = PreloadedInstanceLoader

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("parent")

    # Import: every agency the file names is read in one query -------------------------------

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        codes = [clean_cell(code) for code in dataset[self.column("code")]]
        self.file_codes = {code for code in codes if code}
        parent_column = self.column("parent")
        parents = {}
        if parent_column in dataset.headers:
            parents = {
                code: clean_cell(parent) or None
                for code, parent in zip(codes, dataset[parent_column], strict=True)
                if code
            }
        wanted = self.file_codes | {code for code in parents.values() if code}
        self.stored = {
            a.code: a for a in Agency.objects.filter(code__in=wanted).select_related("parent")
        }
        self.looping = looping_parents(parents) if parents else set()
        self.seen = set()
        self.by_code = {}

    def stored_instance(self, row):
        return self.stored.get(row.get(self.column("code")))

    def snapshot(self, instance):
        values = tuple(getattr(instance, name) for name in self._meta.fields if name != "parent")
        return values, instance._parent_code

    def after_init_instance(self, instance, new, row, **kwargs):
        instance._parent_code = instance.parent.code if instance.parent_id else ""
        super().after_init_instance(instance, new, row, **kwargs)
        if self.column("parent") in row:
            instance._parent_code = row.get(self.column("parent")) or ""
        self.by_code[row.get(self.column("code"))] = instance

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        errors = {}
        code = row.get(self.column("code")) or ""
        if not code:
            errors["code"] = _("This cell is required.")
        elif code in self.seen:
            errors["code"] = _("The code %(code)s is on another row of this file too.") % {
                "code": code
            }
        self.seen.add(code)
        if not row.get(self.column("name")):
            errors["name"] = _("This cell is required.")
        parent_code = row.get(self.column("parent"))
        if parent_code and parent_code not in self.stored and parent_code not in self.file_codes:
            errors["parent"] = _("No agency has the code %(code)s.") % {"code": parent_code}
        elif code in self.looping:
            errors["parent"] = _(
                "An agency cannot be under itself: the parent agencies of %(code)s lead back "
                "to it."
            ) % {"code": code}
        if errors:
            raise ValidationError(errors)

    def save_rows(self, rows, user=None):
        for agency in rows:
            code = agency._parent_code
            agency.parent = (self.by_code.get(code) or self.stored.get(code)) if code else None
        try:
            import_agencies(agencies=rows, by=user)
        except ValidationError as error:
            raise ImportRefused(" ".join(error.messages)) from None
