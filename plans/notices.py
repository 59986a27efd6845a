"""What issuing a plan tells the agencies it addresses or assigns tasks to, once it commits."""

from django.db.models import Q
from django.urls import reverse

from agencies.models import Agency
from notifications.kinds import Kind
from notifications.services import agency_officers, notify_on_commit

from .models import Plan


def plan_issued(plan, *, user=None):
    """The officers of every agency the plan addresses or assigns a task to."""
    pk, version = plan.pk, plan.version

    def prepare():
        plan = Plan.objects.select_related("issuer").get(pk=pk)
        agencies = Agency.objects.filter(
            Q(addressed_plans=plan) | Q(assignments__task__plan=plan)
        ).values_list("pk", flat=True).distinct()
        return {
            "recipients": agency_officers(agencies), "kind": Kind.PLAN_ISSUED,
            "event_key": f"plan-issued:{pk}:{version}",
            "url": reverse("plans:detail", args=[pk]), "template": "plan_issued",
            "context": {"plan": plan}, "sender": user,
        }

    notify_on_commit(prepare)
