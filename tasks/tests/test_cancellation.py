"""Cancelling a key task: an agency proposes with a reason, a coordinator decides."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tasks.cancellations import decide_cancellation, propose_cancellation
from tasks.models import CancellationProposal, ProgressUpdate, Status, Task
from tasks.services import post_update

pytestmark = pytest.mark.django_db

REASON = "Kinh phí năm 2022 không được bố trí; đề nghị chuyển sang kế hoạch năm sau."


def link(html, text):
    """The href of the link or form whose text is ``text``, as a user would click it."""
    match = re.search(r'<a[^>]*href="([^"]+)"[^>]*>\s*' + re.escape(text), html)
    assert match, f"no link “{text}”"
    return match[1]


def test_an_officer_cannot_cancel_the_task_by_posting_cancelled(client, officer, assignment,
                                                                assigned_task):
    client.force_login(officer)
    response = client.post(reverse("tasks:post_update", args=[assignment.pk]),
                           {"status": "cancelled", "percent": "0", "narrative": "Hủy"})

    assert response.status_code == 200 and "status" in response.context["form"].errors
    assigned_task.refresh_from_db()
    assert assigned_task.status != Status.CANCELLED
    assert not ProgressUpdate.objects.filter(assignment=assignment).exists()
    with pytest.raises(ValidationError):
        post_update(assignment=assignment, author=officer, status=Status.CANCELLED, percent=0,
                    narrative="Hủy")
    assert Task.objects.get(pk=assigned_task.pk).status != Status.CANCELLED


def test_an_officer_proposes_and_a_coordinator_confirms_by_clicking(
    client, officer, coordinator, assignment, assigned_task
):
    client.force_login(officer)
    task_url = reverse("tasks:detail", args=[assigned_task.pk])
    form_url = link(client.get(task_url).content.decode(), "Propose cancelling the task")
    response = client.post(form_url, {"reason": REASON}, follow=True)

    assert REASON in response.content.decode()
    proposal = CancellationProposal.objects.get()
    assert (proposal.status, proposal.proposed_by, proposal.assignment) == (
        "pending", officer, assignment)
    assert Task.objects.get(pk=assigned_task.pk).status == Status.NOT_STARTED
    # The officer sees the proposal awaiting, without the coordinators' buttons.
    assert "Confirm: cancel the task" not in response.content.decode()

    client.force_login(coordinator)
    page = client.get(task_url).content.decode()
    assert REASON in page and "Confirm: cancel the task" in page
    decide = reverse("tasks:decide_cancellation", args=[proposal.pk])
    assert f'action="{decide}"' in page
    client.post(decide, {"decision": "confirm", "comment": "Đồng ý"})

    assigned_task.refresh_from_db()
    assert assigned_task.status == Status.CANCELLED
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by) == ("confirmed", coordinator)
    update = ProgressUpdate.objects.get(assignment=assignment)
    assert update.status == Status.CANCELLED and REASON in update.narrative
    assert update.author == coordinator
    assert proposal.history.count() == 2


def test_a_rejected_proposal_leaves_the_task_going(client, officer, coordinator, assignment,
                                                   assigned_task):
    proposal = propose_cancellation(assignment=assignment, by=officer, reason=REASON)
    client.force_login(coordinator)
    client.post(reverse("tasks:decide_cancellation", args=[proposal.pk]),
                {"decision": "reject", "comment": "Vẫn phải thực hiện trong quý II"})

    proposal.refresh_from_db()
    assert proposal.status == "rejected"
    assert Task.objects.get(pk=assigned_task.pk).status == Status.NOT_STARTED
    page = client.get(reverse("tasks:detail", args=[assigned_task.pk])).content.decode()
    assert "Vẫn phải thực hiện trong quý II" in page and "Rejected" in page
    with pytest.raises(ValidationError):
        decide_cancellation(proposal=proposal, by=coordinator, confirm=True)


def test_one_pending_proposal_at_a_time_and_officers_cannot_decide(client, officer, assignment):
    proposal = propose_cancellation(assignment=assignment, by=officer, reason=REASON)
    with pytest.raises(ValidationError):
        propose_cancellation(assignment=assignment, by=officer, reason="Lần nữa")
    client.force_login(officer)
    response = client.post(reverse("tasks:decide_cancellation", args=[proposal.pk]),
                           {"decision": "confirm"})
    assert response.status_code == 403
    assert CancellationProposal.objects.get(pk=proposal.pk).status == "pending"


def test_a_reason_is_required(client, officer, assignment):
    client.force_login(officer)
    response = client.post(reverse("tasks:propose_cancellation", args=[assignment.pk]),
                           {"reason": "   "})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    assert not CancellationProposal.objects.exists()
