"""The dashboard of a plan, or of a year's plans, at any "as of" date.

Every number comes from ``reports/counting.py``, by the rules its docstring states, so the
dashboard at a period's cut-off shows what that period's report shows.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from periodic.models import AgencyReport
from plans.models import Target
from plans.targets import actual_at, with_actuals

from .counting import (
    OnTimeRate,
    StatusCounts,
    SubmissionSummary,
    figures_of,
    measure_rows,
    overdue_rows,
    plan_ids,
    rank_agencies,
    state_at,
    submission_completeness,
    year_window,
)


@dataclass
class Dashboard:
    as_of: datetime.date
    statuses: StatusCounts
    on_time: OnTimeRate
    overdue: list  # OverdueTask, up to the limit
    ranking: list  # AgencyRow of the agencies carrying a task, best first
    submissions: SubmissionSummary
    channels: list  # ChannelFigures of each plan's window
    windows: list  # those windows, without repeats
    targets: list = field(default_factory=list)  # TargetProgress of each plan's targets

    @property
    def more_overdue(self):
        """Overdue tasks left out of ``overdue`` by its limit."""
        return self.statuses.overdue - len(self.overdue)


@dataclass
class TargetProgress:
    """A target and its actual at the dashboard's date (``plans.targets.actual_at``)."""

    target: Target
    actual: object  # TargetActual or None

    @property
    def assessment(self):
        if self.actual is None:
            return "no_data"
        return "met" if self.actual.is_met else "not_met"


def target_progress(ids, as_of):
    """Each target of the plans ``ids`` with its actual at ``as_of``: two queries (the
    targets with their plan, their actuals only when there is a target)."""
    targets = Target.objects.filter(plan__in=ids).select_related("plan")
    targets = with_actuals(targets.order_by("plan_id", "position", "pk"))
    return [TargetProgress(target, actual_at(target, as_of)) for target in targets]


def dashboard(plans, *, as_of=None, overdue_limit=None):
    """Every number of the dashboard of ``plans`` (a ``Plan`` or a queryset) at ``as_of``.

    Eight queries: tasks, assignments, progress history, agency plans, agency reports,
    their figures (only when a report counts), the updates' figures, the measures (only when
    there is a figure); then the targets block's (``target_progress``).
    """
    as_of = as_of or timezone.localdate()
    ids = plan_ids(plans)
    tasks, assignments, now = state_at(plans, as_of)
    overdue = overdue_rows(now, tasks, assignments)
    reports = list(
        AgencyReport.objects.filter(plan__in=ids, year__in=[as_of.year, as_of.year + 1])
        .select_related("plan")
    )
    in_scope = {task.plan_id: task.plan for task in tasks}
    in_scope.update({report.plan_id: report.plan for report in reports})
    if not isinstance(plans, QuerySet):
        in_scope = {plans.pk: plans}
    windows = {pk: year_window(plan, as_of) for pk, plan in in_scope.items()}
    _rows, channels = measure_rows(figures_of(windows, reports))
    return Dashboard(
        as_of=as_of,
        statuses=now.statuses,
        on_time=now.on_time,
        overdue=overdue[:overdue_limit] if overdue_limit is not None else overdue,
        ranking=[row for row in rank_agencies(tasks, assignments, now) if row.assignments],
        submissions=submission_completeness(plans, as_of=as_of),
        channels=channels,
        windows=sorted(set(windows.values()), key=lambda w: (w.start, w.end)),
        targets=target_progress(ids, as_of),
    )
