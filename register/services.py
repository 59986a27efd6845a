"""Numbers from the register: the next one of the issuer's year, or one typed by hand.

``register_document`` is called by the services that issue a document (``plans.services
.issue_plan``, ``reports.summary_services.issue_report``) inside their own transaction, so
that a document is issued with its number or not at all. The issuer's counter row for the
year is locked (``select_for_update``) while the number is taken: two documents issued at
the same moment get consecutive numbers, never the same one, and no number is skipped. The
unique constraint on (issuer, year, number) stays as the safety net.
"""

import re

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import RegisterCounter, RegisterEntry

# "15", "15/BC-SNV", "015 / BC-SNV"
TYPED_NUMBER = re.compile(r"^\s*0*(\d{1,6})\s*(?:/\s*(\S+)\s*)?$")
MAX_NUMBER = 999999


def symbol_for(document_type, issuer):
    """ "BC-SNV": the type's abbreviation, then the issuer's code."""
    return f"{document_type}-{issuer.code}" if issuer.code else str(document_type)


def parse_number(text):
    """(number, symbol or "") of a number typed by hand; ValidationError when unreadable."""
    match = TYPED_NUMBER.match(text or "")
    if not match or not 1 <= int(match.group(1)) <= MAX_NUMBER:
        raise ValidationError(
            {"number": _("Write the number as digits, e.g. 15 or 15/BC-SNV.")}, code="invalid"
        )
    return int(match.group(1)), match.group(2) or ""


def entry_for(document):
    """The register entry of one of the application's documents, or None."""
    return RegisterEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(document), object_id=document.pk
    ).first()


def next_number(issuer, year):
    """The number the next document of ``issuer`` in ``year`` will take (for the forms)."""
    counter = RegisterCounter.objects.filter(issuer=issuer, year=year).first()
    return (counter.last_number if counter else 0) + 1


def next_number_symbol(issuer, document_type, year=None):
    """ "16/BC-SNV": what the next document of that type would be numbered this year."""
    year = year or timezone.localdate().year
    return f"{next_number(issuer, year):02d}/{symbol_for(document_type, issuer)}"


def _locked_counter(issuer, year):
    # get_or_create retries the read when a concurrent insert of the same row wins.
    counter, _created = RegisterCounter.objects.select_for_update().get_or_create(
        issuer=issuer, year=year
    )
    return counter


def _taken_error(taken):
    return ValidationError(
        {
            "number": _(
                "Number %(number)s is already taken in the register: %(type)s “%(subject)s” "
                "of %(date)s. Leave the number empty to take the next free one."
            )
            % {
                "number": taken.number_symbol,
                "type": taken.get_document_type_display().lower(),
                "subject": taken.subject,
                "date": taken.issued_on.strftime("%d/%m/%Y"),
            }
        },
        code="taken",
    )


@transaction.atomic
def register_document(
    *,
    issuer,
    document_type,
    issued_on,
    subject,
    number="",
    symbol="",
    signer="",
    recipients=(),
    copies=None,
    kept_by="",
    notes="",
    document=None,
    user=None,
):
    """Give a document its number in the register of ``issuer`` for ``issued_on``'s year.

    ``number`` empty takes the next number; typed by hand ("15" or "15/BC-SNV", given by the
    office's paper register for instance) it is checked: a number already taken is refused
    with the document holding it, a free one is recorded, and the next automatic number
    follows the highest in the register. ``symbol`` is the one the document is written with
    ("KH-UBND" of "Số:      /KH-UBND"); empty, the type's and the issuer's ("KH-UBND-NT").
    A ``document`` registered before (a plan reopened and issued again) keeps its entry.
    Raises ValidationError.
    """
    if document is not None:
        existing = entry_for(document)
        if existing is not None:
            return existing
    year = issued_on.year
    symbol = (symbol or "").strip().lstrip("/").strip() or symbol_for(document_type, issuer)
    counter = _locked_counter(issuer, year)
    typed = bool((number or "").strip())
    if typed:
        value, typed_symbol = parse_number(number)
        symbol = typed_symbol or symbol
        taken = RegisterEntry.objects.filter(issuer=issuer, year=year, number=value).first()
        if taken is not None:
            raise _taken_error(taken)
    else:
        value = counter.last_number + 1
    # "- Như trên;" in a document is "Như trên;" in the register's column.
    recipients = [line.strip().lstrip("-–+• ").strip() for line in recipients if line.strip()]
    entry = RegisterEntry(
        issuer=issuer,
        year=year,
        number=value,
        symbol=symbol,
        document_type=document_type,
        issued_on=issued_on,
        subject=subject[:500],
        signer=signer,
        recipients="\n".join(recipients),
        copies=copies if copies is not None else max(len(recipients), 1),
        kept_by=kept_by,
        notes=notes,
        typed=typed,
        registered_by=user,
    )
    if document is not None:
        entry.content_type = ContentType.objects.get_for_model(document)
        entry.object_id = document.pk
    entry.full_clean(exclude=["content_type"], validate_unique=False, validate_constraints=False)
    entry.save()
    if value > counter.last_number:
        counter.last_number = value
        counter.save(update_fields=["last_number"])
    return entry


@transaction.atomic
def edit_entry(*, entry, copies, kept_by, notes, recipients):
    """The register's own columns a clerk fills in after issue: copies, archive, notes."""
    entry = RegisterEntry.objects.select_for_update().get(pk=entry.pk)
    entry.copies = copies
    entry.kept_by = kept_by.strip()
    entry.notes = notes.strip()
    entry.recipients = "\n".join(line.strip() for line in recipients.splitlines() if line.strip())
    entry.full_clean(exclude=["content_type"], validate_unique=False, validate_constraints=False)
    entry.save(update_fields=["copies", "kept_by", "notes", "recipients"])
    return entry
