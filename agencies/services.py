"""Writes on agencies. Dissolving one moves its work, so it lives in ``tasks.services``."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc_plans.bulk import insert_rows, record_history, update_rows, update_with_history

from .models import Agency
from .provinces import copy_provinces, set_provinces

# What an imported row may change; dissolution and the successor stay with their workflow.
IMPORTED_AGENCY_FIELDS = [
    "name", "short_name", "kind", "parent", "email", "phone", "address", "contact_person",
    "head_name", "head_title", "head_email", "search_text", "province",
]


def save_agency(*, agency):
    """Validate and save one agency as its admin form set it (contact and head included)."""
    agency.full_clean(exclude=["parent", "successor"], validate_unique=False)
    before = agency.province_id
    agency.save()
    if before is not None and agency.province_id != before:
        follow_province(agency)
    return agency


def follow_province(agency):
    """An agency moved under another province takes its agencies and its work along."""
    copy_provinces(province=agency.province_id)


def looping_parents(parent_codes):
    """The codes of agencies that would be their own ancestor once ``parent_codes``
    ({code: parent code or None}) replaces what the database holds for those codes."""
    chain = dict(Agency.objects.values_list("code", "parent__code"))
    chain.update(parent_codes)
    looping = set()
    for start in parent_codes:
        seen, code = set(), start
        while code is not None and code not in seen:
            seen.add(code)
            code = chain.get(code)
        if code == start:
            looping.add(start)
    return looping


@transaction.atomic
def import_agencies(*, agencies, by=None):
    """Create and update the agencies of one spreadsheet file at once; returns them.

    ``agencies`` are new (no pk) or as read before the file's values were set on them; a
    parent may be another agency of the same file, not saved yet. Every agency is validated
    and a parent chain that loops is refused (ValidationError). History is written in bulk,
    attributed to ``by``, with a fixed number of queries whatever the number of agencies.
    """
    if not agencies:
        return []
    looping = looping_parents({a.code: a.parent.code if a.parent else None for a in agencies})
    if looping:
        raise ValidationError(
            _("An agency cannot be under itself: %(codes)s.")
            % {"codes": ", ".join(sorted(looping))},
            code="parent_loop",
        )
    for agency in agencies:
        agency.full_clean(exclude=["parent", "successor", "province"], validate_unique=False)
        agency.refresh_search_text()
    # Parents created by this file get their id from the insert: link them after it.
    later = [(a, a.parent) for a in agencies if a.parent is not None and a.parent.pk is None]
    for agency, _parent in later:
        agency.parent = None
    new = [a for a in agencies if a.pk is None]
    existing = [a for a in agencies if a.pk is not None]
    insert_rows(new)
    for agency, parent in later:
        agency.parent = parent
    moved = _import_provinces(agencies, new)
    # The parents of the same file and the provinces, in one statement a row.
    update_rows(new, ["parent", "province"])
    history = {"user": by, "reason": "import", "date": timezone.now()}
    # Recorded once the parents are linked, so that the first history row is the whole agency.
    record_history(new, Agency, "+", **history)
    update_with_history(existing, Agency, IMPORTED_AGENCY_FIELDS, **history)
    for province in moved:
        copy_provinces(province=province)
    return agencies


def _import_provinces(agencies, new):
    """The province of each agency of the file once its parent is linked (a parent of the
    same file first); the provinces that existing agencies moved to."""
    created = {id(a) for a in new}
    before = {id(a): a.province_id for a in agencies if id(a) not in created}
    for agency in agencies:
        agency.province_id = None
    # A parent of the same file is given its province first (set_provinces follows it up).
    set_provinces(agencies)
    return {a.province_id for a in agencies if id(a) in before and before[id(a)] != a.province_id}
