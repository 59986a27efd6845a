"""Time the import of a plan file (by default the Khánh Hòa 2022 .docx), then roll it back."""

import statistics
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from agencies.models import Agency
from importing.parsing import parse
from importing.reading import read_plan_file
from importing.services import save_import, understand

SEED = "khanh-hoa-2022-provincial-plan.docx"


class Rollback(Exception):
    pass


def default_file():
    base = Path(settings.BASE_DIR)
    for folder in (base.parent / "shared" / "seeds", base.parent.parent / "shared" / "seeds"):
        if (folder / SEED).exists():
            return folder / SEED
    return None


class Command(BaseCommand):
    help = (
        "Time reading, understanding (names matched, timelines resolved) and saving a plan "
        "file; prints the median of --repeat runs. Nothing stays: every run is rolled back."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", help=f"the plan file (default: the seeds' {SEED})")
        parser.add_argument("--repeat", type=int, default=3)

    def handle(self, *args, file=None, repeat=3, **options):
        path = Path(file) if file else default_file()
        if path is None or not path.exists():
            raise CommandError("No plan file: give --file.")
        data = path.read_bytes()
        timings = {"read": [], "parse": [], "understand": [], "save": [], "total": []}
        cpu = []
        for _run in range(max(repeat, 1)):
            try:
                with transaction.atomic():
                    if not Agency.objects.filter(code="UBND-KH").exists():
                        _load_demo_agencies()
                    start = time.perf_counter()
                    blocks = read_plan_file(data, path.name)
                    read = time.perf_counter()
                    parse(blocks)
                    parsed = time.perf_counter()
                    cpu_parsed = time.process_time()
                    understood = understand(data, path.name)
                    understood_at = time.perf_counter()
                    plan = save_import(understood, data=None)
                    saved = time.perf_counter()
                    cpu.append(time.process_time() - cpu_parsed)
                    tasks = plan.tasks.count()
                    raise Rollback
            except Rollback:
                pass
            timings["read"].append(read - start)
            timings["parse"].append(parsed - read)
            timings["understand"].append(understood_at - parsed)
            timings["save"].append(saved - understood_at)
            # understand() reads and parses again: the import is that plus the save.
            timings["total"].append(saved - parsed)
        self.stdout.write(f"{path.name}: {len(data):,} bytes, {tasks} key tasks, "
                          f"median of {len(timings['total'])} runs")
        for step, values in timings.items():
            self.stdout.write(f"  {step:<10} {statistics.median(values):.3f} s")
        self.stdout.write(f"  import (understand + save) CPU time: {statistics.median(cpu):.3f} s")


def _load_demo_agencies():
    # The seed names Khánh Hòa's agencies: an empty database gets the demo tree for the run.
    from demo.loader import Catalogue, load_agencies, load_groups, read_fixture

    catalogue = Catalogue()
    load_agencies(catalogue, read_fixture("agencies.json"))
    load_groups(catalogue, read_fixture("catalogues.json"))
