from tests.matrix import Entry

COORDINATORS_ONLY = {"coordinator": 200, "leadership": 403, "admin": 403, "own": 403,
                     "other": 403}

ENTRIES = [
    # A post with no file and no text shows the form again with its error.
    Entry("importing:upload", get=COORDINATORS_ONLY, post=COORDINATORS_ONLY),
]
