"""The background worker survives and recovers: a task whose worker died is noticed by the
next worker (heartbeat lease), its report file is made again (one file, no partial one left)
or, after GENERATION_MAX_ATTEMPTS, marked failed with the reason shown to the user."""

import datetime
import signal
from io import StringIO

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from operations.models import WorkerHeartbeat
from operations.tests.helpers import (
    database_url,
    environment,
    files_under,
    python,
    query,
    wait_for,
)
from operations.worker import LOST, recover_abandoned_tasks
from reports import generation
from reports.models import GeneratedReport, GenerationStatus
from tests.factories import UserFactory
from tests.factories.dashboard import populate
from tests.factories.periodic import reporting_plan

LONG_AGO = datetime.timedelta(minutes=10)


@pytest.fixture
def plan(province, home_affairs):
    plan = reporting_plan(province, title="Kế hoạch tuyên truyền cải cách hành chính năm 2022",
                          place="Khánh Hòa")
    populate(plan, 1)
    return plan


@pytest.fixture
def leader(province):
    return UserFactory(username="lanhdao", agency=province, role="leadership")


def died_while_running(item, *, attempts=1, worker="dead-worker", partial=b"%PDF-1.7 half"):
    """What a worker killed mid-render leaves: both rows "running", a partial file."""
    DBTaskResult.objects.filter(pk=item.task_id).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now() - LONG_AGO,
        worker_ids=[worker],
    )
    WorkerHeartbeat.objects.create(worker_id=worker, host="h", pid=1,
                                   seen_at=timezone.now() - LONG_AGO)
    GeneratedReport.objects.filter(pk=item.pk).update(
        status=GenerationStatus.RUNNING, attempts=attempts, started_at=timezone.now() - LONG_AGO
    )
    folder = generation._folder(item)
    folder.mkdir(parents=True)
    (folder / f"BC-Q1-2022-khanh-hoa.pdf{generation.PARTIAL_SUFFIX}").write_bytes(partial)


def run_worker():
    call_command("db_worker", batch=True, no_startup_delay=True, reload=False,
                 stdout=StringIO(), stderr=StringIO())


@pytest.mark.django_db(transaction=True)
def test_a_generation_whose_worker_died_is_made_again_into_one_file(leader, plan, media):
    item = generation.request_generation(plan=plan, year=2022, period_code="Q1", fmt="pdf",
                                         user=leader)
    died_while_running(item)
    first_task = item.task_id

    run_worker()  # a new worker: at its start it finds the silent worker's task

    item.refresh_from_db()
    assert (item.status, item.attempts) == (GenerationStatus.DONE, 2)
    assert files_under(media) == [f"reports/{plan.pk}/{item.pk}/BC-Q1-2022-khanh-hoa.pdf"]
    assert item.file.read().startswith(b"%PDF")
    abandoned = DBTaskResult.objects.get(pk=first_task)
    assert (abandoned.status, abandoned.exception_class_path) == ("FAILED", LOST)
    assert "dead-worker" in abandoned.traceback
    assert DBTaskResult.objects.get(pk=item.task_id).status == "SUCCESSFUL"
    assert not DBTaskResult.objects.running().exists()


@pytest.mark.django_db(transaction=True)
def test_after_the_last_attempt_the_user_reads_why(client, leader, plan, media, settings):
    item = generation.request_generation(plan=plan, year=2022, period_code="Q1", fmt="pdf",
                                         user=leader)
    died_while_running(item, attempts=settings.GENERATION_MAX_ATTEMPTS)

    assert recover_abandoned_tasks() == ([], [item.pk])

    item.refresh_from_db()
    assert item.status == GenerationStatus.FAILED and not item.file
    assert files_under(media) == []
    client.force_login(leader)
    with translation.override("en"):
        page = client.get(reverse("leadership:generated", kwargs={"pk": item.pk}))
    text = page.content.decode()
    assert "The file could not be made" in text
    assert "Tiến trình chạy nền đã dừng khi đang tạo tệp này, 3 lần" in text


@pytest.mark.django_db(transaction=True)
def test_a_task_of_a_live_worker_is_left_alone(leader, plan, media):
    item = generation.request_generation(plan=plan, year=2022, period_code="Q1", fmt="pdf",
                                         user=leader)
    died_while_running(item)
    WorkerHeartbeat.objects.filter(worker_id="dead-worker").update(seen_at=timezone.now())

    assert recover_abandoned_tasks() == ([], [])

    item.refresh_from_db()
    assert item.status == GenerationStatus.RUNNING
    assert DBTaskResult.objects.get(pk=item.task_id).status == "RUNNING"


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_render_is_recovered_by_the_next_one(leader, plan, tmp_path):
    media = tmp_path / "media"
    item = generation.request_generation(plan=plan, year=2022, period_code="Y", fmt="pdf",
                                         user=leader)
    url = database_url(tmp_path)
    env = environment(url, media, WORKER_HEARTBEAT_SECONDS=1, WORKER_LEASE_SECONDS=3)
    command = ["manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval",
               "0.2"]

    def status():
        return query(url, "SELECT status, attempts FROM reports_generatedreport WHERE id = ?",
                     (item.pk,))[0]

    first = python(*command, env=env)
    try:
        assert wait_for(lambda: status()[0] == "running", timeout=60), first.stderr
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        first.kill()
    assert status() == ("running", 1)

    second = python(*command, env=env)
    try:
        assert wait_for(lambda: status()[0] == "done", timeout=90, interval=0.5)
    finally:
        second.send_signal(signal.SIGTERM)
        second.communicate(timeout=30)

    assert status() == ("done", 2)
    assert files_under(media) == [f"reports/{plan.pk}/{item.pk}/BC-Y-2022-khanh-hoa.pdf"]
    tasks = query(url, "SELECT status, exception_class_path FROM django_tasks_database_dbtaskresult"
                       " ORDER BY enqueued_at")
    assert tasks == [("FAILED", LOST), ("SUCCESSFUL", "")]
