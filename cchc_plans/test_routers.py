"""The database router: without DATABASE_REPLICA_URL every query goes to the primary; with it
(pointed at the test database itself), ``replica_checks.py`` shows reads routed to the replica
and writes, transactions and the pages after a write kept on the primary."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from plans.models import Plan

ROOT = Path(__file__).resolve().parent.parent


def test_without_a_replica_everything_reads_from_the_primary(db):
    assert "replica" not in settings.DATABASES
    assert settings.DATABASE_ROUTERS == []
    assert Plan.objects.all().db == "default"


@pytest.mark.skipif("DATABASE_REPLICA_URL" in os.environ, reason="run by replica_checks itself")
def test_with_a_replica_reads_are_routed_and_writes_are_not():
    url = os.environ.get("DATABASE_URL", "sqlite:///db.sqlite3")
    env = {**os.environ, "DATABASE_REPLICA_URL": url}
    if url.startswith("postgres"):
        # A test database of its own, beside the one of the run that started this one.
        env["DATABASE_URL"] = env["DATABASE_REPLICA_URL"] = f"{url}_replica_checks"
    done = subprocess.run(
        # Tables made from the models (the migrations are the main run's to test).
        [sys.executable, "-m", "pytest", "cchc_plans/replica_checks.py", "-q", "-n", "0",
         "-p", "no:randomly", "-rs", "--no-migrations"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "3 passed" in done.stdout, done.stdout[-2000:]
