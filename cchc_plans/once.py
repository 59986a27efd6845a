"""Forms that make something are acted on once: a double click or a resent POST finds what
the first sending made.

A page puts a one-time token in the form (``{% load once %}{% once_token %}``, a new UUID each
time the page is shown); the view runs its service through ``run_once``, which records the
token in the same transaction (``FormSubmission``, the token its primary key). A second
request with the token, even one arriving while the first is still running, waits for the
first one's transaction (PostgreSQL: the unique index; SQLite: the write lock) and is sent to
the page of what it made. A service that refuses (ValidationError) rolls the token back with
everything else, so the corrected form can be sent again. A request without a token (a page
from before this, a script) is acted on as before.
"""

import datetime
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import FormSubmission

TOKEN_FIELD = "submission_token"
# A form is sent again by a double click or a reloaded page, within minutes; a week is ample.
KEPT_FOR = datetime.timedelta(days=7)
ALREADY_DONE = _("This form had already been sent: it was acted on once, here is the result.")


def new_token():
    return str(uuid.uuid4())


def posted_token(request):
    try:
        return uuid.UUID(request.POST.get(TOKEN_FIELD, ""))
    except ValueError:
        return None


@dataclass(frozen=True)
class Outcome:
    url: str
    repeated: bool


def earlier_outcome(request):
    """The ``Outcome`` of an earlier sending of this request's form, if it was acted on; for
    a view that would refuse the repeat before reaching ``run_once`` (a submitted report)."""
    token = posted_token(request) if request.method == "POST" else None
    earlier = token and FormSubmission.objects.filter(token=token, user=request.user).first()
    return Outcome(earlier.result_url, repeated=True) if earlier else None


def run_once(request, action):
    """Run ``action()`` (which returns the URL of what it made) once for the posted token.

    Returns an ``Outcome``: the URL, and whether this request repeated an earlier one.
    """
    token = posted_token(request)
    if token is None:
        return Outcome(action(), repeated=False)
    with transaction.atomic():
        try:
            with transaction.atomic():
                FormSubmission.objects.create(token=token, user=request.user)
        except IntegrityError:
            earlier = FormSubmission.objects.get(token=token)
            if earlier.user_id != request.user.pk:
                raise PermissionDenied from None
            return Outcome(earlier.result_url, repeated=True)
        url = action()
        FormSubmission.objects.filter(token=token).update(result_url=url)
    return Outcome(url, repeated=False)


def prune(now=None):
    """Forget the tokens of forms sent more than ``KEPT_FOR`` ago (the worker's heartbeat);
    returns how many were forgotten."""
    cutoff = (now or timezone.now()) - KEPT_FOR
    deleted, _by_model = FormSubmission.objects.filter(created_at__lt=cutoff).delete()
    return deleted
