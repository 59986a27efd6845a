"""Key tasks as the services leave them: scheduled from their timeline phrase, assigned."""

from tasks.services import schedule_task, set_task_agencies

from . import TaskFactory


def make_task(
    plan,
    timeline_text="Quý I/2022",
    *,
    number=None,
    title=None,
    leads=(),
    coordinators=(),
    lead_groups=(),
    **fields,
):
    """A task of ``plan`` due by ``timeline_text``, with its lead and coordinating agencies."""
    if number is not None:
        fields["number"] = number
    if title is not None:
        fields["title"] = title
    task = TaskFactory(plan=plan, timeline_text=timeline_text, **fields)
    schedule_task(task=task)
    set_task_agencies(task=task, leads=leads, coordinators=coordinators, lead_groups=lead_groups)
    task.refresh_from_db()
    return task
