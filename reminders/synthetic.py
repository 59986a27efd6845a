"""A synthetic province for the reminders' bench and query-count test: ``agencies`` agencies
(one in ten without an officer, every one with a head's address), a coordinator, one issued
plan addressed to all of them with quarterly reports and a deadline for their own plans,
and ``assignments`` assignments (five a task) due around ``RUN_DAY`` at every step: in 7
days, tomorrow, yesterday, 5 and 15 days ago, and some done."""

import datetime

from agencies.models import Agency, AgencyKind, Role, User
from plans.models import Plan, PlanStatus
from tasks.counting import day_start
from tasks.models import Assignment, AssignmentRole, ProgressUpdate, Status, Task
from tasks.timeline import ScheduleKind

RUN_DAY = datetime.date(2022, 4, 15)
OFFSETS = (7, 1, -1, -5, -15, 30)  # days from RUN_DAY to the tasks' due dates
PER_TASK = 5


def synthetic_province(*, agencies=200, assignments=5000, prefix="SYN"):
    province = Agency.objects.create(code=f"{prefix}-P", name=f"UBND tỉnh {prefix}",
                                     kind=AgencyKind.PROVINCE)
    home = Agency.objects.create(code=f"{prefix}-SNV", name=f"Sở Nội vụ {prefix}",
                                 kind=AgencyKind.DEPARTMENT, parent=province)
    coordinator = User.objects.create(
        username=f"{prefix.lower()}-coordinator", role=Role.COORDINATOR, agency=home,
        email=f"coordinator@{prefix.lower()}.example",
    )
    members = Agency.objects.bulk_create(
        Agency(code=f"{prefix}-{n}", name=f"Sở {prefix} số {n:04d}", kind=AgencyKind.DEPARTMENT,
               parent=province, head_name=f"Giám đốc {n}", head_title="Giám đốc",
               head_email=f"head{n}@{prefix.lower()}.example", search_text=f"so {n}")
        for n in range(agencies)
    )
    User.objects.bulk_create(
        User(username=f"{prefix.lower()}-officer-{n}", role=Role.AGENCY_OFFICER, agency=agency,
             email=f"officer{n}@{prefix.lower()}.example")
        for n, agency in enumerate(members) if n % 10
    )
    plan = Plan.objects.create(
        issuer=province, title=f"Kế hoạch tuyên truyền CCHC {prefix}", period_start_year=2022,
        period_end_year=2022, status=PlanStatus.ISSUED, reporting_periods=["Q1", "Q2"],
        report_due_day=20, submission_deadline=RUN_DAY + datetime.timedelta(days=1),
    )
    plan.addressed_agencies.set(members)
    tasks = Task.objects.bulk_create(
        Task(plan=plan, number=n + 1, title=f"Nhiệm vụ {n + 1}", schedule_kind=ScheduleKind.DUE,
             due_date=RUN_DAY + datetime.timedelta(days=OFFSETS[n % len(OFFSETS)]),
             timeline_text="Quý II/2022")
        for n in range(max(1, assignments // PER_TASK))
    )
    Assignment.objects.bulk_create(
        Assignment(task=task, agency=members[(t * PER_TASK + k) % len(members)],
                   role=AssignmentRole.LEAD if k == 0 else AssignmentRole.COORDINATOR,
                   status=Status.DONE if (t + k) % 7 == 0 else Status.IN_PROGRESS,
                   percent=50)
        for t, task in enumerate(tasks) for k in range(PER_TASK)
    )
    # Their progress, posted before the run's day (a past day is judged by it).
    posted = day_start(RUN_DAY - datetime.timedelta(days=20))
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(assignment=assignment, author=coordinator, status=assignment.status,
                       percent=100 if assignment.status == Status.DONE else 50,
                       narrative="Đã thực hiện.", created_at=posted)
        for assignment in Assignment.objects.filter(task__plan=plan).only("pk", "status")
    )
    return plan
