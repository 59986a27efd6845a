"""Who writes, reviews and reads the agencies' periodic reports."""

import rules

from agencies.rules import add_rule_only_perm, is_agency_officer, is_coordinator, reads_everything


@rules.predicate
def owns_agency_report(user, report):
    return is_agency_officer(user) and report.agency_id == user.agency_id


# An agency's own reports are its officers' to write: not a superuser's (administrators read).
add_rule_only_perm("periodic.view_own_reports", is_agency_officer)
add_rule_only_perm("periodic.add_agency_report", is_agency_officer)
add_rule_only_perm("periodic.change_agency_report", owns_agency_report)
rules.add_perm("periodic.view_completeness", reads_everything)
rules.add_perm("periodic.review_agency_report", is_coordinator)
# Reminding an agency of its reports due (đôn đốc) notifies its officers now.
rules.add_perm("periodic.send_reminder", is_coordinator)
