from tests.matrix import Entry

EVERYONE_GET = {"coordinator": 200, "leadership": 200, "admin": 200, "own": 200, "other": 200}

ENTRIES = [
    Entry("plans:home",
          get={"coordinator": 302, "leadership": 302, "admin": 302, "own": 302, "other": 302},
          post=None),
    Entry("plans:list", get=EVERYONE_GET, post=None),
]
