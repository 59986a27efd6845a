"""Builders for the periodic-report tests: measures, a reporting plan, dated progress."""

import datetime
from zoneinfo import ZoneInfo

from periodic.models import AgencyReport
from plans.models import Channel, Measure
from tasks.models import AssignmentRole, Status
from tasks.services import post_update, set_task_agencies
from tests.factories import PlanFactory, TaskFactory
from tests.factories.dashboard import backdate

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")


def local(text):
    """'dd/mm/yyyy HH:MM' in the province's time zone, as an aware datetime."""
    return datetime.datetime.strptime(text, "%d/%m/%Y %H:%M").replace(tzinfo=LOCAL)


def measure(code, channel="portal", *, name=None, unit="tin, bài", online=True, position=0):
    channel_obj, _ = Channel.objects.get_or_create(
        code=channel, defaults={"name": channel.title(), "is_online": online}
    )
    return Measure.objects.create(
        code=code, name=name or code, unit=unit, channel=channel_obj, position=position
    )


def reporting_plan(issuer, *, year=2022, periods=("Q1", "H1", "M9", "Y"), due_day=20, **kwargs):
    return PlanFactory(
        issuer=issuer,
        status="issued",
        period_start_year=year,
        reporting_periods=list(periods),
        report_due_day=due_day,
        **kwargs,
    )


def assignment_for(plan, agency, *, number=None, role=AssignmentRole.LEAD, title=None):
    task = TaskFactory(plan=plan, **({"number": number} if number else {}),
                       **({"title": title} if title else {}))
    if role == AssignmentRole.LEAD:
        set_task_agencies(task=task, leads=[agency])
    else:
        set_task_agencies(task=task, coordinators=[agency])
    return task.assignments.get(agency=agency)


def update_at(assignment, author, when, *, figures=None, status=Status.IN_PROGRESS, percent=50,
              narrative="Đã thực hiện"):
    """A progress update as if posted at ``when`` (local 'dd/mm/yyyy HH:MM')."""
    update = post_update(
        assignment=assignment, author=author, status=status, percent=percent,
        narrative=narrative, figures=figures,
    )
    return backdate(update, local(when))


def submitted_on(report, when):
    """Move a submitted report's submission time (tests only; real ones are stamped now)."""
    AgencyReport.objects.filter(pk=report.pk).update(submitted_at=local(when))
    report.refresh_from_db()
    return report
