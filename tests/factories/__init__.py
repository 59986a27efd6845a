import factory

from agencies.models import Agency, AgencyGroup, User
from plans.models import Plan
from tasks.models import Task


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ["code"]

    name = factory.Sequence(lambda n: f"Cơ quan số {n}")
    code = factory.Sequence(lambda n: f"CQ{n}")
    kind = "department"


class AgencyGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgencyGroup

    name = factory.Sequence(lambda n: f"Nhóm {n}")
    code = factory.Sequence(lambda n: f"group-{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct horse battery")
    agency = factory.SubFactory(AgencyFactory)
    role = "agency_officer"


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    issuer = factory.SubFactory(AgencyFactory)
    title = factory.Sequence(lambda n: f"Kế hoạch tuyên truyền cải cách hành chính số {n}")
    period_start_year = 2022
    period_end_year = factory.SelfAttribute("period_start_year")


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Nhiệm vụ tuyên truyền {n}")
    timeline_text = "Trong năm 2022"
