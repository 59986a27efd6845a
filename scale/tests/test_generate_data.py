"""``generate_data`` at a small size: the shapes the README promises, as a user of the data
would notice them (on whichever database the suite runs: COPY on PostgreSQL, executemany on
SQLite)."""

import re
from collections import Counter, defaultdict
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency, AgencyGroup, AgencyKind, Role, User
from demo.loader import DEMO_PASSWORD
from periodic.models import AgencyReport, ReportStatus
from plans.models import Plan, PlanStatus
from plans.periods import make_period
from tasks.models import (
    FINISHED,
    Assignment,
    AssignmentRole,
    ProgressUpdate,
    Task,
    UpdateFigure,
)
from tasks.services import roll_up

pytestmark = pytest.mark.django_db


def generate(*args):
    out = StringIO()
    call_command("generate_data", *args, stdout=out)
    return out.getvalue()


def test_two_small_provinces_have_the_shapes_the_readme_promises(client):
    # 40 agencies a province asked: the fixed ones and ten communes (67); 1,000 tasks a
    # province spread over two years, so that the districts dissolved in July 2025 show.
    output = generate("--provinces", "2", "--tasks", "2000", "--agencies", "40", "--seed", "3")
    today = timezone.localdate()
    years = [today.year - 1, today.year]
    assert f"Generated 2 provinces, years {years[0]}–{years[1]}" in output
    assert re.search(r"^  tasks.Task +2,000$", output, re.M)

    # Agencies: per province its committee, 20 departments (three merged into another),
    # units, press, mass organisations, central agencies, services, ten communes, eight
    # districts dissolved into a commune.
    assert Agency.objects.count() == 2 * 67
    committees = Agency.objects.filter(kind=AgencyKind.PROVINCE)
    assert sorted(committees.values_list("code", flat=True)) == ["T01-UBND", "T02-UBND"]
    merged = Agency.objects.filter(kind=AgencyKind.DEPARTMENT, dissolved_on__isnull=False)
    assert merged.count() == 2 * 3
    assert all(a.successor.kind == AgencyKind.DEPARTMENT for a in merged)
    districts = Agency.objects.filter(kind=AgencyKind.DISTRICT)
    assert districts.count() == 2 * 8
    assert all(d.dissolved_on and d.successor.kind == AgencyKind.COMMUNE for d in districts)
    assert AgencyGroup.objects.count() == 2 * 3
    assert AgencyGroup.objects.filter(kind=AgencyKind.COMMUNE).count() == 2

    # Users: three coordinators, two leaders, an administrator, an officer an agency (two a
    # department); the demo password opens each of them.
    per_role = Counter(User.objects.values_list("role", flat=True))
    assert per_role[Role.COORDINATOR] == 6
    assert per_role[Role.LEADERSHIP] == 4
    assert per_role[Role.AGENCY_OFFICER] == 2 * (67 + 20)
    for username in ("t01_coordinator1", "t02_leader2", "t01_admin",
                     User.objects.filter(role=Role.AGENCY_OFFICER).last().username):
        client.logout()
        response = client.post(reverse("login"),
                               {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        assert client.get(response.url, follow=True).status_code == 200

    # Plans: each province and year one plan of 30-50 tasks reporting Q1/H1/M9/Y, issued
    # (closed after two years), and the agencies' own plans implementing it.
    province_plans = Plan.objects.filter(parent__isnull=True).annotate(n=Count("tasks"))
    assert sorted((p.issuer.code, p.period_start_year) for p in province_plans) == [
        (code, year) for code in ("T01-UBND", "T02-UBND") for year in years
    ]
    for plan in province_plans:
        assert 30 <= plan.n <= 50
        assert plan.reporting_periods == ["Q1", "H1", "M9", "Y"]
        assert plan.status == (PlanStatus.CLOSED if plan.period_start_year <= today.year - 2
                               else PlanStatus.ISSUED)
        assert plan.addressed_agencies.count() > 40
    agency_plans = Plan.objects.filter(parent__isnull=False).annotate(n=Count("tasks"))
    sizes = defaultdict(list)
    for plan in agency_plans:
        assert plan.issuer_id != plan.parent.issuer_id
        assert plan.period_start_year == plan.parent.period_start_year
        sizes[plan.parent_id].append(plan.n)
    for plan_sizes in sizes.values():
        # 5-50 tasks; the year's last plan takes what remains of its share.
        assert max(plan_sizes) <= 50
        assert sum(n < 5 for n in plan_sizes) <= 1
    submitted = agency_plans.filter(submitted_at__isnull=False).count()
    assert 0 < submitted < agency_plans.count()
    assert not agency_plans.filter(status=PlanStatus.DRAFT,
                                   period_start_year__lt=today.year).exists()

    # Tasks: every one has a lead (a group's members for a few) and one or two coordinating
    # agencies; its state is its assignments' rolled up.
    tasks = Task.objects.annotate(
        leads=Count("assignments", filter=Q(assignments__role=AssignmentRole.LEAD), distinct=True),
        helpers=Count("assignments", filter=Q(assignments__role=AssignmentRole.COORDINATOR),
                      distinct=True),
        groups=Count("lead_groups", distinct=True),
    )
    assert not tasks.filter(leads=0).exists()
    assert not tasks.filter(groups=0, helpers__gt=2).exists()
    assert tasks.filter(groups=0, helpers__gte=1).count() > 0.95 * tasks.filter(groups=0).count()
    grouped = tasks.filter(groups=1)
    assert grouped.exists()
    for task in grouped:
        group = task.lead_groups.get()
        leads = task.assignments.filter(role=AssignmentRole.LEAD)
        assert set(leads.values_list("via_group", flat=True)) == {group.pk}
    states = defaultdict(list)
    for task_id, role, status, percent in Assignment.objects.values_list(
        "task", "role", "status", "percent"
    ):
        states[task_id].append((role, status, percent))
    for task in Task.objects.only("status", "percent"):
        assert (task.status, task.percent) == roll_up(states[task.pk])

    # An agency dissolved during the year leaves no open work of that year: it went to the
    # successor, which says where it came from.
    moved = Assignment.objects.filter(transferred_from__isnull=False).select_related(
        "transferred_from", "task__plan")
    assert moved.exists()
    for assignment in moved:
        old = assignment.transferred_from
        assert assignment.agency_id == old.successor_id
        assert assignment.task.plan.period_start_year == old.dissolved_on.year
        assert assignment.status not in FINISHED
    stranded = Assignment.objects.filter(
        agency__dissolved_on__year=F("task__plan__period_start_year"),
    ).exclude(status__in=FINISHED)
    assert not stranded.exists()

    # Each assignment carries its task's plan (an officer's plans are read from it).
    assert not Assignment.objects.exclude(plan=F("task__plan")).exists()

    # Progress: 0-3 updates an assignment by an officer of its agency, the last one giving
    # the assignment its state.
    per_assignment = Counter(ProgressUpdate.objects.values_list("assignment", flat=True))
    assert max(per_assignment.values()) <= 3
    last = {}
    for update in ProgressUpdate.objects.select_related("author").order_by("created_at", "pk"):
        last[update.assignment_id] = update
    for assignment in Assignment.objects.filter(pk__in=list(last)[:500]):
        update = last[assignment.pk]
        assert (update.status, update.percent) == (assignment.status, assignment.percent)
        assert update.created_at == assignment.last_update_at
        assert update.author.agency_id == assignment.agency_id
    # Some updates came with figures, and those (only those) say so: the dashboards read
    # figures through the updates marked.
    with_figures = set(UpdateFigure.objects.values_list("update", flat=True))
    marked = set(ProgressUpdate.objects.filter(has_figures=True).values_list("pk", flat=True))
    assert with_figures and marked == with_figures

    # Periodic reports: per province plan, one a reporting agency and past period at most,
    # in every state, some missing; none for a period not yet over.
    gaps = 0
    for plan in province_plans:
        for code in plan.reporting_periods:
            period = make_period(plan.period_start_year, code)
            reports = AgencyReport.objects.filter(plan=plan, period_code=code)
            if period.end > today:
                assert not reports.exists()
                continue
            agencies = list(reports.values_list("agency", flat=True))
            assert len(agencies) == len(set(agencies))
            assert 0 < len(agencies) <= plan.addressed_agencies.count()
            gaps += plan.addressed_agencies.count() - len(agencies)
    assert gaps > 0
    statuses = set(AgencyReport.objects.values_list("status", flat=True))
    assert statuses == {ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.RETURNED,
                        ReportStatus.ACCEPTED}

    # The ids given by the generator are behind the sequences: the next row the services
    # write gets a fresh one.
    agency = Agency.objects.create(name="Đơn vị mới", code="NEW", kind=AgencyKind.COMMUNE)
    assert agency.pk > max(Agency.objects.exclude(pk=agency.pk).values_list("pk", flat=True))


def test_a_province_already_generated_is_refused_and_nothing_is_added():
    generate("--provinces", "1", "--tasks", "40", "--agencies", "40")
    before = (Agency.objects.count(), User.objects.count(), Plan.objects.count(),
              Task.objects.count())
    with pytest.raises(CommandError, match="already holds generated province T01"):
        generate("--provinces", "1", "--tasks", "40", "--agencies", "40")
    assert (Agency.objects.count(), User.objects.count(), Plan.objects.count(),
            Task.objects.count()) == before


def test_sizes_too_small_are_refused_with_the_limits():
    with pytest.raises(CommandError, match="at least 1 province, 1 task and 40 agencies"):
        generate("--provinces", "1", "--tasks", "10", "--agencies", "12")
    assert not Agency.objects.exists()

