"""The production server (scripts/serve: gunicorn and the worker, DEBUG=0) under load and
when the database drops its connections.

The load test here is the short version (10 officers, 2 readers, 15 s); the full one (50
officers, two minutes) is run by hand and its figures are in the README.
"""

import gzip
import os
import re
import signal
import urllib.request
from io import StringIO

import pytest
from django.conf import settings as project_settings
from django.core.management import call_command
from django.db import connection

from operations.loadtest import Results, Session, prepare_users
from operations.tests.helpers import (
    database_url,
    environment,
    is_sqlite,
    production_server,
    python,
    query,
    wait_for,
)

pytestmark = pytest.mark.django_db(transaction=True)
PROJECT_HASHERS = project_settings.PASSWORD_HASHERS


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    return tmp_path_factory.mktemp("static")


def test_under_load_nothing_is_lost_and_a_dead_worker_is_restarted(tmp_path, static_root):
    call_command("load_demo", stdout=StringIO())
    url = database_url(tmp_path)
    env = environment(url, tmp_path / "media")

    def workers():
        return [pid for pid, in query(url, "SELECT pid FROM operations_workerheartbeat")]

    with production_server(env, static_root) as base:
        static = static_file(base)
        load = python("manage.py", "loadtest", "--url", base, "--officers", "10", "--readers",
                      "2", "--duration", "15", env=env)
        out, err = load.communicate(timeout=600)

        (worker,) = wait_for(workers, timeout=60)
        os.kill(worker, signal.SIGKILL)
        restarted = wait_for(lambda: [pid for pid in workers() if pid != worker], timeout=120)

    assert load.returncode == 0, out + err
    assert "12 logged in" in out
    stored = re.search(r"Updates answered with success: (\d+) \((\d+) with a PDF\); in the "
                       r"database: each stored once", out)
    assert stored and int(stored[1]) >= 10 and int(stored[2]) >= 1, out
    assert restarted, "the supervisor did not restart the worker"
    # Static files: hashed names, served by WhiteNoise with a cache of a year, compressed.
    assert static.status == 200 and "max-age=315360000" in static.headers["Cache-Control"]
    assert static.headers["Content-Encoding"] in ("gzip", "br")


def static_file(base):
    headers = {"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"}
    with urllib.request.urlopen(urllib.request.Request(base + "/accounts/login/",
                                                       headers=headers)) as page:
        body = gzip.decompress(page.read()) if page.headers["Content-Encoding"] else page.read()
    css = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', body.decode())
    assert css, "no hashed static file name on the page"
    with urllib.request.urlopen(urllib.request.Request(base + css[1], headers=headers)) as file:
        return file


@pytest.mark.skipif(is_sqlite(), reason="an SQLite file has no connections to drop")
def test_the_next_request_after_the_database_drops_its_connections_succeeds(
        tmp_path, static_root, settings):
    settings.PASSWORD_HASHERS = PROJECT_HASHERS  # the server's own, not the tests' fast one
    call_command("load_demo", stdout=StringIO())
    password, officers, _ = prepare_users(officers=1, readers=0, prefix="outage")
    (username, assignments), = officers
    env = environment(database_url(tmp_path), tmp_path / "media")
    name = connection.settings_dict["NAME"]

    def server_backends():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s AND "
                           "pid <> pg_backend_pid() AND application_name = ''", [name])
            return [pid for pid, in cursor.fetchall()]

    with production_server(env, static_root) as url:
        results = Results()
        session = Session(url, results)
        assert session.login(username, password)
        assert session.request("work list", "GET", "/tasks/work/", expect=200)
        assert server_backends()  # the server keeps its connections between requests
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                           "datname = %s AND pid <> pg_backend_pid()", [name])
        for _ in range(6):  # each thread of the server had its own connection
            assert session.request("work list", "GET", "/tasks/work/", expect=200)
            assert session.request("task", "GET", f"/tasks/{assignments[0][1]}/", expect=200)
        session.close()
    assert not results.errors
