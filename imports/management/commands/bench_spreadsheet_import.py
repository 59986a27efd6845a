"""Benchmark the agency and key-task spreadsheet imports, then roll every row back.

Generates an agency file and a key-task file of ``--rows`` rows each for a synthetic province
and times, for each: reading the file, the check the preview shows (no write), the confirmed
import of new rows (checked again, then written in bulk with their history), then the same
file with every row changed (a tenth of the tasks with other agencies). A task has one lead
(a group of ten agencies for one task in fifty) and two coordinators. Prints seconds, rows
per second and queries of each step. Everything runs in one transaction that is rolled back.
"""

import csv
import io
import random
import time

import openpyxl
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

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
        parser.add_argument("--rows", type=int, default=5000)
        parser.add_argument("--agencies", type=int, default=200,
                            help="Agencies of the synthetic province that lead the tasks.")
        parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
        parser.add_argument("--seed", type=int, default=2030)

    def handle(self, *args, **options):
        limit = Limits.from_settings().max_rows
        if not 1 <= options["rows"] <= limit:
            raise CommandError(f"--rows must be 1..{limit} (IMPORT_MAX_ROWS).")
        if options["agencies"] < 3:
            raise CommandError("--agencies must be at least 3.")
        self.random = random.Random(options["seed"])
        self.fmt = options["format"]
        self.rows = options["rows"]
        try:
            with transaction.atomic():
                self.run(options["agencies"])
                raise Rollback
        except Rollback:
            pass

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
        user = User.objects.create(username="bench-import", role="admin", is_staff=True)
        self.stdout.write(f"{self.rows} rows a file, {self.fmt}, {connection.vendor}, "
                          f"{agency_count} agencies")
        self.stdout.write(f"{'file':<10} {'step':<22} {'seconds':>8} {'CPU s':>7} "
                          f"{'rows/s':>8} {'queries':>8}")
        for name, resource_class, make_rows in (
            ("agencies", AgencyResource, self.agency_rows),
            ("key tasks", TaskResource, self.task_rows),
        ):
            headers = [resource_class().column(field) for field in resource_class._meta.fields]
            for version, label in (("a", "new rows"), ("b", "changed rows")):
                data = spreadsheet(headers, make_rows(version), self.fmt)
                dataset = self.step(name, f"read ({len(data) // 1024} kB)",
                                    read_dataset, data, self.fmt)
                for step, dry_run in ((f"preview ({label})", True),
                                      (f"confirm ({label})", False)):
                    resource = resource_class()
                    result = self.step(name, step, resource.import_data, dataset,
                                       dry_run=dry_run, user=user)
                    if result.has_errors() or result.has_validation_errors():
                        raise CommandError(f"{name}: bad generated rows: "
                                           f"{resource.row_problems(result)[:3]}")
        assignments = Assignment.objects.filter(task__plan=self.plan).count()
        self.stdout.write(f"key tasks: {assignments} assignments, "
                          f"{assignments / self.rows:.1f} a task")

    def step(self, name, step, work, *args, **kwargs):
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            started, cpu = time.perf_counter(), time.process_time()
            outcome = work(*args, **kwargs)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        self.stdout.write(f"{name:<10} {step:<22} {seconds:>8.2f} {cpu:>7.2f} "
                          f"{self.rows / seconds:>8.0f} {counter.count:>8}")
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
            choose = random.Random(i if version == "a" or i % 10 else -i)
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
