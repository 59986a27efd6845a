import rules
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cchc_plans.search import fold, folded_filter

from .provinces import ProvinceQuerySet, province_field, save_with_province


class AgencyKind(models.TextChoices):
    PROVINCE = "province", _("Provincial People's Committee")
    DEPARTMENT = "department", _("Department, board or sector")
    INTERNAL_UNIT = "internal_unit", _("Internal unit of an agency")
    DISTRICT = "district", _("District-level People's Committee")
    COMMUNE = "commune", _("Commune-level People's Committee")
    PUBLIC_SERVICE = "public_service", _("Public service unit")
    CENTRAL = "central", _("Central agency located in the province")
    PRESS = "press", _("Press and broadcasting")
    MASS_ORGANISATION = "mass_organisation", _("Political-social organisation")
    PARTY = "party", _("Party body")
    OTHER = "other", _("Other")


class AgencyQuerySet(ProvinceQuerySet):
    def active(self):
        return self.filter(dissolved_on__isnull=True)

    def search(self, query):
        return self.filter(folded_filter("search_text", query))


class Agency(models.Model):
    name = models.CharField(_("full name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=120, blank=True)
    code = models.CharField(
        _("code"),
        max_length=30,
        unique=True,
        help_text=_("Used in document numbers, e.g. SNV in 12/BC-SNV."),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=AgencyKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    contact_person = models.CharField(_("focal point"), max_length=120, blank=True)
    # The agency's head (Giám đốc, Chủ tịch…): told by e-mail of work still late after the
    # escalation days (reminders/); often without an account of the application.
    head_name = models.CharField(
        _("head's name"), max_length=120, blank=True, default="", db_default=""
    )
    head_title = models.CharField(
        _("head's title"), max_length=120, blank=True, default="", db_default="",
        help_text=_("e.g. Giám đốc, Chủ tịch"),
    )
    head_email = models.EmailField(_("head's e-mail"), blank=True, default="", db_default="")
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    search_text = models.TextField(editable=False, default="")
    # The top of the agency's tree (itself for a top agency): see provinces.py.
    province = province_field()
    history = HistoricalRecords()

    objects = AgencyQuerySet.as_manager()
    province_source = "parent"

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "name"])]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.refresh_search_text()
        save_with_province(self, super().save, *args, **kwargs)

    def refresh_search_text(self):
        """A denormalised folded copy makes diacritics-insensitive search work everywhere."""
        self.search_text = fold(f"{self.name} {self.short_name} {self.code}")

    @property
    def is_dissolved(self):
        return self.dissolved_on is not None

    @property
    def display_name(self):
        return self.short_name or self.name

    def current(self):
        """The agency that carries this one's work today (itself, or its last successor)."""
        agency, seen = self, {self.pk}
        while agency.successor_id and agency.successor_id not in seen:
            agency = agency.successor
            seen.add(agency.pk)
        return agency


class AgencyGroup(models.Model):
    """A collective lead such as "UBND các huyện, thị xã, thành phố"."""

    name = models.CharField(_("name"), max_length=255)
    code = models.SlugField(_("code"), max_length=50, unique=True)
    # Two merged provinces may both have "UBND các xã": a name is unique within a province.
    province = models.ForeignKey(
        Agency,
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="province_groups",
        help_text=_("The province (or top agency) whose plans name this group."),
    )
    kind = models.CharField(
        _("every active agency of kind"),
        max_length=30,
        choices=AgencyKind.choices,
        blank=True,
        help_text=_("Leave empty to use the listed members only."),
    )
    scope = models.ForeignKey(
        Agency,
        verbose_name=_("within"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="scoped_groups",
        help_text=_("With a kind: only agencies under this one (e.g. the province)."),
    )
    members = models.ManyToManyField(
        Agency, verbose_name=_("members"), blank=True, related_name="agency_groups"
    )
    aliases = models.TextField(
        _("other wordings"),
        blank=True,
        help_text=_("One wording per line, as it appears in plans."),
    )

    class Meta:
        verbose_name = _("agency group")
        verbose_name_plural = _("agency groups")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "name"], name="agency_group_name_unique_in_province"
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=models.Q(province__isnull=True),
                name="agency_group_name_unique_without_province",
            ),
        ]

    def __str__(self):
        return self.name

    def member_agencies(self):
        if not self.kind:
            return self.members.active()
        agencies = Agency.objects.active().filter(kind=self.kind)
        if self.scope_id:
            # Communes sit under the province directly or under a district (before July 2025).
            agencies = agencies.filter(
                models.Q(parent=self.scope_id)
                | models.Q(parent__parent=self.scope_id)
                | models.Q(parent__parent__parent=self.scope_id)
            )
        return agencies

    def wordings(self):
        return [self.name, *(line.strip() for line in self.aliases.splitlines() if line.strip())]

    @staticmethod
    def members_by_group(groups):
        """{group pk: set of its members' pks} of ``groups`` by ``member_agencies``, in one
        query (a union of each group's members) however many groups there are."""
        groups = list(groups)
        members = {group.pk: set() for group in groups}
        # SQLite allows at most 500 terms in a compound SELECT.
        for start in range(0, len(groups), 200):
            queries = [
                group.member_agencies()
                .order_by()
                .annotate(group_pk=models.Value(group.pk))
                .values_list("group_pk", "pk")
                for group in groups[start : start + 200]
            ]
            for group_pk, pk in queries[0].union(*queries[1:], all=True).order_by():
                members[group_pk].add(pk)
        return members


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator (Department of Home Affairs)")
    AGENCY_OFFICER = "agency_officer", _("Agency officer")
    LEADERSHIP = "leadership", _("Leadership")
    ADMIN = "admin", _("Administrator")


class User(AbstractUser):
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.AGENCY_OFFICER
    )
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    # The language of the user's notifications and e-mails.
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="vi",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.username

    def has_perm(self, perm, obj=None):
        from .rules import RULE_ONLY_PERMISSIONS  # the rules import this module

        if perm in RULE_ONLY_PERMISSIONS:
            return self.is_active and rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)
