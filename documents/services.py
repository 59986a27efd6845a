"""Writes on the documents' settings: the signer of an issuing agency."""

from django.db import transaction

from cchc_plans.locking import check_version

from .models import IssuerSigner


@transaction.atomic
def save_signer(*, agency, user, authority, title, name, version=None):
    """Store who signs ``agency``'s documents by default; refuses a stale form."""
    signer, _created = IssuerSigner.objects.select_for_update().get_or_create(agency=agency)
    check_version(signer, version, required=False)
    signer.authority = " ".join(authority.split())
    signer.title = " ".join(title.split())
    signer.name = " ".join(name.split())
    signer.updated_by = user
    signer.version += 1
    signer.full_clean(exclude=["agency", "updated_by"])
    signer.save()
    return signer
