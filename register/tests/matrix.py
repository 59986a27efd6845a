"""Permission matrix of the register: read by those who read everything, its clerk's
columns written by coordinators; agency officers get 403 everywhere."""

import datetime

from register.services import register_document
from tests.matrix import Entry

READERS = {"coordinator": 200, "leadership": 200, "admin": 200, "own": 403, "other": 403}
EDITS = {"coordinator": 200, "leadership": 403, "admin": 403, "own": 403, "other": 403}


def register_kwargs(world):
    return {"issuer": world.home_affairs.pk, "year": 2022}


def entry_kwargs(world):
    entry = register_document(
        issuer=world.home_affairs, document_type="BC", issued_on=datetime.date(2022, 4, 5),
        subject="Kết quả thực hiện Kế hoạch quý I năm 2022",
    )
    return {"pk": entry.pk}


ENTRIES = [
    Entry("register:index", get=READERS, post=None),
    Entry("register:register", kwargs=register_kwargs, get=READERS, post=None),
    Entry("register:xlsx", kwargs=register_kwargs, get=READERS, post=None),
    Entry("register:pdf", kwargs=register_kwargs, get=READERS, post=None),
    # The POST holds no copies: the form is shown again with its error (400).
    Entry("register:edit_entry", kwargs=entry_kwargs, get=EDITS,
          post={**EDITS, "coordinator": 400}),
]
