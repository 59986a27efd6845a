"""The dashboard of a plan, or of a year's plans, at any "as of" date.

Every number comes from ``reports/counting.py``, by the rules its docstring states, so the
dashboard at a period's cut-off shows what that period's report shows.
"""

import datetime
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.utils import timezone

from periodic.models import AgencyReport
from plans.models import Plan, Target
from plans.targets import actual_at, with_actuals

from .counting import (
    OFFICIAL_REPORTS,
    OnTimeRate,
    StatusCounts,
    SubmissionSummary,
    counted_at,
    figures_of,
    measure_rows,
    plan_ids,
    submission_completeness,
    year_window,
)


@dataclass
class Dashboard:
    as_of: datetime.date
    statuses: StatusCounts
    on_time: OnTimeRate
    overdue: list  # OverdueTask, from overdue_offset, up to the limit
    ranking: list  # AgencyRow of the agencies carrying a task, best first
    submissions: SubmissionSummary
    channels: list  # ChannelFigures of each plan's window
    windows: list  # those windows, without repeats
    targets: list = field(default_factory=list)  # TargetProgress of each plan's targets
    overdue_pages: object = None  # the Page of ``overdue`` among all overdue tasks


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


WINDOW_FIELDS = ["period_start_year", "period_end_year", "reporting_periods", "report_due_day"]


def windows_of(plans, as_of):
    """Each plan's window of figures at ``as_of`` (``year_window``), and the provinces of
    the plans; one query. Plans alike in their years and reporting regime share one window,
    worked out once."""
    if not isinstance(plans, QuerySet):
        return {plans.pk: year_window(plans, as_of)}, set()
    rows = plans.order_by().values_list("pk", "province_id", *WINDOW_FIELDS)
    alike = {}
    windows = {}
    provinces = set()
    for pk, province, *regime in rows:
        key = repr(regime)
        if key not in alike:
            alike[key] = year_window(Plan(**dict(zip(WINDOW_FIELDS, regime, strict=True))), as_of)
        windows[pk] = alike[key]
        provinces.add(province)
    # A plan without a province (its issuer outside any) leaves the updates unbounded.
    return windows, set() if None in provinces else provinces


def official_reports(windows):
    """The submitted or accepted agency reports of the windows' periods: the only ones
    ``figures_of`` takes figures from (none when no window ends a period)."""
    periods = {(w.period.year, w.period.code) for w in windows.values() if w.period}
    if not periods:
        return []
    wanted = Q(pk__in=[])
    for year, code in periods:
        wanted |= Q(year=year, period_code=code)
    return list(
        AgencyReport.objects.filter(wanted, plan__in=list(windows), status__in=OFFICIAL_REPORTS)
        .only("pk", "plan_id", "agency_id", "year", "period_code", "status")
    )


def _page_number(value):
    """A page number as a query gives it; 1 when it is none."""
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


def dashboard(plans, *, as_of=None, overdue_limit=None, overdue_page=1):
    """Every number of the dashboard of ``plans`` (a ``Plan`` or a queryset) at ``as_of``.

    Counted in the database (``counts_at``, ``ranking_at``, ``overdue_at``), whatever the
    number of tasks: the counts, the ranking, one page of ``overdue_limit`` overdue tasks
    (``overdue_page``, a number as a query gives it; all of them without a limit: their
    tasks, leads and agencies), the agency plans, the plans'
    windows, the updates' figures and their measures (only when there is a figure), the
    reports of a period ending on ``as_of`` and their figures (only then); then the
    targets block's (``target_progress``).
    """
    as_of = as_of or timezone.localdate()
    ids = plan_ids(plans)
    limit = overdue_limit or 1
    offset = (_page_number(overdue_page) - 1) * limit if overdue_limit else 0
    counted = counted_at(plans, as_of, overdue_offset=offset, overdue_limit=overdue_limit)
    total = counted.statuses.overdue
    overdue_pages = Paginator(range(total), overdue_limit or max(1, total)).get_page(
        overdue_page
    )
    if total and overdue_pages.start_index() - 1 != offset:  # a page past the last one
        counted = counted_at(plans, as_of, overdue_offset=overdue_pages.start_index() - 1,
                             overdue_limit=overdue_limit)
    windows, provinces = windows_of(plans, as_of)
    _rows, channels = measure_rows(
        figures_of(windows, official_reports(windows), provinces=provinces)
    )
    return Dashboard(
        as_of=as_of,
        statuses=counted.statuses,
        on_time=counted.on_time,
        overdue=counted.overdue,
        overdue_pages=overdue_pages,
        ranking=counted.ranking,
        submissions=submission_completeness(plans, as_of=as_of),
        channels=channels,
        windows=sorted(set(windows.values()), key=lambda w: (w.start, w.end)),
        targets=target_progress(ids, as_of),
    )
