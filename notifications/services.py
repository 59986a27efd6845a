"""Notifying users: ``notify`` (the one entry point: other apps call it, it calls none of them),
the e-mails sent by the background worker, the daily digest, marking read, the settings.

A notification is stored in the recipient's inbox in the recipient's language when it is made;
its e-mail (plain text and HTML, with a link to the exact page) is sent by the background worker,
retried when the mail server fails, and never twice (a sender claims the row first).
"""

import datetime
import logging
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.tasks import task
from django.template import TemplateDoesNotExist, loader
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from cchc_plans import mail

from .kinds import Kind
from .models import Mail, Notification, NotificationSetting

logger = logging.getLogger(__name__)

# A mail claimed longer ago than this (its sender died) may be claimed again.
CLAIM_SECONDS = 600

EMAIL_SUBJECT = "notifications/email_subject.txt"
EMAIL_TEXT = "notifications/email_body.txt"
EMAIL_HTML = "notifications/email_body.html"
DIGEST_SUBJECT = "notifications/digest_subject.txt"
DIGEST_TEXT = "notifications/digest_body.txt"
DIGEST_HTML = "notifications/digest_body.html"


# ---------------------------------------------------------------------------------------------
# Where and in which language


def user_language(user):
    """The language a user reads notifications in: their preference, else the site's."""
    language = getattr(user, "language", "") or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def site_url():
    """Scheme and host of the links in mails: ``SITE_URL`` (set it in production)."""
    return settings.SITE_URL or "http://127.0.0.1:8000"


def localized_url(url, language):
    """The page at ``url`` (a path and query, as reversed in any language) in ``language``:
    ``/tasks/5/`` is ``/en/tasks/5/`` in English. A path that resolves nowhere is kept."""
    parts = urlsplit(url)
    for candidate, _name in settings.LANGUAGES:
        with translation.override(candidate):
            try:
                match = resolve(parts.path)
            except Resolver404:
                continue
        with translation.override(language):
            try:
                path = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
            except NoReverseMatch:
                return url
        return urlunsplit(("", "", path, parts.query, parts.fragment))
    return url


# ---------------------------------------------------------------------------------------------
# Settings


def default_setting():
    """The administrator's defaults: the row without a user (editable in the admin), else
    ``NOTIFICATION_DEFAULT_NO_EMAIL_KINDS`` and ``NOTIFICATION_DEFAULT_DAILY_DIGEST``."""
    return NotificationSetting.objects.filter(user__isnull=True).first() or _settings_default()


def _settings_default():
    return NotificationSetting(
        no_email_kinds=list(settings.NOTIFICATION_DEFAULT_NO_EMAIL_KINDS),
        daily_digest=settings.NOTIFICATION_DEFAULT_DAILY_DIGEST,
    )


def settings_for(user_ids):
    """Each user's ``NotificationSetting`` (their own, else the defaults), in one query."""
    rows = list(NotificationSetting.objects.filter(Q(user_id__in=user_ids) | Q(user__isnull=True)))
    default = next((row for row in rows if row.user_id is None), None) or _settings_default()
    own = {row.user_id: row for row in rows if row.user_id is not None}
    return {user_id: own.get(user_id, default) for user_id in user_ids}


def setting_of(user):
    """The user's choices as a form shows them (the defaults until they choose)."""
    return settings_for([user.pk])[user.pk]


@transaction.atomic
def save_setting(user, *, no_email_kinds, daily_digest, language=None):
    """Save ``user``'s choices (``user=None``: the defaults for every user who has not chosen);
    ``language`` also sets the user's language for notifications."""
    valid = set(Kind.values)
    kinds = sorted(kind for kind in set(no_email_kinds) if kind in valid)
    row, _created = NotificationSetting.objects.update_or_create(
        user=user, defaults={"no_email_kinds": kinds, "daily_digest": bool(daily_digest)},
    )
    if user is not None and language and language != user.language:
        user.language = language
        user.save(update_fields=["language"])
    return row


# ---------------------------------------------------------------------------------------------
# Notifying


def _render(name, context):
    return loader.render_to_string(name, context)


def _render_optional(name, context):
    try:
        template = loader.get_template(name)
    except TemplateDoesNotExist:
        return ""
    return template.render(context)


def notify(recipients, kind, *, event_key, url, template, context, sender=None):
    """Notify each of ``recipients`` (users) of one event, once; return the new notifications.

    - ``kind``: a ``Kind``; the recipient's settings decide whether it also comes by e-mail,
      alone or in the daily digest.
    - ``event_key``: what happened, deterministic ("report-returned:<report id>:<version>"): a
      recipient already notified with this key is skipped, so calling twice notifies once.
    - ``url``: the page the notification links to, a path as ``reverse`` gives it (in any
      language); each recipient gets it in their language.
    - ``template``: renders ``templates/notifications/<template>_subject.txt`` (one line),
      ``<template>_body.txt`` and, if it exists, ``<template>_body.html`` (the mail's HTML
      part), in each recipient's language, with ``context`` plus ``recipient``, ``url`` (the
      absolute link) and ``site_url``. The text is stored: the inbox shows it as written then.
    - ``sender``: the user who caused it (a manual reminder's coordinator), or None.

    Inactive users are skipped; a user without an e-mail address gets the inbox item only. The
    e-mails are queued for the background worker when the current transaction commits (nothing
    is sent for a rolled-back change). A bounded number of queries whatever the number of
    recipients (the templates must not query: pass what they show in ``context``).
    """
    users = {user.pk: user for user in recipients if user is not None and user.is_active}
    if not users:
        return []
    ids = list(users)
    chosen = settings_for(ids)
    existing = set(
        Notification.objects.filter(event_key=event_key, recipient_id__in=ids)
        .values_list("recipient_id", flat=True)
    )
    base = site_url()
    new = []
    for user_id, user in users.items():
        if user_id in existing:
            continue
        language = user_language(user)
        link = localized_url(url, language)
        full = {**context, "recipient": user, "url": base + link, "site_url": base}
        with translation.override(language):
            subject = " ".join(_render(f"notifications/{template}_subject.txt", full).split())
            body = _render(f"notifications/{template}_body.txt", full).strip()
            html = _render_optional(f"notifications/{template}_body.html", full).strip()
        new.append(Notification(
            recipient=user, kind=kind, event_key=event_key[:200], url=link[:500],
            subject=subject[:300], body=body, body_html=html, sender=sender,
            mail=chosen[user_id].mail_for(kind) if user.email else Mail.NONE,
        ))
    if not new:
        return []
    with transaction.atomic():
        # A concurrent call for the same event may have made some in between: skipped too.
        Notification.objects.bulk_create(new, ignore_conflicts=True)
        created = list(
            Notification.objects.filter(
                event_key=event_key[:200], recipient_id__in=[item.recipient_id for item in new]
            ).order_by("pk")
        )
        for item in created:
            item.recipient = users[item.recipient_id]
        to_mail = [item.pk for item in created if item.mail == Mail.SINGLE and not item.emailed_at]
        if to_mail:
            transaction.on_commit(lambda: send_notification_emails.enqueue(to_mail))
    return created


# ---------------------------------------------------------------------------------------------
# E-mails (the background worker)


@task()
def send_notification_emails(notification_ids):
    """The background task queued by ``notify``: each notification's e-mail. One that fails is
    queued again alone (``send_notification_email``), later."""
    for notification_id in notification_ids:
        _send_or_retry(notification_id)


@task()
def send_notification_email(notification_id):
    """One notification's e-mail, tried again after a failure: see ``send_email``."""
    if not _send_or_retry(notification_id):
        raise RuntimeError(f"Notification {notification_id}: the e-mail failed, retry queued")


def _send_or_retry(notification_id):
    """Send; after a failure, queue another try in ``NOTIFICATION_MAIL_RETRY_SECONDS`` × the
    tries so far, up to ``NOTIFICATION_MAIL_MAX_ATTEMPTS`` tries. False when it failed."""
    try:
        send_email(notification_id)
    except Exception:
        logger.exception("The e-mail of notification %s failed", notification_id)
        attempts = (
            Notification.objects.filter(pk=notification_id)
            .values_list("email_attempts", flat=True).first()
        )
        if attempts is not None and attempts < settings.NOTIFICATION_MAIL_MAX_ATTEMPTS:
            later = timezone.now() + datetime.timedelta(
                seconds=settings.NOTIFICATION_MAIL_RETRY_SECONDS * attempts
            )
            send_notification_email.using(run_after=later).enqueue(notification_id)
        return False
    return True


def _claim(queryset, now):
    """Claim the rows of ``queryset`` not sent and not being sent (a conditional UPDATE: of two
    senders, one wins each row); returns how many were claimed."""
    stale = now - datetime.timedelta(seconds=CLAIM_SECONDS)
    return queryset.filter(emailed_at__isnull=True).filter(
        Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lt=stale)
    ).update(email_claimed_at=now, email_attempts=F("email_attempts") + 1)


def send_email(notification_id):
    """Send the e-mail of one notification unless it was sent or is being sent; True when this
    call sent it. Raises when the mail server fails (the claim is released, for the retry)."""
    now = timezone.now()
    if not _claim(Notification.objects.filter(pk=notification_id, mail=Mail.SINGLE), now):
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    try:
        base = site_url()
        with translation.override(user_language(notification.recipient)):
            mail.send_templated(
                to=[notification.recipient.email], subject_template=EMAIL_SUBJECT,
                text_template=EMAIL_TEXT, html_template=EMAIL_HTML,
                context={
                    "notification": notification, "link": base + notification.url,
                    "body_html": mark_safe(notification.body_html),  # rendered autoescaped
                    "settings_link": base + reverse("notifications:settings"),
                },
            )
    except Exception:
        Notification.objects.filter(pk=notification_id).update(email_claimed_at=None)
        raise
    Notification.objects.filter(pk=notification_id).update(emailed_at=timezone.now())
    return True


def send_digests(today):
    """Send each user who chose the daily digest one e-mail listing their notifications not yet
    e-mailed, made up to the end of ``today`` (a date, local time); return how many e-mails
    were sent. Called by the daily schedule. A digest whose mail fails stays for the next
    call; none is sent twice (the rows are claimed, then marked e-mailed)."""
    end = timezone.make_aware(
        datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time.min)
    )
    pending = Notification.objects.filter(
        mail=Mail.DIGEST, emailed_at__isnull=True, created_at__lt=end,
    )
    recipients = sorted(set(pending.values_list("recipient_id", flat=True)))
    sent = 0
    base = site_url()
    for recipient_id in recipients:
        now = timezone.now()
        if not _claim(pending.filter(recipient_id=recipient_id), now):
            continue
        claimed = Notification.objects.filter(
            recipient_id=recipient_id, mail=Mail.DIGEST, emailed_at__isnull=True,
            email_claimed_at=now,
        )
        items = list(claimed.select_related("recipient").order_by("created_at", "pk"))
        if not items:
            continue
        recipient = items[0].recipient
        language = user_language(recipient)
        try:
            with translation.override(language):
                mail.send_templated(
                    to=[recipient.email], subject_template=DIGEST_SUBJECT,
                    text_template=DIGEST_TEXT, html_template=DIGEST_HTML,
                    context={
                        "recipient": recipient, "today": today, "site_url": base,
                        "items": [(item, base + localized_url(item.url, language))
                                  for item in items],
                        "inbox_link": base + reverse("notifications:inbox"),
                        "settings_link": base + reverse("notifications:settings"),
                    },
                )
        except Exception:
            logger.exception("The daily digest of user %s failed", recipient_id)
            claimed.update(email_claimed_at=None)
            continue
        Notification.objects.filter(pk__in=[item.pk for item in items]).update(
            emailed_at=timezone.now()
        )
        sent += 1
    return sent


# ---------------------------------------------------------------------------------------------
# The inbox


def inbox(user):
    """The user's notifications, newest first: only their own."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def unread_count(user):
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(user, notification_id):
    """Mark one of the user's notifications read (another user's is left alone); returns it,
    or None when it is not theirs."""
    notification = inbox(user).filter(pk=notification_id).first()
    if notification is not None and notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def mark_all_read(user):
    """Mark all the user's notifications read; returns how many were unread."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# ---------------------------------------------------------------------------------------------
# For the other apps' services


def agency_officers(agency_ids):
    """The active officers of the given agencies (who is told of an agency's business)."""
    from agencies.models import Role, User

    return User.objects.filter(
        agency_id__in=list(agency_ids), role=Role.AGENCY_OFFICER, is_active=True
    ).order_by("pk")


def notify_on_commit(prepare):
    """Notify once the current transaction commits, so that a rolled-back change notifies
    nobody: ``prepare()`` is called then and returns ``notify``'s arguments as a dict
    (``recipients``, ``kind``, ``event_key``, …), or None for nobody. A failure to notify is
    logged and never undoes the change (``robust``)."""

    def run():
        arguments = prepare()
        if arguments:
            notify(**arguments)

    transaction.on_commit(run, robust=True)
