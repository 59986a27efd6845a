"""What periodic reports do when another application reports on them."""

from django.dispatch import receiver

from signatures.signals import signature_checked

from . import services
from .models import AgencyReport


@receiver(signature_checked, sender=AgencyReport)
def count_signing_time(sender, check, target, **kwargs):
    if check.field_name == "signed_copy":
        services.count_signing_time(report=target)
