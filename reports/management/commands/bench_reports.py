"""Benchmark the summary reports on a synthetic province, then roll every row back.

A province of ``--agencies`` agencies, one plan of ``--tasks`` key tasks shared out as
``--assignments`` assignments, a year of progress updates with figures, the agencies' own
plans and Q1 reports. Its quarterly (Q1) and annual (Y) reports are rendered as PDF and
xlsx; for each the command prints the seconds of the whole PDF (reading the data, the HTML,
WeasyPrint), of WeasyPrint alone run again on that final HTML and their ratio, the pages and
the peak memory. Then the demo province's Q1/2022 report.
Everything runs in one transaction that is rolled back: the database is left as it was.
"""

import datetime
import random
import resource
import time
import tracemalloc
from io import StringIO
from zoneinfo import ZoneInfo

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from agencies.models import Agency, User
from documents.pdf import write_pdf
from periodic.models import AgencyReport, AgencyReportFigure, ReportStatus
from plans.models import Channel, Measure, Plan
from reports.generation import render_report
from tasks.models import Assignment, AssignmentRole, ProgressUpdate, Status, Task, UpdateFigure
from tasks.timeline import resolve_timeline

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
TIMELINES = ["Quý I/{y}", "Quý II/{y}", "Quý III/{y}", "Trong năm {y}", "Thường xuyên",
             "Định kỳ hàng quý, bắt đầu từ quý I/{y}", "Trong tháng 02/{y}"]
CHANNELS = [
    ("Báo chí", False, [("Tin, bài trên báo", "tin, bài")]),
    ("Cổng thông tin điện tử", True, [("Tin, bài trên cổng", "tin, bài"),
                                      ("Văn bản đăng tải", "văn bản")]),
    ("Mạng xã hội", True, [("Bài đăng", "bài"), ("Video", "sản phẩm")]),
    ("Hội nghị, hội thảo", False, [("Hội nghị", "hội nghị"), ("Người tham dự", "lượt người")]),
    ("Tập huấn", False, [("Lớp tập huấn", "lớp"), ("Học viên", "lượt người")]),
    ("Tờ gấp, áp phích", False, [("Tờ gấp", "tờ")]),
    ("Truyền thanh cơ sở", False, [("Lượt phát", "lượt")]),
    ("Màn hình LED", True, [("Nội dung trình chiếu", "nội dung")]),
]


class Rollback(Exception):
    pass


def megabytes(value):
    return value / (1024 * 1024)


def maxrss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


class Command(BaseCommand):
    help = (
        "Render the quarterly and annual summary reports of a synthetic province and print "
        "seconds, pages and peak memory; nothing is kept in the database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agencies", type=int, default=200)
        parser.add_argument("--assignments", type=int, default=5000)
        parser.add_argument("--tasks", type=int, default=50)
        parser.add_argument(
            "--updates", type=int, default=4, help="Progress updates per assignment (average)."
        )
        parser.add_argument("--seed", type=int, default=2022)
        parser.add_argument("--no-demo", action="store_true", help="Skip the demo province.")
        parser.add_argument(
            "--no-memory", action="store_true", help="Skip the second pass measuring memory."
        )

    def handle(self, *args, **options):
        if options["agencies"] < 1 or options["tasks"] < 1 or options["assignments"] < 1:
            raise CommandError("Give at least 1 agency, 1 task and 1 assignment.")
        if options["assignments"] > options["tasks"] * options["agencies"]:
            raise CommandError("Too many assignments: at most tasks × agencies.")
        self.options = options
        self.rows = []
        try:
            with transaction.atomic():
                started = time.perf_counter()
                plan, counts = self.build(random.Random(options["seed"]))
                self.stdout.write(
                    f"Synthetic province: {counts['agencies']} agencies, {counts['tasks']} tasks, "
                    f"{counts['assignments']} assignments, {counts['updates']} updates, "
                    f"{counts['figures']} figures (built in {time.perf_counter() - started:.1f} s)."
                )
                year = plan.period_start_year
                self.measure(f"synthetic Q1/{year}", plan, year, "Q1")
                self.measure(f"synthetic Y/{year}", plan, year, "Y")
                if not options["no_demo"]:
                    call_command("load_demo", stdout=StringIO())
                    demo = Plan.objects.get(decision_number="286/QĐ-UBND")
                    self.measure("demo Q1/2022 (Khánh Hòa)", demo, 2022, "Q1")
                raise Rollback
        except Rollback:
            pass
        self.report()

    # -- the synthetic province --------------------------------------------------------------

    def build(self, rng):
        opts = self.options
        year = datetime.date.today().year - 1
        province = Agency.objects.create(
            name="Ủy ban nhân dân tỉnh Thử Nghiệm", short_name="UBND tỉnh Thử Nghiệm",
            code="BENCH-UBND", kind="province",
        )
        Agency.objects.create(name="Sở Nội vụ tỉnh Thử Nghiệm", short_name="Sở Nội vụ",
                              code="BENCH-SNV", kind="department", parent=province)
        agencies = []
        for n in range(opts["agencies"]):
            department = n % 4 == 0
            name = f"Sở Chuyên ngành số {n + 1}" if department else f"Ủy ban nhân dân xã số {n + 1}"
            agencies.append(Agency(
                name=f"{name} tỉnh Thử Nghiệm" if department else name,
                short_name=name, code=f"BENCH-{n + 1}",
                kind="department" if department else "commune", parent=province,
                search_text=name.lower(),
            ))
        agencies = Agency.objects.bulk_create(agencies)
        user = User.objects.create(username="bench-officer", role="coordinator",
                                   agency=agencies[0])
        measures = self.catalogue()
        plan = Plan.objects.create(
            issuer=province, title=f"Kế hoạch tuyên truyền cải cách hành chính năm {year}",
            document_number="99/KH-UBND", issued_on=datetime.date(year, 1, 20),
            place="Thử Nghiệm", period_start_year=year, period_end_year=year, status="issued",
            reporting_periods=["Q1", "H1", "M9", "Y"],
            submission_deadline=datetime.date(year, 2, 28),
            submission_deadline_text=f"trong tháng 02/{year}",
        )
        plan.addressed_agencies.set(agencies)
        tasks = []
        for number in range(1, opts["tasks"] + 1):
            text = TIMELINES[number % len(TIMELINES)].format(y=year)
            schedule = resolve_timeline(text, year=year, end_year=year)
            tasks.append(Task(
                plan=plan, number=number, timeline_text=text, schedule_kind=schedule.kind,
                due_date=schedule.due_date,
                title=f"Nhiệm vụ tuyên truyền cải cách hành chính trọng điểm số {number}: tổ "
                      f"chức tuyên truyền, phổ biến đến cán bộ, công chức và người dân",
                search_text=f"nhiem vu {number}",
            ))
        tasks = Task.objects.bulk_create(tasks)
        assignments = []
        share, extra = divmod(opts["assignments"], len(tasks))
        for index, task in enumerate(tasks):
            count = share + (1 if index < extra else 0)
            chosen = rng.sample(agencies, count)
            for position, agency in enumerate(chosen):
                role = AssignmentRole.LEAD if position < max(1, count * 4 // 5) else (
                    AssignmentRole.COORDINATOR)
                assignments.append(Assignment(task=task, agency=agency, role=role))
        assignments = Assignment.objects.bulk_create(assignments)
        updates, plans = [], []
        start = datetime.datetime(year - 1, 12, 20, 9, tzinfo=LOCAL)
        for assignment in assignments:
            count = rng.randint(0, 2 * opts["updates"])
            days = sorted(rng.sample(range(0, 360), min(count, 360)))
            pct = 0
            for position, day in enumerate(days):
                pct = min(100, pct + rng.randint(10, 40))
                last = position == len(days) - 1
                status = Status.DONE if pct == 100 and last else Status.IN_PROGRESS
                updates.append(ProgressUpdate(
                    assignment=assignment, author=user, status=status,
                    percent=100 if status == Status.DONE else min(pct, 95),
                    created_at=start + datetime.timedelta(days=day, minutes=position),
                    narrative="Đã tổ chức tuyên truyền, phổ biến nội dung cải cách hành chính "
                              "đến cán bộ, công chức và người dân trên địa bàn.",
                ))
        chosen = [rng.sample(measures, rng.randint(0, 2)) for _update in updates]
        for update, measured in zip(updates, chosen, strict=True):
            update.has_figures = bool(measured)
        updates = ProgressUpdate.objects.bulk_create(updates, batch_size=2000)
        figures = [
            UpdateFigure(update=update, measure=measure, value=rng.randint(1, 50))
            for update, measured in zip(updates, chosen, strict=True)
            for measure in measured
        ]
        UpdateFigure.objects.bulk_create(figures, batch_size=5000)
        for agency in agencies[: len(agencies) * 3 // 4]:
            plans.append(Plan(
                issuer=agency, parent=plan, title=f"Kế hoạch tuyên truyền CCHC của {agency.name}",
                period_start_year=year, period_end_year=year, status="issued",
                submitted_at=datetime.datetime(year, 2, rng.randint(1, 28), 9, tzinfo=LOCAL)
                + datetime.timedelta(days=rng.choice([0, 0, 0, 10])),
                search_text="ke hoach",
            ))
        Plan.objects.bulk_create(plans)
        reports = AgencyReport.objects.bulk_create(
            AgencyReport(plan=plan, agency=agency, year=year, period_code="Q1",
                         status=ReportStatus.SUBMITTED, results="Đã thực hiện.",
                         submitted_at=datetime.datetime(year, 3, 12, 9, tzinfo=LOCAL))
            for agency in agencies[::2]
        )
        AgencyReportFigure.objects.bulk_create(
            AgencyReportFigure(report=report, measure=measure, value=rng.randint(1, 30))
            for report in reports
            for measure in rng.sample(measures, 3)
        )
        return plan, {
            "agencies": len(agencies), "tasks": len(tasks), "assignments": len(assignments),
            "updates": len(updates), "figures": len(figures),
        }

    def catalogue(self):
        measures = []
        for position, (name, online, items) in enumerate(CHANNELS, start=1):
            channel = Channel.objects.create(code=f"bench-{position}", name=name,
                                             is_online=online, position=100 + position)
            for index, (measure, unit) in enumerate(items, start=1):
                measures.append(Measure.objects.create(
                    code=f"bench-{position}-{index}", name=measure, unit=unit, channel=channel,
                    position=100 + position * 10 + index,
                ))
        return measures

    # -- measuring ---------------------------------------------------------------------------

    def measure(self, label, plan, year, code):
        started = time.perf_counter()
        rendered = render_report(plan, year, code, "pdf")
        seconds = time.perf_counter() - started
        # WeasyPrint alone, run again on the very HTML the report laid out.
        html = render_report(plan, year, code, "html").content.decode()
        started = time.perf_counter()
        write_pdf(html)
        alone = time.perf_counter() - started
        started = time.perf_counter()
        render_report(plan, year, code, "xlsx")
        xlsx_seconds = time.perf_counter() - started
        peak = None
        if not self.options["no_memory"]:
            tracemalloc.start()
            render_report(plan, year, code, "pdf")
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        self.rows.append({
            "label": label,
            "seconds": seconds,
            "data": rendered.timings["data"],
            "html": rendered.timings["html"],
            "weasyprint": alone,
            "pages": rendered.pages,
            "bytes": len(rendered.content),
            "xlsx": xlsx_seconds,
            "peak": peak,
            "maxrss": maxrss_mb(),
        })

    def report(self):
        header = (f"{'report':<28} {'PDF s':>7} {'data s':>7} {'HTML s':>7} {'WeasyPrint s':>13} "
                  f"{'ratio':>6} "
                  f"{'pages':>6} {'PDF KB':>8} {'xlsx s':>7} {'peak MB':>8} {'maxrss MB':>10}")
        self.stdout.write(header)
        for row in self.rows:
            peak = f"{megabytes(row['peak']):8.1f}" if row["peak"] is not None else f"{'–':>8}"
            self.stdout.write(
                f"{row['label']:<28} {row['seconds']:7.2f} {row['data']:7.2f} {row['html']:7.2f} "
                f"{row['weasyprint']:13.2f} {row['seconds'] / row['weasyprint']:6.2f} "
                f"{row['pages']:6d} {row['bytes'] / 1024:8.0f} "
                f"{row['xlsx']:7.2f} {peak} {row['maxrss']:10.0f}"
            )
        self.stdout.write(
            "PDF s: the whole PDF (data + HTML + WeasyPrint); WeasyPrint s: WeasyPrint alone on "
            "the same final HTML, run again; ratio: PDF s / WeasyPrint s. peak MB: Python "
            "allocations during a second PDF rendering (tracemalloc); maxrss MB: the process's "
            "peak resident memory so far. "
            "Nothing was kept in the database."
        )
