"""The register of outgoing documents (Decree 30/2020/NĐ-CP, art. 15–16 and Appendix IV).

Each issuer numbers its documents from 01 on 1 January to 31 December, one series for every
kind of document it issues; a number is given once. ``RegisterCounter`` holds the last number
of an issuer's year (the row locked while a number is taken), ``RegisterEntry`` one line of
the register: number and symbol, date, type and subject, signer, recipients, copies, notes.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency


class DocumentType(models.TextChoices):
    # Decree 30/2020, Appendix III: the abbreviations of the document types.
    REPORT = "BC", _("Report")
    PLAN = "KH", _("Plan")
    DECISION = "QĐ", _("Decision")


class RegisterCounter(models.Model):
    issuer = models.ForeignKey(
        Agency, verbose_name=_("issuer"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("register counter")
        verbose_name_plural = _("register counters")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "year"], name="register_counter_unique"),
        ]

    def __str__(self):
        return f"{self.issuer.code} {self.year}: {self.last_number}"


class RegisterEntry(models.Model):
    issuer = models.ForeignKey(
        Agency,
        verbose_name=_("issuer"),
        on_delete=models.PROTECT,
        related_name="register_entries",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    symbol = models.CharField(_("symbol"), max_length=60, help_text=_("e.g. BC-SNV"))
    document_type = models.CharField(
        _("document type"), max_length=4, choices=DocumentType.choices
    )
    issued_on = models.DateField(_("date"))
    subject = models.CharField(_("subject"), max_length=500)
    signer = models.CharField(_("signer"), max_length=255, blank=True)
    recipients = models.TextField(_("recipients"), blank=True, help_text=_("One per line."))
    kept_by = models.CharField(_("copy kept by"), max_length=255, blank=True)
    copies = models.PositiveSmallIntegerField(_("copies"), default=1)
    notes = models.TextField(_("notes"), blank=True)
    typed = models.BooleanField(
        _("number typed by hand"), default=False,
        help_text=_("The number was given outside the application, not taken from the counter."),
    )
    # The plan or report the number was given to, when it is one of the application's.
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    document = GenericForeignKey("content_type", "object_id")
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now)

    class Meta:
        verbose_name = _("register entry")
        verbose_name_plural = _("register entries")
        ordering = ["issuer", "year", "number"]
        constraints = [
            # The safety net under the counter: one number, one document.
            models.UniqueConstraint(
                fields=["issuer", "year", "number"], name="register_number_unique"
            ),
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=models.Q(object_id__isnull=False),
                name="register_one_entry_per_document",
            ),
        ]

    def __str__(self):
        return self.number_symbol

    @property
    def number_symbol(self):
        """ "15/BC-SNV": numbers below 10 take a leading zero (Decree 30, Appendix I)."""
        return f"{self.number:02d}/{self.symbol}"

    def recipient_lines(self):
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]
