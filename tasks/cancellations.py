"""Cancelling a key task: the coordinators' decision, on an agency's proposal.

An agency officer does not cancel a task by posting "cancelled" on its assignment
(``post_update`` refuses it); the officer proposes the cancellation with a reason, which the
task page shows with its history, and a coordinator confirms it (every open assignment of the
task is cancelled by a progress update carrying the reason, so the task rolls up as
cancelled) or rejects it with a comment. Both are atomic, under the task's row lock.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plans.models import PlanStatus

from .models import CancellationProposal, ProposalStatus, Status
from .services import _lock_task, post_update


def _check_open(task):
    if task.plan.status == PlanStatus.CLOSED:
        raise ValidationError(_("This plan is closed: its tasks can no longer be cancelled."),
                              code="plan_closed")
    if task.status == Status.CANCELLED:
        raise ValidationError(_("This task is already cancelled."), code="cancelled")


@transaction.atomic
def propose_cancellation(*, assignment, by, reason):
    """Record ``by``'s proposal, for the agency of ``assignment``, to cancel its task."""
    task = _lock_task(assignment.task_id)
    _check_open(task)
    if CancellationProposal.objects.filter(
        assignment=assignment, status=ProposalStatus.PENDING
    ).exists():
        raise ValidationError(
            _("Your agency's proposal to cancel this task is still awaiting a decision."),
            code="pending",
        )
    proposal = CancellationProposal(assignment=assignment, proposed_by=by, reason=reason.strip())
    proposal.full_clean()
    proposal.save()
    return proposal


@transaction.atomic
def decide_cancellation(*, proposal, by, confirm, comment=""):
    """A coordinator confirms (the task is cancelled) or rejects a pending proposal."""
    task = _lock_task(proposal.assignment.task_id)
    proposal = CancellationProposal.objects.select_for_update().get(pk=proposal.pk)
    if not proposal.is_pending:
        raise ValidationError(_("This proposal has already been decided."), code="decided")
    now = timezone.now()
    proposal.decided_by, proposal.decided_at = by, now
    proposal.decision_comment = comment.strip()
    if not confirm:
        proposal.status = ProposalStatus.REJECTED
        proposal.full_clean()
        proposal.save()
        return proposal
    _check_open(task)
    narrative = _(
        "Task cancelled by the coordinators on the proposal of %(agency)s: %(reason)s"
    ) % {"agency": proposal.assignment.agency.display_name, "reason": proposal.reason}
    if proposal.decision_comment:
        narrative += "\n" + proposal.decision_comment
    for assignment in task.assignments.open().select_related("task__plan"):
        post_update(assignment=assignment, author=by, status=Status.CANCELLED,
                    percent=assignment.percent, narrative=narrative)
    # Every proposal still open for this task is answered by the same decision.
    for pending in CancellationProposal.objects.select_for_update().filter(
        assignment__task=task, status=ProposalStatus.PENDING
    ):
        pending.status = ProposalStatus.CONFIRMED
        pending.decided_by, pending.decided_at = by, now
        pending.decision_comment = proposal.decision_comment
        pending.save()
    proposal.refresh_from_db()
    return proposal
