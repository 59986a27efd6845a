import datetime

from django.core.files.base import ContentFile

from tests.factories.files import MINIMAL_PDF
from tests.matrix import Entry

EVERYONE_GET = {"coordinator": 200, "leadership": 200, "admin": 200, "own": 200, "other": 200}
# The issued plan involves the "own" agency (addressed, and a task) but not the "other" one.
READERS_OF_PLAN = {**EVERYONE_GET, "other": 404}
COORDINATOR_WRITES = {"coordinator": 302, "leadership": 403, "admin": 403, "own": 403,
                      "other": 404}


def plan(world):
    return {"pk": world.plan.pk}


def draft_plan(world):
    return {"pk": world.draft_plan.pk}


def draft_header(world):
    return {"pk": world.draft_plan.pk, "section": "header"}


def header_data(world):
    # The version is right and the title missing: the form is shown again with its errors.
    return {"version": world.draft_plan.version, "issuer": world.province.pk,
            "period_start_year": 2022, "period_end_year": 2022}


def outline_data(world):
    # A button for a node that does not exist: nothing changes, the page is shown again.
    return {"version": world.draft_plan.version, "action": "down", "node": "0"}


def agency_plan_with_file(world):
    world.agency_plan.document_file.save("ke-hoach.pdf", ContentFile(MINIMAL_PDF))
    return {"pk": world.agency_plan.pk}


def submission_data(world):
    return {"agency": world.own_agency.pk, "received_on": "2022-02-20",
            "title": "Kế hoạch tuyên truyền CCHC năm 2022 của Sở Tư pháp",
            "document_number": "25/KH-STP", "issued_on": datetime.date(2022, 2, 14)}


def plan_target(world):
    from plans.models import Target

    target, _created = Target.objects.get_or_create(
        plan=world.plan, indicator="PAR INDEX",
        defaults={"description": "Xếp hạng", "unit": "rank", "target_value": 20},
    )
    return target


def target_of_plan(world):
    return {"pk": world.plan.pk, "target_pk": plan_target(world).pk}


def actual_of_plan(world):
    from plans.models import TargetActual

    actual, _created = TargetActual.objects.get_or_create(
        target=plan_target(world), year=2022, period_code="Y",
        defaults={"value": 18, "source": "PAR INDEX 2022"},
    )
    return {"pk": world.plan.pk, "actual_pk": actual.pk}


def actual_data(world):
    return {"version": 0, "period": "2022-Y", "value": "17", "source": "PAR INDEX 2022"}


ENTRIES = [
    Entry("plans:home",
          get={"coordinator": 302, "leadership": 302, "admin": 302, "own": 302, "other": 302},
          post=None),
    Entry("plans:list", get=EVERYONE_GET, post=None),
    Entry("plans:detail", kwargs=plan, get=READERS_OF_PLAN, post=None),
    Entry("plans:history", kwargs=plan, get=READERS_OF_PLAN, post=None),
    Entry("plans:document", kwargs=agency_plan_with_file, get=READERS_OF_PLAN, post=None),
    Entry("plans:create",
          get={"coordinator": 200, "leadership": 403, "admin": 403, "own": 403, "other": 403},
          post={"coordinator": 200, "leadership": 403, "admin": 403, "own": 403, "other": 403}),
    # Drafts are invisible to agency officers whose agency did not issue them.
    Entry("plans:edit_section", kwargs=draft_header, data=header_data,
          get={"coordinator": 200, "leadership": 403, "admin": 403, "own": 404, "other": 404},
          post={"coordinator": 200, "leadership": 403, "admin": 403, "own": 404,
                "other": 404}),
    Entry("plans:outline", kwargs=draft_plan, data=outline_data,
          get={"coordinator": 200, "leadership": 403, "admin": 403, "own": 404, "other": 404},
          post={"coordinator": 302, "leadership": 403, "admin": 403, "own": 404,
                "other": 404}),
    Entry("plans:issue", kwargs=draft_plan, get=None,
          post={**COORDINATOR_WRITES, "own": 404}),
    Entry("plans:reopen", kwargs=plan, get=None, post=COORDINATOR_WRITES),
    Entry("plans:close", kwargs=plan, get=None, post=COORDINATOR_WRITES),
    Entry("plans:submissions", kwargs=plan, post=None,
          get={"coordinator": 200, "leadership": 200, "admin": 200, "own": 403, "other": 404}),
    Entry("plans:remind", kwargs=plan, get=None, post=COORDINATOR_WRITES),
    # The "own" agency is addressed by the plan: its officer submits, a coordinator may
    # record a submission for it; read-only roles may not.
    Entry("plans:submit", kwargs=plan, data=submission_data,
          get={"coordinator": 200, "leadership": 403, "admin": 403, "own": 200, "other": 404},
          post={"coordinator": 302, "leadership": 403, "admin": 403, "own": 302,
                "other": 404}),
    # Every reader of the plan sees its targets' actuals; coordinators alone record them.
    Entry("plans:targets", kwargs=plan, get=READERS_OF_PLAN, post=None),
    Entry("plans:target_actual_add", kwargs=target_of_plan, data=actual_data,
          get={**COORDINATOR_WRITES, "coordinator": 200}, post=COORDINATOR_WRITES),
    Entry("plans:target_actual_edit", kwargs=actual_of_plan, data=actual_data,
          get={**COORDINATOR_WRITES, "coordinator": 200}, post=COORDINATOR_WRITES),
]
