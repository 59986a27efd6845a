"""``import_tasks``: the rules of the task pages hold for a whole file written at once."""

import pytest

from cchc_plans.locking import FrozenError, StaleError
from plans.models import Plan
from tasks.models import Task
from tasks.services import TaskImport, import_tasks, update_task
from tests.factories.tasks import make_task

pytestmark = pytest.mark.django_db


def test_a_task_saved_since_it_was_read_is_not_overwritten(draft_plan, justice):
    task = make_task(draft_plan, "Quý II/2022", number=1, title="Bản đầu", leads=[justice])
    read = Task.objects.get(pk=task.pk)  # what the file's check read
    update_task(task=task, version=task.version, title="Sửa trên trang",
                timeline_text="Quý II/2022", leads=[justice])
    read.title = "Bản trong tệp"
    new = Task(plan=draft_plan, number=2, title="Nhiệm vụ mới", timeline_text="Quý I/2022")
    with pytest.raises(StaleError):
        import_tasks(rows=[TaskImport(task=new), TaskImport(task=read, leads=[justice],
                                                            lead_groups=[], coordinators=[])])
    assert Task.objects.get(pk=task.pk).title == "Sửa trên trang"
    assert Task.objects.count() == 1


def test_a_number_taken_since_the_check_is_not_reused(draft_plan):
    new = Task(plan=draft_plan, number=1, title="Từ tệp", timeline_text="Quý I/2022")
    make_task(draft_plan, "Quý II/2022", number=1, title="Thêm trên trang")
    with pytest.raises(StaleError):
        import_tasks(rows=[TaskImport(task=new)])
    assert list(Task.objects.values_list("title", flat=True)) == ["Thêm trên trang"]


def test_a_plan_issued_since_the_check_takes_nothing(draft_plan):
    new = Task(plan=draft_plan, number=1, title="Từ tệp", timeline_text="Quý I/2022")
    Plan.objects.filter(pk=draft_plan.pk).update(status="issued")
    with pytest.raises(FrozenError) as error:
        import_tasks(rows=[TaskImport(task=new)])
    assert error.value.obj.pk == draft_plan.pk
    assert not Task.objects.exists()
