"""The import benchmark runs (at a small size, so that it cannot rot) and keeps nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from agencies.models import Agency
from imports.models import ImportJob
from tasks.models import Task

pytestmark = pytest.mark.django_db


def test_bench_spreadsheet_import_prints_rates_of_both_formats_and_keeps_nothing():
    out = StringIO()
    call_command("bench_spreadsheet_import", rows=30, agency_rows=20, agencies=5, stdout=out)
    lines = out.getvalue().splitlines()
    steps = [line.split()[-5:] for line in lines if "preview" in line or "confirm" in line]
    # two formats × two files × (new, changed) × (preview, confirm)
    assert len(steps) == 16
    assert all(float(rate) > 0 for _seconds, _cpu, rate, _cpu_rate, _queries in steps)
    assert sum("key tasks, xlsx" in line for line in lines) == 7
    assert sum("agencies, csv" in line for line in lines) == 6
    assert "a task" in lines[-2]
    assert lines[-1].startswith("load average")
    assert not Agency.objects.exists() and not Task.objects.exists()
    assert not ImportJob.objects.exists()
