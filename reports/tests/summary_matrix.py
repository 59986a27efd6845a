"""Permission matrix of the summary reports for leadership (namespace ``leadership``).

Coordinators, leadership and administrators read the reports and have files generated;
only coordinators write a report's text and issue it; agency officers get 403 everywhere.
The World's plan gets the Q1/6-month/9-month/year regime.
"""

from django.core.files.base import ContentFile
from django.utils import timezone

from reports.models import GeneratedReport, GenerationStatus
from tests.matrix import Entry

ALL_405 = dict.fromkeys(["anonymous", "coordinator", "leadership", "admin", "own", "other"], 405)
READERS = {"coordinator": 200, "leadership": 200, "admin": 200, "own": 403, "other": 403}
GENERATES = {"coordinator": 302, "leadership": 302, "admin": 302, "own": 403, "other": 403}
WRITES = {"coordinator": 302, "leadership": 403, "admin": 403, "own": 403, "other": 403}


def with_periods(world):
    world.plan.reporting_periods = ["Q1", "H1", "M9", "Y"]
    world.plan.save()
    return world.plan


def plan_kwargs(world):
    return {"pk": with_periods(world).pk}


def period_kwargs(world):
    return {"pk": with_periods(world).pk, "year": 2022, "code": "Q1"}


def generated_kwargs(world):
    item = GeneratedReport.objects.create(
        plan=with_periods(world), year=2022, period_code="Q1", kind="period", format="xlsx",
        status=GenerationStatus.DONE, requested_by=world.users["coordinator"],
    )
    item.file.save("BC-Q1-2022.xlsx", ContentFile(b"PK\x03\x04 not a real workbook"))
    return {"pk": item.pk}


def signed_kwargs(world):
    """A signed PDF with its unsigned draft beside it."""
    item = GeneratedReport.objects.create(
        plan=with_periods(world), year=2022, period_code="Q1", kind="period", format="pdf",
        status=GenerationStatus.DONE, requested_by=world.users["coordinator"],
        number="12/BC-SNV", signed_at=timezone.now(), signed_by="Sở Nội vụ",
    )
    item.file.save("BC-Q1-2022.pdf", ContentFile(b"%PDF-1.7 signed"))
    item.draft_file.save("BC-Q1-2022-chua-ky-so.pdf", ContentFile(b"%PDF-1.7 unsigned"))
    return {"pk": item.pk}


ENTRIES = [
    Entry("leadership:index", get=READERS, post=None),
    Entry("leadership:reports", kwargs=plan_kwargs, get=READERS, post=None),
    Entry(
        "leadership:generate",
        kwargs=plan_kwargs,
        get=ALL_405,
        post=GENERATES,
        data=lambda w: {"period": "2022-Q1", "format": "xlsx"},
    ),
    Entry("leadership:report", kwargs=period_kwargs, get=READERS, post=None),
    Entry("leadership:preview", kwargs=period_kwargs, get=READERS, post=None),
    Entry(
        "leadership:text",
        kwargs=period_kwargs,
        get=ALL_405,
        post=WRITES,
        data=lambda w: {"introduction": "", "proposals": "Tiếp tục đẩy mạnh tuyên truyền."},
    ),
    Entry(
        "leadership:issue",
        kwargs=period_kwargs,
        get=ALL_405,
        post=WRITES,
        data=lambda w: {"number": "45/BC-SNV", "issued_on": "2022-04-05"},
    ),
    Entry("leadership:generated", kwargs=generated_kwargs, get=READERS, post=None),
    Entry("leadership:status", kwargs=generated_kwargs, get=READERS, post=None),
    Entry("leadership:download", kwargs=generated_kwargs, get=READERS, post=None),
    # The unsigned draft of a signed file: coordinators only.
    Entry("leadership:download_draft", kwargs=signed_kwargs,
          get={**READERS, "leadership": 403, "admin": 403}, post=None),
]
