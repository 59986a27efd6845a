"""A worker killed in the middle of an import leaves nothing imported (PostgreSQL: the test
database is shared with a real ``db_worker`` process, which SQLite's in-memory one is not)."""

import datetime
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from imports import jobs
from imports.models import ImportJob, ImportStatus
from tasks.models import Assignment, Task
from tasks.resources import TaskResource
from tests.factories import AgencyFactory, PlanFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]


def upload(plan, count):
    resource = TaskResource()
    lines = [",".join(resource.column(field) for field in resource._meta.fields)]
    lines += [f'{plan.decision_number},{n},"Nhiệm vụ {n}",,SNV,,"Quý I/2022",,'
              for n in range(1, count + 1)]
    file = io.BytesIO("\n".join(lines).encode())
    file.name = "nhiem-vu.csv"
    file.size = len(file.getvalue())
    return file


def active_inserts():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
                       "AND query LIKE 'INSERT INTO \"tasks_assignment\"%%'")
        return cursor.fetchone()[0]


@pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
                    reason="needs a database a second process can open")
@override_settings(IMPORT_INLINE_MAX_BYTES=0)
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_import_leaves_nothing_imported(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    province = AgencyFactory(name="UBND tỉnh", code="UBND-KH", kind="province")
    agency = AgencyFactory(name="Sở Nội vụ", code="SNV", parent=province)
    plan = PlanFactory(issuer=province, decision_number="286/QĐ-UBND")
    user = UserFactory(username="nhapdulieu", agency=agency, role="admin", is_staff=True)
    job = jobs.start_import(upload=upload(plan, 300), fmt="csv", resource_class=TaskResource,
                            user=user, language="vi")
    jobs.run_job(job.pk)  # the check, here; the import is left to the worker
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED
    database = connection.settings_dict["NAME"]
    with connection.cursor() as cursor:
        # The worker stops once its tasks are written, inside its transaction.
        cursor.execute("CREATE FUNCTION stall() RETURNS trigger AS $$ BEGIN "
                       "PERFORM pg_sleep(60); RETURN NULL; END $$ LANGUAGE plpgsql")
        cursor.execute("CREATE TRIGGER stall BEFORE INSERT ON tasks_assignment "
                       "FOR EACH STATEMENT EXECUTE FUNCTION stall()")
        # A session notices within 0.1 s that its client is gone, instead of after the sleep.
        cursor.execute(f'ALTER DATABASE "{database}" SET client_connection_check_interval = 100')
    worker = None
    try:
        jobs.confirm_import(job=job)
        environment = {**os.environ, "MEDIA_ROOT": str(settings.MEDIA_ROOT),
                       "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}"}
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
            cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 120
        while not active_inserts():
            assert worker.poll() is None, "the worker ended before it was killed"
            assert time.monotonic() < deadline, "the worker never reached the assignments"
            time.sleep(0.2)
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        while active_inserts():  # the server rolls the dead worker's transaction back
            assert time.monotonic() < deadline
            time.sleep(0.2)
    finally:
        if worker and worker.poll() is None:
            worker.kill()
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER IF EXISTS stall ON tasks_assignment")
            cursor.execute("DROP FUNCTION IF EXISTS stall()")
            cursor.execute(f'ALTER DATABASE "{database}" RESET client_connection_check_interval')
    assert not Task.objects.exists() and not Task.history.exists()
    assert not Assignment.objects.exists()
    job.refresh_from_db()
    assert job.status == ImportStatus.IMPORTING
    # Ten minutes later the job page tells its user what happened.
    ImportJob.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - datetime.timedelta(minutes=11))
    job.refresh_from_db()
    jobs.notice_stale(job)
    assert job.status == ImportStatus.FAILED and "gián đoạn" in job.message
