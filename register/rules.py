"""Who reads the register of outgoing documents and who fills in its clerk's columns.

Those who read everything read every issuer's register; coordinators, who issue the
documents, also fill in copies, the archive copy and notes.
"""

import rules

from agencies.rules import is_coordinator, reads_everything

rules.add_perm("register.view_register", reads_everything)
rules.add_perm("register.change_entry", is_coordinator)
