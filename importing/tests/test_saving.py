"""Saving an imported plan: a fixed number of queries whatever its size, all or nothing."""

import pytest

from agencies.models import Agency
from importing.services import save_import, understand
from plans.models import OutlineNode, Plan
from tasks.models import Assignment, Task, TaskTableRow

from .conftest import seed, synthetic_plan

# The plan and its history (with the checks of its fields), its legal bases, outline
# nodes, then the tasks through tasks.services.import_tasks: the plan locked, the numbers
# taken, one query per agency group named (members), tasks, lead and coordinating groups
# with their history, checkpoints, assignments; then the key-task tables and their rows,
# each with its history.
KHANH_HOA_QUERIES = 39  # 16 tasks naming 3 groups
SYNTHETIC_QUERIES = 35  # any number of tasks naming 1 group, no coordinating group


def test_saving_the_khanh_hoa_plan_takes_a_fixed_number_of_queries(
    agency_tree, django_assert_num_queries
):
    understood = understand(seed("khanh-hoa-2022-provincial-plan.docx"))
    with django_assert_num_queries(KHANH_HOA_QUERIES):
        plan = save_import(understood)
    assert plan.tasks.count() == 16
    assert Assignment.objects.filter(task__plan=plan).count() == 136
    # Every task is in the history once, created by the import, with its groups.
    task_15 = Task.history.get(plan_id=plan.pk, number=15)
    assert task_15.history_change_reason == "import"
    assert task_15.lead_groups.count() == 2
    task_2 = Task.history.get(plan_id=plan.pk, number=2)
    assert task_2.coordinator_groups.count() == 2


@pytest.mark.parametrize("rows", [10, 100])
def test_ten_times_the_tasks_take_the_same_queries(agency_tree, django_assert_num_queries,
                                                   rows):
    understood = understand(synthetic_plan(rows=rows), "sxd.docx")
    assert len(understood.tasks) == rows
    with django_assert_num_queries(SYNTHETIC_QUERIES):
        plan = save_import(understood)
    assert plan.tasks.count() == rows
    assert TaskTableRow.objects.filter(table__plan=plan).count() == rows
    assert Task.history.filter(plan_id=plan.pk).count() == rows
    # Task 3 (3 % 5): UBND các huyện, thị xã, thành phố lead, one assignment per member.
    task_3 = plan.tasks.get(number=3)
    members = task_3.lead_groups.get().member_agencies()
    assert set(task_3.assignments.filter(role="lead").values_list("agency", flat=True)) == {
        agency.pk for agency in members}
    assert plan.tasks.get(number=2).due_date.isoformat() == "2023-12-31"


def test_a_database_refusing_the_last_rows_leaves_nothing(agency_tree, settings, tmp_path,
                                                          monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    text = ("UBND TỈNH KHÁNH HÒA\nSỞ NGOẠI NGỮ\nSố: 15/KH-SNN\n"
            "Khánh Hòa, ngày 3 tháng 3 năm 2023\nKẾ HOẠCH\n"
            "Tuyên truyền cải cách hành chính năm 2023\nI. MỤC TIÊU\n- Một\n"
            "II. NHIỆM VỤ\nSTT\tNội dung\tCơ quan chủ trì\tThời gian\n"
            "1\tHội nghị\tSở Nội vụ\tQuý I/2023\nIII. TỔ CHỨC THỰC HIỆN\n- Ba\n")
    understood = understand(text.encode(), "sxd.txt")
    assert [a.name for a in understood.created_agencies] == ["Sở Ngoại ngữ"]
    before = (Plan.objects.count(), Task.objects.count(), Agency.objects.count(),
              OutlineNode.objects.count(), Assignment.objects.count())

    from cchc_plans import bulk

    real = bulk.create_with_history

    def refusing(objs, model, **kwargs):
        if model is TaskTableRow:
            raise RuntimeError("database went away")
        return real(objs, model, **kwargs)

    monkeypatch.setattr("importing.services.create_with_history", refusing)
    with pytest.raises(RuntimeError):
        save_import(understood, data=text.encode(), filename="sxd.txt")
    assert (Plan.objects.count(), Task.objects.count(), Agency.objects.count(),
            OutlineNode.objects.count(), Assignment.objects.count()) == before
    assert not any(path.is_file() for path in tmp_path.rglob("*"))
