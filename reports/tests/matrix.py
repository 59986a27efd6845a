from tests.matrix import Entry

# Coordinators, leadership and administrators read the dashboard; agency officers do not.
DASHBOARD_GET = {"coordinator": 200, "leadership": 200, "admin": 200, "own": 403, "other": 403}

ENTRIES = [
    Entry("reports:dashboard", get=DASHBOARD_GET, post=None),
    Entry(
        "reports:plan_dashboard", kwargs=lambda w: {"pk": w.plan.pk}, get=DASHBOARD_GET, post=None
    ),
]
