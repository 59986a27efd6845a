"""What the periodic reports' workflow tells the agencies, once the change commits."""

from django.urls import reverse

from notifications.kinds import Kind
from notifications.services import agency_officers, notify_on_commit

from .models import AgencyReport


def _notify(report, kind, template, sender):
    pk, version = report.pk, report.version

    def prepare():
        report = AgencyReport.objects.select_related("plan", "agency").get(pk=pk)
        return {
            "recipients": agency_officers([report.agency_id]), "kind": kind,
            "event_key": f"{kind}:{pk}:{version}",
            "url": reverse("periodic:report_detail", args=[pk]), "template": template,
            "context": {"report": report, "sender_name": str(sender) if sender else ""},
            "sender": sender,
        }

    notify_on_commit(prepare)


def report_returned(report, *, user):
    """The agency's officers: their report came back, with the coordinator's comment."""
    _notify(report, Kind.REPORT_RETURNED, "report_returned", user)


def report_accepted(report, *, user):
    """The agency's officers: their report was accepted."""
    _notify(report, Kind.REPORT_ACCEPTED, "report_accepted", user)
