"""Writes on a summary report: the coordinator's text and signer, and issuing.

Each is atomic, locks the ``ReportDraft`` row and refuses a form posted over an older
``version``. An issued report is closed: its words and number no longer change.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cchc_plans.locking import FrozenError, check_version
from register.models import DocumentType
from register.services import register_document

from .models import ReportDraft
from .summary import build_summary


def _draft(plan, period):
    draft, _created = ReportDraft.objects.select_for_update().get_or_create(
        plan=plan, year=period.year, period_code=period.code
    )
    return draft


def _check(draft, version):
    check_version(
        draft,
        version,
        required=False,
        message=_(
            "Someone else changed this report's text while you were working on it. "
            "Reload the page to see their changes."
        ),
    )
    if draft.is_issued:
        raise FrozenError(
            draft, _("This report has been issued; its text can no longer be changed.")
        )


TEXT_FIELDS = [
    "introduction", "results", "shortcomings", "lessons", "next_tasks", "proposals",
]
SIGNER_FIELDS = ["signer_authority", "signer_title", "signer_name"]


@transaction.atomic
def save_report_text(*, plan, period, user, version=None, **texts):
    """Store the introduction, the evaluation's five parts and the signature block the
    report will print (``TEXT_FIELDS``, ``SIGNER_FIELDS``; a field not given is kept)."""
    unknown = set(texts) - set(TEXT_FIELDS) - set(SIGNER_FIELDS)
    if unknown:
        raise TypeError(f"Unknown report text fields: {sorted(unknown)}")
    draft = _draft(plan, period)
    _check(draft, version)
    for name, value in texts.items():
        value = value.strip()
        if name in SIGNER_FIELDS:
            value = " ".join(value.split())
        setattr(draft, name, value)
    draft.updated_by = user
    draft.version += 1
    draft.save()
    return draft


def _keep_prefilled(draft, plan, period):
    """An issued report keeps the words it was issued with: the evaluation's prefilled
    parts and the issuer's signer are copied into the report's own text. Returns the
    summary read for it."""
    summary = build_summary(plan, period.year, period.code)
    for name, text in summary.evaluation_prefill.items():
        if not getattr(draft, name).strip():
            setattr(draft, name, text)
    if not (draft.signer_authority or draft.signer_title or draft.signer_name):
        draft.signer_authority, draft.signer_title, draft.signer_name = summary.signer
    return summary


@transaction.atomic
def issue_report(*, plan, period, user, issued_on, number="", version=None):
    """Give the report its number from the issuer's register and its date.

    ``number`` empty takes the register's next number; typed by hand, it is checked against
    the register (ValidationError when taken). Files generated from now on carry them.
    """
    if issued_on is None:
        raise ValidationError({"issued_on": _("Give the date of the report.")}, code="required")
    draft = _draft(plan, period)
    _check(draft, version)
    summary = _keep_prefilled(draft, plan, period)
    signature = summary.signature
    entry = register_document(
        issuer=summary.issuer,
        document_type=DocumentType.REPORT,
        issued_on=issued_on,
        subject=summary.title,
        number=number,
        signer=" ".join(filter(None, [signature.title, signature.name])),
        recipients=signature.recipients,
        document=draft,
        user=user,
    )
    draft.number = entry.number_symbol
    draft.issued_on = issued_on
    draft.issued_by = user
    draft.updated_by = user
    draft.version += 1
    draft.save()
    return draft
