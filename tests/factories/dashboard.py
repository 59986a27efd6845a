"""Small worlds for the dashboard tests, built through the task services."""

import datetime
from zoneinfo import ZoneInfo

from plans.models import Channel, Measure
from tasks.models import Assignment, ProgressUpdate, Status
from tasks.services import post_update, refresh_task_status

from . import AgencyFactory, PlanFactory, UserFactory
from .tasks import make_task

__all__ = ["make_task"]

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")


def local_time(day, hour=10, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LOCAL)


def report(task, agency, status, *, when, percent=50, figures=None, author=None):
    """Post an update on ``agency``'s assignment of ``task`` as if posted at ``when``."""
    assignment = task.assignments.get(agency=agency)
    author = author or UserFactory(agency=agency, role="agency_officer")
    update = post_update(
        assignment=assignment,
        author=author,
        status=status,
        percent=percent,
        narrative="Đã thực hiện",
        figures=figures,
    )
    if not isinstance(when, datetime.datetime):
        when = local_time(when)
    return backdate(update, when)


def backdate(update, when):
    """Move ``update`` to ``when``; its assignment (and task) then stand as if every update
    had been posted at its time: the state and time of its latest one, as ``post_update``
    leaves them."""
    ProgressUpdate.objects.filter(pk=update.pk).update(created_at=when)
    update.created_at = when
    assignment = update.assignment
    latest = assignment.updates.order_by("-created_at", "-pk").first()
    Assignment.objects.filter(pk=assignment.pk).update(
        status=latest.status, percent=latest.percent, last_update_at=latest.created_at
    )
    assignment.refresh_from_db()
    refresh_task_status(task=assignment.task)
    return update


def measures():
    """Two channels, one online, with two measures on the first."""
    press = Channel.objects.create(code="press", name="Báo chí", position=1)
    portal = Channel.objects.create(
        code="portal", name="Cổng thông tin điện tử", is_online=True, position=2
    )
    return {
        "articles": Measure.objects.create(
            code="articles", name="Tin, bài", unit="tin, bài", channel=press, position=1
        ),
        "columns": Measure.objects.create(
            code="columns", name="Chuyên mục", unit="chuyên mục", channel=press, position=2
        ),
        "news": Measure.objects.create(
            code="news", name="Tin trên cổng", unit="tin", channel=portal, position=3
        ),
    }


def populate(plan, scale, *, measure_set=None, prefix="X"):
    """``scale`` copies of every kind of row the dashboard counts, on ``plan`` (Q1 2022),
    which becomes issued.

    Per copy: an agency leading an overdue task, a task done on time with figures, a task
    done late, a coordinators-only task, and an addressed agency that submitted its plan late.
    """
    measure_set = measure_set or measures()
    plan.submission_deadline = datetime.date(2022, 2, 28)
    plan.status = "issued"
    plan.save()
    for n in range(scale):
        agency = AgencyFactory(name=f"Sở {prefix}{n}", code=f"{prefix}{n}")
        helper = AgencyFactory(name=f"Phòng {prefix}{n}", code=f"{prefix}H{n}")
        late = make_task(plan, leads=[agency])
        report(late, agency, Status.IN_PROGRESS, when=datetime.date(2022, 3, 10))
        on_time = make_task(plan, leads=[agency], coordinators=[helper])
        report(
            on_time,
            agency,
            Status.DONE,
            when=datetime.date(2022, 3, 20),
            figures={measure_set["articles"]: 3, measure_set["news"]: 2},
        )
        done_late = make_task(plan, leads=[helper])
        report(done_late, helper, Status.DONE, when=datetime.date(2022, 4, 5))
        make_task(plan, "Thường xuyên", coordinators=[agency, helper])
        plan.addressed_agencies.add(agency, helper)
        PlanFactory(
            issuer=agency,
            parent=plan,
            status="issued",
            submitted_at=local_time(datetime.date(2022, 3, 2)),
        )
    return measure_set
