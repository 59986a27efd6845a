from tests.matrix import Entry

ENTRIES = [
    Entry("reports:dashboard",
          get={"coordinator": 200, "leadership": 200, "admin": 200, "own": 403, "other": 403},
          post=None),
]
