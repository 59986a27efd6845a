"""The background worker made to survive: django-tasks-db's worker, plus

- a heartbeat (``WorkerHeartbeat``) written by a thread every ``WORKER_HEARTBEAT_SECONDS``;
- at start and at every heartbeat, the tasks left "running" by a worker silent for
  ``WORKER_LEASE_SECONDS`` (killed, out of memory, its machine gone) are marked failed, and the
  report files they were making are queued again or marked failed
  (``reports.generation.recover_generations``);
- a database error (the database restarting, unreachable for a while) no longer ends the
  worker: it closes its connections, waits and starts again, and the task it was running is
  recovered like an abandoned one;
- at every heartbeat, the daily reminders' clock (``reminders.schedule``): once a day, from
  ``REMINDERS_HOUR``, one worker queues the reminders' run.

django-tasks-db's own loop re-raises any database error but "database is locked", which ends
the process; its task rows have no lease, so a killed worker's task stays "running" for good.
"""

import contextlib
import datetime
import logging
import os
import socket
import threading
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, connections
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker as DatabaseWorker
from django_tasks_db.models import DBTaskResult

from cchc_plans import once
from reminders.schedule import DailyScheduler
from reports.generation import recover_generations

from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
MAX_RETRY_DELAY = 30  # seconds between attempts to reach the database again
LOST = "operations.worker.WorkerLost"


def abandon_tasks(*, ids, reason, now=None):
    """Mark the given running task rows failed with ``reason``; returns how many were."""
    return DBTaskResult.objects.filter(pk__in=ids, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.FAILED,
        finished_at=now or timezone.now(),
        exception_class_path=LOST,
        traceback=reason,
        return_value=None,
    )


def recover_abandoned_tasks(*, now=None):
    """Fail the task rows whose worker has gone silent, then recover their report files.

    A row is abandoned when the last worker that claimed it has not written its heartbeat for
    ``WORKER_LEASE_SECONDS``, or has none and the task started longer ago than that.
    """
    now = now or timezone.now()
    lease = datetime.timedelta(seconds=settings.WORKER_LEASE_SECONDS)
    seen = dict(WorkerHeartbeat.objects.values_list("worker_id", "seen_at"))
    abandoned = {}
    for task_id, worker_ids, started_at in DBTaskResult.objects.running().values_list(
        "id", "worker_ids", "started_at"
    ):
        worker = worker_ids[-1] if worker_ids else ""
        last_sign = seen.get(worker, started_at)
        if last_sign is None or last_sign < now - lease:
            abandoned.setdefault(worker, []).append(task_id)
    for worker, ids in abandoned.items():
        reason = (
            f"The worker {worker or '?'} stopped (no heartbeat for "
            f"{settings.WORKER_LEASE_SECONDS} s) while running this task."
        )
        count = abandon_tasks(ids=ids, reason=reason, now=now)
        logger.warning("Marked %s task(s) of the silent worker %s failed", count, worker)
    WorkerHeartbeat.objects.filter(seen_at__lt=now - lease).delete()
    return recover_generations()


class Heartbeat:
    """This worker's row in ``WorkerHeartbeat``, refreshed by a daemon thread."""

    def __init__(self, worker_id):
        self.worker_id = worker_id
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._loop, name="heartbeat", daemon=True)
        self.scheduler = DailyScheduler()

    def beat(self):
        """Write the heartbeat, look for abandoned tasks, forget old one-time form tokens, then
        queue the daily reminders when their hour has come (this thread's connection)."""
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={"seen_at": timezone.now(), "host": socket.gethostname(),
                      "pid": os.getpid()},
        )
        recover_abandoned_tasks()
        once.prune()
        if settings.REMINDERS_SCHEDULED:
            self.scheduler.tick()

    def start(self):
        self.thread.start()

    def stop(self):
        self.stopped.set()
        with contextlib.suppress(*DATABASE_ERRORS):  # a heartbeat left behind only expires
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()

    def _loop(self):
        while not self.stopped.wait(settings.WORKER_HEARTBEAT_SECONDS):
            try:
                self.beat()
            except DATABASE_ERRORS as error:
                logger.warning("Heartbeat not written: %s", error)
            except Exception:
                logger.exception("Heartbeat failed")
            finally:
                connection.close()  # this thread's own connection


class Worker(DatabaseWorker):
    """django-tasks-db's worker that outlives database errors and recovers abandoned tasks."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.heartbeat = Heartbeat(self.worker_id)
        self.interrupted_task = None

    def run_task(self, db_task_result):
        # Left set when a database error escapes the task and its result could not be saved.
        self.interrupted_task = db_task_result.pk
        super().run_task(db_task_result)
        self.interrupted_task = None

    def run(self):
        delay = 1
        self.heartbeat.start()
        try:
            while self.running:
                try:
                    if self.interrupted_task:
                        abandon_tasks(
                            ids=[self.interrupted_task],
                            reason=f"The worker {self.worker_id} lost the database while "
                            "running this task.",
                        )
                        self.interrupted_task = None
                    self.heartbeat.beat()
                    delay = 1
                    return super().run()
                except DATABASE_ERRORS as error:
                    logger.warning("Database unavailable (%s); trying again in %s s",
                                   error, delay)
                    connections.close_all()
                    time.sleep(delay)
                    delay = min(delay * 2, MAX_RETRY_DELAY)
        finally:
            self.heartbeat.stop()
