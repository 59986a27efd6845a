"""manage.py bench_reports, scaled down: it measures, prints, and keeps nothing."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from agencies.models import Agency
from plans.models import Plan
from tasks.models import ProgressUpdate

pytestmark = pytest.mark.django_db


def test_bench_prints_seconds_pages_and_memory_and_rolls_back():
    before = (Agency.objects.count(), Plan.objects.count(), ProgressUpdate.objects.count())
    out = StringIO()
    call_command("bench_reports", agencies=8, assignments=20, tasks=4, updates=2, no_demo=True,
                 stdout=out)
    text = out.getvalue()
    assert "Synthetic province: 8 agencies, 4 tasks, 20 assignments" in text
    rows = {line.split()[1]: line.split() for line in text.splitlines()
            if line.startswith("synthetic ")}
    assert sorted(key.split("/")[0] for key in rows) == ["Q1", "Y"]
    for cells in rows.values():
        seconds, weasyprint, ratio, pages, peak = (
            float(cells[2]), float(cells[5]), float(cells[6]), int(cells[7]), float(cells[10]))
        assert seconds > 0 and weasyprint > 0 and pages >= 3 and peak > 0
        # The figures are printed to two decimals and the ratio is taken before rounding, so
        # it lies between the ratios of the ends of the printed figures' rounding intervals.
        half = 0.005
        low = (seconds - half) / (weasyprint + half) - half
        high = (seconds + half) / max(weasyprint - half, 1e-9) + half
        assert low <= ratio <= high
    assert re.search(r"WeasyPrint s: WeasyPrint alone on the same final HTML", text)
    assert "ratio: PDF s / WeasyPrint s" in text
    after = (Agency.objects.count(), Plan.objects.count(), ProgressUpdate.objects.count())
    assert after == before


def test_bench_refuses_more_assignments_than_fit():
    with pytest.raises(CommandError, match="Too many assignments"):
        call_command("bench_reports", agencies=2, assignments=10, tasks=2, stdout=StringIO())
