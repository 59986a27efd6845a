"""The import benchmark runs (at a small size, so that it cannot rot) and keeps nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from agencies.models import Agency
from imports.models import ImportJob
from tasks.models import Task

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_bench_spreadsheet_import_prints_rates_and_keeps_nothing(fmt):
    out = StringIO()
    call_command("bench_spreadsheet_import", rows=30, agencies=5, format=fmt, stdout=out)
    lines = out.getvalue().splitlines()
    steps = [line.split()[-4:] for line in lines if "preview" in line or "confirm" in line]
    assert len(steps) == 8  # two files × (new, changed) × (preview, confirm)
    assert all(float(rate) > 0 for _seconds, _cpu, rate, _queries in steps)
    assert "assignments" in lines[-1]
    assert not Agency.objects.exists() and not Task.objects.exists()
    assert not ImportJob.objects.exists()
