"""Permission matrix of the periodic reports (namespace ``periodic``).

The World's plan gets the Q1/6-month/9-month/year regime; reports are made for the World's
own agency (bob's Sở Tư pháp) through the services, in the state each URL needs.
"""

from django.core.files.base import ContentFile

from periodic.models import AgencyReport, ReportStatus
from periodic.services import start_report, submit
from tests.matrix import Entry

ALL_405 = dict.fromkeys(
    ["anonymous", "coordinator", "leadership", "admin", "own", "other"], 405
)
OFFICERS_ONLY = {"coordinator": 403, "leadership": 403, "admin": 403, "own": 200, "other": 200}
READERS = {"coordinator": 200, "leadership": 200, "admin": 200, "own": 403, "other": 403}
OWN_WRITES = {"coordinator": 403, "leadership": 403, "admin": 403, "own": 302, "other": 404}
REVIEWS = {"coordinator": 302, "leadership": 403, "admin": 403, "own": 403, "other": 404}


def with_periods(world):
    world.plan.reporting_periods = ["Q1", "H1", "M9", "Y"]
    world.plan.report_due_day = 20
    world.plan.save()
    return world.plan


def report_of_own_agency(world, status=ReportStatus.DRAFT):
    plan = with_periods(world)
    owner = world.users["own"]
    report = start_report(
        plan=plan, agency=world.own_agency, year=2022, period_code="Q1", user=owner
    )
    report.results = "Đã tổ chức 01 hội nghị tuyên truyền CCHC."
    report.save()
    if status == ReportStatus.SUBMITTED and report.status != ReportStatus.SUBMITTED:
        report = submit(report=report, user=owner)
    return report


def draft_kwargs(world):
    return {"pk": report_of_own_agency(world).pk}


def submitted_kwargs(world):
    return {"pk": report_of_own_agency(world, ReportStatus.SUBMITTED).pk}


def signed_kwargs(world):
    """A submitted report with its signed copy."""
    report = report_of_own_agency(world, ReportStatus.SUBMITTED)
    report.signed_copy.save("bao-cao-quy-i.pdf", ContentFile(b"%PDF-1.7 signed copy"))
    return {"pk": report.pk}


def edit_data(world):
    report = AgencyReport.objects.get(agency=world.own_agency)
    data = {
        "version": report.version,
        "action": "save",
        "results": "Kết quả quý I",
        "shortcomings": "",
        "proposals": "",
    }
    for state in report.task_states.all():
        data[f"a{state.assignment_id}_status"] = state.status
        data[f"a{state.assignment_id}_percent"] = state.percent
    return data


ENTRIES = [
    Entry("periodic:my_reports", get=OFFICERS_ONLY, post=None),
    Entry(
        "periodic:report_start",
        kwargs=lambda w: {"plan_pk": with_periods(w).pk, "year": 2022, "code": "H1"},
        get=ALL_405,
        post=OWN_WRITES,
    ),
    Entry("periodic:overview", get=READERS, post=None),
    Entry(
        "periodic:completeness",
        kwargs=lambda w: {"plan_pk": with_periods(w).pk},
        get=READERS,
        post=None,
    ),
    Entry(
        "periodic:completeness_remind",
        kwargs=lambda w: {"plan_pk": with_periods(w).pk, "agency_pk": w.own_agency.pk},
        get=None,
        post={"coordinator": 302, "leadership": 403, "admin": 403, "own": 403, "other": 403},
    ),
    Entry(
        "periodic:report_detail",
        kwargs=draft_kwargs,
        get={"coordinator": 200, "leadership": 200, "admin": 200, "own": 200, "other": 404},
        post=None,
    ),
    Entry(
        "periodic:report_pdf",
        kwargs=submitted_kwargs,
        get={"coordinator": 200, "leadership": 200, "admin": 200, "own": 200, "other": 404},
        post=None,
    ),
    Entry(
        "periodic:report_signed_copy",
        kwargs=signed_kwargs,
        get={"coordinator": 200, "leadership": 200, "admin": 200, "own": 200, "other": 404},
        post=None,
    ),
    Entry(
        "periodic:report_edit",
        kwargs=draft_kwargs,
        get={"coordinator": 403, "leadership": 403, "admin": 403, "own": 200, "other": 404},
        post=OWN_WRITES,
        data=edit_data,
    ),
    Entry("periodic:report_submit", kwargs=draft_kwargs, get=ALL_405, post=OWN_WRITES),
    Entry("periodic:report_accept", kwargs=submitted_kwargs, get=ALL_405, post=REVIEWS),
    Entry(
        "periodic:report_return",
        kwargs=submitted_kwargs,
        get=ALL_405,
        post=REVIEWS,
        data=lambda w: {"comment": "Bổ sung số liệu hội nghị."},
    ),
]

# The admin pages of the reports from before they moved out of ``reports``: a permanent
# redirect for everyone logged in; the admin itself then checks who may see them.
MOVED = dict.fromkeys(["coordinator", "leadership", "admin", "own", "other"], 301)
ENTRIES.append(
    Entry(
        "moved_admin",
        kwargs=lambda w: {"model": "agencyreport", "rest": ""},
        get=MOVED,
        post=None,
    )
)
