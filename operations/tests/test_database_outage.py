"""The database going away for a few seconds (PostgreSQL restarted, the network cut): the
worker keeps running and takes the next report once the database is back. On SQLite the
database is a file the process holds open: it cannot go away, so these tests are skipped."""

import time

import pytest
from django.db import connection

from operations.tests.helpers import database_url, environment, is_sqlite, python, query, wait_for
from operations.tests.proxy import Relay
from reports import generation
from tests.factories import UserFactory
from tests.factories.dashboard import populate
from tests.factories.periodic import reporting_plan

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(is_sqlite(), reason="an SQLite file cannot go away while it is open"),
]


@pytest.fixture
def relay():
    relay = Relay(int(connection.settings_dict["PORT"] or 5432),
                  connection.settings_dict["HOST"] or "127.0.0.1")
    relay.start()
    yield relay
    if relay.listener:
        relay.stop()


def through(url, relay):
    """The same database URL, reached through the relay."""
    host_port = url.split("@", 1)[1].split("/", 1)[0]
    return url.replace(f"@{host_port}/", f"@127.0.0.1:{relay.port}/")


def test_the_worker_outlives_a_database_outage(province, home_affairs, tmp_path, relay):
    plan = reporting_plan(province, title="Kế hoạch năm 2022", place="Khánh Hòa")
    populate(plan, 1)
    leader = UserFactory(agency=province, role="leadership")
    url = database_url(tmp_path)
    env = environment(through(url, relay), tmp_path / "media", WORKER_HEARTBEAT_SECONDS=1,
                      WORKER_LEASE_SECONDS=5)
    worker = python("manage.py", "db_worker", "--no-reload", "--no-startup-delay",
                    "--interval", "0.2", env=env)
    try:
        time.sleep(3)  # the worker is up and polling
        relay.pause()
        time.sleep(6)  # polls, heartbeats and reconnections all fail meanwhile
        assert worker.poll() is None, worker.communicate()[1]
        relay.resume()
        item = generation.request_generation(plan=plan, year=2022, period_code="Q1",
                                             fmt="xlsx", user=leader)

        def status():
            return query(url, "SELECT status FROM reports_generatedreport WHERE id = ?",
                         (item.pk,))[0][0]

        assert wait_for(lambda: status() == "done", timeout=60, interval=0.5)
    finally:
        worker.terminate()
        _, err = worker.communicate(timeout=30)
    assert "Database unavailable" in err
