"""Page timings per role, in-process (``manage.py bench_pages``).

For each role (coordinator, the officer of the busiest agency, leadership, administrator) and
each list, detail, dashboard, completeness and report-preview page the role uses, and the
admin's change lists: one request whose queries are captured (their count, and the slowest
one, run again under ``EXPLAIN ANALYZE`` on PostgreSQL), then ``requests`` timed requests
(p50, p95), fewer when a page takes longer than ``budget`` seconds in all. The objects the
pages show are picked from whatever the database holds (generated data or the demo): the
latest province plan with the most tasks, its task with the most assignments, one of its
reports, the plans and tasks of the agency with the most assignments.
"""

import gc
import logging
import math
import re
import statistics
import time
from dataclasses import dataclass, field

from django.contrib import admin
from django.db import DatabaseError, connection, transaction
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from agencies.models import Role, User
from cchc_plans.process import settle
from periodic.models import AgencyReport
from plans.models import Plan, PlanStatus
from plans.periods import expand_codes
from tasks.models import Assignment, Task

ROLES = ["coordinator", "officer", "leadership", "admin"]
PLANS_PER_PAGE = 25


@dataclass
class Page:
    role: str
    name: str
    url: str
    status: int = 0
    times: list = field(default_factory=list)
    queries: int = 0
    slowest_ms: float = 0.0
    slowest_sql: str = ""
    explain_ms: float | None = None
    explain_plan: str = ""

    @property
    def p50(self):
        return statistics.median(self.times) * 1000 if self.times else None

    @property
    def p95(self):
        if not self.times:
            return None
        ordered = sorted(self.times)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)] * 1000


@dataclass
class World:
    """The users and objects the pages are opened for."""

    users: dict
    plan: Plan | None = None
    task: Task | None = None
    report: AgencyReport | None = None
    officer_plan: Plan | None = None
    officer_task: Task | None = None
    officer_report: AgencyReport | None = None
    period: tuple | None = None
    plan_pages: int = 1


def pick_world():
    users = {}
    users["coordinator"] = (
        User.objects.filter(role=Role.COORDINATOR, is_active=True)
        .select_related("agency").order_by("pk").first()
    )
    # The pages of a province's users show that province: the plans measured are of the
    # coordinator's province, and its leadership reads them.
    province = users["coordinator"].agency.province_id if (
        users["coordinator"] and users["coordinator"].agency_id) else None
    leaders = User.objects.filter(role=Role.LEADERSHIP, is_active=True)
    if province is not None:
        leaders = leaders.filter(agency__province=province)
    users["leadership"] = leaders.order_by("pk").first()
    users["admin"] = (
        User.objects.filter(role=Role.ADMIN, is_staff=True, is_active=True).order_by("pk").first()
    )
    officers = User.objects.filter(role=Role.AGENCY_OFFICER, is_active=True, agency__isnull=False)
    busiest = (
        Assignment.objects.filter(agency__in=officers.values("agency"))
        .values("agency")
        .annotate(n=Count("pk"))
        .order_by("-n", "agency")
        .first()
    )
    if busiest:
        users["officer"] = officers.filter(agency=busiest["agency"]).order_by("pk").first()
    else:
        users["officer"] = officers.order_by("pk").first()
    world = World(users=users)

    in_province = Plan.objects.all() if province is None else Plan.objects.filter(
        province=province)
    plans = in_province.exclude(status=PlanStatus.DRAFT).filter(parent__isnull=True)
    latest = plans.order_by("-period_start_year").values_list("period_start_year", flat=True)
    if latest:
        world.plan = (
            plans.filter(period_start_year=latest[0])
            .annotate(n=Count("tasks"))
            .order_by("-n", "pk")
            .first()
        )
    if world.plan:
        world.task = (
            Task.objects.filter(plan=world.plan)
            .annotate(n=Count("assignments"))
            .order_by("-n", "number")
            .first()
        )
        world.report = AgencyReport.objects.filter(plan=world.plan).order_by("pk").first()
        codes = expand_codes(world.plan.reporting_periods)
        if codes:
            world.period = (world.plan.period_start_year, codes[0])
    world.plan_pages = max(1, math.ceil(in_province.count() / PLANS_PER_PAGE))
    officer = users.get("officer")
    if officer:
        assignment = (
            Assignment.objects.filter(agency=officer.agency_id)
            .exclude(task__plan__status=PlanStatus.DRAFT)
            .select_related("task__plan")
            .order_by("-task__plan__period_start_year", "-pk")
            .first()
        )
        if assignment:
            world.officer_task = assignment.task
            world.officer_plan = assignment.task.plan
        world.officer_report = (
            AgencyReport.objects.filter(agency=officer.agency_id).order_by("-year", "pk").first()
        )
    return world


def pages_for(world, roles):
    """(role, page name, URL) of every page measured, for the roles asked."""
    out = []

    def add(role, name, viewname, *args, query=""):
        if role in roles and world.users.get(role) and all(a is not None for a in args):
            url = reverse(viewname, args=[getattr(a, "pk", a) for a in args])
            out.append(Page(role, name, url + query))

    deep = f"?page={world.plan_pages}"
    for role in ("coordinator", "leadership"):
        add(role, "plan list", "plans:list")
        add(role, "plan list, last page", "plans:list", query=deep)
        add(role, "plan list, search", "plans:list", query="?q=tuyen+truyen")
        add(role, "plan detail", "plans:detail", world.plan)
        add(role, "plan history", "plans:history", world.plan)
        add(role, "plan submissions", "plans:submissions", world.plan)
        add(role, "task detail", "tasks:detail", world.task)
        add(role, "dashboard", "reports:dashboard")
        add(role, "plan dashboard", "reports:plan_dashboard", world.plan)
        if world.plan:
            year = f"?year={world.plan.period_start_year}"
            add(role, "year dashboard", "reports:dashboard", query=year)
        add(role, "reports overview", "periodic:overview")
        add(role, "completeness matrix", "periodic:completeness", world.plan)
        add(role, "agency report", "periodic:report_detail", world.report)
        add(role, "leadership reports", "leadership:index")
        add(role, "plan's reports", "leadership:reports", world.plan)
        if world.period:
            add(role, "report preview", "leadership:preview", world.plan, *world.period)
    add("coordinator", "plan's tasks", "tasks:plan_tasks", world.plan)
    add("coordinator", "plan outline", "plans:outline", world.plan)
    add("coordinator", "plan document preview", "documents:plan_preview", world.plan)
    add("coordinator", "register", "register:index")
    add("officer", "my work", "tasks:my_work")
    add("officer", "plan list", "plans:list")
    add("officer", "plan list, last page", "plans:list", query=deep)
    add("officer", "plan detail", "plans:detail", world.officer_plan)
    add("officer", "task detail", "tasks:detail", world.officer_task)
    add("officer", "my reports", "periodic:my_reports")
    add("officer", "agency report", "periodic:report_detail", world.officer_report)
    if "admin" in roles and world.users.get("admin"):
        add("admin", "admin index", "admin:index")
        for model in sorted(admin.site._registry, key=lambda m: m._meta.label):
            opts = model._meta
            changelist = f"admin:{opts.app_label}_{opts.model_name}_changelist"
            add("admin", f"admin {opts.label_lower}", changelist)
    return out


# A query read through a server-side cursor (``.iterator()``) is captured as its DECLARE.
CURSOR = re.compile(r'\s*DECLARE\s+"?[\w]+"?\s+.*?\bCURSOR\b.*?\bFOR\s+', re.I | re.S)


def explain(sql):
    """(milliseconds, first plan line) of ``sql`` under EXPLAIN ANALYZE (PostgreSQL): a
    SELECT, a WITH, or a union of parenthesised SELECTs."""
    sql = CURSOR.sub("", sql, count=1)
    if connection.vendor != "postgresql" or not re.match(r"[\s(]*(SELECT|WITH)\b", sql, re.I):
        return None, ""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
            (result,) = cursor.fetchone()
    except DatabaseError as error:
        return None, f"EXPLAIN failed: {str(error).splitlines()[0]}"
    plan = result[0]
    top = plan["Plan"]
    return plan["Execution Time"], f"{top['Node Type']} (rows {top.get('Actual Rows')})"


def measure(page, client, requests, budget):
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(page.url, secure=True)
        first = time.perf_counter() - started
    page.status = response.status_code
    if page.status != 200:
        # A refusal or an error page: its time says nothing about the page.
        page.queries = len(captured.captured_queries)
        return page
    page.queries = len(captured.captured_queries)
    if captured.captured_queries:
        slowest = max(captured.captured_queries, key=lambda q: float(q["time"]))
        page.slowest_ms = float(slowest["time"]) * 1000
        page.slowest_sql = slowest["sql"]
        page.explain_ms, page.explain_plan = explain(slowest["sql"])
    spent = first
    if first > budget:
        page.times = [first]
        return page
    for _n in range(requests):
        started = time.perf_counter()
        client.get(page.url, secure=True)
        elapsed = time.perf_counter() - started
        page.times.append(elapsed)
        spent += elapsed
        if spent > budget and len(page.times) >= 3:
            break
    return page


def bench(*, roles=ROLES, requests=30, budget=60.0, only=None, out=None):
    world = pick_world()
    pages = pages_for(world, roles)
    if only:
        pages = [p for p in pages if only.lower() in p.name.lower()]
    clients = {}
    # Refusals (403/404) are in the table; the log keeps server errors only.
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.ERROR)
    # As the server's master does before its workers answer (what it holds frozen out of
    # the garbage collector's walks); undone after, for a caller that goes on.
    settle()
    try:
        with override_settings(ALLOWED_HOSTS=["testserver", "localhost", "127.0.0.1"]):
            for page in pages:
                client = clients.get(page.role)
                if client is None:
                    client = clients[page.role] = Client(raise_request_exception=False)
                    client.force_login(world.users[page.role])
                measure(page, client, requests, budget)
                if out:
                    out(page)
    finally:
        request_log.setLevel(level)
        gc.unfreeze()
    return world, pages


def _ms(value):
    return "—" if value is None else f"{value:,.1f}"


def table(pages, *, sql_chars=160):
    header = ["role", "page", "status", "n", "p50 ms", "p95 ms", "queries", "slowest SQL ms",
              "EXPLAIN ANALYZE ms", "plan"]
    rows = [
        [p.role, p.name, str(p.status), str(len(p.times)), _ms(p.p50), _ms(p.p95),
         str(p.queries), _ms(p.slowest_ms), _ms(p.explain_ms), p.explain_plan]
        for p in pages
    ]
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    lines.append("")
    lines.append("Slowest query of each page:")
    for p in pages:
        sql = " ".join(p.slowest_sql.split())
        if sql_chars and len(sql) > sql_chars:
            sql = sql[:sql_chars] + "…"
        lines.append(f"- {p.role} / {p.name} ({p.url}): {sql}")
    return "\n".join(lines)
