from tests.matrix import Entry

ENTRIES = [
    Entry("tasks:my_work",
          get={"coordinator": 403, "leadership": 403, "admin": 403, "own": 200, "other": 200},
          post=None),
]
