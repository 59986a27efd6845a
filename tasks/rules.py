"""Who may change key tasks and post progress on assignments."""

import rules

from agencies.rules import add_rule_only_perm, is_agency_officer, is_coordinator


@rules.predicate
def owns_assignment(user, assignment):
    return is_agency_officer(user) and assignment.agency_id == user.agency_id


rules.add_perm("tasks.change_task", is_coordinator)
rules.add_perm("tasks.post_update", is_coordinator | owns_assignment)
rules.add_perm("tasks.view_own_work", is_agency_officer)
# Cancelling a task is the coordinators' decision; its agencies propose it (tasks/cancellations.py).
rules.add_perm("tasks.cancel_task", is_coordinator)
# Reminding an agency of its part of a task (đôn đốc) notifies its officers now.
rules.add_perm("tasks.send_reminder", is_coordinator)
add_rule_only_perm("tasks.propose_cancellation", owns_assignment)
