"""Robustness: no request, however hostile, gets a 500; nobody sees or changes what is not theirs.

Every URL of the permission matrix (the ``ENTRIES`` of each module in
``tests/test_permission_matrix.py``'s ``MATRIX_MODULES``) is requested as every role with
garbage query strings, empty and garbage POSTs, files whose content lies about their type and
URL ids of objects that do not exist. Exceptions become 500 responses
(``client.raise_request_exception = False``); a failure names the URL, the role and each input
that failed, with the exception and where it was raised.

Then: an agency officer guessing another agency's ids gets 404, read-only roles (leadership,
administrators) get 403 on every write and nothing changes, and the holes found by reading the
views are tried one by one.
"""

import ast
import importlib
import io
import traceback
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import FileField
from django.test import Client
from django.urls import NoReverseMatch, reverse

from periodic.models import ReportStatus
from periodic.services import start_report
from plans.models import LegalBasis, Plan, PlanSection
from reports.models import GeneratedReport, GenerationStatus
from tasks.models import Assignment, AssignmentRole, ProgressUpdate
from tasks.services import schedule_task, set_task_agencies
from tests.factories import PlanFactory, TaskFactory
from tests.matrix import MINIMAL_PDF, ROLES, World

# The matrix modules are read from the permission matrix test without importing it: importing
# it imports every module at once, and one broken module would hide all the others here.
_MATRIX_SOURCE = Path(__file__).with_name("test_permission_matrix.py").read_text()
MATRIX_MODULES = next(
    ast.literal_eval(node.value)
    for node in ast.parse(_MATRIX_SOURCE).body
    if isinstance(node, ast.Assign)
    and any(getattr(target, "id", None) == "MATRIX_MODULES" for target in node.targets)
)


def _load_entries():
    entries, broken = [], {}
    for name in MATRIX_MODULES:
        try:
            entries.extend(importlib.import_module(name).ENTRIES)
        except Exception as error:  # noqa: BLE001 - a broken module is reported, not fatal
            broken[name] = f"{type(error).__name__}: {error}"
    return entries, broken


ENTRIES, BROKEN_MODULES = _load_entries()
LOGGED_IN = [role for role in ROLES if role != "anonymous"]
# A script that must never come back unescaped in an HTML page.
XSS = "<script>alert(1)</script>"
HUGE = "99999999999999999999"  # more than a 64-bit integer
MISSING = 999999

# Query strings: every filter of every list, with values of the wrong type, out of range,
# impossible dates, NUL characters, unknown choices, repeated keys.
GET_INPUTS = {
    "wrong-types": {
        "year": "abc", "page": "-1", "status": XSS, "plan": str(MISSING), "as_of": "31/02/2022",
        "q": "\x00", "period": "2022-Q9", "state": XSS, "kind": "zzz", "role": "zzz",
        "issuer": "abc", "parent": "-5", "text": "\x00", "format": "exe", "section": "zzz",
    },
    "out-of-range": {
        "year": HUGE, "page": "99999", "plan": "²", "as_of": "9999-12-31", "period": "9999-Q4",
        "q": "' OR 1=1 --", "issuer": HUGE, "parent": str(MISSING), "state": "on_time",
        "status": "done", "role": "lead", "kind": "district", "text": "Quý V/99999",
    },
    "edges": {
        "year": ["2022", "-1"], "page": ["1", "abc"], "plan": "-1", "as_of": "0001-01-01",
        "period": "0000-13", "q": "Ạ" * 300, "issuer": "", "parent": "0", "text": "x" * 1000,
        "state": "", "status": "", "role": "", "kind": XSS,
    },
}

# POST fields the forms of the project use, with hostile values.
GARBAGE_FIELDS = {
    "version": "abc", "percent": "150", "number": "x", "due_date": "99/99/9999",
    "successor": "abc", "direction": "sideways", "status": XSS, "agency": "abc", "plan": "abc",
    "period": "2022-Q9", "format": "exe", "action": "explode", "issued_on": "31/02/2022",
    "received_on": "99/99/9999", "leads": "abc", "lead_groups": str(MISSING),
    "coordinators": "-1", "issuer": "abc", "parent": "abc", "addressed_agencies": "abc",
    "period_start_year": "abc", "period_end_year": "-1", "budget_estimate": "1e999",
    "title": "\x00", "comment": "\x00", "narrative": "\x00", "links": "javascript:alert(1)",
    "results": "\x00", "introduction": XSS, "proposals": "\x00", "timeline_text": "x" * 300,
    "document_number": "\x00", "report_due_day": "abc", "reporting_periods": "Q9",
}
NEGATIVE_FIELDS = {
    "version": "-1", "percent": "-3", "number": "-1", "due_date": "0001-01-01",
    "issued_on": "9999-12-31", "received_on": "0001-01-01", "agency": "-1", "plan": "-1",
    "period": "plan", "format": "xlsx", "direction": "", "status": "", "action": "",
    "period_start_year": "2022", "period_end_year": "2021", "budget_estimate": "-1",
    "report_due_day": "0", "leads": "-1", "coordinators": "0", "successor": "-1",
}
HUGE_FIELDS = dict.fromkeys(
    [
        "version", "percent", "number", "agency", "plan", "successor", "leads", "lead_groups",
        "coordinators", "issuer", "parent", "addressed_agencies", "period_start_year",
        "period_end_year", "budget_estimate", "report_due_day",
    ],
    HUGE,
)


def _lying_files():
    """Uploads whose content does not match their name, under every file field name we use."""
    docx_without_word = io.BytesIO()
    with zipfile.ZipFile(docx_without_word, "w") as archive:
        archive.writestr("hello.txt", "not a word document")
    return {
        "files": [
            SimpleUploadedFile("bien-ban.pdf", b"just text, not a PDF", "application/pdf"),
            SimpleUploadedFile("bao-cao.docx", docx_without_word.getvalue()),
            SimpleUploadedFile("anh.png", b""),
        ],
        "document_file": SimpleUploadedFile("ke-hoach.pdf", b"<html>" + XSS.encode()),
        "file": SimpleUploadedFile("../../etc/passwd.pdf", b"%PDF-1.4 truncated"),
    }


POST_INPUTS = {
    "empty": lambda valid: {},
    "garbage": lambda valid: dict(GARBAGE_FIELDS),
    "negative": lambda valid: {**valid, **NEGATIVE_FIELDS},
    "huge-numbers": lambda valid: {**valid, **HUGE_FIELDS},
    "valid+version=abc": lambda valid: {**valid, "version": "abc"},
    f"valid+version={HUGE}": lambda valid: {**valid, "version": HUGE},
    "valid+lying-files": lambda valid: {**valid, **_lying_files()},
}


def _missing_kwargs(kwargs):
    """URL arguments naming objects that do not exist, each kind in turn."""
    variants = {}
    for key in kwargs:
        if key in ("pk", "plan_pk"):
            variants[f"{key}={MISSING}"] = {**kwargs, key: MISSING}
            variants[f"{key}={HUGE}"] = {**kwargs, key: int(HUGE)}
        elif key == "year":
            variants["year=999999"] = {**kwargs, key: 999999}
            variants["year=0"] = {**kwargs, key: 0}
        elif key in ("code", "section"):
            variants[f"{key}=Q9"] = {**kwargs, key: "Q9"}
            variants[f"{key}=<script>"] = {**kwargs, key: XSS}
    return variants


def _explain(response):
    """The exception behind a 500 and the project frame it came from, in one line."""
    exc_info = getattr(response, "exc_info", None)
    if not exc_info:
        return ""
    frames = [
        frame for frame in traceback.extract_tb(exc_info[2]) if "/.venv/" not in frame.filename
    ]
    where = f" at {frames[-1].filename}:{frames[-1].lineno} ({frames[-1].name})" if frames else ""
    return f" {exc_info[0].__name__}: {str(exc_info[1])[:200]}{where}"


class Findings:
    """What went wrong for one URL and role, each with the input that caused it."""

    def __init__(self, entry, role):
        self.entry, self.role, self.items = entry, role, []

    def check(self, label, response, *, allowed=None):
        status = response.status_code
        if status >= 500:
            self.items.append(f"{label}: {status}{_explain(response)}")
        elif self.role == "anonymous" and status not in (302, 405):
            self.items.append(f"{label}: {status} for an anonymous user (expected 302 or 405)")
        elif allowed is not None and status not in allowed:
            self.items.append(f"{label}: {status}, expected one of {sorted(allowed)}")
        html = "text/html" in response.get("Content-Type", "") and not response.streaming
        if html and XSS.encode() in response.content:
            self.items.append(f"{label}: {XSS} comes back unescaped in the page")

    def assert_none(self):
        assert not self.items, f"{self.entry.name} as {self.role}:\n  " + "\n  ".join(self.items)


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return World()


@pytest.fixture
def hostile_client(client):
    client.raise_request_exception = False
    return client


def _login(client, world, role):
    if role != "anonymous":
        client.force_login(world.users[role])


# ---------------------------------------------------------------------------------------------
# 1. No 500, whatever the input


def test_every_matrix_module_loads():
    # A module that does not import (someone is still writing it) is left out, and said so.
    if BROKEN_MODULES:
        pytest.skip(f"matrix modules left out of the robustness tests: {BROKEN_MODULES}")
    assert {entry.name for entry in ENTRIES} >= {"plans:list", "tasks:post_update"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.name)
def test_hostile_input_never_gives_a_500(hostile_client, world, entry, role):
    client = hostile_client
    _login(client, world, role)
    kwargs = entry.build_kwargs(world)
    url = reverse(entry.name, kwargs=kwargs)
    valid = entry.data(world) if entry.data else {}
    findings = Findings(entry, role)
    for label, query in GET_INPUTS.items():
        findings.check(f"GET ?{label}", client.get(url, query))
    for label, make_data in POST_INPUTS.items():
        findings.check(f"POST {label}", client.post(url, make_data(valid)))
    # Nothing is shown or done for an object that does not exist: 404 (403 when the role may
    # not use the page at all, 405 for the wrong method), never a 500 nor a success.
    refused = {302, 405} if role == "anonymous" else {403, 404, 405}
    for label, missing in _missing_kwargs(kwargs).items():
        try:
            missing_url = reverse(entry.name, kwargs=missing)
        except NoReverseMatch:
            continue  # the URL pattern itself refuses the value
        findings.check(f"GET {label}", client.get(missing_url), allowed=refused)
        findings.check(f"POST {label}", client.post(missing_url, valid), allowed=refused)
    findings.assert_none()


def _section_garbage(version):
    """Hostile posts for any plan section: its own fields and a formset's rows and counts."""
    row = {
        "parts-0-id": "abc", "parts-0-ORDER": "-5", "parts-0-text": "\x00",
        "parts-0-indicator": XSS, "parts-0-unit": "zz", "parts-0-baseline": "NaN",
        "parts-0-target_value": "1e999", "parts-0-actual_value": "Infinity",
        "parts-0-audience": HUGE, "parts-0-channel": "abc", "parts-0-agencies": [HUGE],
        "parts-0-heading": "x" * 1000, "parts-0-body": "\x00", "parts-0-pillar": "zz",
    }
    fields = {
        "audiences": [HUGE], "budget_amount": "1e999", "reporting_periods": ["Q9", "Y"],
        "report_due_day": "99", "issuer": HUGE, "parent": HUGE, "title": XSS,
        "period_start_year": "2022", "period_end_year": "2022", "addressed_agencies": [HUGE],
    }
    return {
        "management-garbage": {"version": version, "parts-TOTAL_FORMS": "abc",
                               "parts-INITIAL_FORMS": "-1"},
        "initial-above-total": {"version": version, "parts-TOTAL_FORMS": "1",
                                "parts-INITIAL_FORMS": "5", **row},
        "garbage-row-and-fields": {"version": version, "parts-TOTAL_FORMS": "1",
                                   "parts-INITIAL_FORMS": "0", **row, **fields},
    }


@pytest.mark.parametrize("section", [section.value for section in PlanSection])
def test_plan_sections_survive_hostile_posts(hostile_client, world, section):
    hostile_client.force_login(world.users["coordinator"])
    url = reverse("plans:edit_section", args=[world.draft_plan.pk, section])
    failures = [
        f"{label}: {response.status_code}{_explain(response)}"
        for label, data in _section_garbage(world.draft_plan.version).items()
        if (response := hostile_client.post(url, data)).status_code >= 500
        or XSS.encode() in response.content
    ]
    assert not failures, f"plans:edit_section/{section} as coordinator:\n  " + "\n  ".join(
        failures
    )


# ---------------------------------------------------------------------------------------------
# 2. Another agency's objects cannot be reached by guessing their ids


def _own_report(world):
    world.plan.reporting_periods = ["Q1", "H1", "M9", "Y"]
    world.plan.save()
    return start_report(
        plan=world.plan, agency=world.own_agency, year=2022, period_code="Q1",
        user=world.users["own"],
    )


def _give_other_agency_a_task(world):
    """The outsider's agency gets its own task in the same plan: the plan becomes readable."""
    task = TaskFactory(plan=world.plan, number=2, timeline_text="Quý II/2022")
    schedule_task(task=task)
    set_task_agencies(task=task, leads=[world.other_agency])
    return task


def test_officer_guessing_another_agencys_ids_gets_404(hostile_client, world):
    client = hostile_client
    report = _own_report(world)
    world.agency_plan.document_file.save("ke-hoach.pdf", SimpleUploadedFile("x.pdf", b"%PDF"))
    client.force_login(world.users["other"])
    update = {"status": "done", "percent": "100", "narrative": "Xong"}
    header = {"version": world.agency_plan.version, "title": "Đã bị sửa",
              "period_start_year": 2022, "period_end_year": 2022}
    report_data = {"version": report.version, "action": "submit", "results": "Đã bị sửa"}
    attempts = [
        ("get", reverse("tasks:post_update", args=[world.assignment.pk]), {}),
        ("post", reverse("tasks:post_update", args=[world.assignment.pk]), update),
        ("get", reverse("tasks:evidence", args=[world.evidence.pk]), {}),
        ("get", reverse("tasks:detail", args=[world.task.pk]), {}),
        ("get", reverse("periodic:report_detail", args=[report.pk]), {}),
        ("get", reverse("periodic:report_edit", args=[report.pk]), {}),
        ("post", reverse("periodic:report_edit", args=[report.pk]), report_data),
        ("post", reverse("periodic:report_submit", args=[report.pk]), {}),
        ("get", reverse("plans:detail", args=[world.agency_plan.pk]), {}),
        ("get", reverse("plans:history", args=[world.agency_plan.pk]), {}),
        ("get", reverse("plans:document", args=[world.agency_plan.pk]), {}),
        ("get", reverse("documents:plan_pdf", args=[world.agency_plan.pk]), {}),
        ("get", reverse("documents:plan_preview", args=[world.agency_plan.pk]), {}),
        ("get", reverse("plans:edit_section", args=[world.agency_plan.pk, "header"]), {}),
        ("post", reverse("plans:edit_section", args=[world.agency_plan.pk, "header"]), header),
    ]
    statuses = {
        (method, url): getattr(client, method)(url, data).status_code
        for method, url, data in attempts
    }
    assert {key: status for key, status in statuses.items() if status != 404} == {}
    # Nothing changed, and nothing of the other agency shows on the outsider's own pages.
    assert ProgressUpdate.objects.filter(assignment=world.assignment).count() == 1
    report.refresh_from_db()
    assert (report.status, report.results) == (ReportStatus.DRAFT, "")
    world.agency_plan.refresh_from_db()
    assert world.agency_plan.title == "Kế hoạch tuyên truyền CCHC của Sở Tư pháp"
    for url in (reverse("tasks:my_work"), reverse("plans:list"), reverse("periodic:my_reports")):
        html = client.get(url).content.decode()
        for hidden in (world.plan.title, world.task.title, world.agency_plan.title, "Sở Tư pháp"):
            assert hidden not in html, (url, hidden)


def test_officer_sharing_a_plan_still_cannot_change_another_agencys_work(hostile_client, world):
    """Once the outsider's agency has a task in the plan it reads the plan and its tasks
    (design: officers read the plans that involve their agency), but writes nothing of the
    other agency: its assignment is refused (403), its report and own plan stay hidden (404)."""
    client = hostile_client
    own_task = _give_other_agency_a_task(world)
    report = _own_report(world)
    client.force_login(world.users["other"])
    update_url = reverse("tasks:post_update", args=[world.assignment.pk])
    assert client.get(update_url).status_code == 403
    response = client.post(update_url, {"status": "done", "percent": "100", "narrative": "Xong"})
    assert response.status_code == 403
    assert client.get(reverse("periodic:report_edit", args=[report.pk])).status_code == 404
    assert client.post(reverse("periodic:report_submit", args=[report.pk])).status_code == 404
    assert client.get(reverse("plans:detail", args=[world.agency_plan.pk])).status_code == 404
    world.assignment.refresh_from_db()
    assert (world.assignment.status, world.assignment.percent) == ("in_progress", 40)
    assert ProgressUpdate.objects.filter(assignment=world.assignment).count() == 1
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    # Its own work is there, the other agency's is not.
    html = client.get(reverse("tasks:my_work")).content.decode()
    assert own_task.title in html and world.task.title not in html


# ---------------------------------------------------------------------------------------------
# 3. Read-only roles write nothing


def _writes(entry):
    table = entry.post or {}
    return any(status < 400 for status in table.values())


# Leadership and administrators may have summary files generated (a file, not a change to any
# plan, task or report): the matrix says so. Like every user, they read their own inbox and
# choose their own notification settings. Those are the only POSTs they may make.
READ_ONLY_MAY_POST = {
    "leadership:generate", "notifications:mark_all_read", "notifications:settings",
}
WRITE_ENTRIES = [
    entry for entry in ENTRIES if _writes(entry) and entry.name not in READ_ONLY_MAY_POST
]


def _snapshot():
    """Every row of the project's own tables (history included), files as their names."""
    rows = {}
    for label in ("agencies", "plans", "tasks", "periodic", "reports"):
        for model in apps.get_app_config(label).get_models():
            values = list(model.objects.order_by("pk").values())
            for row in values:
                row.pop("last_login", None)
                for field in model._meta.fields:
                    if isinstance(field, FileField):
                        row[field.attname] = str(row[field.attname])
            rows[model._meta.label] = values
    return rows


@pytest.mark.parametrize("role", ["leadership", "admin"])
@pytest.mark.parametrize("entry", WRITE_ENTRIES, ids=lambda e: e.name)
def test_read_only_roles_get_403_on_every_write(hostile_client, world, entry, role):
    client = hostile_client
    client.force_login(world.users[role])
    url = reverse(entry.name, kwargs=entry.build_kwargs(world))
    valid = entry.data(world) if entry.data else {}
    before = _snapshot()
    statuses = {label: client.post(url, data).status_code
                for label, data in (("valid", valid), ("empty", {}))}
    assert statuses == {"valid": 403, "empty": 403}, (entry.name, role)
    assert _snapshot() == before, f"{entry.name}: a {role} POST changed the database"


def _writer(entry):
    """A role the matrix lets make this POST."""
    return next(role for role, status in entry.post.items() if status < 400)


@pytest.mark.parametrize("entry", [e for e in ENTRIES if _writes(e)], ids=lambda e: e.name)
def test_every_write_needs_the_csrf_token(world, entry):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users[_writer(entry)])
    url = reverse(entry.name, kwargs=entry.build_kwargs(world))
    before = _snapshot()
    response = client.post(url, entry.data(world) if entry.data else {})
    assert response.status_code == 403
    assert _snapshot() == before


# ---------------------------------------------------------------------------------------------
# 4. Suspicions from reading the views, each tried


def test_timeline_preview_with_a_non_ascii_digit_plan_is_404(hostile_client, world):
    # tasks/views.py timeline_preview: "²".isdigit() is True but int("²") raises ValueError.
    hostile_client.force_login(world.users["coordinator"])
    for plan in ("²", "①", "٣"):
        response = hostile_client.get(reverse("tasks:timeline_preview"), {"plan": plan,
                                                                           "text": "Quý II/2022"})
        assert response.status_code == 404, (plan, response.status_code, _explain(response))


@pytest.mark.parametrize("field", ["leads", "lead_groups", "coordinators"])
def test_task_form_with_an_out_of_range_agency_id_shows_an_error(hostile_client, world, field):
    # Django's ModelMultipleChoiceField queries pk__in=[huge] and SQLite raises OverflowError.
    hostile_client.force_login(world.users["coordinator"])
    url = reverse("tasks:task_create", args=[world.draft_plan.pk])
    response = hostile_client.post(
        url, {"title": "Tổ chức hội nghị", "timeline_text": "Quý II/2022", field: HUGE}
    )
    assert response.status_code == 200, (response.status_code, _explain(response))
    assert world.draft_plan.tasks.count() == 0


def test_plan_form_with_an_out_of_range_addressed_agency_shows_an_error(hostile_client, world):
    hostile_client.force_login(world.users["coordinator"])
    response = hostile_client.post(reverse("plans:create"), {
        "issuer": world.province.pk, "title": "Kế hoạch mới", "period_start_year": 2023,
        "period_end_year": 2023, "addressed_agencies": HUGE,
    })
    assert response.status_code == 200, (response.status_code, _explain(response))
    assert not Plan.objects.filter(title="Kế hoạch mới").exists()


def test_edit_conflict_on_a_plan_last_saved_by_nobody_shows_the_conflict(hostile_client, world):
    # Plans loaded by a command (seeds, load_demo) or saved by a deleted user have history
    # records without history_user: the conflict page must still show, not crash.
    hostile_client.force_login(world.users["coordinator"])
    plan = world.draft_plan
    assert plan.history.first().history_user is None
    response = hostile_client.post(
        reverse("plans:edit_section", args=[plan.pk, "header"]),
        {"version": plan.version + 1, "issuer": world.province.pk, "title": "Tiêu đề mới",
         "period_start_year": 2022, "period_end_year": 2022},
    )
    assert response.status_code == 409, (response.status_code, _explain(response))
    assert "Tiêu đề mới" in response.content.decode()
    plan.refresh_from_db()
    assert plan.title != "Tiêu đề mới"


@pytest.mark.parametrize(
    "name", ["leadership:generated", "leadership:reports", "leadership:report"]
)
def test_summary_file_of_a_deleted_requester_still_shows(hostile_client, world, name):
    # GeneratedReport.requested_by is SET_NULL: the file outlives the user who asked for it.
    world.plan.reporting_periods = ["Q1"]
    world.plan.save()
    item = GeneratedReport.objects.create(
        plan=world.plan, year=2022, period_code="Q1", kind="period", format="xlsx",
        status=GenerationStatus.DONE, requested_by=None,
    )
    hostile_client.force_login(world.users["leadership"])
    kwargs = {
        "leadership:generated": {"pk": item.pk},
        "leadership:reports": {"pk": world.plan.pk},
        "leadership:report": {"pk": world.plan.pk, "year": 2022, "code": "Q1"},
    }[name]
    response = hostile_client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200, (response.status_code, _explain(response))
    assert "–" in response.content.decode()


@pytest.fixture
def draft_agency_plan(world):
    plan = PlanFactory(issuer=world.own_agency, parent=world.plan, status="draft",
                       title="Dự thảo kế hoạch của Sở Tư pháp")
    LegalBasis.objects.create(plan=plan, text="Kế hoạch của UBND tỉnh", position=1)
    return plan


def test_officer_editing_own_agency_plan_cannot_move_it_by_posting_hidden_fields(
    hostile_client, world, draft_agency_plan
):
    plan = draft_agency_plan
    hostile_client.force_login(world.users["own"])
    response = hostile_client.post(reverse("plans:edit_section", args=[plan.pk, "header"]), {
        "version": plan.version, "title": "Kế hoạch đã sửa", "period_start_year": 2022,
        "period_end_year": 2022, "issuer": world.other_agency.pk,
        "parent": world.draft_plan.pk, "addressed_agencies": [world.other_agency.pk],
        "submission_deadline": "2022-03-01",
    })
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.title == "Kế hoạch đã sửa"
    assert (plan.issuer, plan.parent, plan.submission_deadline) == (
        world.own_agency, world.plan, None
    )
    assert list(plan.addressed_agencies.all()) == []


def test_plan_parts_of_another_plan_cannot_be_edited_through_a_posted_id(
    hostile_client, world, draft_agency_plan
):
    """The officer edits the legal bases of their own draft plan but posts the id of a legal
    basis of the province's plan, to change it and to delete it."""
    target = LegalBasis.objects.create(plan=world.plan, text="Nghị quyết 76/NQ-CP", position=1)
    hostile_client.force_login(world.users["own"])
    url = reverse("plans:edit_section", args=[draft_agency_plan.pk, "legal_bases"])
    for extra in ({"parts-0-text": "Bị sửa"}, {"parts-0-text": "x", "parts-0-DELETE": "on"}):
        response = hostile_client.post(url, {
            "version": draft_agency_plan.version, "parts-TOTAL_FORMS": "1",
            "parts-INITIAL_FORMS": "1", "parts-MIN_NUM_FORMS": "0",
            "parts-MAX_NUM_FORMS": "1000", "parts-0-id": target.pk,
            "parts-0-plan": draft_agency_plan.pk, "parts-0-ORDER": "1", **extra,
        })
        assert response.status_code < 500, _explain(response)
        target.refresh_from_db()
        assert (target.plan, target.text) == (world.plan, "Nghị quyết 76/NQ-CP")


def test_officer_submitting_a_plan_cannot_submit_it_for_another_agency(hostile_client, world):
    hostile_client.force_login(world.users["own"])
    response = hostile_client.post(reverse("plans:submit", args=[world.plan.pk]), {
        "agency": world.other_agency.pk, "title": "Kế hoạch của Sở Y tế?",
        "document_number": "1/KH", "issued_on": "2022-02-14",
    })
    assert response.status_code == 302
    submitted = Plan.objects.get(title="Kế hoạch của Sở Y tế?")
    assert submitted.issuer == world.own_agency


def test_coordinator_cannot_record_a_submission_for_an_agency_not_addressed(
    hostile_client, world
):
    hostile_client.force_login(world.users["coordinator"])
    response = hostile_client.post(reverse("plans:submit", args=[world.plan.pk]), {
        "agency": world.other_agency.pk, "received_on": "2022-02-20",
        "title": "Kế hoạch của Sở Y tế", "document_number": "1/KH", "issued_on": "2022-02-14",
    })
    assert response.status_code == 200
    assert not Plan.objects.filter(issuer=world.other_agency).exists()


def test_evidence_links_must_be_web_addresses(hostile_client, world):
    hostile_client.force_login(world.users["own"])
    response = hostile_client.post(reverse("tasks:post_update", args=[world.assignment.pk]), {
        "status": "in_progress", "percent": "60", "narrative": "Đã đăng tin",
        "links": "javascript:alert(document.cookie)\ndata:text/html,<script>x</script>",
    })
    assert response.status_code == 200
    assert ProgressUpdate.objects.filter(assignment=world.assignment).count() == 1


def test_uploaded_files_are_not_served_as_media(hostile_client, world):
    """Evidence and plan documents are only served by views that check access."""
    world.agency_plan.document_file.save("ke-hoach.pdf", SimpleUploadedFile("x.pdf", b"%PDF"))
    hostile_client.force_login(world.users["other"])
    for stored in (world.evidence.file.name, world.agency_plan.document_file.name):
        assert hostile_client.get(f"/media/{stored}").status_code == 404, stored


def test_agency_report_form_ignores_assignments_of_other_agencies(hostile_client, world):
    """A posted state for an assignment that is not the report's own changes nothing."""
    other_task = _give_other_agency_a_task(world)
    other_assignment = other_task.assignments.get(role=AssignmentRole.LEAD)
    report = _own_report(world)
    hostile_client.force_login(world.users["own"])
    data = {"version": report.version, "action": "save", "results": "Kết quả quý I",
            f"a{other_assignment.pk}_status": "done", f"a{other_assignment.pk}_percent": "100"}
    for state in report.task_states.all():
        data[f"a{state.assignment_id}_status"] = state.status
        data[f"a{state.assignment_id}_percent"] = state.percent
    response = hostile_client.post(reverse("periodic:report_edit", args=[report.pk]), data)
    assert response.status_code == 302
    other_assignment.refresh_from_db()
    assert other_assignment.status != "done"
    assert not report.task_states.filter(assignment=other_assignment).exists()
    assert not Assignment.objects.filter(agency=world.other_agency, percent=100).exists()


def test_what_an_officer_types_is_shown_escaped_everywhere(hostile_client, world):
    """An officer's narrative, evidence file name, link, report and submitted plan carry a
    script; no page of any role shows it unescaped."""
    client = hostile_client
    client.force_login(world.users["own"])
    pdf = MINIMAL_PDF
    response = client.post(reverse("tasks:post_update", args=[world.assignment.pk]), {
        "status": "in_progress", "percent": "60", "narrative": XSS,
        "links": f"https://example.com/?q={XSS}",
        "files": [SimpleUploadedFile(f"{XSS}.pdf", pdf, "application/pdf")],
    })
    assert response.status_code == 302, _explain(response)
    response = client.post(reverse("plans:submit", args=[world.plan.pk]), {
        "title": XSS, "document_number": XSS[:60], "issued_on": "2022-02-14",
    })
    assert response.status_code == 302, _explain(response)
    report = _own_report(world)
    data = {"version": report.version, "action": "submit", "results": XSS,
            "shortcomings": XSS, "proposals": XSS}
    for state in report.task_states.all():
        data[f"a{state.assignment_id}_status"] = state.status
        data[f"a{state.assignment_id}_percent"] = state.percent
        data[f"a{state.assignment_id}_note"] = XSS
    response = client.post(reverse("periodic:report_edit", args=[report.pk]), data)
    assert response.status_code == 302, _explain(response)
    submitted = Plan.objects.get(title=XSS)
    pages = [
        reverse("tasks:detail", args=[world.task.pk]),
        reverse("plans:list"),
        reverse("plans:detail", args=[world.plan.pk]),
        reverse("plans:detail", args=[submitted.pk]),
        reverse("plans:history", args=[submitted.pk]),
        reverse("plans:submissions", args=[world.plan.pk]),
        reverse("periodic:report_detail", args=[report.pk]),
        reverse("periodic:completeness", args=[world.plan.pk]),
        reverse("reports:plan_dashboard", args=[world.plan.pk]),
        reverse("documents:plan_preview", args=[submitted.pk]),
        reverse("leadership:report", kwargs={"pk": world.plan.pk, "year": 2022, "code": "Q1"}),
        reverse("leadership:preview", kwargs={"pk": world.plan.pk, "year": 2022, "code": "Q1"}),
    ]
    shown = {}
    for role in ("own", "coordinator"):
        client.force_login(world.users[role])
        for url in pages:
            response = client.get(url)
            if response.status_code == 200:
                shown[(role, url)] = XSS.encode() in response.content
            else:
                assert response.status_code in (403, 404), (role, url, _explain(response))
    assert len(shown) == 19, shown  # 7 pages for the officer, 12 for the coordinator
    assert not any(shown.values()), [key for key, raw in shown.items() if raw]
    escaped = client.get(reverse("tasks:detail", args=[world.task.pk])).content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in escaped


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:x"])
def test_login_and_language_switch_do_not_redirect_elsewhere(client, world, target):
    response = client.post(
        f"{reverse('login')}?next={target}",
        {"username": "bob", "password": "correct horse battery", "next": target},
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"] and "javascript" not in response["Location"]
    response = client.post(reverse("set_language"), {"language": "en", "next": target})
    assert "evil.example" not in response["Location"] and "javascript" not in response["Location"]
