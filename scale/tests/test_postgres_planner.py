"""What PostgreSQL's planner is given at a national size: connections without JIT compilation
(the planner's costs pass ``jit_above_cost`` and compiling took 3 s of a province's year
dashboard; POSTGRES_JIT=1 leaves the server's own setting), random reads priced for data in
memory or on SSD (POSTGRES_RANDOM_PAGE_COST), and statistics of the agency and province
columns together (``periodic/0007_agency_province_statistics``)."""

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


def server_setting(name, **env):
    """PostgreSQL's setting ``name`` and where it came from, in a new process of the
    application with the environment variables ``env``."""
    env = {**os.environ, **env, "DATABASE_URL": os.environ["DATABASE_URL"]}
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c",
         "from django.db import connection\n"
         "with connection.cursor() as c:\n"
         f"    c.execute(\"SELECT setting, source FROM pg_settings WHERE name = '{name}'\")\n"
         "    print(*c.fetchone())"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=True,
    )
    return tuple(out.stdout.strip().splitlines()[-1].split(" ", 1))


def test_postgres_jit_1_leaves_the_servers_setting():
    assert server_setting("jit", POSTGRES_JIT="0") == ("off", "client")
    assert server_setting("jit", POSTGRES_JIT="1")[1] != "client"


def test_random_reads_are_priced_for_memory_and_ssd_unless_told_otherwise():
    assert server_setting("random_page_cost") == ("1.1", "client")
    assert server_setting("random_page_cost", POSTGRES_RANDOM_PAGE_COST="2") == ("2", "client")
    assert server_setting("random_page_cost", POSTGRES_RANDOM_PAGE_COST="")[1] != "client"
    # With JIT left to the server, the cost is still set (the two options are independent).
    assert server_setting("random_page_cost", POSTGRES_JIT="1") == ("1.1", "client")


@pytest.mark.parametrize("value", ["abc", "0", "-1", "nan", "inf"])
def test_a_bad_random_page_cost_stops_the_application_with_its_name(value):
    env = {**os.environ, "POSTGRES_RANDOM_PAGE_COST": value}
    out = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=settings.BASE_DIR, env=env,
        capture_output=True, text=True,
    )
    assert out.returncode != 0
    assert f"POSTGRES_RANDOM_PAGE_COST must be a positive number, not '{value}'" in out.stderr


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
