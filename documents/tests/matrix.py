from tests.matrix import Entry


def issued_plan(world):
    return {"pk": world.plan.pk}


# Anyone who can read the plan gets its document; bob's agency has a task in it.
READERS = {"coordinator": 200, "leadership": 200, "admin": 200, "own": 200, "other": 404}

ENTRIES = [
    Entry("documents:plan_pdf", kwargs=issued_plan, get=READERS, post=None),
    Entry("documents:plan_preview", kwargs=issued_plan, get=READERS, post=None),
]
