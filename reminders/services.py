"""The daily run: send what ``selection.select`` decided, record it, mail the heads.

To the officers of each agency, one notification per kind of reminder listing its items
(``notifications.services.notify``: in the application, and by e-mail unless they opted
out or chose a daily digest); to the agency's head, a mail listing the work escalated today
(``HeadMail``, sent by the worker through ``cchc_plans.mail``: the head may have no
account); to the coordinators of each province, their digest. Every item step is recorded
(``Dispatch``) in the same transaction, so that it is never selected again.
"""

import hashlib
import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.template import loader
from django.urls import reverse
from django.utils import timezone, translation

from notifications.kinds import Kind
from notifications.services import notify, send_digests, site_url

from .models import DailyRun, Dispatch, HeadMail
from .selection import select

HEAD_TEMPLATES = ("reminders/head_subject.txt", "reminders/head_body.txt",
                  "reminders/head_body.html")
HEAD_MAIL_ATTEMPTS = 3


@dataclass
class Sending:
    """One message of the run: to whom (users, or a head's address), what, which items."""

    kind: str
    event_key: str
    agency: object  # Agency (the province's top agency for a digest)
    recipients: list  # User
    items: list = field(default_factory=list)
    email: str = ""  # a head's mail
    digest: object = None
    url: str = ""  # the page an officers' notification links to


@dataclass
class Outcome:
    today: object
    sendings: list
    dry_run: bool
    digests: list = field(default_factory=list)
    seconds: float = 0.0
    queries: int | None = None
    notified: int = 0  # notifications created
    head_mails: int = 0

    def lines(self):
        """What the command prints: one line a message, the agencies without an officer,
        then the totals."""
        verb = "would send" if self.dry_run else "sent"
        for sending in self.sendings:
            if sending.digest is not None:
                yield digest_line(sending)
                continue
            to = sending.email or ", ".join(u.get_username() for u in sending.recipients)
            what = "; ".join(item_label(item) for item in sending.items) or sending.event_key
            yield f"{sending.kind} → {sending.agency.display_name} ({to or '—'}): {what}"
        for digest in self.digests:
            for agency, items in digest.no_officer:
                what = "; ".join(item_label(item) for item in items)
                yield f"no officer at {agency.display_name} (in the digest): {what}"
        yield (f"{self.today:%d/%m/%Y}: {verb} {len(self.sendings)} messages "
               f"({self.head_mails} to agency heads) in {self.seconds:.2f} s")


def digest_line(sending):
    digest = sending.digest
    to = ", ".join(u.get_username() for u in sending.recipients)
    return (f"{sending.kind} → {sending.agency.display_name} ({to}): "
            f"{len(digest.became_late)} became late, {len(digest.submitted_reports)} reports "
            f"and {len(digest.submitted_plans)} agency plans submitted, "
            f"{len(digest.awaiting_review)} awaiting review, {len(digest.escalated)} escalated, "
            f"{len(digest.no_officer)} agencies without an officer")


def item_label(item):
    if item.what == "report":
        text = f"report {item.period.key} of plan {item.plan.pk}"
    elif item.what == "agency_plan":
        text = f"own plan for plan {item.plan.pk}"
    else:
        text = f"{item.what} “{item.title[:60]}”"
    when = f"in {item.days} d" if item.step == "before" else f"{item.days} d late"
    return f"{text}, due {item.due:%d/%m/%Y} ({when})"


def keys_digest(items):
    return hashlib.sha1("\n".join(sorted(i.key for i in items)).encode()).hexdigest()[:16]


def list_url(item):
    """The page a reminder links to: the agency's own plan form, its reports, its work."""
    if item.what == "agency_plan":
        return item.url
    if item.what == "report":
        return reverse("periodic:my_reports")
    return reverse("tasks:my_work")


def plan_sendings(selection):
    """The messages of a selection, one per agency and kind (and page), in sending order."""
    sendings = []
    grouped = defaultdict(list)
    for item in selection.items:
        grouped[(item.agency_id, item.kind, list_url(item))].append(item)
    for (agency_id, kind, url), items in grouped.items():
        officers = selection.officers.get(agency_id, [])
        if officers:
            sendings.append(Sending(kind=kind, event_key="", agency=selection.agencies[agency_id],
                                    recipients=officers, items=items, url=url))
    escalated = defaultdict(list)
    for item in selection.escalations:
        escalated[item.agency_id].append(item)
    for agency_id, items in escalated.items():
        agency = selection.agencies[agency_id]
        if agency.head_email:
            sendings.append(Sending(kind=Kind.ESCALATION, agency=agency, recipients=[],
                                    event_key=f"head:{agency_id}:{keys_digest(items)}",
                                    items=items, email=agency.head_email))
    for digest in selection.digests:
        sendings.append(Sending(kind=Kind.COORDINATOR_DIGEST, event_key=digest.key,
                                agency=digest.root, recipients=digest.coordinators,
                                digest=digest))
    return sendings


def _context(selection, **extra):
    return {"today": selection.today, "site_url": site_url(),
            "escalation_days": settings.REMINDER_ESCALATION_DAYS, **extra}


def _notify_officers(selection, sendings):
    """One ``notify`` per kind and page for every agency at once (each recipient reads the
    items of their own agency): a fixed number of queries whatever the number of agencies."""
    batches = defaultdict(list)
    for sending in sendings:
        batches[(sending.kind, sending.url)].append(sending)
    notified = 0
    for (kind, url), group in batches.items():
        items = [item for sending in group for item in sending.items]
        notified += len(notify(
            [user for sending in group for user in sending.recipients], kind,
            event_key=f"reminders:{kind}:{selection.today.isoformat()}:{keys_digest(items)}",
            url=url, template="reminder",
            context=_context(selection, kind=kind, by_agency={
                sending.agency.pk: (sending.agency, sending.items) for sending in group
            }),
        ))
    return notified


def render_head_mail(context):
    """Subject, text and HTML of a head's mail, in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        subject, text, html = (loader.render_to_string(name, context) for name in HEAD_TEMPLATES)
    return " ".join(subject.split()), text, html


@transaction.atomic
def _send(selection, sendings):
    mails = []
    notified = _notify_officers(
        selection, [s for s in sendings if not s.email and s.digest is None]
    )
    for sending in sendings:
        if sending.email:
            subject, text, html = render_head_mail(
                _context(selection, agency=sending.agency, items=sending.items)
            )
            mails.append(HeadMail(
                event_key=sending.event_key, agency=sending.agency, email=sending.email,
                name=sending.agency.head_name, subject=subject, body=text, body_html=html,
            ))
        elif sending.digest is not None:
            notified += len(notify(
                sending.recipients, Kind.COORDINATOR_DIGEST, event_key=sending.event_key,
                url=reverse("periodic:overview"), template="coordinator_digest",
                context=_context(selection, digest=sending.digest, agency=sending.agency,
                                 agencies=selection.agencies),
            ))
    counts = {item.agency_id: len(selection.officers.get(item.agency_id, ()))
              for item in selection.items}
    Dispatch.objects.bulk_create(
        [Dispatch(event_key=item.key, kind=item.kind, agency_id=item.agency_id,
                  due_date=item.due, day=selection.today, recipients=counts[item.agency_id])
         for item in selection.items]
        + [Dispatch(event_key=digest.key, kind=Kind.COORDINATOR_DIGEST, agency=digest.root,
                    due_date=selection.today, day=selection.today,
                    recipients=len(digest.coordinators))
           for digest in selection.digests],
        ignore_conflicts=True,
    )
    created = HeadMail.objects.bulk_create(mails, ignore_conflicts=True)
    keys = [mail.event_key for mail in created]
    if keys:
        from .tasks import send_head_mails

        transaction.on_commit(lambda: send_head_mails.enqueue())
    return notified, len(keys)


def run(*, today=None, dry_run=False):
    """Select and send the reminders of ``today`` (local date); ``dry_run`` sends nothing."""
    started = time.perf_counter()
    today = today or timezone.localdate()
    selection = select(today)
    sendings = plan_sendings(selection)
    outcome = Outcome(today=today, sendings=sendings, dry_run=dry_run,
                      digests=selection.digests)
    if not dry_run:
        outcome.notified, outcome.head_mails = _send(selection, sendings)
    else:
        outcome.head_mails = sum(1 for s in sendings if s.email)
    outcome.seconds = time.perf_counter() - started
    return outcome


def run_daily(*, today=None):
    """The worker's daily job: the reminders, then the users' own daily digests."""
    today = today or timezone.localdate()
    outcome = run(today=today)
    send_digests(today)
    DailyRun.objects.filter(day=today).update(
        finished_at=timezone.now(), summary=list(outcome.lines())[-1]
    )
    return outcome


def claim_daily_run(now=None):
    """The day's run, once its hour has come and no worker has claimed it yet: True when
    this caller claimed it (the unique day makes a second worker's claim fail)."""
    now = timezone.localtime(now or timezone.now())
    if now.hour < settings.REMINDERS_HOUR:
        return False
    _run, created = DailyRun.objects.get_or_create(day=now.date())
    return created


def pending_head_mails():
    return HeadMail.objects.filter(sent_at__isnull=True, attempts__lt=HEAD_MAIL_ATTEMPTS)
