"""Who sets the signer of an issuing agency's documents: coordinators."""

import rules

from agencies.rules import is_coordinator, reads_everything

rules.add_perm("documents.view_signer", reads_everything)
rules.add_perm("documents.change_signer", is_coordinator)
