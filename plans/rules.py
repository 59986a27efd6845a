"""Who may read, write, issue and submit plans."""

import rules

from agencies.rules import is_agency_officer, is_coordinator, reads_everything


@rules.predicate
def owns_agency_plan(user, plan):
    return is_agency_officer(user) and plan.issuer_id == user.agency_id and plan.parent_id


@rules.predicate
def is_addressed_by_plan(user, plan):
    """The officer's agency is one the plan asks to submit its own plan."""
    if not is_agency_officer(user) or plan is None:
        return False
    prefetched = getattr(plan, "_prefetched_objects_cache", {}).get("addressed_agencies")
    if prefetched is not None:
        return any(agency.pk == user.agency_id for agency in prefetched)
    return plan.addressed_agencies.filter(pk=user.agency_id).exists()


rules.add_perm("plans.view_all", reads_everything)
rules.add_perm("plans.add_plan", is_coordinator)
rules.add_perm("plans.change_plan", is_coordinator | owns_agency_plan)
rules.add_perm("plans.issue_plan", is_coordinator)
rules.add_perm("plans.record_target_actual", is_coordinator)
rules.add_perm("plans.view_submissions", reads_everything)
rules.add_perm("plans.send_reminder", is_coordinator)
rules.add_perm("plans.submit_agency_plan", is_coordinator | is_addressed_by_plan)
# An officer imports their own agency's plan, with its tasks, for a plan addressing it.
rules.add_perm("plans.import_agency_plan", is_addressed_by_plan)
