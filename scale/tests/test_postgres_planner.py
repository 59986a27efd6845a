"""What PostgreSQL's planner is given at a national size: connections without JIT compilation
(the planner's costs pass ``jit_above_cost`` and compiling took 3 s of a province's year
dashboard; POSTGRES_JIT=1 leaves the server's own setting), and statistics of the agency and
province columns together (``periodic/0007_agency_province_statistics``)."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="JIT and extended statistics are PostgreSQL's"
)


@pytest.mark.django_db
def test_the_applications_connections_do_not_compile_queries():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def jit_setting(value):
    """``jit`` and where it came from in a new process with POSTGRES_JIT=``value``."""
    env = {**os.environ, "POSTGRES_JIT": value, "DATABASE_URL": os.environ["DATABASE_URL"]}
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c",
         "from django.db import connection\n"
         "with connection.cursor() as c:\n"
         "    c.execute(\"SELECT setting, source FROM pg_settings WHERE name = 'jit'\")\n"
         "    print(*c.fetchone())"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=True,
    )
    return tuple(out.stdout.strip().splitlines()[-1].split(" ", 1))


def test_postgres_jit_1_leaves_the_servers_setting():
    assert jit_setting("0") == ("off", "client")
    assert jit_setting("1")[1] != "client"


@pytest.mark.django_db
def test_agency_and_province_columns_have_statistics_together():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, array_to_string(s.stxkind, ',') FROM pg_statistic_ext s "
            "JOIN pg_class c ON c.oid = s.stxrelid ORDER BY c.relname"
        )
        kinds = {table: sorted(kind.split(",")) for table, kind in cursor.fetchall()}
    for table in ("plans_plan", "reports_agencyreport", "tasks_assignment"):
        assert kinds[table] == ["d", "f"]  # functional dependencies, n-distinct
