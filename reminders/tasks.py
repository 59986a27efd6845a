"""The worker's side of the reminders: the daily run, and the mails to agency heads."""

import datetime
import logging

from django.db.models import F
from django.tasks import task
from django.utils import timezone

from cchc_plans import mail as mailer

from . import services
from .models import HeadMail

logger = logging.getLogger(__name__)


@task()
def run_daily_reminders(day):
    """The daily job the scheduler queues (``day``: ISO date): see ``services.run_daily``."""
    outcome = services.run_daily(today=datetime.date.fromisoformat(day))
    send_head_mails.call()  # earlier mails that failed are tried again with today's
    return outcome.notified


@task()
def send_head_mails():
    """Send every head mail not sent yet, each at most ``HEAD_MAIL_ATTEMPTS`` times."""
    sent = 0
    for mail in services.pending_head_mails().order_by("pk"):
        # Of two workers sending at once, one claims each mail.
        if not HeadMail.objects.filter(pk=mail.pk, sent_at__isnull=True,
                                       attempts=mail.attempts).update(attempts=F("attempts") + 1):
            continue
        try:
            # The mail as rendered when it was decided (HeadMail keeps what was sent).
            mailer.send_templated(
                to=[mail.email], subject_template="reminders/stored_subject.txt",
                text_template="reminders/stored_body.txt",
                html_template="reminders/stored_body.html" if mail.body_html else None,
                context={"mail": mail},
            )
        except Exception as error:  # the mail server refused or is away: tried again later
            logger.warning("Mail to the head of %s not sent: %s", mail.agency_id, error)
            HeadMail.objects.filter(pk=mail.pk).update(last_error=str(error)[:2000])
            continue
        HeadMail.objects.filter(pk=mail.pk).update(sent_at=timezone.now(), last_error="")
        sent += 1
    return sent
