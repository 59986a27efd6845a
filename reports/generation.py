"""Summary reports rendered to files: on the command line, and in the background.

``render_report`` turns a plan and a period into the bytes of a PDF, a Word file (the same
HTML written by ``documents/docx.py``), an xlsx or the HTML preview; ``render_report_command``
(manage.py render_report) and the background task share it.

Background generation (Django's task framework, ``django_tasks_db`` worker started by
``make run``): ``request_generation`` records a ``GeneratedReport`` (queued) and enqueues
``generate_report``; the worker marks it running, renders the file in memory and only then
writes it under ``MEDIA_ROOT/reports/`` (to a temporary name, renamed when complete) and
marks it done. Any error marks it failed with the reason and leaves no file behind. When the
worker itself dies, the next worker finds the task abandoned and ``recover_generations``
queues the file again or, after ``GENERATION_MAX_ATTEMPTS``, marks it failed.
"""

import logging
import os
import shutil
import time
from dataclasses import dataclass, replace
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import F
from django.tasks import TaskResultStatus, task
from django.tasks.exceptions import TaskResultDoesNotExist
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from documents.docx import CONTENT_TYPE as DOCX_CONTENT_TYPE
from documents.docx import html_document
from documents.pdf import render_html, write_pdf
from documents.plan import PLAN_TEMPLATE, plan_document, plan_document_queryset, plan_filename
from periodic.services import plan_period
from plans.models import Plan, PlanStatus
from signatures.keys import SigningError, key_for, signing_configured
from signatures.signing import MM, SignatureBlock, sign_with_key

from .models import (
    GeneratedReport,
    GenerationStatus,
    ReportDraft,
    SummaryFormat,
    SummaryKind,
    generated_report_path,
)
from .summary import build_summary, document_context
from .xlsx import render_xlsx

logger = logging.getLogger(__name__)

SUMMARY_TEMPLATE = "documents/summary.html"
FORMATS = ("pdf", "docx", "xlsx", "html")
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": DOCX_CONTENT_TYPE,
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
    issuer: object = None  # the Agency whose document it is (and whose key signs it)

    @property
    def content_type(self):
        return CONTENT_TYPES[self.filename.rsplit(".", 1)[-1]]


def kind_of(code):
    return SummaryKind.ANNUAL if code == "Y" else SummaryKind.PERIOD


def render_report(plan, year, code, fmt, *, today=None):
    """The summary of ``plan`` for ``year``/``code`` as ``fmt`` (pdf, docx, xlsx or html).

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
            return Rendered(content, filename, timings=timings, issuer=summary.issuer)
        started = time.perf_counter()
        context = document_context(summary)
        html = render_html(SUMMARY_TEMPLATE, context)
        timings["html"] = time.perf_counter() - started
        if fmt == "html":
            return Rendered(html.encode(), filename, timings=timings, issuer=summary.issuer)
        if fmt == "docx":
            started = time.perf_counter()
            content = html_document(html, parts=[(context["letterhead"], context["signature"])])
            timings["docx"] = time.perf_counter() - started
            return Rendered(content, filename, timings=timings, issuer=summary.issuer)
        started = time.perf_counter()
        content, pages = write_pdf(html)
        timings["weasyprint"] = time.perf_counter() - started
        return Rendered(content, filename, pages=pages, timings=timings, issuer=summary.issuer)


def render_plan_document(plan, fmt="pdf", *, signed=False):
    """The plan itself as its PDF document (``documents:plan_pdf``) or as a Word file.

    ``signed``: the PDF is to carry the issuer's signature, whose stamp takes the top right
    of the first page; the signed original's stamp then stands beside it.
    """
    plan = plan_document_queryset(Plan.objects.filter(pk=plan.pk)).get()
    with translation.override(DOCUMENT_LANGUAGE):
        context = plan_document(plan, beside_signature=signed)
        html = render_html(PLAN_TEMPLATE, context)
        if fmt == "docx":
            parts = [(context["letterhead"], context["signature"])]
            decision = context["decision"]
            if decision:
                parts.insert(0, (decision.letterhead, decision.signature))
            filename = plan_filename(plan).rsplit(".", 1)[0] + ".docx"
            return Rendered(html_document(html, parts=parts), filename, issuer=plan.issuer)
        content, pages = write_pdf(html)
    return Rendered(content, plan_filename(plan), pages=pages, issuer=plan.issuer)


@dataclass
class Signed:
    rendered: Rendered  # the signed document
    draft: Rendered  # the same document unsigned
    signed_at: object
    signed_by: str


def signs(rendered):
    """Whether an issued ``rendered`` PDF is to be signed: its issuer has a key."""
    return rendered.filename.endswith(".pdf") and issuer_signs(rendered.issuer)


def issuer_signs(issuer):
    return issuer is not None and signing_configured(issuer.code)


# The signature space of the documents' signature block (templates/documents/_signature.html,
# ``.signature-space`` in pdf.css): where the signer's image and the seal go when configured.
SIGNATURE_ANCHOR = "chu-ky"
SIGNATURE_SPACE = (60 * MM, 26 * MM)


def sign_rendered(rendered, *, number, reason):
    """Sign ``rendered`` (a PDF) with its issuer's key; raises ``SigningError``."""
    issuer = rendered.issuer
    key = key_for(issuer.code)
    block = None
    if key.signer_image or key.seal_image:
        width, height = SIGNATURE_SPACE
        block = SignatureBlock.at_anchor(
            rendered.content, SIGNATURE_ANCHOR, width=width, height=height
        )
    signed_at = timezone.now()
    content = sign_with_key(
        key, rendered.content, signed_at=signed_at, agency_name=issuer.name, number=number,
        reason=reason, signature_block=block,
    )
    stem = rendered.filename.rsplit(".", 1)[0]
    draft = replace(rendered, filename=f"{stem}-chua-ky-so.pdf")
    return Signed(replace(rendered, content=content), draft, signed_at, issuer.name)


# ---------------------------------------------------------------------------------------------
# In the background


@transaction.atomic
def request_generation(*, plan, year=None, period_code="", fmt, user):
    """Record a queued ``GeneratedReport`` and enqueue its rendering.

    ``period_code`` empty asks for the plan document (PDF only). Raises ``ValidationError``
    for a period the plan does not report on or a format the kind has not.
    """
    if fmt not in SummaryFormat.values:
        raise ValidationError(_("Choose PDF, Word or Excel."), code="format")
    if period_code:
        plan_period(plan, year, period_code)
        kind = kind_of(period_code)
    else:
        if fmt == SummaryFormat.XLSX:
            raise ValidationError(
                _("The plan document is made as a PDF or a Word file."), code="format"
            )
        kind, year = SummaryKind.PLAN, None
    generated = GeneratedReport.objects.create(
        plan=plan,
        year=year,
        period_code=period_code,
        kind=kind,
        format=fmt,
        requested_by=user,
    )
    generated.task_id = generate_report.enqueue(generated.pk).id
    generated.save(update_fields=["task_id"])
    return generated


def _mark(generated_id, **fields):
    GeneratedReport.objects.filter(pk=generated_id).update(**fields)


PARTIAL_SUFFIX = ".partial"
UNFINISHED = (GenerationStatus.QUEUED, GenerationStatus.RUNNING)


def _folder(generated):
    """The generation's own folder under ``MEDIA_ROOT`` (``generated_report_path``)."""
    storage = GeneratedReport._meta.get_field("file").storage
    return Path(storage.path(generated_report_path(generated, "-"))).parent


def _write_file(generated, rendered):
    """Write the file to a temporary name, then rename it to its final one.

    A process killed while writing leaves only the temporary file, which the next attempt or
    ``recover_generations`` removes; a retry writes the same final name again: one file.
    """
    name = generated.file.field.generate_filename(generated, rendered.filename)
    path = Path(generated.file.storage.path(name))
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + PARTIAL_SUFFIX)
    with open(partial, "wb") as handle:
        handle.write(rendered.content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)
    return name


def _discard_files(generated):
    shutil.rmtree(_folder(generated), ignore_errors=True)


def run_generation(generated_id):
    """Render one queued report to its file; on any error record it failed, with no file."""
    claimed = GeneratedReport.objects.filter(pk=generated_id, status__in=UNFINISHED).update(
        status=GenerationStatus.RUNNING,
        started_at=timezone.now(),
        error="",
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return None
    generated = GeneratedReport.objects.select_related("plan").get(pk=generated_id)
    _discard_files(generated)  # what an earlier, interrupted attempt left
    try:
        if generated.kind == SummaryKind.PLAN:
            number = _issued_plan_number(generated.plan)
            rendered = render_plan_document(
                generated.plan, generated.format,
                signed=bool(number) and issuer_signs(generated.plan.issuer),
            )
        else:
            rendered = render_report(
                generated.plan, generated.year, generated.period_code, generated.format
            )
            number = issued_number(generated.plan_id, generated.year, generated.period_code)
        signature = {"draft_file": "", "signed_at": None, "signed_by": ""}
        if number and signs(rendered):
            with translation.override(DOCUMENT_LANGUAGE):
                signed = sign_rendered(rendered, number=number, reason=_("Issuing the document"))
            rendered = signed.rendered
            signature = {
                "draft_file": _write_file(generated, signed.draft),
                "signed_at": signed.signed_at,
                "signed_by": signed.signed_by,
            }
        # The bytes are complete before anything is written: a failure leaves no file.
        saved_name = _write_file(generated, rendered)
        _mark(
            generated.pk,
            status=GenerationStatus.DONE,
            file=saved_name,
            size=len(rendered.content),
            pages=rendered.pages,
            number=number,
            finished_at=timezone.now(),
            **signature,
        )
    except DatabaseError:
        # The database went away, not the report: the task fails and the file is tried
        # again once the database is back (recover_generations).
        _discard_files(generated)
        raise
    except Exception as error:
        logger.exception("Generation of report %s failed", generated.pk)
        _discard_files(generated)
        reason = f"{type(error).__name__}: {error}"
        if isinstance(error, SigningError):  # its message is for the user
            reason = str(error)
        _mark(
            generated.pk,
            status=GenerationStatus.FAILED,
            error=reason[:2000],
            file="",
            draft_file="",
            signed_at=None,
            signed_by="",
            size=0,
            finished_at=timezone.now(),
        )
        return GenerationStatus.FAILED
    return GenerationStatus.DONE


def recover_generations():
    """Queue again, or mark failed, the unfinished files whose background task has ended.

    A task ends without finishing its file when its worker died (killed, out of memory, the
    database gone while it ran): the next worker marks such a task failed
    (``operations.worker``) and calls this. A file is tried ``GENERATION_MAX_ATTEMPTS`` times
    in all; then it is marked failed with the reason, for the person who asked for it.
    Returns the ids of the generations queued again and of those marked failed.
    """
    retried, failed = [], []
    for generated in GeneratedReport.objects.filter(status__in=UNFINISHED).exclude(task_id=""):
        try:
            state = generate_report.get_result(generated.task_id).status
        except TaskResultDoesNotExist:
            state = None
        if state in (TaskResultStatus.READY, TaskResultStatus.RUNNING):
            continue
        with transaction.atomic():
            unchanged = GeneratedReport.objects.filter(
                pk=generated.pk, status=generated.status, task_id=generated.task_id
            )
            if generated.attempts < settings.GENERATION_MAX_ATTEMPTS:
                task_id = generate_report.enqueue(generated.pk).id
                if unchanged.update(status=GenerationStatus.QUEUED, task_id=task_id):
                    retried.append(generated.pk)
                else:  # finished meanwhile: drop the new task with the transaction
                    transaction.set_rollback(True)
                continue
            with translation.override(settings.LANGUAGE_CODE):
                reason = _(
                    "The background worker stopped while making this file, %(attempts)s times."
                    " Ask for it again; if that fails too, tell the administrator."
                ) % {"attempts": generated.attempts}
            if unchanged.update(status=GenerationStatus.FAILED, error=reason, file="", size=0,
                                finished_at=timezone.now()):
                failed.append(generated.pk)
        if generated.pk in failed:
            _discard_files(generated)
    if retried or failed:
        logger.warning("Generations queued again: %s; marked failed: %s", retried, failed)
    return retried, failed


def issued_number(plan, year, code):
    """The number of the plan's report for the period once issued, else ""."""
    draft = ReportDraft.objects.filter(plan=plan, year=year, period_code=code).first()
    return draft.number if draft and draft.is_issued else ""


def _issued_plan_number(plan):
    return plan.document_number if plan.status != PlanStatus.DRAFT else ""


@task()
def generate_report(generated_id):
    """The background task: see ``run_generation``."""
    return run_generation(generated_id)
