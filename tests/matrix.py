"""The permission matrix: every URL of the project × role × GET/POST → expected status.

Each app lists its URLs in ``<app>/tests/matrix.py`` as ``ENTRIES``; ``World`` builds the
objects the URLs point at. Roles: anonymous, coordinator, leadership, admin, ``own`` (an
agency officer of the agency the object belongs to) and ``other`` (an officer of an agency
the object does not involve).
"""

import datetime
from dataclasses import dataclass, field

from django.core.files.base import ContentFile

from tasks.models import AssignmentRole, Status
from tasks.services import post_update, schedule_task, set_task_agencies
from tests.factories import AgencyFactory, PlanFactory, TaskFactory, UserFactory
from tests.factories.files import MINIMAL_PDF

ROLES = ["anonymous", "coordinator", "leadership", "admin", "own", "other"]



@dataclass
class Entry:
    """One URL name, how to build its arguments, and the expected status per role.

    ``get`` and ``post`` map a role to a status code; a missing role means the same as
    ``default_get``/``default_post``. ``post=None`` means the URL takes no POST (405).
    """

    name: str
    kwargs: object = None  # callable(world) -> dict, or None
    get: dict = field(default_factory=dict)
    post: dict | None = field(default_factory=dict)
    data: object = None  # callable(world) -> POST data

    def build_kwargs(self, world):
        return self.kwargs(world) if self.kwargs else {}


class World:
    """A small province: a coordinator's department, an officer's agency, an outsider."""

    def __init__(self):
        self.province = AgencyFactory(name="Ủy ban nhân dân tỉnh Khánh Hòa", code="UBND-KH",
                                      kind="province")
        self.home_affairs = AgencyFactory(name="Sở Nội vụ", code="SNV", parent=self.province)
        self.own_agency = AgencyFactory(name="Sở Tư pháp", code="STP", parent=self.province)
        self.other_agency = AgencyFactory(name="Sở Y tế", code="SYT", parent=self.province)
        self.users = {
            "coordinator": UserFactory(username="alice", agency=self.home_affairs,
                                       role="coordinator"),
            "leadership": UserFactory(username="lanhdao", agency=self.province,
                                      role="leadership"),
            "admin": UserFactory(username="it", agency=self.home_affairs, role="admin",
                                 is_staff=True),
            "own": UserFactory(username="bob", agency=self.own_agency, role="agency_officer"),
            "other": UserFactory(username="charlie", agency=self.other_agency,
                                 role="agency_officer"),
        }
        self.plan = PlanFactory(issuer=self.province, status="issued",
                                title="Kế hoạch tuyên truyền CCHC năm 2022",
                                submission_deadline=datetime.date(2022, 2, 28))
        self.plan.addressed_agencies.add(self.own_agency)
        self.draft_plan = PlanFactory(issuer=self.province, status="draft")
        self.task = TaskFactory(plan=self.plan, number=1, timeline_text="Quý I/2022")
        schedule_task(task=self.task)
        set_task_agencies(task=self.task, leads=[self.own_agency])
        self.assignment = self.task.assignments.get(role=AssignmentRole.LEAD)
        self.update = post_update(
            assignment=self.assignment, author=self.users["own"], status=Status.IN_PROGRESS,
            percent=40, narrative="Đã tổ chức hội nghị",
            files=[(ContentFile(MINIMAL_PDF, name="bien-ban.pdf"), "application/pdf")],
        )
        self.evidence = self.update.evidence.get()
        self.agency_plan = PlanFactory(issuer=self.own_agency, parent=self.plan, status="issued",
                                       title="Kế hoạch tuyên truyền CCHC của Sở Tư pháp")
