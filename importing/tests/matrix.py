from tests.matrix import Entry

COORDINATORS_ONLY = {"coordinator": 200, "leadership": 403, "admin": 403, "own": 403,
                     "other": 403}
# The officer of an agency the plan addresses imports its own plan; the others do not (an
# officer the plan does not involve does not see the plan at all).
ADDRESSED_OFFICER_ONLY = {"coordinator": 403, "leadership": 403, "admin": 403, "own": 200,
                          "other": 404}


def plan(world):
    return {"pk": world.plan.pk}


ENTRIES = [
    # A post with no file and no text shows the form again with its error.
    Entry("importing:upload", get=COORDINATORS_ONLY, post=COORDINATORS_ONLY),
    Entry("importing:agency_upload", kwargs=plan, get=ADDRESSED_OFFICER_ONLY,
          post=ADDRESSED_OFFICER_ONLY),
]
