"""The agency picker: the one way forms let a user pick agencies (and agency groups).

Without JavaScript it is a list of checkboxes (radio buttons for one agency) under a heading
per kind of agency. static/js/agency-picker.js adds a search box that ignores diacritics and
abbreviations (each option carries its ``names.search_key``), buttons selecting every
member of a group or every agency of a kind, the picked agencies as removable chips and a
live count. The fields keep to one province's agencies and refuse any other with a message
naming it.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from cchc_plans.fields import BIGINT_MAX, ModelMultipleChoiceField

from .models import Agency, AgencyGroup, AgencyKind
from .names import search_key


def province_of(agency):
    """The top of ``agency``'s tree: the province's People's Committee (or None)."""
    seen = set()
    while agency is not None and agency.parent_id and agency.pk not in seen:
        seen.add(agency.pk)
        agency = agency.parent
    return agency


def province_of_user(user):
    """The province of the user's agency; None for a user without one (an administrator)."""
    return province_of(getattr(user, "agency", None))


def province_for(user, plan=None):
    """Whose agencies ``user`` picks: their own agency's province or, for a user without an
    agency (an administrator), that of the plan's issuer; None (every province) otherwise."""
    province = province_of_user(user)
    if province is None and plan is not None and plan.issuer_id:
        province = province_of(plan.issuer)
    return province


def in_province(province):
    """A Q of the agencies of ``province``'s tree, the province itself included: those
    whose ``province`` column (``agencies.provinces``) is it, through its index."""
    return Q(province=province.pk)


def pickable_agencies(province, named=()):
    """Active agencies of ``province`` (all provinces when None), plus those in ``named``
    (dissolved ones the object already names stay shown and kept)."""
    agencies = Agency.objects.filter(Q(dissolved_on__isnull=True) | Q(pk__in=[a.pk for a in named]))
    if province is not None:
        agencies = agencies.filter(in_province(province) | Q(pk__in=[a.pk for a in named]))
    return agencies.order_by("name")


def pickable_groups(province):
    groups = AgencyGroup.objects.all()
    if province is not None:
        groups = groups.filter(Q(province=province) | Q(province__isnull=True))
    return groups.order_by("name")


def _texts(instance):
    if isinstance(instance, AgencyGroup):
        return instance.wordings()
    return [instance.name, instance.short_name, instance.code]


class PickerMixin:
    """What the picker's checkboxes and radio buttons share."""

    template_name = "widgets/agency_picker.html"
    option_template_name = "widgets/agency_picker_option.html"
    by_kind = True

    def __init__(self, attrs=None, choices=()):
        super().__init__(attrs, choices)
        self.groups = None  # the groups whose members one button picks (see limit_agencies)

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy.groups = self.groups
        return copy

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-search"] = search_key(*_texts(instance))
            option["kind"] = getattr(instance, "kind", "")
        return option

    def optgroups(self, name, value, attrs=None):
        """One group per kind of agency, in the order of AgencyKind, names in order."""
        options = [
            option
            for _group, group_options, _index in super().optgroups(name, value, attrs)
            for option in group_options
        ]
        if not self.by_kind:
            return [(None, options, 0)]
        labels = dict(AgencyKind.choices)
        order = {kind: position for position, kind in enumerate(labels)}
        by_kind = {}
        for option in options:
            by_kind.setdefault(option.get("kind", ""), []).append(option)
        kinds = sorted(by_kind, key=lambda kind: order.get(kind, len(order)))
        return [(labels.get(kind, ""), by_kind[kind], i) for i, kind in enumerate(kinds)]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["groups"] = self.group_buttons(context["widget"]["optgroups"])
        context["widget"]["multiple"] = self.allow_multiple_selected
        return context

    def group_buttons(self, optgroups):
        """(group, search key, member values among the options) of each group to offer."""
        if self.groups is None or not self.allow_multiple_selected:
            return []
        offered = [str(option["value"]) for _label, options, _i in optgroups for option in options]
        groups = list(self.groups)
        members_of = AgencyGroup.members_by_group(groups)
        buttons = []
        for group in groups:
            of_group = {str(pk) for pk in members_of[group.pk]}
            members = [value for value in offered if value in of_group]
            if members:
                buttons.append(
                    {"group": group, "search": search_key(*group.wordings()), "members": members}
                )
        return buttons


class AgencyPicker(PickerMixin, forms.CheckboxSelectMultiple):
    """Checkboxes of agencies under a heading per kind."""


class GroupPicker(AgencyPicker):
    """The same picker over agency groups ("UBND các huyện, thị xã, thành phố")."""

    by_kind = False


class AgencyRadioPicker(PickerMixin, forms.RadioSelect):
    """The picker for one agency: radio buttons, the same search box."""


class ProvinceChoiceMixin:
    """Refuses an agency outside the field's queryset naming it (another province's).

    ``refusal``: the message, with ``%(names)s``, where the field keeps to other agencies
    than the province's (a plan's addressed agencies).
    """

    refusal = None

    def refused(self, values):
        pks = [int(v) for v in values if str(v).isascii() and str(v).isdigit()]
        names = sorted(
            Agency.objects.filter(pk__in=[pk for pk in pks if pk <= BIGINT_MAX])
            .exclude(pk__in=self.queryset.values("pk"))
            .values_list("name", flat=True)
        )
        if not names:
            return None
        message = self.refusal or _(
            "%(names)s cannot be picked here: only the active agencies of the province "
            "can be picked."
        )
        return ValidationError(
            message % {"names": ", ".join(names)},
            code="invalid_choice",
        )


class AgencyMultipleChoiceField(ProvinceChoiceMixin, ModelMultipleChoiceField):
    widget = AgencyPicker

    def label_from_instance(self, obj):
        return obj.name

    def _check_values(self, value):
        try:
            return super()._check_values(value)
        except ValidationError as error:
            if error.code != "invalid_choice":
                raise
            raise self.refused(value) or error from None


class AgencyChoiceField(ProvinceChoiceMixin, forms.ModelChoiceField):
    widget = AgencyRadioPicker

    def label_from_instance(self, obj):
        return obj.name

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError as error:
            if error.code != "invalid_choice":
                raise
            raise self.refused([value]) or error from None


class GroupMultipleChoiceField(ModelMultipleChoiceField):
    widget = GroupPicker


def limit_agencies(field, province, named=(), groups=True):
    """Keep ``field`` (an agency field with the picker) to ``province``'s agencies."""
    field.queryset = pickable_agencies(province, named)
    if groups:
        field.widget.groups = pickable_groups(province)
