"""Spreadsheet import jobs: upload → check (the preview) → confirm → import.

``start_import`` stores the uploaded file and records a queued ``ImportJob``; ``confirm_import``
queues its import once its user has read the preview. ``run_job`` does the queued step: a
file of at most ``IMPORT_INLINE_MAX_BYTES`` right away in the request, a bigger one in the
background worker (Django's task framework, ``db_worker``), reporting its progress on the job.

This is the boundary where every failure is turned into a message for the user: the file's
own problems (``SpreadsheetError``), bad rows (listed with their line), a refusal of the
import service (``ImportRefused``) and anything unexpected, which is logged in full and shown
as a plain sentence. The import itself is one transaction: a crash leaves nothing imported.
"""

import datetime
import logging

from django.conf import settings
from django.db import DatabaseError
from django.tasks import task
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from cchc_plans.spreadsheets import (
    ImportRefused,
    Limits,
    SafeSpreadsheetMixin,
    SpreadsheetError,
    read_dataset,
)

from .models import FINISHED, ImportJob, ImportStatus

logger = logging.getLogger(__name__)

# A preview nobody confirmed is dropped after this long, with its file.
PREVIEW_KEPT = datetime.timedelta(days=1)


def resource_path(resource_class):
    return f"{resource_class.__module__}.{resource_class.__qualname__}"


def start_import(*, upload, fmt, resource_class, user, language):
    """Store ``upload`` (already checked by ``check_upload``) and check it, now or queued."""
    _drop_old_previews()
    job = ImportJob(
        resource=resource_path(resource_class),
        user=user,
        language=language,
        original_name=upload.name[-255:],
        format=fmt,
    )
    job.file.save(f"import.{fmt}", upload, save=False)
    job.save()
    _dispatch(job)
    return job


def confirm_import(*, job):
    """Queue the import of a checked file; False when it was not (or no longer) checked."""
    queued = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.CHECKED).update(
        status=ImportStatus.CONFIRMED, rows_done=0, heartbeat_at=None
    )
    if queued:
        _dispatch(job)
    return bool(queued)


def cancel_import(*, job):
    """Drop a checked file that will not be imported."""
    cancelled = ImportJob.objects.filter(
        pk=job.pk, status__in=[ImportStatus.CHECKED, ImportStatus.REJECTED]
    ).update(status=ImportStatus.CANCELLED, finished_at=timezone.now())
    if cancelled:
        job.refresh_from_db()
        _remove_file(job)
    return bool(cancelled)


def notice_stale(job):
    """A job whose worker died (killed, machine down) is marked failed; its import, one
    transaction, was rolled back with it."""
    if job.is_stale:
        with translation.override(job.language):
            _finish(job, ImportStatus.FAILED, message=_(
                "The import was interrupted (the background worker stopped). Nothing has been "
                "imported; upload the file again."
            ))
    return job


def _dispatch(job):
    if job.file.size <= settings.IMPORT_INLINE_MAX_BYTES:
        run_job(job.pk)
    else:
        run_import.enqueue(job.pk)


@task()
def run_import(job_id):
    """The background task: see ``run_job``."""
    run_job(job_id)


def run_job(job_id):
    """Do the queued step of the job: check its file, or import it once confirmed."""
    job = ImportJob.objects.select_related("user").filter(pk=job_id).first()
    steps = {
        ImportStatus.QUEUED: (ImportStatus.CHECKING, _check),
        ImportStatus.CONFIRMED: (ImportStatus.IMPORTING, _import),
    }
    if job is None or job.status not in steps:
        return None
    working, step = steps[job.status]
    # Of two workers given the same job, one claims it.
    if not ImportJob.objects.filter(pk=job.pk, status=job.status).update(
        status=working, heartbeat_at=timezone.now()
    ):
        return None
    job.status = working
    with translation.override(job.language):
        try:
            step(job)
        except Exception:
            logger.exception("Import job %s failed", job.pk)
            _finish(job, ImportStatus.FAILED, message=_(
                "The file could not be imported because of an error in the application. "
                "Nothing has been imported; the error has been logged for the administrators."
            ))
    return job.status


def _resource(job):
    resource_class = import_string(job.resource)
    if not issubclass(resource_class, SafeSpreadsheetMixin):
        raise TypeError(f"{job.resource} is not an import resource")
    return resource_class()


def _read(job):
    with job.file.open("rb") as stream:
        data = stream.read()
    dataset = read_dataset(data, job.format, Limits.from_settings())
    ImportJob.objects.filter(pk=job.pk).update(rows_total=len(dataset))
    job.rows_total = len(dataset)
    return dataset


def _progress(job):
    def report(rows_done):
        ImportJob.objects.filter(pk=job.pk).update(rows_done=rows_done,
                                                   heartbeat_at=timezone.now())
    return report


def _check(job):
    try:
        dataset = _read(job)
        resource = _resource(job)
        result = resource.import_data(dataset, dry_run=True, progress=_progress(job))
    except SpreadsheetError as error:
        return _finish(job, ImportStatus.REJECTED, message=error.message)
    problems = resource.row_problems(result)
    if not problems and not (result.totals["new"] or result.totals["update"]):
        return _finish(job, ImportStatus.REJECTED, counts=result.totals, message=_(
            "Every row of this file is the same as what is stored: there is nothing to import."
        ))
    return _finish(
        job, ImportStatus.REJECTED if problems else ImportStatus.CHECKED,
        counts=result.totals, problems=problems,
    )


def _import(job):
    try:
        dataset = _read(job)
        resource = _resource(job)
        result = resource.import_data(
            dataset, dry_run=False, user=job.user, progress=_progress(job)
        )
    except (SpreadsheetError, ImportRefused) as error:
        return _finish(job, ImportStatus.FAILED, message=error.message)
    except DatabaseError:
        logger.exception("Import job %s: the database refused the rows", job.pk)
        return _finish(job, ImportStatus.FAILED, message=_(
            "The database refused these rows, so nothing has been imported. Check the file "
            "again, and if this happens again, ask an administrator: the error has been logged."
        ))
    problems = resource.row_problems(result)
    if problems:
        # Something changed between the preview and the confirmation.
        return _finish(job, ImportStatus.FAILED, counts=result.totals, problems=problems,
                       message=_("Since the preview, the data has changed and some rows no "
                                 "longer pass the checks. Nothing has been imported."))
    return _finish(job, ImportStatus.DONE, counts=result.totals)


def _finish(job, status, *, counts=None, problems=(), message=""):
    fields = {
        "status": status,
        "problems": [problem.as_dict() for problem in problems],
        "message": message,
        "heartbeat_at": timezone.now(),
        "rows_done": job.rows_total,
    }
    if counts:
        fields.update(new=counts["new"], updated=counts["update"], unchanged=counts["skip"])
    if status in FINISHED:
        fields["finished_at"] = timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(**fields)
    for name, value in fields.items():
        setattr(job, name, value)
    if status in FINISHED:
        _remove_file(job)
    return status


def _remove_file(job):
    if job.file:
        job.file.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(file="")


def _drop_old_previews():
    old = ImportJob.objects.filter(
        status=ImportStatus.CHECKED, created_at__lt=timezone.now() - PREVIEW_KEPT
    )
    for job in old:
        cancel_import(job=job)
