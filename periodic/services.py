"""Agency periodic reports: start, save, submit, accept, return; and the reads of their pages.

Every write is atomic, locks the report row, checks the expected ``version`` when given
(a form posted over an older version loses, it does not overwrite) and the state machine:

    draft ──submit──▶ submitted ──accept──▶ accepted
      ▲                  │
      └──── returned ◀───┘ return (with a comment); a returned report is edited and resubmitted

A wrong transition raises ``ValidationError`` with a message for the user.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency
from cchc_plans.locking import check_version
from cchc_plans.search import fold
from plans.models import Plan, PlanStatus
from plans.periods import periods_for_plan
from signatures.models import check_of, read_checks
from signatures.services import check_on_commit
from tasks.counting import (
    assignment_state,
    day_end,
    day_start,
    posted_between,
    update_figure_totals,
    update_history,
)
from tasks.models import Assignment, Status

from . import notices
from .models import (
    EDITABLE_STATUSES,
    AgencyReport,
    AgencyReportFigure,
    AgencyReportTaskState,
    Completeness,
    ReportStatus,
)

# ---------------------------------------------------------------------------------------------
# Periods of a plan


def plan_period(plan, year, code):
    """The plan's period ``year``/``code``; ValidationError when the plan asks no such report."""
    for period in periods_for_plan(plan, year=year):
        if period.code == code:
            return period
    raise ValidationError(
        _("This plan asks for no report for the period %(code)s of %(year)s."),
        code="unknown_period",
        params={"code": code, "year": year},
    )


def plans_reported_by(agency):
    """Issued or closed plans the agency reports on: addressed to it or assigning it tasks."""
    # One subquery, a union, rather than joins (joining the addressed agencies and the
    # assignments multiplies the rows and needs a DISTINCT over all of them) or two ``IN``s
    # joined by ``OR`` (which PostgreSQL answers by reading every plan of the country).
    addressed = Plan.addressed_agencies.through.objects.filter(agency=agency).values("plan")
    assigned = Assignment.objects.filter(agency=agency).values("plan")
    return (
        Plan.objects.filter(pk__in=addressed.union(assigned))
        .exclude(status=PlanStatus.DRAFT)
        .exclude(issuer=agency)
    )


def reporting_agencies(plan):
    """Agencies that owe the plan reports, dissolved ones included, with their successor."""
    addressed = Plan.addressed_agencies.through.objects.filter(plan=plan).values("agency")
    assigned = Assignment.objects.filter(task__plan=plan).values("agency")
    reporting = AgencyReport.objects.filter(plan=plan).values("agency")
    return (
        # One union subquery: three INs joined by OR read every agency of the country.
        Agency.objects.filter(pk__in=addressed.union(assigned, reporting))
        .select_related("successor")
        .order_by("name", "pk")
    )


def by_name(agencies):
    """Agencies in alphabetical order of their names, ignoring diacritics ("Bảo" before "Bưu")."""
    return sorted(agencies, key=lambda agency: (fold(agency.name), agency.name, agency.pk))


# ---------------------------------------------------------------------------------------------
# Writes


def _lock(report, version):
    """Reload the report under a row lock; refuse when the caller saw an older version."""
    report.refresh_from_db(from_queryset=AgencyReport.objects.select_for_update())
    check_version(
        report,
        version,
        required=False,
        message=_(
            "Someone else changed this report while you were working on it. "
            "Reload the page to see their changes."
        ),
    )


def _require_status(report, allowed, message):
    if report.status not in allowed:
        raise ValidationError(
            message, code="invalid_transition", params={"status": report.get_status_display()}
        )


def _save(report, user):
    report.version += 1
    report._history_user = user
    report.save()
    return report


@transaction.atomic
def start_report(*, plan, agency, year, period_code, user):
    """The agency's report for the period, created and prefilled on first call.

    Figures are the sums of the figures of the agency's progress updates on the plan's
    assignments posted within the period's cut-off; each of the agency's assignments in the
    plan gets its state as of the period's end (its last update before then).
    """
    period = plan_period(plan, year, period_code)
    report, created = AgencyReport.objects.get_or_create(
        plan=plan,
        agency=agency,
        year=year,
        period_code=period_code,
        defaults={"created_by": user},
    )
    if created:
        _prefill(report, period)
    return report


def _prefill(report, period):
    """Figures and states as the summary report counts them (``tasks.counting``): the figures
    of the agency's updates posted within the period, each assignment's state at its end."""
    assignments = list(
        Assignment.objects.filter(plan=report.plan_id, agency=report.agency_id)
        .select_related("agency")
        .order_by("task__number", "role", "pk")
    )
    ids = [a.pk for a in assignments]
    posted = posted_between(period.start, period.end, "update__created_at")
    totals = update_figure_totals(Q(update__assignment__in=ids) & posted)
    AgencyReportFigure.objects.bulk_create(
        AgencyReportFigure(report=report, measure_id=measure_id, value=total)
        for measure_id, total in totals.order_by("measure")
        if total
    )
    history = update_history(Q(assignment__in=ids), day_end(period.end), "narrative")
    start = day_start(period.start)
    states = []
    for assignment in assignments:
        updates = history.get(assignment.pk, ())
        state, _reached_done = assignment_state(assignment, updates, period.end)
        last = updates[-1] if updates else None
        within = last is not None and last[0] >= start
        states.append(
            AgencyReportTaskState(
                report=report,
                assignment=assignment,
                status=state.status,
                percent=state.percent,
                note=last[3] if within else "",
            )
        )
    AgencyReportTaskState.objects.bulk_create(states)


@transaction.atomic
def save_draft(
    *,
    report,
    user,
    version=None,
    results="",
    shortcomings="",
    lessons="",
    next_tasks="",
    proposals="",
    figures=None,
    task_states=None,
    signed_copy=None,
):
    """Save the agency's changes to a draft or returned report.

    ``signed_copy``, a checked PDF upload, replaces the report's signed copy; its signatures
    are checked once the transaction commits.

    ``figures`` maps a measure (or its id) to a number, empty or 0 meaning none;
    ``task_states`` maps an assignment id to ``(status, percent, note)``; assignments that
    are not in the report are ignored.
    """
    _lock(report, version)
    _require_status(
        report,
        EDITABLE_STATUSES,
        _("This report is %(status)s and can no longer be changed by the agency."),
    )
    report.results, report.shortcomings, report.proposals = results, shortcomings, proposals
    report.lessons, report.next_tasks = lessons, next_tasks
    if figures is not None:
        wanted = {getattr(m, "pk", m): value for m, value in figures.items()}
        current = {f.measure_id: f for f in report.figures.all()}
        AgencyReportFigure.objects.filter(
            report=report, measure_id__in=[m for m in current if not wanted.get(m)]
        ).delete()
        changed = []
        for measure_id, value in wanted.items():
            if not value:
                continue
            figure = current.get(measure_id)
            if figure is None:
                AgencyReportFigure.objects.create(
                    report=report, measure_id=measure_id, value=value
                )
            elif figure.value != value:
                figure.value = value
                changed.append(figure)
        AgencyReportFigure.objects.bulk_update(changed, ["value"])
    if task_states is not None:
        changed = []
        for state in report.task_states.all():
            if state.assignment_id not in task_states:
                continue
            status, percent, note = task_states[state.assignment_id]
            if status == Status.DONE:
                percent = 100
            state.status, state.percent, state.note = status, percent, note
            state.full_clean(exclude=["report", "assignment"])
            changed.append(state)
        AgencyReportTaskState.objects.bulk_update(changed, ["status", "percent", "note"])
    if signed_copy is not None:
        report.signed_copy = signed_copy
        check_on_commit(target=report, field_name="signed_copy")
    return _save(report, user)


@transaction.atomic
def submit(*, report, user, version=None):
    """Send a draft or returned report to the coordinators; it is then closed to the agency."""
    _lock(report, version)
    _require_status(
        report,
        EDITABLE_STATUSES,
        _("Only a draft or returned report can be submitted; this one is %(status)s."),
    )
    if not report.results.strip():
        raise ValidationError(
            {"results": _("Write the results before submitting the report.")}, code="required"
        )
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = _counted_time(report, timezone.now())
    report.submitted_by = user
    return _save(report, user)


def _counted_time(report, submitted_at):
    """``SUBMISSION_RULE``: a report whose signed copy is validly signed before ``submitted_at``
    counts as submitted at its signing time."""
    check = check_of(report, "signed_copy") if report.signed_copy else None
    return check.submission_time(submitted_at) if check else submitted_at


@transaction.atomic
def count_signing_time(*, report):
    """Once the signed copy of a submitted report has been checked, apply the rule."""
    report = AgencyReport.objects.select_for_update().get(pk=report.pk)
    if report.submitted_at is None:
        return report
    counted = _counted_time(report, report.submitted_at)
    if counted != report.submitted_at:
        report.submitted_at = counted
        report.save(update_fields=["submitted_at", "updated_at"])
    return report


@transaction.atomic
def accept(*, report, user, version=None):
    """A coordinator accepts a submitted report."""
    _lock(report, version)
    _require_status(
        report,
        [ReportStatus.SUBMITTED],
        _("Only a submitted report can be accepted; this one is %(status)s."),
    )
    report.status = ReportStatus.ACCEPTED
    report.reviewed_at = timezone.now()
    report.reviewed_by = user
    _save(report, user)
    notices.report_accepted(report, user=user)
    return report


@transaction.atomic
def return_report(*, report, user, comment, version=None):
    """A coordinator sends a submitted report back to its agency with what to change."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(
            {"comment": _("Say what the agency should change.")}, code="required"
        )
    _lock(report, version)
    _require_status(
        report,
        [ReportStatus.SUBMITTED],
        _("Only a submitted report can be returned; this one is %(status)s."),
    )
    report.status = ReportStatus.RETURNED
    report.return_comment = comment
    report.reviewed_at = timezone.now()
    report.reviewed_by = user
    _save(report, user)
    notices.report_returned(report, user=user)
    return report


# ---------------------------------------------------------------------------------------------
# Reads shared by the pages (and later the PDF): completeness of a plan, an agency's list


@dataclass(frozen=True)
class Cell:
    period: object
    report: AgencyReport | None
    state: str

    @property
    def state_label(self):
        return Completeness(self.state).label

    @property
    def is_accepted(self):
        return self.report is not None and self.report.status == ReportStatus.ACCEPTED

    @property
    def is_submitted(self):
        return self.report is not None and self.report.submitted_at is not None

    @property
    def signature_check(self):
        if self.report is None or not self.report.signed_copy:
            return None
        return check_of(self.report, "signed_copy")

    @property
    def is_signed(self):
        """Delivered with a signed copy whose signature is valid."""
        check = self.signature_check
        return check is not None and check.is_valid


def cell_for(period, report, today):
    if report is not None:
        return Cell(period, report, report.completeness(period))
    state = Completeness.MISSING if period.is_due(today) else Completeness.NOT_DUE
    return Cell(period, None, state)


@dataclass(frozen=True)
class CompletenessRow:
    agency: Agency
    cells: list

    def has_state(self, state):
        return any(cell.state == state for cell in self.cells)

    def has_signature(self, signed):
        """A submitted report of the row is (``signed``) or is not validly signed."""
        return any(cell.is_submitted and cell.is_signed == signed for cell in self.cells)


# What completeness_rows() reads of a report.
COMPLETENESS_FIELDS = (
    "pk", "agency_id", "year", "period_code", "status", "submitted_at", "plan_id", "signed_copy",
)


def reports_of_periods(plan, periods):
    """The agencies' reports on ``plan`` for any of ``periods``, bounded by its province."""
    wanted = Q(pk__in=[])
    for period in periods:
        wanted |= Q(year=period.year, period_code=period.code)
    return AgencyReport.objects.filter(wanted, province=plan.province_id, plan=plan)


def completeness_rows(*, plan, periods, agencies, today=None, reports=None):
    """One row per agency, one cell per period; a query for all the plan's reports (none
    when given the plan's ``reports`` of these periods and others, with the fields above)
    and one for their signed copies' checks (none when no report has a signed copy)."""
    today = today or timezone.localdate()
    if reports is None:
        reports = reports_of_periods(plan, periods).only(*COMPLETENESS_FIELDS)
    keys = {(period.year, period.code) for period in periods}
    reports = {
        (r.agency_id, r.year, r.period_code): r
        for r in reports
        if (r.year, r.period_code) in keys
    }
    # Only a report with a signed copy has a check to show.
    read_checks(report for report in reports.values() if report.signed_copy)
    return [
        CompletenessRow(
            agency,
            [
                cell_for(period, reports.get((agency.pk, period.year, period.code)), today)
                for period in periods
            ],
        )
        for agency in agencies
    ]


AWAITED = (Completeness.MISSING, Completeness.RETURNED, Completeness.DRAFT)


def awaited_periods(row, today):
    """The periods of a completeness row whose report is due and not in (missing, returned,
    a draft): what a reminder to the agency is about."""
    return [
        cell.period for cell in row.cells if cell.state in AWAITED and cell.period.is_due(today)
    ]


def completeness_totals(rows, periods):
    """Per period, how many agencies are in each state: {period key: {state: count}}."""
    totals = {period.key: dict.fromkeys(Completeness.values, 0) for period in periods}
    for row in rows:
        for cell in row.cells:
            totals[cell.period.key][cell.state] += 1
    return totals


@dataclass(frozen=True)
class AgencyPeriodRow:
    plan: Plan
    period: object
    report: AgencyReport | None
    state: str

    @property
    def state_label(self):
        return Completeness(self.state).label


def agency_report_rows(*, agency, today=None):
    """Every started period of every plan the agency reports on, newest first, two queries."""
    today = today or timezone.localdate()
    plans = list(plans_reported_by(agency).select_related("issuer"))
    reports = {
        (r.plan_id, r.year, r.period_code): r
        for r in AgencyReport.objects.filter(agency=agency, plan__in=[p.pk for p in plans])
    }
    rows = []
    for plan in plans:
        for period in periods_for_plan(plan):
            report = reports.get((plan.pk, period.year, period.code))
            if report is None and period.start > today:
                continue
            cell = cell_for(period, report, today)
            rows.append(AgencyPeriodRow(plan, period, report, cell.state))
    rows.sort(key=lambda row: (row.period.end, row.period.start, -row.plan.pk), reverse=True)
    return rows
