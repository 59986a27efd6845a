"""Writes to plans. Each workflow is atomic and validates with ``full_clean`` first.

Every save leaves a simple-history record whose change reason names what was done
("section:targets", "issued"…); the history middleware adds the user of the request.
Plan sections carry the version the user loaded: a save based on an older version is
refused (``StaleError``), so concurrent edits never overwrite each other silently.
"""

import datetime
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Role, User
from cchc_plans.locking import FrozenError, check_version
from notifications.kinds import Kind
from notifications.services import notify
from register.models import DocumentType
from register.services import register_document
from signatures.services import check_on_commit

from . import notices
from .models import (
    AgencyDuty,
    BudgetLine,
    ChangeReason,
    ContentArea,
    LegalBasis,
    OutlineNode,
    OutlineSource,
    Plan,
    PlanChannel,
    PlanStatus,
    Reminder,
    ReminderTopic,
    Target,
    budget_total,
)
from .outline_fields import outline_from_fields, write_outline
from .selectors import submission_rows

PART_MODELS = {
    "legal_bases": LegalBasis,
    "targets": Target,
    "budget_lines": BudgetLine,
    "content_areas": ContentArea,
    "plan_channels": PlanChannel,
    "duties": AgencyDuty,
}


class TransitionError(Exception):
    """The plan's status does not allow this step (e.g. issuing an issued plan)."""


@contextmanager
def _without_history(obj):
    # The caller saves ``obj`` right after, so one record holds the whole change.
    obj.skip_history_when_saving = True
    try:
        yield
    finally:
        del obj.skip_history_when_saving


def _save(obj, reason):
    obj._change_reason = reason
    obj.save()


def _differs(obj, name, value):
    field = obj._meta.get_field(name)
    if field.many_to_one:
        return getattr(obj, field.attname) != (value.pk if value is not None else None)
    return getattr(obj, name) != value


def _set_m2m(obj, name, values):
    """Make ``obj.<name>`` hold ``values``; True when that changed anything."""
    manager = getattr(obj, name)
    wanted = {value.pk for value in values}
    if set(manager.values_list("pk", flat=True)) == wanted:
        return False
    with _without_history(obj):
        manager.set(values)
    return True


def _lock_for_edit(plan, version):
    current = Plan.objects.select_for_update().get(pk=plan.pk)
    if not current.is_editable:
        raise FrozenError(current)
    check_version(current, version)
    return current


def outline_specs(plan):
    """The outline the plan's sections give (``plans.outline_fields``), from its parts as read
    (prefetched by the plan document's queryset)."""
    return outline_from_fields(
        plan,
        legal_bases=[basis.text for basis in plan.legal_bases.all()],
        targets=bool(plan.targets.all()),
        content_areas=list(plan.content_areas.all()),
        channels=list(plan.plan_channels.all()),
        duties=list(plan.duties.all()),
        has_tasks=bool(plan.tasks.all()),
    )


def rebuild_outline(*, plan):
    """Store the outline a plan's sections give, when its outline is built from them.

    A plan whose outline is written (imported, or edited node by node) is left alone.
    Only the nodes that change are saved, each with its history.
    """
    if plan.outline_source != OutlineSource.GENERATED:
        return
    plan = Plan.objects.prefetch_related(
        "legal_bases", "targets", "content_areas", "plan_channels", "duties"
    ).get(pk=plan.pk)
    write_outline(plan, outline_specs(plan), OutlineNode)


@transaction.atomic
def create_plan(*, created_by, fields, audiences=(), addressed_agencies=()):
    """A new draft plan from its header; the other sections are filled in later."""
    plan = Plan(**fields, created_by=created_by, status=PlanStatus.DRAFT)
    plan.full_clean()
    _save(plan, ChangeReason.CREATED)
    # The creation record cannot hold many-to-many values: a second record, same reason.
    if _set_m2m(plan, "audiences", audiences) | _set_m2m(
        plan, "addressed_agencies", addressed_agencies
    ):
        _save(plan, ChangeReason.CREATED)
    rebuild_outline(plan=plan)
    return plan


@transaction.atomic
def edit_plan_section(*, plan, version, section, fields=None, m2m=None, parts=None):
    """Save one section of a draft plan, based on ``version``; returns (plan, changed).

    ``fields`` maps Plan field names to values, ``m2m`` Plan many-to-many names to
    objects, ``parts`` is (related name, rows) for an ordered list of parts: the rows in
    their new order, each a dict of field values with "pk" for an existing part; existing
    parts missing from the rows are deleted. Nothing is written when nothing changed.
    Raises FrozenError, StaleError or ValidationError.
    """
    current = _lock_for_edit(plan, version)
    reason = f"section:{section}"
    changed = False
    fields = dict(fields or {})
    if parts is not None and parts[0] == "budget_lines":
        typed = fields.get("budget_amount", current.budget_amount)
        fields["budget_amount"] = budget_total((row["amount"] for row in parts[1]), typed)
    for name, value in fields.items():
        if _differs(current, name, value):
            setattr(current, name, value)
            changed = True
    current.full_clean()
    if parts is not None:
        related_name, rows = parts
        changed |= _replace_parts(current, related_name, rows, reason)
    for name, values in (m2m or {}).items():
        changed |= _set_m2m(current, name, values)
    if changed:
        current.version += 1
        _save(current, reason)
        rebuild_outline(plan=current)
    return current, changed


def _replace_parts(plan, related_name, rows, reason):
    model = PART_MODELS[related_name]
    m2m_names = {field.name for field in model._meta.many_to_many}
    existing = {part.pk: part for part in getattr(plan, related_name).all()}
    kept, changed = set(), False
    for position, row in enumerate(rows, start=1):
        values = dict(row)
        pk = values.pop("pk", None)
        related = {name: values.pop(name) for name in m2m_names if name in values}
        part = existing.get(pk) if pk else model(plan=plan)
        if part is None:
            raise ValueError(f"{model.__name__} {pk} is not part of plan {plan.pk}")
        dirty = part.pk is None or part.position != position
        for name, value in values.items():
            if _differs(part, name, value):
                setattr(part, name, value)
                dirty = True
        part.position = position
        part.full_clean()
        if part.pk is None:
            _save(part, reason)
            for name, objects in related.items():
                getattr(part, name).set(objects)  # a second record, same reason
        else:
            for name, objects in related.items():
                dirty |= _set_m2m(part, name, objects)
            if dirty:
                _save(part, reason)
        kept.add(part.pk)
        changed |= dirty
    for pk, part in existing.items():
        if pk not in kept:
            part._change_reason = reason
            part.delete()
            changed = True
    return changed


@transaction.atomic
def save_plan(*, plan, created_by=None):
    """Save a plan edited as a whole (the admin's change form), with the version it was loaded
    at in ``plan.version``; returns it.

    A new plan is a draft. An existing one must still be a draft (FrozenError) and unchanged
    since it was loaded (StaleError); its row stays locked until the caller's transaction ends,
    so the parts saved with it are saved under the same lock. Its status is the stored one:
    it changes only through ``issue_plan``, ``reopen_plan`` and ``close_plan``.
    """
    if plan.pk is None:
        plan.status = PlanStatus.DRAFT
        plan.created_by = created_by
        plan.full_clean()
        _save(plan, ChangeReason.CREATED)
        return plan
    current = _lock_for_edit(plan, plan.version)
    plan.status = current.status
    plan.version = current.version + 1
    plan.full_clean()
    _save(plan, "admin")
    return plan


@transaction.atomic
def delete_plan(*, plan):
    """Delete a draft plan (FrozenError once issued); one whose tasks carry progress is kept."""
    current = _lock_for_edit(plan, plan.version)
    if current.tasks.filter(assignments__updates__isnull=False).exists():
        raise FrozenError(current, _("This plan's tasks carry progress updates: it is kept."))
    current.delete()


def _transition(plan, *, allowed_from, to, reason, before=None):
    current = Plan.objects.select_for_update().get(pk=plan.pk)
    if current.status not in allowed_from:
        raise TransitionError(current.status)
    if before is not None:
        before(current)
    current.status = to
    current.version += 1
    _save(current, reason)
    return current


def _register(plan, *, user, today):
    """Give the plan, or the decision issuing it, its number in the issuer's register.

    A number already written in the plan is checked against the register; none takes the
    next one, with the symbol as the plan writes it. A plan issued before keeps the number it
    was first given.
    """
    if plan.has_decision:
        number_field, date_field, kind = "decision_number", "decision_date", DocumentType.DECISION
        subject = plan.decision_title or f"Ban hành {plan.title}"
        symbol = plan.decision_symbol
    else:
        number_field, date_field, kind = "document_number", "issued_on", DocumentType.PLAN
        subject = plan.title
        symbol = plan.document_symbol
    entry = register_document(
        issuer=plan.issuer,
        document_type=kind,
        issued_on=getattr(plan, date_field) or today or timezone.localdate(),
        subject=subject,
        number=getattr(plan, number_field),
        symbol=symbol,
        signer=" ".join(filter(None, [plan.signer_title.strip(), plan.signer_name.strip()])),
        recipients=plan.recipient_lines(),
        document=plan,
        user=user,
    )
    setattr(plan, number_field, entry.number_symbol)
    setattr(plan, date_field, entry.issued_on)


@transaction.atomic
def issue_plan(*, plan, user=None, today=None):
    """Draft → issued with its number from the register: frozen until it is reopened.

    Raises TransitionError, or ValidationError when a number typed in the plan is taken.
    """
    issued = _transition(
        plan,
        allowed_from=[PlanStatus.DRAFT],
        to=PlanStatus.ISSUED,
        reason=ChangeReason.ISSUED,
        before=lambda current: _register(current, user=user, today=today),
    )
    notices.plan_issued(issued, user=user)
    return issued


@transaction.atomic
def reopen_plan(*, plan):
    """Issued or closed → draft, to correct it; the history keeps what it was."""
    return _transition(
        plan,
        allowed_from=[PlanStatus.ISSUED, PlanStatus.CLOSED],
        to=PlanStatus.DRAFT,
        reason=ChangeReason.REOPENED,
    )


@transaction.atomic
def close_plan(*, plan):
    """Issued → closed, when its period is over."""
    return _transition(
        plan, allowed_from=[PlanStatus.ISSUED], to=PlanStatus.CLOSED, reason=ChangeReason.CLOSED
    )


@transaction.atomic
def submit_agency_plan(
    *,
    parent,
    agency,
    created_by,
    title,
    document_number,
    issued_on,
    document_file=None,
    submitted_at=None,
):
    """Record ``agency``'s own plan implementing ``parent``, as issued and submitted now.

    ``document_file`` is an upload already checked by the form (PDF or DOCX).
    """
    plan = Plan(
        issuer=agency,
        parent=parent,
        title=title,
        document_number=document_number,
        issued_on=issued_on,
        period_start_year=parent.period_start_year,
        period_end_year=parent.period_end_year,
        status=PlanStatus.ISSUED,
        submitted_at=submitted_at or timezone.now(),
        created_by=created_by,
    )
    if document_file is not None:
        plan.document_file = document_file
    plan.full_clean()
    _save(plan, ChangeReason.SUBMITTED)
    if plan.document_file and plan.document_file.name.lower().endswith(".pdf"):
        check_on_commit(target=plan, field_name="document_file")
    return plan


@transaction.atomic
def submit_imported_plan(*, plan, submitted_at=None):
    """An agency's own plan for its parent plan, imported from its file with its outline and
    tasks (a draft until then), recorded as issued and submitted now, as
    ``submit_agency_plan`` records one; its file is checked for signatures like theirs."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.parent_id is None or plan.status != PlanStatus.DRAFT:
        raise ValidationError(
            _("Only a draft plan implementing a parent plan can be submitted this way."),
            code="not_an_agency_plan",
        )
    plan.status = PlanStatus.ISSUED
    plan.submitted_at = submitted_at or timezone.now()
    plan.version += 1
    _save(plan, ChangeReason.SUBMITTED)
    if plan.document_file and plan.document_file.name.lower().endswith(".pdf"):
        check_on_commit(target=plan, field_name="document_file")
    return plan


@transaction.atomic
def count_signing_time(*, plan, check):
    """Apply ``SUBMISSION_RULE`` once ``plan``'s document has been checked: a validly signed
    plan signed before it was submitted counts as submitted at its signing time."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.submitted_at is None:
        return plan
    counted = check.submission_time(plan.submitted_at)
    if counted != plan.submitted_at:
        plan.submitted_at = counted
        _save(plan, ChangeReason.SIGNED)
    return plan


def received_at(day):
    """A submission recorded by hand on ``day``: noon, local time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))


REMIND_AGAIN_AFTER = datetime.timedelta(hours=1)


@dataclass
class RemindResult:
    """What a manual reminder did: the reminders recorded (and notified), the agencies
    refused because they were reminded of the same thing within the hour (with that
    reminder), and the reminded agencies without an active officer (nobody was told)."""

    sent: list = field(default_factory=list)
    refused: list = field(default_factory=list)  # (agency, Reminder)
    unreached: list = field(default_factory=list)  # Agency


@transaction.atomic
def remind(*, plan, agencies, topic, url, sent_by, message="", context=None, now=None):
    """A coordinator reminds ``agencies`` (đôn đốc) of ``topic`` on ``plan``: record it and
    notify the agencies' officers now, with ``message``. ``context`` adds to what the
    ``manual_reminder`` templates read (``about``: "plan", "reports" or "task"; ``task``).

    The same reminder (plan, topic) to the same agency within ``REMIND_AGAIN_AFTER`` is
    refused for that agency: a second click, or a colleague who just did it.
    """
    now = now or timezone.now()
    message = message.strip()
    Plan.objects.select_for_update().filter(pk=plan.pk).first()  # one reminder at a time
    recent = {}
    for reminder in (
        Reminder.objects.filter(
            plan=plan, topic=topic, agency__in=[a.pk for a in agencies],
            sent_at__gt=now - REMIND_AGAIN_AFTER,
        ).select_related("sent_by").order_by("sent_at")
    ):
        recent[reminder.agency_id] = reminder
    result = RemindResult(refused=[(a, recent[a.pk]) for a in agencies if a.pk in recent])
    wanted = [a for a in agencies if a.pk not in recent]
    officers = {}
    for user in User.objects.filter(
        agency__in=[a.pk for a in wanted], role=Role.AGENCY_OFFICER, is_active=True
    ).order_by("pk"):
        officers.setdefault(user.agency_id, []).append(user)
    sender_agency = sent_by.agency if sent_by and sent_by.agency_id else None
    reminders = Reminder.objects.bulk_create(
        Reminder(plan=plan, agency=agency, topic=topic, message=message, sent_by=sent_by,
                 sent_at=now, notified=len(officers.get(agency.pk, ())))
        for agency in wanted
    )
    for reminder in reminders:
        recipients = officers.get(reminder.agency_id)
        if not recipients:
            result.unreached.append(reminder.agency)
            continue
        notify(
            recipients, Kind.MANUAL_REMINDER, event_key=f"manual-reminder:{reminder.pk}",
            url=url, template="manual_reminder", sender=sent_by,
            context={"plan": plan, "agency": reminder.agency, "message": message,
                     "sender": sent_by, "sender_agency": sender_agency, "sent_at": now,
                     **(context or {})},
        )
    result.sent = reminders
    return result


def send_reminders(*, plan, sent_by, message="", now=None):
    """Remind every addressed agency that has not submitted its own plan for ``plan``."""
    missing = [row.agency for row in submission_rows(plan) if not row.submitted]
    return remind(
        plan=plan, agencies=missing, topic=ReminderTopic.AGENCY_PLAN,
        url=reverse("plans:submit", args=[plan.pk]), sent_by=sent_by, message=message,
        context={"about": "plan"}, now=now,
    )
