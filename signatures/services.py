"""Checking the signatures of uploaded files and storing the result with them.

``request_signature_check(target=…)`` after a PDF is saved on ``target``: a small file is
checked at once, a larger one (over ``settings.SIGNATURE_CHECK_INLINE_BYTES``) by the worker
(``check_file_signatures``, Django's task framework with django-tasks-db), so that no page
waits on a large file. Either way the file has one ``SignatureCheck``, queued → running →
done with the verdict, or failed with the reason (a misconfigured trust root, a missing file).
"""

import hashlib
import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.tasks import task
from django.utils import timezone, translation

from .models import CheckState, SignatureCheck
from .signals import signature_checked
from .verification import TrustRootsError, verify_pdf

logger = logging.getLogger(__name__)


@transaction.atomic
def record_check(*, target, field_name="file"):
    """The file's ``SignatureCheck``, new or reset to queued (the file may have changed)."""
    content_type = ContentType.objects.get_for_model(target)
    check = SignatureCheck.objects.select_for_update().filter(
        content_type=content_type, object_id=target.pk, field_name=field_name
    ).first() or SignatureCheck(
        content_type=content_type, object_id=target.pk, field_name=field_name
    )
    check.state = CheckState.QUEUED
    check.verdict = check.signer = check.summary = check.error = check.file_sha256 = ""
    check.signed_at = check.checked_at = check.file_size = None
    check.timestamped, check.signature_count, check.result = False, 0, {}
    check.full_clean(validate_unique=False)
    check.save()
    return check


def check_signatures(*, target, field_name="file"):
    """Check the PDF in ``target.<field_name>`` now; returns its ``SignatureCheck``."""
    check = record_check(target=target, field_name=field_name)
    run_check(check.pk)
    check.refresh_from_db()
    return check


def request_signature_check(*, target, field_name="file"):
    """Check at once when the file is small, else queue the check for the worker."""
    file = getattr(target, field_name)
    try:
        small = bool(file) and file.size <= settings.SIGNATURE_CHECK_INLINE_BYTES
    except OSError:  # the worker records why the file cannot be read
        small = False
    if small:
        return check_signatures(target=target, field_name=field_name)
    check = record_check(target=target, field_name=field_name)
    check_file_signatures.enqueue(check.pk)
    return check


def _mark(check_id, **fields):
    SignatureCheck.objects.filter(pk=check_id).update(**fields)


def _read(check):
    target = check.target
    if target is None:
        raise FileNotFoundError(f"the {check.content_type} {check.object_id} no longer exists")
    file = getattr(target, check.field_name)
    if not file:
        raise FileNotFoundError(f"{check.content_type} {check.object_id} has no file")
    with file.open("rb") as handle:
        return handle.read()


def run_check(check_id):
    """Check one queued file; any error marks the check failed, with the reason."""
    check = SignatureCheck.objects.select_related("content_type").filter(pk=check_id).first()
    if check is None or check.state not in (CheckState.QUEUED, CheckState.RUNNING):
        return None
    _mark(check.pk, state=CheckState.RUNNING)
    try:
        content = _read(check)
        verification = verify_pdf(content)
    except (OSError, TrustRootsError) as error:
        logger.warning("Signature check %s failed: %s", check.pk, error)
        _mark(check.pk, state=CheckState.FAILED, error=str(error)[:2000],
              checked_at=timezone.now())
        return CheckState.FAILED
    latest = verification.latest
    with translation.override(settings.LANGUAGE_CODE):
        summary = verification.summary()
    _mark(
        check.pk,
        state=CheckState.DONE,
        verdict=verification.verdict,
        signer=latest.signer[:255] if latest else "",
        signed_at=latest.signed_at if latest else None,
        timestamped=bool(latest and latest.time_source == "timestamp"),
        signature_count=len(verification.signatures),
        summary=summary[:1000],
        result=verification.as_dict(),
        file_sha256=hashlib.sha256(content).hexdigest(),
        file_size=len(content),
        checked_at=timezone.now(),
    )
    check.refresh_from_db()
    target = check.target
    if target is not None:
        signature_checked.send(sender=type(target), check=check, target=target)
    return CheckState.DONE


def check_on_commit(*, target, field_name="file"):
    """Check ``target``'s PDF once the transaction that saved it commits (so the worker
    finds the row)."""
    transaction.on_commit(
        lambda: request_signature_check(target=target, field_name=field_name)
    )


@task()
def check_file_signatures(check_id):
    """The background task: see ``run_check``."""
    return run_check(check_id)
