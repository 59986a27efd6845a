"""What plans do when another application reports on them."""

from django.dispatch import receiver

from signatures.signals import signature_checked

from . import services
from .models import Plan


@receiver(signature_checked, sender=Plan)
def count_signing_time(sender, check, target, **kwargs):
    if check.field_name == "document_file":
        services.count_signing_time(plan=target, check=check)
