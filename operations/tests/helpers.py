"""Running the project's own processes (writers, the worker, the production server) from a
test, against a database they can reach: a file copy of the SQLite test database, or the
PostgreSQL test database itself (its rows are committed in ``transaction=True`` tests)."""

import contextlib
import os
import secrets
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.db import connection

PROJECT = Path(settings.BASE_DIR)


def is_sqlite():
    return connection.vendor == "sqlite"


def database_url(tmp_path):
    """A ``DATABASE_URL`` for a subprocess: the test database as it is now."""
    if is_sqlite():
        path = tmp_path / "db.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(path) as target:
            connection.connection.backup(target)
        target.close()
        return f"sqlite:///{path}"
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def environment(url, media_root, **extra):
    env = {
        key: value for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST_"))
    }
    # The processes' workers queue no daily reminders: a test's tasks do not depend on the hour.
    env.update(DATABASE_URL=url, MEDIA_ROOT=str(media_root), DEBUG="1", LOG_LEVEL="INFO",
               REMINDERS_SCHEDULED="0")
    env.update({key: str(value) for key, value in extra.items()})
    return env


def python(*args, env, **kwargs):
    """Start ``python args`` in the project directory (a ``subprocess.Popen``)."""
    return subprocess.Popen(
        [sys.executable, *args], cwd=PROJECT, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, **kwargs,
    )


def query(url, sql, params=()):
    """Rows of ``sql`` on the database of ``url`` (a connection of its own, not Django's)."""
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///"), timeout=20) as database:
            return database.execute(sql, params).fetchall()
    import psycopg2

    with psycopg2.connect(url) as database, database.cursor() as cursor:
        cursor.execute(sql.replace("?", "%s"), params)
        rows = cursor.fetchall()
    database.close()
    return rows


def wait_for(condition, *, timeout, interval=0.05):
    """Poll ``condition`` until it returns a true value (returned) or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


def files_under(root):
    return sorted(p.relative_to(root).as_posix() for p in Path(root).rglob("*") if p.is_file())


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def production_server(env, static_root):
    """``scripts/serve`` (checks, migrate, collectstatic, gunicorn and the worker) on a free
    loopback port with DEBUG=0; yields its base URL and stops it with SIGTERM."""
    port = free_port()
    env = env | {
        "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(static_root), "WEB_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2", "LOG_LEVEL": "WARNING",
    }
    server = subprocess.Popen([sys.executable, "scripts/serve"], cwd=PROJECT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"

    def ready():
        if server.poll() is not None:
            return True
        try:
            request = urllib.request.Request(url + "/accounts/login/",
                                             headers={"X-Forwarded-Proto": "https"})
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status == 200
        except OSError:
            return False

    try:
        assert wait_for(ready, timeout=180, interval=0.5), "the server did not start"
        assert server.poll() is None, server.communicate()[1]
        yield url
    finally:
        server.terminate()
        try:
            server.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
