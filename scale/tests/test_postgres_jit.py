"""PostgreSQL connections run without JIT compilation: at a national size the planner's costs
pass ``jit_above_cost`` and compiling took 3 s of a province's year dashboard; POSTGRES_JIT=1
leaves the server's own setting."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="JIT is PostgreSQL's"
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
