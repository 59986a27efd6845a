"""Who reads the reminders sent: the coordinators (of their province) and the administrators."""

import rules

from agencies.models import Role
from agencies.rules import is_coordinator


@rules.predicate
def is_administrator(user):
    return user.is_authenticated and user.role == Role.ADMIN


rules.add_perm("reminders.view_sent", is_coordinator | is_administrator)
