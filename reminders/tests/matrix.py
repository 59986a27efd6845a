"""Permission matrix of the reminders sent: the coordinators and the administrators read it."""

from tests.matrix import Entry

ENTRIES = [
    Entry("reminders:sent",
          get={"coordinator": 200, "leadership": 403, "admin": 200, "own": 403, "other": 403},
          post=None),
]
