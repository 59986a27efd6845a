"""manage.py backup and restore: one archive with the database and the media files; the round
trip gives back every row of every table (history included, nothing added) and every file."""

import hashlib
import shutil
import tarfile
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from operations.backup import installation_content
from reports import generation
from tasks.models import Assignment, ProgressUpdate, Status
from tasks.services import post_update
from tests.factories import UserFactory
from tests.matrix import MINIMAL_PDF

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
pytestmark = pytest.mark.django_db(transaction=True)


def tables():
    """Every row of every table, as comparable text."""
    with connection.cursor() as cursor:
        rows = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows[table] = sorted(
                repr(tuple(bytes(v) if isinstance(v, memoryview) else v for v in row))
                for row in cursor.fetchall()
            )
    return rows


def files(root):
    return {path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in root.rglob("*") if path.is_file()}


def post(assignment, narrative, with_file=False):
    uploads = []
    if with_file:
        uploads = [(SimpleUploadedFile("minh-chung.pdf", MINIMAL_PDF), "application/pdf")]
    author = UserFactory(agency=assignment.agency)
    return post_update(assignment=assignment, author=author, status=Status.IN_PROGRESS,
                       percent=40, narrative=narrative, files=uploads)


def restore(archive, **options):
    call_command("restore", str(archive), stdout=StringIO(), **options)


def test_backup_and_restore_give_back_every_row_and_file(media, tmp_path):
    call_command("load_demo", stdout=StringIO())
    assignment = Assignment.objects.filter(task__plan__status="issued").first()
    post(assignment, "Đã đăng tải tin bài, kèm minh chứng", with_file=True)
    leader = UserFactory(agency=assignment.task.plan.issuer, role="leadership")
    with override_settings(TASKS=IMMEDIATE):
        generation.request_generation(plan=assignment.task.plan, year=2022, period_code="Q1",
                                      fmt="xlsx", user=leader)
    before, media_before = tables(), files(media)
    assert any(name.startswith("evidence") for name in media_before)
    assert any(name.startswith("reports/") for name in media_before)
    archive = tmp_path / "backup.tar.gz"

    out = StringIO()
    call_command("backup", output=str(archive), stdout=out)

    assert f"Wrote {archive}" in out.getvalue()
    with tarfile.open(archive) as opened:
        names = opened.getnames()
    assert "manifest.json" in names and f"media/{sorted(media_before)[0]}" in names

    # A non-empty installation is refused, and left as it was.
    post(assignment, "Cập nhật sau khi sao lưu")
    changed = tables()
    with pytest.raises(CommandError, match="not empty"):
        restore(archive)
    assert tables() == changed

    # --force replaces what it holds.
    restore(archive, force=True)
    assert tables() == before and files(media) == media_before

    # An empty installation: every table empty but what migrate creates, no files.
    call_command("flush", interactive=False, stdout=StringIO())
    shutil.rmtree(media)
    assert installation_content() == []
    restore(archive)
    assert tables() == before and files(media) == media_before

    # The restored database takes new rows (sequences and history included).
    update = post(Assignment.objects.get(pk=assignment.pk), "Cập nhật sau khi phục hồi")
    assert ProgressUpdate.objects.filter(pk=update.pk).exists()
    assert Assignment.history.count() == len(before["tasks_historicalassignment"]) + 1


def test_restore_refuses_a_damaged_archive(media, tmp_path):
    archive = tmp_path / "not-a-backup.tar.gz"
    archive.write_bytes(b"hello")
    with pytest.raises(CommandError, match="not a readable backup archive"):
        restore(archive)
