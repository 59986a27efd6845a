"""``bench_pages`` over a generated province, at the size the suite can afford, so that the
command and the pages' query counts cannot rot; the million-task figures are in the README."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from agencies.models import Role, User
from scale.bench import ROLES

pytestmark = pytest.mark.django_db

TASKS = 12_000
AIM = 12
ROW = re.compile(r"^\| (\w+) \| ([^|]+?) \| (\d+) \| (\d+) \| ([^|]+) \| ([^|]+) \| (\d+) \| "
                 r"([^|]+) \| ([^|]+) \|", re.M)


def bench(*args):
    out = StringIO()
    call_command("bench_pages", *args, stdout=out)
    return out.getvalue()


def test_every_page_of_every_role_answers_within_its_query_count():
    call_command("generate_data", "--provinces", "1", "--tasks", str(TASKS), stdout=StringIO())

    output = bench("--requests", "1")

    rows = ROW.findall(output)
    assert {row[0] for row in rows} == set(ROLES)
    names = {(row[0], row[1]) for row in rows}
    for page in ("plan list", "plan detail", "task detail", "dashboard", "plan dashboard",
                 "reports overview", "completeness matrix", "report preview"):
        assert ("coordinator", page) in names and ("leadership", page) in names
    for page in ("my work", "plan list", "plan detail", "task detail", "my reports"):
        assert ("officer", page) in names
    assert ("admin", "admin tasks.task") in names
    postgres = connection.vendor == "postgresql"
    for role, name, status, n, p50, p95, queries, _slowest, explained in rows:
        label = f"{role} / {name}"
        assert status == "200", label
        assert n == "1" and p50 != "—" and p95 != "—", label
        assert int(queries) <= AIM, f"{label}: {queries} queries"
        # The slowest query of each page is run again under EXPLAIN ANALYZE on PostgreSQL.
        assert (explained != "—") == postgres, label
    assert "Slowest query of each page:" in output
    # The test runner turns DEBUG off, as in production; the figures say which they had.
    assert f"Measured with DEBUG off on {connection.vendor}" in output


def test_one_page_and_a_role_without_a_user():
    call_command("generate_data", "--provinces", "1", "--tasks", "200", "--agencies", "40",
                 stdout=StringIO())
    User.objects.filter(role=Role.LEADERSHIP).update(is_active=False)

    output = bench("--requests", "1", "--page", "completeness", "--roles", "coordinator",
                   "leadership")

    assert "No active user for: leadership (their pages skipped)" in output
    rows = ROW.findall(output)
    assert [(row[0], row[1], row[2]) for row in rows] == [
        ("coordinator", "completeness matrix", "200"),
    ]


def test_nothing_to_measure_is_said_plainly():
    with pytest.raises(CommandError, match="No page to measure .*load_demo or generate_data"):
        bench("--requests", "1")
    call_command("generate_data", "--provinces", "1", "--tasks", "40", "--agencies", "40",
                 stdout=StringIO())
    with pytest.raises(CommandError, match="No page whose name contains 'nosuchpage'"):
        bench("--page", "nosuchpage")
    with pytest.raises(CommandError, match="--requests must be at least 1"):
        bench("--requests", "0")


def test_a_page_that_fails_is_in_the_table_and_fails_the_command(monkeypatch):
    call_command("generate_data", "--provinces", "1", "--tasks", "40", "--agencies", "40",
                 stdout=StringIO())
    from scale import bench as module

    real = module.pages_for

    def with_a_missing_page(world, roles):
        pages = real(world, roles)
        pages[0].url = "/plans/999999999/"
        return pages

    monkeypatch.setattr(module, "pages_for", with_a_missing_page)
    with pytest.raises(CommandError, match=r"1 of \d+ pages did not answer 200: coordinator / "
                                           r"plan list \(/plans/999999999/\) 404"):
        bench("--requests", "1", "--roles", "coordinator")
