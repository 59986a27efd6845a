"""Factories and helpers of the plans tests: catalogues, a filled-in plan, page form data."""

import datetime

import factory
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from plans.models import (
    AgencyDuty,
    Audience,
    Channel,
    ContentArea,
    LegalBasis,
    PlanChannel,
    Target,
)
from tasks.services import schedule_task, set_task_agencies

from . import TaskFactory


class AudienceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Audience
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"audience-{n}")
    name = factory.Sequence(lambda n: f"Đối tượng {n}")


class ChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Channel
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"channel-{n}")
    name = factory.Sequence(lambda n: f"Hình thức {n}")


def vi(msgid, **params):
    """A UI string as the Vietnamese page shows it (the English msgid until translated)."""
    with translation.override("vi"):
        text = gettext(msgid)
    return escape(text % params if params else text)


def local(year, month, day, hour=12, minute=0):
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


def page_data(response):
    """What the browser would post back from an edit page, unchanged: every form's values."""
    context = response.context
    data = {}
    forms = [context["version_form"]]
    if context.get("form") is not None:
        forms.append(context["form"])
    formset = context.get("formset")
    if formset is not None:
        forms.append(formset.management_form)
        forms.extend(formset.forms)
    for form in forms:
        for bound in form:
            value = bound.value()
            if value is None or value is False:
                continue
            if value is True:
                data[bound.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[bound.html_name] = [str(v) for v in value]
            else:
                data[bound.html_name] = str(value)
    return data


def add_row(data, values, prefix="parts"):
    """Fill in one more formset row (as "Add a row" does) with ``values``."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    # The page already offers one empty extra row: fill it before adding another.
    if index and not any(
        data.get(f"{prefix}-{index - 1}-{name}") for name in values
    ) and not data.get(f"{prefix}-{index - 1}-id"):
        index -= 1
    for name, value in values.items():
        data[f"{prefix}-{index}-{name}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = str(max(index + 1, int(data[f"{prefix}-TOTAL_FORMS"])))
    return data


def fill_document(plan, size, *, agencies, group=None):
    """Give ``plan`` ``size`` rows of every part and ``size`` key tasks with agencies."""
    audience = AudienceFactory(code="civil-servants", name="Cán bộ, công chức, viên chức")
    channel = ChannelFactory(code="press", name="Báo chí")
    plan.audiences.add(audience)
    plan.addressed_agencies.add(*agencies)
    for i in range(1, size + 1):
        LegalBasis.objects.create(plan=plan, position=i, text=f"Căn cứ văn bản số {i}")
        Target.objects.create(
            plan=plan, position=i, indicator=f"PAR INDEX {i}", description="Xếp hạng",
            unit="rank", target_value=20,
        )
        ContentArea.objects.create(
            plan=plan, position=i, heading=f"Nội dung {i}", audience=audience, body="Một\nHai"
        )
        PlanChannel.objects.create(
            plan=plan, position=i, channel=channel, label=f"{i})", heading=f"Kênh {i}"
        )
        duty = AgencyDuty.objects.create(plan=plan, position=i, heading=f"Sở {i}", body="Làm")
        duty.agencies.set(agencies)
        task = TaskFactory(plan=plan, number=i, timeline_text="Quý II/2022")
        schedule_task(task=task)
        set_task_agencies(
            task=task,
            leads=agencies[:1],
            lead_groups=[group] if group else [],
            coordinators=agencies[1:],
        )
    return plan
