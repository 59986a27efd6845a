"""Who signs an issuing agency's documents unless a document names someone else."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency


class IssuerSigner(models.Model):
    """The signature block an agency's reports start from: authority, title and name.

    Decree 30/2020, Appendix I, section IX: "KT. GIÁM ĐỐC" over "PHÓ GIÁM ĐỐC", then the
    signer's full name. A report keeps its own copy, which the coordinator may change.
    """

    agency = models.OneToOneField(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="signer"
    )
    authority = models.CharField(
        _("signing authority"), max_length=120, blank=True, help_text=_("e.g. KT. GIÁM ĐỐC")
    )
    title = models.CharField(
        _("signer's title"), max_length=120, blank=True, help_text=_("e.g. PHÓ GIÁM ĐỐC")
    )
    name = models.CharField(_("signer's name"), max_length=120, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("signer of an issuing agency")
        verbose_name_plural = _("signers of issuing agencies")

    def __str__(self):
        return f"{self.agency}: {self.name or self.title}"
