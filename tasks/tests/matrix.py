from tasks.models import CancellationProposal
from tests.factories import TaskFactory
from tests.matrix import Entry

READERS = {"coordinator": 200, "leadership": 200, "admin": 200, "own": 200, "other": 404}
WRITERS = {"coordinator": 200, "leadership": 403, "admin": 403, "own": 200, "other": 404}
COORDINATORS_ONLY = {"coordinator": 200, "leadership": 403, "admin": 403, "own": 403, "other": 403}


def coordinators_only(status):
    return {**COORDINATORS_ONLY, "coordinator": status}


def copy_data(world):
    from tasks.copying import changes_digest, year_changes

    return {"digest": changes_digest(year_changes(world.plan))}


def draft_task(world):
    """A task of the world's draft plan, the only kind whose tasks can be edited."""
    task = world.draft_plan.tasks.first()
    return task or TaskFactory(plan=world.draft_plan, number=1, timeline_text="Quý II/2022")


def task_form_data(world, **extra):
    return {"title": "Tổ chức hội nghị tập huấn", "timeline_text": "Quý II/2022", **extra}


def pending_proposal(world):
    """A proposal awaiting a decision, on a second task of the own agency, so that the world's
    own assignment can still be proposed for cancellation."""
    from tasks.cancellations import propose_cancellation
    from tasks.models import AssignmentRole
    from tasks.services import set_task_agencies

    proposal = CancellationProposal.objects.filter(status="pending").first()
    if proposal:
        return proposal
    task = TaskFactory(plan=world.plan, number=2, timeline_text="Quý II/2022")
    set_task_agencies(task=task, leads=[world.own_agency])
    return propose_cancellation(
        assignment=task.assignments.get(role=AssignmentRole.LEAD), by=world.users["own"],
        reason="Không còn kinh phí",
    )


ENTRIES = [
    Entry("tasks:my_work",
          get={"coordinator": 403, "leadership": 403, "admin": 403, "own": 200, "other": 200},
          post=None),
    Entry("tasks:my_work_export",
          get={"coordinator": 403, "leadership": 403, "admin": 403, "own": 200, "other": 200},
          post=None),
    Entry("tasks:plan_export", kwargs=lambda w: {"plan_pk": w.plan.pk},
          get={"coordinator": 200, "leadership": 200, "admin": 200, "own": 403, "other": 403},
          post=None),
    Entry("tasks:detail", kwargs=lambda w: {"pk": w.task.pk}, get=READERS, post=None),
    # A valid update: the owner and coordinators are sent back to the task page.
    Entry("tasks:assignment_remind", kwargs=lambda w: {"pk": w.assignment.pk}, get=None,
          post={"coordinator": 302, "leadership": 403, "admin": 403, "own": 403,
                "other": 404}),
    Entry("tasks:post_update", kwargs=lambda w: {"pk": w.assignment.pk}, get=WRITERS,
          post={**WRITERS, "coordinator": 302, "own": 302},
          data=lambda w: {"status": "in_progress", "percent": "50", "narrative": "Đã đăng tin"}),
    # Only the assignment's own agency proposes; only coordinators decide.
    Entry("tasks:propose_cancellation", kwargs=lambda w: {"pk": w.assignment.pk},
          get={**WRITERS, "coordinator": 403},
          post={**WRITERS, "coordinator": 403, "own": 302},
          data=lambda w: {"reason": "Không còn kinh phí thực hiện"}),
    Entry("tasks:decide_cancellation", kwargs=lambda w: {"pk": pending_proposal(w).pk},
          get=None, post={**COORDINATORS_ONLY, "coordinator": 302, "other": 404},
          data=lambda w: {"decision": "reject", "comment": "Vẫn thực hiện"}),
    Entry("tasks:evidence", kwargs=lambda w: {"pk": w.evidence.pk}, get=READERS, post=None),
    Entry("tasks:plan_tasks", kwargs=lambda w: {"plan_pk": w.draft_plan.pk},
          get=COORDINATORS_ONLY, post=None),
    Entry("tasks:task_create", kwargs=lambda w: {"plan_pk": w.draft_plan.pk},
          get=COORDINATORS_ONLY, post=coordinators_only(302), data=task_form_data),
    Entry("tasks:task_edit", kwargs=lambda w: {"pk": draft_task(w).pk},
          get=COORDINATORS_ONLY, post=coordinators_only(302),
          data=lambda w: task_form_data(w, version=draft_task(w).version)),
    Entry("tasks:task_delete", kwargs=lambda w: {"pk": draft_task(w).pk},
          get=COORDINATORS_ONLY, post=coordinators_only(302)),
    Entry("tasks:task_move", kwargs=lambda w: {"pk": draft_task(w).pk},
          get=None, post=coordinators_only(302), data=lambda w: {"direction": "down"}),
    Entry("tasks:timeline_preview", get=COORDINATORS_ONLY, post=None,
          data=lambda w: {"text": "Quý II/2022", "plan": w.draft_plan.pk}),
    Entry("tasks:copy_plan", kwargs=lambda w: {"pk": w.plan.pk},
          get=COORDINATORS_ONLY, post=coordinators_only(302), data=copy_data),
]
