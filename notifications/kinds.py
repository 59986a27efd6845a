"""What a notification is about. Every notification has one kind; a user chooses by kind which
ones also come by e-mail (``NotificationSetting``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    # Scheduled reminders (sent by the daily job)
    ASSIGNMENT_DUE = "assignment_due", _("An assignment is due soon")
    ASSIGNMENT_OVERDUE = "assignment_overdue", _("An assignment is overdue")
    CHECKPOINT_DUE = "checkpoint_due", _("A recurring checkpoint is due soon")
    CHECKPOINT_OVERDUE = "checkpoint_overdue", _("A recurring checkpoint is overdue")
    REPORT_DUE = "report_due", _("A periodic report is due")
    AGENCY_PLAN_DUE = "agency_plan_due", _("The agency's own plan is due")
    ESCALATION = "escalation", _("Still late: escalated to the agency's head")
    COORDINATOR_DIGEST = "coordinator_digest", _("Coordinators' daily digest")
    MANUAL_REMINDER = "manual_reminder", _("Reminder from a coordinator")
    # Events, notified as they happen
    REPORT_RETURNED = "report_returned", _("A periodic report was returned for correction")
    REPORT_ACCEPTED = "report_accepted", _("A periodic report was accepted")
    TASK_ASSIGNED = "task_assigned", _("A task was assigned to the agency")
    TASK_MOVED = "task_moved", _("An assignment was moved to the agency (dissolution)")
    PLAN_ISSUED = "plan_issued", _("A plan addressing the agency was issued")
