"""Benchmark the agency and key-task spreadsheet imports, then roll every row back.

Generates, for a synthetic province, a key-task file of ``--rows`` rows and an agency file of
``--agency-rows`` rows, as xlsx and csv, and times for each what an import job does: reading
the file (which the job does at the preview and again at the confirmation), the preview
(every row checked, nothing written) and the confirmation (every row checked again, then
written in bulk with its history), first of new rows, then of
the same file with every row changed (a tenth of the tasks with other agencies). A task has
one lead (a group of ten agencies for one task in fifty) and two coordinators. Prints
seconds, CPU seconds, rows per second (by the clock and by CPU time: the machine may be
shared) and queries of each step, with the load average. The steps run with ``DEBUG`` off,
as in production (with it on, Django keeps the text of every query). Everything runs in one
transaction that is rolled back.
"""

import csv
import io
import os
import random
import time

import openpyxl
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import override_settings

from agencies.models import Agency, AgencyGroup, User
from agencies.resources import AgencyResource
from cchc_plans.search import fold
from cchc_plans.spreadsheets import Limits, read_dataset
from plans.models import Plan
from tasks.models import Assignment
from tasks.resources import TaskResource

TIMELINES = ["Quý I/2030", "Quý II/2030", "Quý III/2030", "Trong năm 2030", "Thường xuyên",
             "Định kỳ hàng quý, bắt đầu từ quý I/2030", "Trong tháng 02/2030"]


class Rollback(Exception):
    pass


class QueryCounter:
    """Counts the queries sent, without the debug cursor's formatting of every statement."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def load_average():
    return "load average " + " ".join(f"{load:.1f}" for load in os.getloadavg())


def spreadsheet(headers, rows, fmt):
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(headers)
        writer.writerows(rows)
        return buffer.getvalue().encode("utf-8-sig")
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class Command(BaseCommand):
    help = (
        "Time the agency and key-task spreadsheet imports (preview and confirm) on generated "
        "files and print rows per second; nothing is kept in the database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=5000, help="Rows of the key-task file.")
        parser.add_argument("--agency-rows", type=int, default=2000,
                            help="Rows of the agency file.")
        parser.add_argument("--agencies", type=int, default=200,
                            help="Agencies of the synthetic province that lead the tasks.")
        parser.add_argument("--format", choices=["xlsx", "csv"], action="append",
                            dest="formats", help="xlsx, csv or both (the default).")

    def handle(self, *args, **options):
        limit = Limits.from_settings().max_rows
        for name in ("rows", "agency_rows"):
            if not 1 <= options[name] <= limit:
                raise CommandError(f"--{name.replace('_', '-')} must be 1..{limit} "
                                   "(IMPORT_MAX_ROWS).")
        if options["agencies"] < 3:
            raise CommandError("--agencies must be at least 3.")
        self.sizes = {"agencies": options["agency_rows"], "key tasks": options["rows"]}
        load = load_average()
        self.stdout.write(f"{connection.vendor}, {options['agencies']} agencies, "
                          f"{os.cpu_count()} CPUs, {load}")
        self.stdout.write(f"{'file':<18} {'step':<22} {'seconds':>8} {'CPU s':>7} "
                          f"{'rows/s':>8} {'CPU rows/s':>10} {'queries':>8}")
        for fmt in options["formats"] or ["xlsx", "csv"]:
            self.fmt = fmt
            try:
                with transaction.atomic():
                    self.run(options["agencies"])
                    raise Rollback
            except Rollback:
                pass
        self.stdout.write(load_average())

    def run(self, agency_count):
        province = Agency.objects.create(name="UBND tỉnh Thử nghiệm", code="BENCH",
                                         kind="province")
        self.agencies = Agency.objects.bulk_create(
            Agency(name=f"Sở Thử nghiệm số {i}", short_name=f"STN {i}", code=f"BENCH-S{i}",
                   kind="department" if i % 3 else "district", parent=province,
                   search_text=fold(f"so thu nghiem so {i}"))
            for i in range(agency_count)
        )
        self.group = AgencyGroup.objects.create(name="Các sở thử nghiệm", code="bench-group")
        self.group.members.set(self.agencies[:10])
        self.plan = Plan.objects.create(
            issuer=province, title="Kế hoạch thử nghiệm", status="draft",
            decision_number="1/QĐ-BENCH", period_start_year=2030, period_end_year=2030,
        )
        self.user = User.objects.create(username="bench-import", role="admin", is_staff=True)
        for name, resource_class, make_rows in (
            ("agencies", AgencyResource, self.agency_rows),
            ("key tasks", TaskResource, self.task_rows),
        ):
            self.rows = self.sizes[name]
            label = f"{name}, {self.fmt}"
            headers = [resource_class().column(field) for field in resource_class._meta.fields]
            for version, rows in (("a", "new rows"), ("b", "changed rows")):
                data = spreadsheet(headers, make_rows(version), self.fmt)
                dataset = self.step(label, f"read ({len(data) // 1024} kB)",
                                    read_dataset, data, self.fmt)
                for step, dry_run in ((f"preview ({rows})", True), (f"confirm ({rows})", False)):
                    self.step(label, step, self.check_and_import, resource_class,
                              dataset, dry_run)
        assignments = Assignment.objects.filter(task__plan=self.plan).count()
        self.stdout.write(f"key tasks, {self.fmt}: {assignments} assignments, "
                          f"{assignments / self.rows:.1f} a task")

    def check_and_import(self, resource_class, dataset, dry_run):
        """What an import job does with the rows read, at the preview or the confirmation
        (``imports.jobs``: each reads the file first)."""
        resource = resource_class()
        result = resource.import_data(dataset, dry_run=dry_run, user=self.user)
        if result.has_errors() or result.has_validation_errors():
            raise CommandError(f"bad generated rows: {resource.row_problems(result)[:3]}")
        if not dry_run and connection.vendor == "postgresql":
            # The foreign keys are checked at commit, which never comes here: checked now,
            # so the confirmation's time holds them as an import job's does.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    def step(self, name, step, work, *args):
        counter = QueryCounter()
        with override_settings(DEBUG=False), connection.execute_wrapper(counter):
            started, cpu = time.perf_counter(), time.process_time()
            outcome = work(*args)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        self.stdout.write(f"{name:<18} {step:<22} {seconds:>8.2f} {cpu:>7.2f} "
                          f"{self.rows / seconds:>8.0f} {self.rows / max(cpu, 1e-6):>10.0f} "
                          f"{counter.count:>8}")
        return outcome

    def agency_rows(self, version):
        return [
            [f"BENCH-N{i}", f"Phòng thử nghiệm {i} {version}", f"PTN {i}",
             "Đơn vị sự nghiệp công lập" if i % 2 else "department",
             "BENCH" if i % 10 == 0 else f"BENCH-N{i - i % 10}",
             f"ptn{i}@example.gov.vn", "0258 3822 000", f"Số {i} đường Thử nghiệm",
             "Chuyên viên"]
            for i in range(self.rows)
        ]

    def task_rows(self, version):
        rows = []
        for i in range(1, self.rows + 1):
            # A tenth of the changed tasks get other agencies (an int seed drops its sign).
            choose = random.Random(i if version == "a" or i % 10 else i + 1_000_000)
            # As in the plans: mostly one lead agency, now and then a group.
            lead = (self.group.name if i % 50 == 0
                    else fold(choose.choice(self.agencies).name))
            coordinators = "; ".join(a.short_name for a in choose.sample(self.agencies, 2))
            rows.append([self.plan.decision_number, i,
                         f"Nhiệm vụ tuyên truyền cải cách hành chính số {i} ({version})",
                         "- Hội nghị\n- Tờ gấp", lead, coordinators,
                         TIMELINES[(i + (version == "b")) % len(TIMELINES)],
                         "Báo cáo kết quả thực hiện", ""])
        return rows
