"""Several processes posting progress updates at once on an SQLite file all succeed: WAL, a
busy timeout and IMMEDIATE transactions make concurrent writers wait for each other instead of
failing with "database is locked"."""

import json
import sqlite3
import time

import pytest

from operations.tests.helpers import database_url, environment, is_sqlite, python
from tasks.models import AssignmentRole
from tasks.services import set_task_agencies
from tests.factories import AgencyFactory, PlanFactory, TaskFactory, UserFactory

WRITERS = 4
UPDATES = 25

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not is_sqlite(), reason="SQLite's file locking is what is tested"),
]


def test_concurrent_progress_updates_all_succeed_on_an_sqlite_file(tmp_path):
    plan = PlanFactory()
    task = TaskFactory(plan=plan)
    agencies = [AgencyFactory() for _ in range(WRITERS)]
    for agency in agencies:
        UserFactory(agency=agency)
    set_task_agencies(task=task, leads=agencies)
    assignments = list(task.assignments.filter(role=AssignmentRole.LEAD).values_list("pk",
                                                                                     flat=True))
    url = database_url(tmp_path)
    env = environment(url, tmp_path / "media")
    start_at = time.time() + 4  # after every writer has loaded Django
    writers = [
        python("-m", "operations.tests.sqlite_writer", str(pk), str(UPDATES), str(start_at),
               env=env)
        for pk in assignments
    ]
    results = []
    for writer in writers:
        out, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))

    assert [result["errors"] for result in results] == [[]] * WRITERS
    assert sum(result["done"] for result in results) == WRITERS * UPDATES
    with sqlite3.connect(url.removeprefix("sqlite:///")) as database:
        stored = database.execute("SELECT count(*) FROM tasks_progressupdate").fetchone()[0]
        mode = database.execute("PRAGMA journal_mode").fetchone()[0]
    assert stored == WRITERS * UPDATES
    assert mode == "wal"
