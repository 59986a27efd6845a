"""Every assignment carries its task's plan, however it was made: an officer's plans and work
list are read from it (the index on agency and plan), so an assignment without it, or with
another plan's, would hide a plan from the agency working on it."""

import pytest
from django.db.models import F

from plans.access import visible_plans
from plans.models import Plan
from tasks.models import Assignment, AssignmentRole, ProgressUpdate
from tasks.services import (
    TaskImport,
    fan_out_groups,
    import_tasks,
    post_update,
    save_task,
    set_task_agencies,
)
from tests.factories import AgencyFactory, PlanFactory, TaskFactory, UserFactory
from tests.factories.migrations import assigned_task, latest, migrate

BEFORE = ("tasks", "0011_historical_assignment_indexes")


def plans_of_assignments():
    return {a.pk: (a.plan_id, a.task.plan_id) for a in Assignment.objects.select_related("task")}


def assert_each_has_its_tasks_plan():
    found = plans_of_assignments()
    assert found
    assert all(plan == task_plan for plan, task_plan in found.values()), found


@pytest.mark.django_db
def test_the_task_pages_and_group_fan_out_give_assignments_their_plan(
    province, justice, districts, district_group
):
    plans = [PlanFactory(issuer=province, status="issued") for _ in range(2)]
    first = TaskFactory(plan=plans[0])
    set_task_agencies(task=first, leads=[justice], coordinator_groups=[district_group])
    second = TaskFactory(plan=plans[1])
    set_task_agencies(task=second, lead_groups=[district_group])
    AgencyFactory(name="UBND Thị xã Ninh Hòa", code="D9", kind="district", parent=province)
    fan_out_groups(task=second)
    assert Assignment.objects.filter(plan=plans[1]).count() == len(districts) + 1
    assert_each_has_its_tasks_plan()


@pytest.mark.django_db
def test_an_imported_file_gives_its_assignments_their_plan(province, justice, district_group,
                                                           districts):
    plan = PlanFactory(issuer=province, status="draft")
    rows = [
        TaskImport(task=TaskFactory.build(plan=plan, number=1, timeline_text="Quý I/2022"),
                   leads=[justice], lead_groups=[], coordinators=[]),
        TaskImport(task=TaskFactory.build(plan=plan, number=2, timeline_text="Quý II/2022"),
                   leads=[], lead_groups=[district_group], coordinators=[justice]),
    ]
    import_tasks(rows=rows)
    assert Assignment.objects.filter(plan=plan).count() == 1 + len(districts) + 1
    assert_each_has_its_tasks_plan()


@pytest.mark.django_db
def test_bulk_made_assignments_take_their_plan_from_the_task_given_or_its_id(province, justice,
                                                                             health):
    plan = PlanFactory(issuer=province)
    task = TaskFactory(plan=plan)
    Assignment.objects.bulk_create([
        Assignment(task=task, agency=justice, role=AssignmentRole.LEAD),
        Assignment(task_id=task.pk, agency=health, role=AssignmentRole.COORDINATOR),
    ])
    assert set(Assignment.objects.values_list("plan", flat=True)) == {plan.pk}


@pytest.mark.django_db
def test_an_officer_sees_the_plans_of_the_tasks_the_agency_is_given(province, justice, health):
    issued, other = (PlanFactory(issuer=province, status="issued") for _ in range(2))
    set_task_agencies(task=TaskFactory(plan=issued), coordinators=[justice])
    set_task_agencies(task=TaskFactory(plan=other), leads=[health])
    officer = UserFactory(agency=justice)
    assert list(visible_plans(officer)) == [issued]


@pytest.mark.django_db
def test_a_task_moved_to_another_plan_takes_its_assignments_along(province, justice):
    old, new = (PlanFactory(issuer=province, status="draft") for _ in range(2))
    task = TaskFactory(plan=old)
    set_task_agencies(task=task, leads=[justice])
    task.refresh_from_db()
    task.plan = new  # the admin's change form
    save_task(task=task)
    assert list(Assignment.objects.values_list("plan", "province")) == [(new.pk, province.pk)]
    Plan.objects.filter(pk__in=[old.pk, new.pk]).update(status="issued")
    assert list(visible_plans(UserFactory(agency=justice))) == [new]


@pytest.mark.django_db
def test_a_task_moved_to_another_provinces_plan_takes_its_work_there(province, justice,
                                                                     coordinator):
    other = AgencyFactory(name="UBND tỉnh Ninh Thuận", code="NT", kind="province")
    old = PlanFactory(issuer=province, status="draft")
    new = PlanFactory(issuer=other, status="draft")
    task = TaskFactory(plan=old)
    set_task_agencies(task=task, leads=[justice])
    post_update(assignment=task.assignments.get(), author=coordinator, status="in_progress",
                percent=30, narrative="Đã đăng tin")
    task.refresh_from_db()
    task.plan = new
    save_task(task=task)
    assert list(Assignment.objects.values_list("province", flat=True)) == [other.pk]
    assert list(ProgressUpdate.objects.values_list("province", flat=True)) == [other.pk]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_schema_after")
def test_assignments_written_before_the_migration_get_their_tasks_plan():
    leaves = latest()
    old = migrate(BEFORE, *(leaf for leaf in leaves if leaf[0] != "tasks"))
    made = assigned_task(old)
    Plan, Task = old.get_model("plans", "Plan"), old.get_model("tasks", "Task")
    other = Plan.objects.create(issuer=made.agency, title="Kế hoạch năm 2023",
                                period_start_year=2023, period_end_year=2023)
    task = Task.objects.create(plan=other, number=1, title="Tọa đàm")
    second = old.get_model("tasks", "Assignment").objects.create(task=task, agency=made.agency,
                                                                 role="lead")

    new = migrate(*leaves)

    written = dict(new.get_model("tasks", "Assignment").objects.values_list("pk", "plan"))
    assert written == {made.assignment.pk: made.plan.pk, second.pk: other.pk}
    assert not new.get_model("tasks", "Assignment").objects.exclude(plan=F("task__plan")).exists()
