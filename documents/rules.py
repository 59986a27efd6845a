"""Who sets the signer of an issuing agency's documents: coordinators and administrators
(it is the agency's reference data, like its name)."""

import rules

from agencies.models import Role
from agencies.rules import is_coordinator, reads_everything


@rules.predicate
def is_administrator(user):
    return user.is_authenticated and (user.role == Role.ADMIN or user.is_superuser)


rules.add_perm("documents.view_signer", reads_everything)
rules.add_perm("documents.change_signer", is_coordinator | is_administrator)
