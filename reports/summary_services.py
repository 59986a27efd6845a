"""Writes on a summary report: the coordinator's introduction and conclusions, and issuing.

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


@transaction.atomic
def save_report_text(*, plan, period, user, introduction, conclusions, version=None):
    """Store the introduction and conclusions the report will print."""
    draft = _draft(plan, period)
    _check(draft, version)
    draft.introduction = introduction.strip()
    draft.conclusions = conclusions.strip()
    draft.updated_by = user
    draft.version += 1
    draft.save()
    return draft


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
    summary = build_summary(plan, period.year, period.code)
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
