import datetime

import pytest

from tasks.models import Assignment, AssignmentRole, Status, Task
from tasks.selectors import task_history
from tasks.services import (
    dissolve_agency,
    fan_out_groups,
    post_update,
    schedule_task,
    set_task_agencies,
)
from tests.factories import AgencyFactory, AgencyGroupFactory, TaskFactory

pytestmark = pytest.mark.django_db


def test_schedule_task_resolves_quarter_to_its_last_day(task):
    schedule_task(task=task)
    task.refresh_from_db()
    assert task.due_date == datetime.date(2022, 3, 31)
    assert task.schedule_kind == "due"


def test_schedule_task_keeps_due_date_set_by_hand(plan):
    task = TaskFactory(
        plan=plan,
        timeline_text="Theo tiến độ Kế hoạch",
        due_date=datetime.date(2022, 9, 1),
        due_date_set_by_hand=True,
    )
    schedule_task(task=task)
    task.refresh_from_db()
    assert task.schedule_kind == "follows"
    assert task.due_date == datetime.date(2022, 9, 1)


def test_schedule_task_recurring_gets_one_checkpoint_per_quarter(plan):
    task = TaskFactory(plan=plan, timeline_text="Định kỳ hàng quý, bắt đầu từ quý I/2022")
    schedule_task(task=task)
    assert [c.due_date.month for c in task.checkpoints.all()] == [3, 6, 9, 12]
    task.timeline_text = "Quý II/2022"
    schedule_task(task=task)
    assert task.checkpoints.count() == 0


def test_group_lead_fans_out_to_every_member(task, district_group, districts, justice):
    set_task_agencies(task=task, lead_groups=[district_group], coordinators=[justice])
    leads = task.assignments.filter(role=AssignmentRole.LEAD)
    assert {a.agency for a in leads} == set(districts)
    assert all(a.via_group == district_group for a in leads)
    assert task.assignments.get(role=AssignmentRole.COORDINATOR).agency == justice


def test_group_fan_out_follows_new_members(task, district_group, districts, province):
    set_task_agencies(task=task, lead_groups=[district_group])
    AgencyFactory(name="UBND Thị xã Ninh Hòa", code="D9", kind="district", parent=province)
    fan_out_groups(task=task)
    assert task.assignments.filter(role=AssignmentRole.LEAD).count() == len(districts) + 1


def test_task_without_lead_rolls_up_from_coordinators(task, justice, coordinator):
    set_task_agencies(task=task, coordinators=[justice])
    assignment = task.assignments.get()
    post_update(
        assignment=assignment,
        author=coordinator,
        status=Status.DONE,
        percent=100,
        narrative="Đã hoàn thành",
    )
    task.refresh_from_db()
    assert task.status == Status.DONE


def test_status_rolls_up_from_leads_only(task, districts, justice, coordinator):
    set_task_agencies(task=task, leads=districts[:2], coordinators=[justice])
    first, second = task.assignments.filter(role=AssignmentRole.LEAD)
    post_update(
        assignment=first, author=coordinator, status=Status.DONE, percent=100, narrative="Xong"
    )
    task.refresh_from_db()
    assert (task.status, task.percent) == (Status.IN_PROGRESS, 50)
    post_update(
        assignment=second, author=coordinator, status=Status.DONE, percent=100, narrative="Xong"
    )
    task.refresh_from_db()
    assert (task.status, task.percent) == (Status.DONE, 100)


def test_progress_updates_are_a_history(task, justice, coordinator):
    set_task_agencies(task=task, leads=[justice])
    assignment = task.assignments.get()
    post_update(
        assignment=assignment,
        author=coordinator,
        status=Status.IN_PROGRESS,
        percent=30,
        narrative="Bắt đầu",
    )
    post_update(
        assignment=assignment,
        author=coordinator,
        status=Status.IN_PROGRESS,
        percent=60,
        narrative="Tiếp tục",
    )
    assert [u.percent for u in assignment.updates.all()] == [60, 30]
    assignment.refresh_from_db()
    assert assignment.percent == 60


def test_overdue_is_derived_from_due_date_and_today(plan):
    late = TaskFactory(plan=plan, timeline_text="Quý I/2022")
    ongoing = TaskFactory(plan=plan, timeline_text="Thường xuyên trong năm")
    for task in (late, ongoing):
        schedule_task(task=task)
    april = datetime.date(2022, 4, 10)
    assert {task for task in Task.objects.all() if task.is_overdue(april)} == {late}
    assert late.is_overdue(april) and late.days_late(april) == 10
    assert not late.is_overdue(datetime.date(2022, 3, 31))
    assert not ongoing.is_overdue(datetime.date(2023, 1, 5))


def test_done_task_is_never_overdue(task, justice, coordinator):
    schedule_task(task=task)
    set_task_agencies(task=task, leads=[justice])
    post_update(
        assignment=task.assignments.get(),
        author=coordinator,
        status=Status.DONE,
        percent=100,
        narrative="Xong",
    )
    task.refresh_from_db()
    assert not task.is_overdue(datetime.date(2022, 5, 1))


def test_dissolved_agency_passes_open_work_to_successor(plan, province, coordinator):
    old = AgencyFactory(name="Sở Thông tin và Truyền thông", code="STTTT", parent=province)
    new = AgencyFactory(name="Sở Khoa học và Công nghệ", code="SKHCN", parent=province)
    open_task = TaskFactory(plan=plan)
    done_task = TaskFactory(plan=plan)
    set_task_agencies(task=open_task, leads=[old])
    set_task_agencies(task=done_task, leads=[old])
    post_update(
        assignment=done_task.assignments.get(),
        author=coordinator,
        status=Status.DONE,
        percent=100,
        narrative="Đã xong trước khi sáp nhập",
    )

    done = dissolve_agency(agency=old, successor=new, on=datetime.date(2025, 3, 1))

    assert (len(done.moving), done.closing) == (1, [])
    old.refresh_from_db()
    assert old.is_dissolved and old.name == "Sở Thông tin và Truyền thông"
    moved_assignment = open_task.assignments.get()
    assert (moved_assignment.agency, moved_assignment.transferred_from) == (new, old)
    finished = done_task.assignments.get()
    assert finished.agency == old
    assert finished.updates.get().narrative == "Đã xong trước khi sáp nhập"
    assert old.current() == new


def test_dissolution_does_not_duplicate_successor_duty(task, province):
    old = AgencyFactory(code="OLD", parent=province)
    new = AgencyFactory(code="NEW", parent=province)
    set_task_agencies(task=task, leads=[old, new])
    dissolve_agency(agency=old, successor=new)
    assert Assignment.objects.filter(task=task, agency=new).count() == 1
    assert Assignment.objects.get(task=task, agency=old).status == Status.CANCELLED


def test_changes_are_recorded_in_history(task, justice, coordinator):
    task.title = "Tiêu đề mới"
    task.save()
    set_task_agencies(task=task, leads=[justice])
    justice.phone = "0258 3822 222"
    justice.save()
    assert task.history.count() >= 2
    assert task.history.first().title == "Tiêu đề mới"
    assert task.assignments.get().history.count() == 1
    assert justice.history.first().phone == "0258 3822 222"


def test_group_of_a_kind_stays_within_its_province(task, district_group, districts, province):
    other_province = AgencyFactory(name="UBND tỉnh Ninh Thuận", code="UBND-NT", kind="province")
    AgencyFactory(name="UBND TP Phan Rang - Tháp Chàm", code="NT1", kind="district",
                  parent=other_province)
    district_group.scope = province
    district_group.save()
    set_task_agencies(task=task, lead_groups=[district_group])
    assert {a.agency for a in task.assignments.all()} == set(districts)


def test_task_search_ignores_diacritics(plan):
    found = TaskFactory(plan=plan, title="Đối thoại với các doanh nghiệp, nhà đầu tư")
    TaskFactory(plan=plan, title="Tập huấn nghiệp vụ CCHC")
    assert list(Task.objects.search("doi thoai doanh nghiep")) == [found]


def test_task_history_tells_group_changes_field_by_field_in_three_queries(
    task, justice, province, django_assert_num_queries
):
    first, second, gone = (
        AgencyGroupFactory(name=name, province=province)
        for name in ("Nhóm khối Sở", "Nhóm khối huyện", "Nhóm đã giải thể")
    )
    set_task_agencies(task=task, leads=[justice], lead_groups=[first], coordinator_groups=[gone])
    set_task_agencies(task=task, leads=[justice], lead_groups=[second], coordinator_groups=[first])
    gone.delete()

    with django_assert_num_queries(3):  # the task's records, their groups, the assignments'
        sets = task_history(task=task)

    changes = [  # newest first
        (change.field, change.added, change.removed)
        for change_set in sets for entry in change_set.entries for change in entry.changes
        if change.members
    ]
    assert changes == [  # set() removes, then adds: a record each
        ("coordinating groups", ["Nhóm khối Sở"], []),
        ("coordinating groups", [], ["(deleted)"]),
        ("lead groups", ["Nhóm khối huyện"], []),
        ("lead groups", [], ["Nhóm khối Sở"]),
        ("coordinating groups", ["(deleted)"], []),
        ("lead groups", ["Nhóm khối Sở"], []),
    ]
