"""Copy a plan with its parts and key tasks into a draft for the following year.

The copy offers to move the plan's year on wherever its text writes it (``plans.years``):
``year_changes`` lists each place, the copy page shows them and the coordinator unticks
those to keep; ``copy_plan_to_next_year`` then saves the copy with the ticked ones, all or
nothing. Legal bases are copied as they are: they cite documents that exist. Task timelines
and the agencies' plan deadline always move on (they schedule the copy).
"""

import functools
import hashlib
import re
from dataclasses import dataclass

from django.db import transaction
from django.utils.text import capfirst

from plans.models import (
    AgencyDuty,
    BudgetLine,
    ContentArea,
    LegalBasis,
    OutlineNode,
    OutlineSource,
    Plan,
    PlanChannel,
    PlanStatus,
    Target,
)
from plans.services import rebuild_outline
from plans.years import replace_occurrences, year_occurrences

from .models import AssignmentRole, Task, TaskTable
from .services import schedule_task, set_task_agencies

# The text fields whose years the copy offers to move on, per model.
YEAR_FIELDS = {
    Plan: [
        "title",
        "decision_title",
        "decision_text",
        "preamble",
        "objectives",
        "requirements",
        "audience_text",
        "channels_intro",
        "key_activities",
        "appendix_title",
        "implementation",
        "budget_text",
        "reporting_regime",
    ],
    Target: ["description"],
    ContentArea: ["heading", "body"],
    PlanChannel: ["heading", "body"],
    AgencyDuty: ["heading", "body"],
    BudgetLine: ["item"],
    Task: ["title", "forms", "assignment_text", "expected_output", "budget_text", "notes"],
    OutlineNode: ["heading", "text"],
    TaskTable: ["title", "subtitle"],
}
CONTEXT_CHARS = 50
_FOUR_DIGITS = re.compile(r"(?<![0-9])([0-9]{4})(?![0-9])")


def shift_years(text, *, first_year, last_year, by=1):
    """Move every year written in ``text`` that lies in first_year..last_year by ``by``."""

    def shift(match):
        year = int(match[1])
        return str(year + by) if first_year <= year <= last_year else match[1]

    return _FOUR_DIGITS.sub(shift, text)


@dataclass(frozen=True)
class YearChange:
    """One year of the source plan's text and what the copy writes instead."""

    key: str  # "<model>.<pk>.<field>@<offset>", what the copy form posts back
    where: str  # which part and field, for the page
    before: str  # the text just before, as context
    old: str
    new: str
    after: str


def _key(row, field, occurrence):
    return f"{row._meta.model_name}.{row.pk}.{field}@{occurrence.start}"


def _where(row, field, label):
    verbose = row._meta.get_field(field).verbose_name
    name = capfirst(row._meta.verbose_name)
    return f"{name} {label} – {verbose}" if label else f"{name} – {verbose}"


def _rows(plan):
    """(row, label) for the plan and each of its parts whose text may name its year."""
    rows = [(plan, "")]
    rows += [(t, t.indicator) for t in Target.objects.filter(plan=plan)]
    for model in (ContentArea, PlanChannel, AgencyDuty, BudgetLine):
        rows += [
            (row, str(index)) for index, row in enumerate(model.objects.filter(plan=plan), start=1)
        ]
    rows += [(task, str(task.number)) for task in plan.tasks.order_by("number")]
    if plan.outline_source == OutlineSource.WRITTEN:
        nodes = OutlineNode.objects.filter(plan=plan).order_by("part", "position", "pk")
        rows += [(node, node.numbering.strip()) for node in nodes]
        rows += [(table, table.label) for table in TaskTable.objects.filter(plan=plan)]
    return rows


def year_changes(plan):
    """Every place the copy of ``plan`` would move a year on, in the order of the plan."""
    first, last = plan.period_start_year, plan.period_end_year
    changes = []
    for row, label in _rows(plan):
        for field in YEAR_FIELDS[type(row)]:
            text = getattr(row, field) or ""
            for occurrence in year_occurrences(text, first=first, last=last):
                start, end = occurrence.start, occurrence.end
                changes.append(
                    YearChange(
                        key=_key(row, field, occurrence),
                        where=_where(row, field, label),
                        before=text[max(0, start - CONTEXT_CHARS) : start],
                        old=occurrence.old,
                        new=occurrence.new,
                        after=text[end : end + CONTEXT_CHARS],
                    )
                )
    return changes


def changes_digest(changes):
    """A short fingerprint of a preview: the copy is saved only from the preview shown."""
    text = "\n".join(f"{c.key}|{c.before}|{c.old}|{c.after}" for c in changes)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _with_years(row, first, last, accepted):
    """Apply to ``row`` (before it is copied) the year changes ``accepted`` (None: all)."""
    for field in YEAR_FIELDS[type(row)]:
        text = getattr(row, field) or ""
        occurrences = [
            occurrence
            for occurrence in year_occurrences(text, first=first, last=last)
            if accepted is None or _key(row, field, occurrence) in accepted
        ]
        if occurrences:
            setattr(row, field, replace_occurrences(text, occurrences))
    return row


def _next_year(date):
    try:
        return date.replace(year=date.year + 1)
    except ValueError:  # 29 February
        return date.replace(year=date.year + 1, day=28)


def _current_agencies(agencies):
    """The agencies that carry the given ones' work today, in order, without the gone ones."""
    found = {}
    for agency in agencies:
        current = agency.current() if agency.successor_id else agency
        if not current.is_dissolved:
            found.setdefault(current.pk, current)
    return list(found.values())


def _copy_row(row, **changes):
    """Save a copy of ``row`` as a new row, with ``changes`` applied."""
    row.pk = None
    row.id = None
    row._state.adding = True
    for name, value in changes.items():
        setattr(row, name, value)
    row.save()
    return row


@transaction.atomic
def copy_plan_to_next_year(*, plan, by, replace=None):
    """Copy a plan with all its parts and key tasks into a draft for the following year.

    ``replace``: the keys of ``year_changes`` to apply; None applies them all. Each task's
    timeline moves on by one year and is resolved again. Issuing data (numbers, dates, signed
    file) and progress are not copied, nor the targets' actuals; agencies dissolved since
    are replaced by their successors.
    """
    first, last = plan.period_start_year, plan.period_end_year
    accepted = None if replace is None else set(replace)
    years = functools.partial(_with_years, first=first, last=last, accepted=accepted)
    shift = functools.partial(shift_years, first_year=first, last_year=last)
    source = Plan.objects.select_related("parent").get(pk=plan.pk)
    parent = source.parent
    # A multi-year parent plan still covers the next year; a yearly one does not.
    if parent and not parent.period_start_year <= first + 1 <= last + 1 <= parent.period_end_year:
        parent = None
    copy = _copy_row(
        years(Plan.objects.get(pk=plan.pk)),
        status=PlanStatus.DRAFT,
        period_start_year=first + 1,
        period_end_year=last + 1,
        parent=parent,
        document_number="",
        decision_number="",
        decision_date=None,
        issued_on=None,
        submitted_at=None,
        document_file="",
        submission_deadline=source.submission_deadline and _next_year(source.submission_deadline),
        submission_deadline_text=shift(source.submission_deadline_text),
        decision_date_text="",
        issued_on_text="",
        electronic_signature="",
        created_by=by,
        version=0,
    )
    copy.audiences.set(source.audiences.all())
    copy.addressed_agencies.set(_current_agencies(source.addressed_agencies.all()))
    copied = {}  # (model, old id): new id, for the outline's links
    for model in (LegalBasis, ContentArea, PlanChannel, Target, BudgetLine):
        for row in model.objects.filter(plan=source):
            old = row.pk
            if model is not LegalBasis:
                years(row)
            copied[(model, old)] = _copy_row(row, plan=copy).pk
    for duty in AgencyDuty.objects.filter(plan=source):
        agencies = _current_agencies(duty.agencies.all())
        old = duty.pk
        new_duty = _copy_row(years(duty), plan=copy)
        new_duty.agencies.set(agencies)
        copied[(AgencyDuty, old)] = new_duty.pk

    tasks = source.tasks.prefetch_related("lead_groups", "assignments__agency")
    for task in tasks:
        direct = [a for a in task.assignments.all() if a.via_group_id is None]
        leads = _current_agencies(a.agency for a in direct if a.role == AssignmentRole.LEAD)
        coordinators = _current_agencies(
            a.agency for a in direct if a.role == AssignmentRole.COORDINATOR
        )
        years(task)
        new = Task(
            plan=copy,
            number=task.number,
            title=task.title,
            forms=task.forms,
            assignment_text=task.assignment_text,
            timeline_text=shift(task.timeline_text),
            due_date_set_by_hand=task.due_date_set_by_hand and task.due_date is not None,
            due_date=_next_year(task.due_date)
            if task.due_date_set_by_hand and task.due_date
            else None,
            expected_output=task.expected_output,
            budget_estimate=task.budget_estimate,
            notes=task.notes,
            lead_text=task.lead_text,
            coordinators_text=task.coordinators_text,
            budget_text=task.budget_text,
        )
        schedule_task(task=new)
        set_task_agencies(
            task=new,
            leads=leads,
            lead_groups=list(task.lead_groups.all()),
            coordinators=coordinators,
            coordinator_groups=list(task.coordinator_groups.all()),
        )
        copied[(Task, task.pk)] = new.pk
    if source.outline_source == OutlineSource.WRITTEN:
        _copy_outline(source, copy, copied, years)
    else:
        rebuild_outline(plan=copy)
    return copy


def _copy_outline(source, copy, copied, years):
    """The outline and key-task tables of ``source`` for its copy, linked to the copied parts."""
    nodes = {}
    for node in OutlineNode.objects.filter(plan=source).order_by("part", "position", "pk"):
        old = node.pk
        nodes[old] = _copy_row(
            years(node),
            plan=copy,
            content_area_id=copied.get((ContentArea, node.content_area_id)),
            plan_channel_id=copied.get((PlanChannel, node.plan_channel_id)),
            duty_id=copied.get((AgencyDuty, node.duty_id)),
        ).pk
    for table in TaskTable.objects.filter(plan=source).prefetch_related("rows"):
        rows = list(table.rows.all())
        table = _copy_row(years(table), plan=copy, node_id=nodes.get(table.node_id))
        for row in rows:
            _copy_row(row, table=table, task_id=copied.get((Task, row.task_id)))
