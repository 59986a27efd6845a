"""A load test of a running server (``manage.py loadtest``), loopback only.

Agency officers created for the test log in all at once, then for a bounded time each one in a
loop opens the work list, a task, the progress form, posts an update (with a small PDF every
fifth time) and opens the plan, the overview an officer has (the dashboard is for leadership
and coordinators); a few leadership users read the dashboard meanwhile. The
server is reached over HTTP as the reverse proxy would reach it (``X-Forwarded-Proto: https``,
a new connection per request).
Afterwards every update that got a success response is looked up in the database: it must be
stored exactly once, with its file.
"""

import hashlib
import html
import ipaddress
import random
import re
import socket
import statistics
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

import httpx
from django.contrib.auth.hashers import make_password
from django.db.models import Count
from django.utils.crypto import get_random_string

from agencies.models import Role, User
from plans.models import PlanStatus
from tasks.models import Assignment, AssignmentRole, Evidence, ProgressUpdate

PASSWORD_LENGTH = 20
NARRATIVE = "Kiểm thử tải"
REQUEST_TIMEOUT = 60  # seconds; a slower answer counts as an error
HIDDEN_INPUT = re.compile(r"<input[^>]*type=\"hidden\"[^>]*>", re.I)
ATTRIBUTE = re.compile(r"(name|value)=\"([^\"]*)\"")
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]"
    b"/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def require_loopback(url):
    """Refuse any target but this machine: a load test sends traffic nowhere else."""
    host = urlsplit(url).hostname or ""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except socket.gaierror:
        raise ValueError(f"cannot resolve {host!r}") from None
    if not addresses or not all(ipaddress.ip_address(a).is_loopback for a in addresses):
        raise ValueError(f"{url} is not on this machine (loopback addresses only)")


# ---------------------------------------------------------------------------------------------
# Users for the test


def prepare_users(*, officers, readers, prefix):
    """Create (or reset) ``officers`` agency officers spread over the agencies that lead tasks
    of plans in force, and ``readers`` leadership users of the issuing agency.

    Returns (password, officers, readers): officers as (username, [(assignment, task, plan)]).
    """
    leads = (
        Assignment.objects.filter(role=AssignmentRole.LEAD, task__plan__status=PlanStatus.ISSUED)
        .select_related("agency", "task__plan")
        .order_by("agency_id", "pk")
    )
    by_agency = defaultdict(list)
    for assignment in leads:
        by_agency[assignment.agency].append(
            (assignment.pk, assignment.task_id, assignment.task.plan_id))
    if not by_agency:
        raise ValueError("no issued plan has lead assignments: load the demo data first")
    agencies = list(by_agency)
    password = get_random_string(PASSWORD_LENGTH)
    hashed = make_password(password)  # once: the server, not this command, is measured
    officer_rows = []
    for n in range(officers):
        agency = agencies[n % len(agencies)]
        username = f"{prefix}-officer-{n + 1:02d}"
        _user(username, hashed, role=Role.AGENCY_OFFICER, agency=agency)
        officer_rows.append((username, by_agency[agency]))
    issuer = leads[0].task.plan.issuer
    reader_rows = []
    for n in range(readers):
        username = f"{prefix}-reader-{n + 1:02d}"
        _user(username, hashed, role=Role.LEADERSHIP, agency=issuer)
        reader_rows.append(username)
    return password, officer_rows, reader_rows


def _user(username, hashed, *, role, agency):
    User.objects.update_or_create(
        username=username,
        defaults={"password": hashed, "role": role, "agency": agency, "is_active": True,
                  "is_staff": False, "is_superuser": False},
    )


# ---------------------------------------------------------------------------------------------
# One simulated person


@dataclass
class Sample:
    kind: str
    status: int  # 0: no answer (timeout, connection refused)
    seconds: float
    ok: bool


@dataclass
class Posted:
    marker: str
    digest: str | None  # sha256 of the PDF sent with it
    ok: bool


@dataclass
class Results:
    samples: list = field(default_factory=list)
    posted: list = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample, detail=""):
        with self.lock:
            self.samples.append(sample)
            if not sample.ok:
                self.errors[f"{sample.kind} {sample.status} {detail}".strip()] += 1


class Session:
    """One browser: its own connection, cookies and CSRF token."""

    def __init__(self, base_url, results):
        self.base = base_url.rstrip("/")
        origin = urlsplit(self.base)
        self.origin = f"https://{origin.netloc}"
        # A connection per request, as nginx opens them to gunicorn by default: keep-alive
        # would pin each simulated person to one gunicorn process.
        self.client = httpx.Client(timeout=REQUEST_TIMEOUT, follow_redirects=False,
                                   limits=httpx.Limits(max_keepalive_connections=0))
        self.cookies = {}
        self.results = results

    def close(self):
        self.client.close()

    def request(self, kind, method, path, *, expect, data=None, files=None):
        headers = {"X-Forwarded-Proto": "https", "Accept-Language": "vi"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers.update(Origin=self.origin, Referer=self.origin + path)
        started = time.perf_counter()
        try:
            response = self.client.request(method, self.base + path, data=data, files=files,
                                           headers=headers)
        except httpx.HTTPError as error:
            self.results.add(Sample(kind, 0, time.perf_counter() - started, False),
                             type(error).__name__)
            return None
        seconds = time.perf_counter() - started
        for header in response.headers.get_list("set-cookie"):
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        ok = response.status_code == expect
        self.results.add(Sample(kind, response.status_code, seconds, ok))
        return response if ok else None

    @staticmethod
    def hidden_fields(page):
        fields = {}
        for tag in HIDDEN_INPUT.findall(page):
            attributes = dict(ATTRIBUTE.findall(tag))
            if "name" in attributes:
                fields[attributes["name"]] = html.unescape(attributes.get("value", ""))
        return fields

    def login(self, username, password):
        page = self.request("login form", "GET", "/accounts/login/", expect=200)
        if page is None:
            return False
        data = self.hidden_fields(page.text) | {"username": username, "password": password}
        return self.request("login", "POST", "/accounts/login/", expect=302,
                            data=data) is not None


def officer_loop(session, username, assignments, deadline, run, budget):
    number = 0
    rng = random.Random(username)
    while time.monotonic() < deadline and budget.take():
        number += 1
        assignment, task, plan = assignments[number % len(assignments)]
        session.request("work list", "GET", "/tasks/work/", expect=200)
        session.request("task", "GET", f"/tasks/{task}/", expect=200)
        url = f"/tasks/assignments/{assignment}/update/"
        form = session.request("update form", "GET", url, expect=200)
        if form is None:
            continue
        marker = f"{run} {username} #{number}"
        data = session.hidden_fields(form.text) | {
            "status": "in_progress",
            "percent": str(rng.randint(1, 99)),
            "narrative": f"{NARRATIVE} {marker}",
        }
        files, digest = None, None
        if number % 5 == 1:  # the first update of each person, then every fifth
            content = PDF + f"% {marker}\n".encode()
            digest = hashlib.sha256(content).hexdigest()
            files = {"files": (f"minh-chung-{number}.pdf", content, "application/pdf")}
        posted = session.request("update", "POST", url, expect=302, data=data, files=files)
        with session.results.lock:
            session.results.posted.append(Posted(marker, digest, posted is not None))
        session.request("plan", "GET", f"/plans/{plan}/", expect=200)


def reader_loop(session, deadline, budget):
    while time.monotonic() < deadline and budget.take():
        session.request("dashboard", "GET", "/reports/dashboard/", expect=200)


class Budget:
    """At most ``limit`` loop iterations in all: the test is bounded in requests too."""

    def __init__(self, limit):
        self.left = limit
        self.lock = threading.Lock()

    def take(self):
        with self.lock:
            self.left -= 1
            return self.left >= 0


def run(*, base_url, password, officers, readers, duration, max_iterations, run_id):
    """Log everybody in at once, then work for ``duration`` seconds. Returns Results."""
    require_loopback(base_url)
    results = Results()
    people = [(Session(base_url, results), name, assignments)
              for name, assignments in officers] + [
        (Session(base_url, results), name, None) for name in readers]
    start = threading.Barrier(len(people))
    budget = Budget(max_iterations)
    logged_in = []

    def person(session, name, assignments):
        start.wait()
        if not session.login(name, password):
            return
        logged_in.append(name)
        deadline = time.monotonic() + duration
        if assignments is None:
            reader_loop(session, deadline, budget)
        else:
            officer_loop(session, name, assignments, deadline, run_id, budget)

    threads = [threading.Thread(target=person, args=p, daemon=True) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(duration + 10 * REQUEST_TIMEOUT)
    for session, _, _ in people:
        session.close()
    results.logged_in = len(logged_in)
    return results


# ---------------------------------------------------------------------------------------------
# Checking and reporting


def verify(results, run_id):
    """Every update answered with success is stored once, with its file; none else is stored.

    Returns a list of problems (empty when all is well).
    """
    stored = Counter(
        ProgressUpdate.objects.filter(narrative__contains=run_id)
        .values_list("narrative", flat=True)
    )
    problems = []
    for posted in results.posted:
        narrative = f"{NARRATIVE} {posted.marker}"
        count = stored.get(narrative, 0)
        if posted.ok and count != 1:
            problems.append(f"{posted.marker}: answered success, stored {count} times")
        elif not posted.ok and count > 1:
            problems.append(f"{posted.marker}: answered error, stored {count} times")
    for posted in results.posted:
        if not (posted.ok and posted.digest):
            continue
        evidence = list(Evidence.objects.filter(
            update__narrative=f"{NARRATIVE} {posted.marker}").exclude(file=""))
        if len(evidence) != 1:
            problems.append(f"{posted.marker}: {len(evidence)} files stored instead of 1")
            continue
        with evidence[0].file.open("rb") as handle:
            if hashlib.sha256(handle.read()).hexdigest() != posted.digest:
                problems.append(f"{posted.marker}: the stored file differs from the one sent")
    duplicates = (ProgressUpdate.objects.filter(narrative__contains=run_id)
                  .values("narrative").annotate(n=Count("pk")).filter(n__gt=1).count())
    if duplicates:
        problems.append(f"{duplicates} narratives stored more than once")
    return problems


def percentile(values, fraction):
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[round(fraction * 100) - 1]


def summary(results):
    """Rows of (kind, requests, errors, p50, p95, max) in seconds, in the order first seen."""
    by_kind = defaultdict(list)
    for sample in results.samples:
        by_kind[sample.kind].append(sample)
    rows = []
    for kind, samples in by_kind.items():
        seconds = [s.seconds for s in samples]
        rows.append((kind, len(samples), sum(not s.ok for s in samples),
                     percentile(seconds, 0.5), percentile(seconds, 0.95), max(seconds)))
    return rows
