from tests.matrix import Entry


def issued_plan(world):
    return {"pk": world.plan.pk}


# Anyone who can read the plan gets its document; bob's agency has a task in it.
READERS = {"coordinator": 200, "leadership": 200, "admin": 200, "own": 200, "other": 404}

ENTRIES = [
    Entry("documents:plan_pdf", kwargs=issued_plan, get=READERS, post=None),
    Entry("documents:plan_preview", kwargs=issued_plan, get=READERS, post=None),
]


def issuer(world):
    return {"pk": world.home_affairs.pk}


SIGNER_READERS = {"coordinator": 200, "leadership": 200, "admin": 200, "own": 403, "other": 403}
SIGNER_WRITERS = {"coordinator": 302, "leadership": 403, "admin": 403, "own": 403, "other": 403}

ENTRIES += [
    Entry("documents:signers", get=SIGNER_READERS, post=None),
    Entry(
        "documents:signer",
        kwargs=issuer,
        get=SIGNER_READERS,
        post=SIGNER_WRITERS,
        data=lambda w: {"authority": "KT. GIÁM ĐỐC", "title": "PHÓ GIÁM ĐỐC", "name": "Lê Văn A"},
    ),
]
