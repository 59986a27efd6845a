"""Reads shared by the plan pages (and any report that needs the same figures).

Each function runs a fixed number of queries whatever the number of plans, tasks,
assignments or history records.
"""

import datetime
import functools
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Avg,
    Count,
    F,
    IntegerField,
    Prefetch,
    Value,
)
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.models import DeletedObject

from agencies.models import Agency
from cchc_plans.lists import ShortList, attach, prefetch_into, read_lists, set_prefetched
from signatures.models import check_of

from .filters import PlanFilter
from .models import (
    ISSUED_UNDATED_LAST,
    SUBMISSION_ORDER,
    AgencyDuty,
    Audience,
    BudgetLine,
    ChangeReason,
    Channel,
    ContentArea,
    LegalBasis,
    Plan,
    PlanChannel,
    PlanSection,
    Reminder,
    ReminderTopic,
    ReportingPeriodCode,
    SubmissionState,
    Target,
    TargetActual,
    format_vnd,
    submission_state,
)
from .periods import make_period

# The tasks app builds on plans, not the reverse: its models are reached through relations.
Task = Plan._meta.get_field("tasks").related_model
Assignment = Task._meta.get_field("assignments").related_model
LEAD = "lead"  # tasks.models.AssignmentRole.LEAD


# Plan list ---------------------------------------------------------------------------------


# Read from the index plan_list_order_idx.
PLAN_ORDER = ("-period_start_year", ISSUED_UNDATED_LAST.desc(), "-pk")


def plan_list(*, visible, data=None, province=None):
    """The FilterSet of the plan list over the ``visible`` plans, newest period first, its
    issuer and parent choices those of ``province``'s plans (every visible plan's when None).
    Its ``qs`` holds only the plans' ids: cut the page from it and give the page to
    ``page_of_plans``, so that the sort and the offset move narrow rows, not whole plans."""
    return PlanFilter(
        data or None,
        queryset=visible.order_by(*PLAN_ORDER).values("pk"),
        visible=visible,
        province=province,
    )


def read_once(plans):
    """``plans`` (a few hundred at most) as a queryset of their ids, read now: a query that
    uses it many times does not evaluate the original's conditions each time."""
    return Plan.objects.filter(pk__in=list(plans.values_list("pk", flat=True)))


# What a row of the plan list shows of a plan, its issuer and the plan it implements.
PLAN_ROW_FIELDS = (
    "title", "document_number", "decision_number", "period_start_year", "period_end_year",
    "status", "issuer__name", "parent__title",
)


def page_of_plans(ids):
    """The plans of a page of ``plan_list`` (a sliced queryset of ids), in its order, with
    their issuer, parent and task figures, only what the list shows of them (not their
    texts): two queries."""
    plans = (
        Plan.objects.filter(pk__in=ids).select_related("issuer", "parent")
        .only(*PLAN_ROW_FIELDS).order_by(*PLAN_ORDER)
    )
    return with_task_figures(plans)


def with_task_figures(plans):
    """``plans`` (a page) as a list, each carrying ``task_count`` and ``average_progress``
    (percent, None without tasks). One query over the tasks of these plans only: the page is
    cut before anything is counted."""
    plans = list(plans)
    figures = {
        row["plan"]: row
        for row in Task.objects.filter(plan__in=[plan.pk for plan in plans])
        .order_by()
        .values("plan")
        .annotate(count=Count("pk"), average=Avg("percent"))
    }
    for plan in plans:
        row = figures.get(plan.pk, {})
        plan.task_count = row.get("count", 0)
        plan.average_progress = row.get("average")
    return plans


# Plan document -----------------------------------------------------------------------------


def plan_document(queryset):
    """``queryset`` with the tasks the plan page shows; ``load_parts`` then reads its parts."""
    tasks = Task.objects.order_by("number").prefetch_related(
        "lead_groups",
        Prefetch(
            "assignments",
            queryset=Assignment.objects.select_related("agency", "via_group").order_by(
                "agency__name", "pk"
            ),
        ),
    )
    return queryset.select_related("issuer__parent", "parent__issuer").prefetch_related(
        Prefetch("tasks", queryset=tasks)
    )


def target_lists(plan):
    """The ``read_lists`` of the plan's targets and their actuals (``attach_actuals``)."""
    return {
        "targets": ShortList(
            Target, Target.objects.filter(plan=plan),
            ("id", "position", "plan_id", "indicator", "description", "unit", "baseline",
             "baseline_label", "target_value"), ("position", "pk"),
        ),
        "actuals": ShortList(
            TargetActual, TargetActual.objects.filter(target__plan=plan),
            ("id", "target_id", "year", "period_code", "value", "source", "source_url",
             "entered_by_id", "version"),
            ("target__position", "target__pk", "year", "period_code"),
        ),
    }


def attach_actuals(plan, loaded):
    """The targets of ``loaded`` (read with ``target_lists``), each with its actuals as
    prefetched, as ``plans.targets.with_actuals`` gives them."""
    for target in loaded["targets"]:
        target.plan = plan
    attach(loaded["actuals"], "target", loaded["targets"])
    prefetch_into(loaded["targets"], "actuals", loaded["actuals"], "target_id")
    return loaded["targets"]


def _part_lists(plan):
    agency_fields = (
        "id", "name", "short_name", "code", "kind", "parent_id", "dissolved_on", "successor_id"
    )
    audience_fields = ("id", "code", "name", "position")
    in_order = ("position", "pk")
    return {
        "legal_bases": ShortList(
            LegalBasis, LegalBasis.objects.filter(plan=plan),
            ("id", "position", "plan_id", "text"), in_order,
        ),
        **target_lists(plan),
        "budget_lines": ShortList(
            BudgetLine, BudgetLine.objects.filter(plan=plan),
            ("id", "position", "plan_id", "source", "item", "amount"), in_order,
        ),
        "audiences": ShortList(
            Audience, Audience.objects.filter(plan=plan), audience_fields, ("position", "name"),
        ),
        "addressed_agencies": ShortList(
            Agency, Agency.objects.filter(addressed_plans=plan), agency_fields, ("name",),
        ),
        "content_areas": ShortList(
            ContentArea, ContentArea.objects.filter(plan=plan),
            ("id", "position", "plan_id", "heading", "audience_id", "pillar", "body"), in_order,
        ),
        "areas_audiences": ShortList(
            Audience, Audience.objects.filter(contentarea__plan=plan), audience_fields, ("pk",),
        ),
        "plan_channels": ShortList(
            PlanChannel, PlanChannel.objects.filter(plan=plan),
            ("id", "position", "plan_id", "channel_id", "label", "heading", "body"), in_order,
        ),
        "channels": ShortList(
            Channel, Channel.objects.filter(planchannel__plan=plan),
            ("id", "code", "name", "is_online", "position"), ("pk",),
        ),
        "duties": ShortList(
            AgencyDuty, AgencyDuty.objects.filter(plan=plan),
            ("id", "position", "plan_id", "heading", "body"), in_order,
        ),
        "duties_agencies": ShortList(
            Agency, Agency.objects.filter(agencyduty__plan=plan), agency_fields, ("name",),
            extra=(("duty_id", F("agencyduty__id")),),
        ),
    }


def load_parts(plan):
    """Give ``plan`` its part lists (legal bases, targets and their actuals, budget lines,
    audiences, addressed agencies, content areas, channels, duties and their agencies) as
    prefetched lists, read in one query: one ``UNION ALL`` of each list's rows as JSON."""
    loaded = read_lists(_part_lists(plan), plan._state.db)
    for name in ("legal_bases", "targets", "budget_lines", "content_areas", "plan_channels",
                 "duties"):
        for item in loaded[name]:
            item.plan = plan
        set_prefetched(plan, name, loaded[name])
    set_prefetched(plan, "audiences", loaded["audiences"])
    set_prefetched(plan, "addressed_agencies", loaded["addressed_agencies"])

    attach_actuals(plan, loaded)

    attach(loaded["content_areas"], "audience", loaded["areas_audiences"])
    attach(loaded["plan_channels"], "channel", loaded["channels"])

    prefetch_into(loaded["duties"], "agencies", loaded["duties_agencies"], "duty_id")
    return plan


@dataclass
class AgencyLabel:
    """An agency, or a group with the number of its member agencies on the task."""

    name: str
    member_count: int | None = None


@dataclass
class TaskRow:
    task: object
    leads: list
    coordinators: list
    overdue: bool


def task_rows(plan, today=None):
    """The key-task table: each task with its leads and coordinators as the plan words them.

    Agencies assigned through a group show as the group ("UBND các huyện… (9 agencies)").
    """
    today = today or timezone.localdate()
    rows = []
    for task in plan.tasks.all():
        labels = {LEAD: [], "other": []}
        counts = Counter()
        groups = {}
        for group in task.lead_groups.all():
            groups[(LEAD, group.pk)] = group
        for assignment in task.assignments.all():
            role = LEAD if assignment.role == LEAD else "other"
            if assignment.via_group_id:
                groups.setdefault((role, assignment.via_group_id), assignment.via_group)
                counts[(role, assignment.via_group_id)] += 1
            else:
                labels[role].append(AgencyLabel(assignment.agency.name))
        for (role, group_pk), group in sorted(groups.items(), key=lambda item: item[1].name):
            labels[role].insert(0, AgencyLabel(group.name, counts[(role, group_pk)]))
        rows.append(
            TaskRow(
                task=task,
                leads=labels[LEAD],
                coordinators=labels["other"],
                overdue=task.is_overdue(today),
            )
        )
    return rows


def content_area_groups(plan):
    """The plan's content areas grouped by the audience or CCHC pillar they are written for.

    Groups keep the order of their first area; areas with neither come under "".
    """
    groups = defaultdict(list)
    for area in plan.content_areas.all():
        if area.audience_id:
            label = area.audience.name
        else:
            label = area.get_pillar_display() if area.pillar else ""
        groups[label].append(area)
    return list(groups.items())


# Submissions -------------------------------------------------------------------------------


@dataclass
class SubmissionRow:
    agency: object
    agency_plan: Plan | None
    state: str
    last_reminder: object = None  # Reminder, with sent_by
    reminder_count: int = 0

    @property
    def last_reminded_at(self):
        return self.last_reminder.sent_at if self.last_reminder else None

    @property
    def submitted(self):
        return self.agency_plan is not None and self.agency_plan.submitted_at is not None

    @property
    def submitted_at(self):
        return self.agency_plan.submitted_at if self.submitted else None

    @property
    def signature_check(self):
        return check_of(self.agency_plan, "document_file") if self.agency_plan else None

    @property
    def signed(self):
        """Delivered as a PDF whose signature is valid."""
        check = self.signature_check
        return check is not None and check.is_valid

    def get_state_display(self):
        return SubmissionState(self.state).label




@dataclass(frozen=True)
class Reminded:
    last: object  # the latest Reminder, with its sender
    count: int


def last_reminders(plan, topic):
    """{agency id: Reminded} of the reminders about ``topic`` on ``plan``; one query."""
    return reminded_by_agency(reminders_about(plan, topic).select_related("sent_by"))


def reminders_about(plan, topic):
    """The reminders about ``topic`` on ``plan`` in the order ``reminded_by_agency`` reads."""
    return Reminder.objects.filter(plan=plan, topic=topic).order_by("agency_id", "-sent_at", "-pk")


def reminded_by_agency(reminders):
    """{agency id: Reminded} of ``reminders`` in the order of ``reminders_about``."""
    reminded = {}
    for reminder in reminders:
        known = reminded.get(reminder.agency_id)
        reminded[reminder.agency_id] = Reminded(
            known.last if known else reminder, (known.count if known else 0) + 1
        )
    return reminded


def submission_rows(plan, today=None):
    """One row per agency the plan addresses: its own plan and whether it came in on time.

    An agency's plan is a child plan it issued; when it sent several, the first submitted
    counts. Missing first, then pending, late, on time; by name within each. Four queries
    (the fourth, the agency plans' signature checks, when any agency has submitted).
    """
    agencies = list(plan.addressed_agencies.order_by("name"))
    first = {}
    children = (
        plan.children.filter(issuer__in=[a.pk for a in agencies])
        .order_by(F("submitted_at").asc(nulls_last=True), "pk")
        .prefetch_related("signature_checks")
    )
    for child in children:
        first.setdefault(child.issuer_id, child)
    reminders = last_reminders(plan, ReminderTopic.AGENCY_PLAN)
    rows = []
    for agency in agencies:
        agency_plan = first.get(agency.pk)
        submitted_at = agency_plan.submitted_at if agency_plan else None
        reminded = reminders.get(agency.pk)
        rows.append(
            SubmissionRow(
                agency=agency,
                agency_plan=agency_plan,
                state=submission_state(submitted_at, plan.submission_deadline, today),
                last_reminder=reminded.last if reminded else None,
                reminder_count=reminded.count if reminded else 0,
            )
        )
    rows.sort(key=lambda row: SUBMISSION_ORDER.index(row.state))
    return rows


def submission_counts(rows):
    counts = Counter(row.state for row in rows)
    return {state.value: counts[state] for state in SubmissionState} | {"total": len(rows)}


# History -----------------------------------------------------------------------------------


@dataclass
class Change:
    """A field's old and new value, or for a many-to-many field who was added and removed."""

    field: str
    old: str = ""
    new: str = ""
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)

    @property
    def members(self):
        return bool(self.added or self.removed)


@dataclass
class HistoryEntry:
    action: str  # "added", "changed" or "removed"
    kind: str  # what changed: "plan", "legal basis"…
    subject: str
    changes: list = field(default_factory=list)
    key: tuple = ()  # (model, pk) of the object, to merge its records within a change set


@dataclass
class ChangeSet:
    date: datetime.datetime
    user: object
    user_id: int | None
    reason_code: str | None
    entries: list = field(default_factory=list)

    @property
    def reason(self):
        return reason_label(self.reason_code)


GROUPING_SECONDS = 10
HISTORY_MODELS = [
    Plan, LegalBasis, Target, TargetActual, ContentArea, PlanChannel, AgencyDuty, BudgetLine
]
# Bookkeeping rather than content.
NOT_SHOWN = {"plan", "created_by"}


def reason_label(reason):
    if reason and reason.startswith("section:"):
        section = reason.removeprefix("section:")
        label = PlanSection(section).label if section in PlanSection.values else section
        return _("Edited: %(section)s") % {"section": label}
    if reason in ChangeReason.values:
        return ChangeReason(reason).label
    return _("Changed")


def _display(model_field, value):
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, DeletedObject):
        return _("(deleted)")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.name == "reporting_periods":
        labels = dict(ReportingPeriodCode.choices)
        return ", ".join(str(labels.get(code, code)) for code in value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal) and model_field.name in ("budget_amount", "amount"):
        return format_vnd(value)
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


@functools.cache
def history_model(model):
    """The historical model of ``model``, read once: ``Model.history`` builds a new manager
    class each time it is read (about 0.3 ms)."""
    return model.history.model


def _history_records(model, filters, hidden):
    """The history records of ``model`` matching ``filters``, oldest first, in 1 + m2m
    queries."""
    history = history_model(model)
    m2m_names = [f.name for f in history._history_m2m_fields]
    shown = [
        f.name
        for f in history.tracked_fields
        if f.editable and f.is_relation and f.name not in hidden
    ]
    records = list(
        history.objects.select_related("history_user", *shown)
        .filter(**filters)
        .order_by("history_date", "history_id")
    )
    _read_members(model, m2m_names, records)
    return records, m2m_names


def _read_members(model, m2m_names, records):
    """Sets ``shown_<name>`` on each history record: the members its many-to-many field
    ``name`` had then, as (id, object) pairs, the object None for one deleted since. One
    query per target model, the fields that point at it read as one ``UNION ALL``, where a
    prefetch would make one per field."""
    history = history_model(model)
    for record in records:
        for name in m2m_names:
            setattr(record, f"shown_{name}", [])
    if not records or not m2m_names:
        return
    by_id = {record.history_id: record for record in records}
    by_target = defaultdict(list)
    for name in m2m_names:
        by_target[model._meta.get_field(name).related_model].append(name)
    for target_model, names in by_target.items():
        fields = target_model._meta.concrete_fields
        columns = [f.attname for f in fields]
        # A column the target cannot leave empty is empty only where the join found nothing
        # (the pk column is the through row's own, never empty).
        present = next((i for i, f in enumerate(fields) if not f.primary_key and not f.null), 0)
        parts = []
        for index, name in enumerate(names):
            target = model._meta.get_field(name).m2m_reverse_field_name()
            rows = getattr(history, name).model.objects.filter(history__in=list(by_id))
            parts.append(
                rows.order_by().values_list(
                    Value(index, IntegerField()), "history_id", f"{target}_id",
                    *(f"{target}__{column}" for column in columns),
                )
            )
        union = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
        for index, history_id, pk, *values in union:
            member = None if values[present] is None else target_model.from_db(
                records[0]._state.db, columns, values
            )
            getattr(by_id[history_id], f"shown_{names[index]}").append((pk, member))


def _m2m_change(model, name, old, new):
    def members(record):
        return {} if record is None else dict(getattr(record, f"shown_{name}"))

    def label(member):
        return _("(deleted)") if member is None else str(member)

    before, after = members(old), members(new)
    if before.keys() == after.keys():
        return None
    return Change(
        field=str(model._meta.get_field(name).verbose_name),
        added=sorted(label(after[pk]) for pk in after.keys() - before.keys()),
        removed=sorted(label(before[pk]) for pk in before.keys() - after.keys()),
    )


def _subject(record):
    return str(record.history_object)


def history_entries(model, filters, *, hidden=NOT_SHOWN, subject=_subject, own=False):
    """(record, entry or None) for each history record of ``model`` matching ``filters``.

    ``hidden`` fields are not shown; ``subject(record)`` names the object an entry is about;
    ``own`` marks the page's own object (its creation lists no field, its entries no subject).
    """
    records, m2m_names = _history_records(model, filters, hidden)
    kind = str(model._meta.verbose_name)
    previous = {}
    result = []
    for record in records:
        old = previous.get(record.id)
        previous[record.id] = record
        subject_text = "" if own else subject(record)
        key = (model.__name__, record.id)
        if record.history_type == "-":
            result.append((record, HistoryEntry("removed", kind, subject_text, key=key)))
            continue
        if old is None and record.history_type == "+":
            entry = HistoryEntry("added", kind, subject_text, key=key)
            changes = [c for name in m2m_names if (c := _m2m_change(model, name, None, record))]
            entry.changes = [] if own else changes
            result.append((record, entry))
            continue
        if old is None:
            result.append((record, None))
            continue
        delta = record.diff_against(
            old, excluded_fields=[*m2m_names, *hidden], foreign_keys_are_objs=True
        )
        changes = [
            Change(
                field=str(model._meta.get_field(c.field).verbose_name),
                old=_display(model._meta.get_field(c.field), c.old),
                new=_display(model._meta.get_field(c.field), c.new),
            )
            for c in delta.changes
        ]
        changes += [c for name in m2m_names if (c := _m2m_change(model, name, old, record))]
        entry = HistoryEntry("changed", kind, subject_text, changes, key) if changes else None
        result.append((record, entry))
    return result


def _actual_subject(record):
    # The target comes with the record (select_related): no query per record.
    period = make_period(record.year, record.period_code)
    value = _display(TargetActual._meta.get_field("value"), record.value)
    return f"{record.target.indicator} – {period.label}: {value}"


def _history_filter(model, plan):
    if model is Plan:
        return {"id": plan.pk}
    if model is TargetActual:
        return {"target__plan_id": plan.pk}
    return {"plan_id": plan.pk}


def plan_history(plan):
    """What changed in the plan and its parts, newest first, as change sets.

    A save through plans.services writes the parts' records first and the plan's record
    last, with the same user and reason: the plan's record closes its change set (its
    creation record does not, as the agencies and audiences are recorded right after).
    One query per part model plus one per many-to-many field, whatever the history's length.
    """
    items = [
        item
        for model in HISTORY_MODELS
        for item in history_entries(
            model,
            _history_filter(model, plan),
            own=model is Plan,
            **({"subject": _actual_subject} if model is TargetActual else {}),
        )
    ]
    return change_sets(items, closed_by=Plan)


@dataclass
class _RecordHead:
    """When, who and why of one history record, without its fields."""

    history_date: datetime.datetime
    history_id: int
    history_type: str
    history_change_reason: str | None
    history_user_id: int | None
    history_user: object
    model: str


_HEAD_FIELDS = (
    "history_date", "history_id", "history_type", "history_change_reason", "history_user_id",
    "model",
)
RECENT_RECORDS = 200  # enough records for the latest change sets, however many parts they touch


def recent_change_sets(plan, count):
    """The latest ``count`` change sets of ``plan_history``, their heads only (when, who,
    why; the changes themselves are on the history page): one query over the history of the
    plan and every part, where ``plan_history`` reads each model's records in full."""
    User = Plan._meta.get_field("created_by").related_model
    names = ("history_user__username", "history_user__first_name", "history_user__last_name")
    parts = [
        history_model(model).objects.filter(**_history_filter(model, plan))
        .order_by()
        .values(
            "history_date", "history_id", "history_type", "history_change_reason",
            "history_user_id", *names, model=Value(model.__name__),
        )
        for model in HISTORY_MODELS
    ]
    rows = parts[0].union(*parts[1:], all=True).order_by("-history_date", "-history_id")
    items = []
    for row in rows[:RECENT_RECORDS]:
        user_id = row["history_user_id"]
        user = None
        if user_id is not None:
            user = User(
                pk=user_id, **{name.removeprefix("history_user__"): row[name] for name in names}
            )
        items.append((_RecordHead(**{k: row[k] for k in _HEAD_FIELDS}, history_user=user), None))
    return _grouped(items, closes=_closes_plan_set)[:count]


def _closes_plan_set(head):
    return head.model == Plan.__name__ and head.history_type != "+"


def change_sets(items, *, closed_by):
    """(record, entry) pairs of several models as change sets, newest first: one user, one
    reason, records close in time; a changed record of ``closed_by`` ends its set."""
    history = history_model(closed_by)
    return _grouped(
        items, closes=lambda record: isinstance(record, history) and record.history_type != "+"
    )


def _grouped(items, *, closes):
    items.sort(key=lambda item: (item[0].history_date, item[0].history_id))
    sets, current = [], None
    for record, entry in items:
        if (
            current is None
            or current.user_id != record.history_user_id
            or current.reason_code != record.history_change_reason
            or (record.history_date - current.date).total_seconds() > GROUPING_SECONDS
        ):
            current = ChangeSet(
                date=record.history_date,
                user=record.history_user,
                user_id=record.history_user_id,
                reason_code=record.history_change_reason,
            )
            sets.append(current)
        if entry is not None:
            current.entries.append(entry)
        if closes(record):
            current = None
    for change_set in sets:
        change_set.entries = _merged(change_set.entries)
    sets.reverse()
    return sets


def _merged(entries):
    """One entry per object: a creation and the changes right after it read as one."""
    merged, by_key = [], {}
    for entry in entries:
        earlier = by_key.get(entry.key)
        if earlier is not None and entry.action == "changed" and earlier.action != "removed":
            earlier.changes += entry.changes
            continue
        by_key[entry.key] = entry
        merged.append(entry)
    return merged


