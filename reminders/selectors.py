"""Reads of the reminders sent: what the daily runs sent, on which day, to which agency, for
which item, the escalations with the head's mail; a coordinator sees their province's."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from agencies.models import Agency
from agencies.widgets import in_province
from notifications.kinds import Kind
from plans.models import Plan
from plans.periods import make_period
from tasks.models import Assignment

from .models import Dispatch, HeadMail

SAME_RUN = datetime.timedelta(minutes=30)


def sent_reminders(province, *, day_from=None, day_to=None, agency=None, kind=""):
    """The ``Dispatch`` rows of ``province`` (None: every province), newest day first."""
    rows = Dispatch.objects.select_related("agency").order_by("-day", "agency__name", "pk")
    if province is not None:
        rows = rows.filter(agency__in=Agency.objects.filter(in_province(province)))
    if day_from:
        rows = rows.filter(day__gte=day_from)
    if day_to:
        rows = rows.filter(day__lte=day_to)
    if agency is not None:
        rows = rows.filter(agency=agency)
    if kind:
        rows = rows.filter(kind=kind)
    return rows


@dataclass
class SentRow:
    dispatch: Dispatch
    what: str  # "assignment", "checkpoint", "report", "agency_plan", "digest"
    task: object = None  # the assignment's task
    plan: Plan | None = None
    period: object = None
    head_mail: HeadMail | None = None

    @property
    def kind_label(self):
        return Kind(self.dispatch.kind).label if self.dispatch.kind in Kind.values else ""

    @property
    def escalated(self):
        return self.dispatch.kind == Kind.ESCALATION


def _parts(event_key):
    """(what, fields) of an event key: "assignment-due:12:2022-03-31:7" → ("assignment",
    ["12", "2022-03-31", "7"])."""
    prefix, _sep, rest = event_key.partition(":")
    for what in ("agency-plan", "assignment", "checkpoint", "report", "coordinator-digest"):
        if prefix.startswith(what):
            return what.replace("-", "_"), rest.split(":")
    return "", rest.split(":")


def describe(dispatches):
    """Each row of a page with its item (task, plan, period) and, for an escalation, the mail
    to the agency's head made by the same run: three queries whatever the page's size."""
    parsed = [(d, *_parts(d.event_key)) for d in dispatches]
    assignment_ids = {int(f[0]) for _d, what, f in parsed
                      if what in ("assignment", "checkpoint") and f[0].isdigit()}
    plan_ids = {int(f[0]) for _d, what, f in parsed
                if what in ("report", "agency_plan") and f[0].isdigit()}
    tasks = {
        a.pk: a.task for a in Assignment.objects.filter(pk__in=assignment_ids)
        .select_related("task").only("pk", "task__id", "task__title", "task__number")
    } if assignment_ids else {}
    plans = Plan.objects.only("pk", "title").in_bulk(plan_ids) if plan_ids else {}
    escalated = [d for d in dispatches if d.kind == Kind.ESCALATION]
    head_mails = defaultdict(list)
    if escalated:
        # A head's mail is made by the same run as the escalation's row, in one transaction.
        times = [d.created_at for d in escalated]
        for mail in HeadMail.objects.filter(
            agency__in={d.agency_id for d in escalated},
            created_at__gte=min(times) - SAME_RUN, created_at__lte=max(times) + SAME_RUN,
        ).order_by("created_at"):
            head_mails[mail.agency_id].append(mail)
    rows = []
    for dispatch, what, fields in parsed:
        row = SentRow(dispatch=dispatch, what=what or "digest")
        if what in ("assignment", "checkpoint"):
            row.task = tasks.get(int(fields[0])) if fields[0].isdigit() else None
        elif what in ("report", "agency_plan") and fields[0].isdigit():
            row.plan = plans.get(int(fields[0]))
            if what == "report" and len(fields) > 2:
                row.period = _period(fields[2])
        elif what == "coordinator_digest":
            row.what = "digest"
        if row.escalated:
            row.head_mail = _same_run(dispatch, head_mails.get(dispatch.agency_id, ()))
        rows.append(row)
    return rows


def _same_run(dispatch, mails):
    """Of an agency's head mails, the one made by the run that recorded ``dispatch``."""
    near = [m for m in mails if abs(m.created_at - dispatch.created_at) <= SAME_RUN]
    return min(near, key=lambda m: abs(m.created_at - dispatch.created_at), default=None)


def _period(key):
    """The period of a key "2022-H1", or None."""
    year, _sep, code = key.partition("-")
    try:
        return make_period(int(year), code)
    except (ValueError, KeyError, TypeError):
        return None
