"""Summary reports rendered to files: on the command line, and in the background.

``render_report`` turns a plan and a period into the bytes of a PDF, an xlsx or the HTML
preview; ``render_report_command`` (manage.py render_report) and the background task share it.

Background generation (Django's task framework, ``django_tasks_db`` worker started by
``make run``): ``request_generation`` records a ``GeneratedReport`` (queued) and enqueues
``generate_report``; the worker marks it running, renders the file in memory and only then
saves it under ``MEDIA_ROOT/reports/`` and marks it done. Any error marks it failed with the
reason and leaves no file behind.
"""

import logging
import time
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from documents.pdf import render_html, write_pdf
from documents.plan import PLAN_TEMPLATE, plan_document, plan_document_queryset, plan_filename
from periodic.services import plan_period
from plans.models import Plan

from .models import GeneratedReport, GenerationStatus, ReportDraft, SummaryFormat, SummaryKind
from .summary import build_summary, document_context
from .xlsx import render_xlsx

logger = logging.getLogger(__name__)

SUMMARY_TEMPLATE = "documents/summary.html"
FORMATS = ("pdf", "xlsx", "html")
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
}
# The document is Vietnamese whatever the requester's interface language.
DOCUMENT_LANGUAGE = "vi"


@dataclass
class Rendered:
    content: bytes
    filename: str
    pages: int | None = None
    timings: dict | None = None  # seconds per step: data, html, weasyprint

    @property
    def content_type(self):
        return CONTENT_TYPES[self.filename.rsplit(".", 1)[-1]]


def kind_of(code):
    return SummaryKind.ANNUAL if code == "Y" else SummaryKind.PERIOD


def render_report(plan, year, code, fmt, *, today=None):
    """The summary of ``plan`` for ``year``/``code`` as ``fmt`` (pdf, xlsx or html).

    Raises ``ValidationError`` for a period the plan does not report on and ``ValueError``
    for an unknown format.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    timings = {}
    with translation.override(DOCUMENT_LANGUAGE):
        started = time.perf_counter()
        summary = build_summary(plan, year, code, today=today)
        timings["data"] = time.perf_counter() - started
        filename = f"{summary.filename_stem}.{fmt}"
        if fmt == "xlsx":
            started = time.perf_counter()
            content = render_xlsx(summary)
            timings["xlsx"] = time.perf_counter() - started
            return Rendered(content, filename, timings=timings)
        started = time.perf_counter()
        html = render_html(SUMMARY_TEMPLATE, document_context(summary))
        timings["html"] = time.perf_counter() - started
        if fmt == "html":
            return Rendered(html.encode(), filename, timings=timings)
        started = time.perf_counter()
        content, pages = write_pdf(html)
        timings["weasyprint"] = time.perf_counter() - started
        return Rendered(content, filename, pages=pages, timings=timings)


def render_plan_document(plan):
    """The plan itself as its PDF document (``documents:plan_pdf``)."""
    plan = plan_document_queryset(Plan.objects.filter(pk=plan.pk)).get()
    with translation.override(DOCUMENT_LANGUAGE):
        content, pages = write_pdf(render_html(PLAN_TEMPLATE, plan_document(plan)))
    return Rendered(content, plan_filename(plan), pages=pages)


# ---------------------------------------------------------------------------------------------
# In the background


@transaction.atomic
def request_generation(*, plan, year=None, period_code="", fmt, user):
    """Record a queued ``GeneratedReport`` and enqueue its rendering.

    ``period_code`` empty asks for the plan document (PDF only). Raises ``ValidationError``
    for a period the plan does not report on or a format the kind has not.
    """
    if fmt not in SummaryFormat.values:
        raise ValidationError(_("Choose PDF or Excel."), code="format")
    if period_code:
        plan_period(plan, year, period_code)
        kind = kind_of(period_code)
    else:
        if fmt != SummaryFormat.PDF:
            raise ValidationError(_("The plan document is made as a PDF only."), code="format")
        kind, year = SummaryKind.PLAN, None
    generated = GeneratedReport.objects.create(
        plan=plan,
        year=year,
        period_code=period_code,
        kind=kind,
        format=fmt,
        requested_by=user,
    )
    generate_report.enqueue(generated.pk)
    return generated


def _mark(generated_id, **fields):
    GeneratedReport.objects.filter(pk=generated_id).update(**fields)


def run_generation(generated_id):
    """Render one queued report to its file; on any error record it failed, with no file."""
    generated = GeneratedReport.objects.select_related("plan").filter(pk=generated_id).first()
    if generated is None or generated.status not in (
        GenerationStatus.QUEUED, GenerationStatus.RUNNING
    ):
        return None
    _mark(generated.pk, status=GenerationStatus.RUNNING, started_at=timezone.now(), error="")
    saved_name = None
    try:
        if generated.kind == SummaryKind.PLAN:
            rendered = render_plan_document(generated.plan)
            number = ""
        else:
            rendered = render_report(
                generated.plan, generated.year, generated.period_code, generated.format
            )
            number = _issued_number(generated)
        # The bytes are complete before anything is written: a failure leaves no file.
        storage = generated.file.storage
        saved_name = storage.save(
            generated.file.field.generate_filename(generated, rendered.filename),
            ContentFile(rendered.content),
        )
        _mark(
            generated.pk,
            status=GenerationStatus.DONE,
            file=saved_name,
            size=len(rendered.content),
            pages=rendered.pages,
            number=number,
            finished_at=timezone.now(),
        )
    except Exception as error:
        logger.exception("Generation of report %s failed", generated.pk)
        if saved_name:
            generated.file.storage.delete(saved_name)
        _mark(
            generated.pk,
            status=GenerationStatus.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            file="",
            size=0,
            finished_at=timezone.now(),
        )
        return GenerationStatus.FAILED
    return GenerationStatus.DONE


def _issued_number(generated):
    draft = ReportDraft.objects.filter(
        plan=generated.plan_id, year=generated.year, period_code=generated.period_code
    ).first()
    return draft.number if draft and draft.is_issued else ""


@task()
def generate_report(generated_id):
    """The background task: see ``run_generation``."""
    return run_generation(generated_id)
