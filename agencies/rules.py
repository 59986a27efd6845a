"""The roles every app's rules are made of (Role on the user model), as rules predicates.

Coordinators (Sở Nội vụ) write everything; agency officers write only their own agency's
assignments, progress updates, reports and plan submissions and read the plans that involve
their agency; leadership and administrators read everything and write nothing. Each app's
``rules.py`` combines these into its permissions; views, templates and the admin ask those.

Django grants every permission to a superuser before any rule is asked, and ModelBackend
grants those given to a user or group in the admin. A permission added with
``add_rule_only_perm`` is decided by its rule alone (``User.has_perm``): writing an agency's
own work is its officers' whoever else the account is.
"""

import rules

from .models import Role

RULE_ONLY_PERMISSIONS = set()


def add_rule_only_perm(name, predicate):
    """Add a permission that no superuser flag or admin-granted permission overrides."""
    rules.add_perm(name, predicate)
    RULE_ONLY_PERMISSIONS.add(name)


@rules.predicate
def is_coordinator(user):
    return user.is_authenticated and (user.role == Role.COORDINATOR or user.is_superuser)


@rules.predicate
def is_leadership(user):
    return user.is_authenticated and user.role == Role.LEADERSHIP


@rules.predicate
def is_agency_officer(user):
    return (
        user.is_authenticated
        and user.role == Role.AGENCY_OFFICER
        and not user.is_superuser
        and user.agency_id is not None
    )


@rules.predicate
def reads_everything(user):
    return user.is_authenticated and (
        is_coordinator(user) or user.role in (Role.LEADERSHIP, Role.ADMIN)
    )
