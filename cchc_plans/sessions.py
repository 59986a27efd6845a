"""Sessions: nothing kept in caches, idle and absolute expiry, and no typed form lost to it.

``PrivateCacheMiddleware`` marks every response of the application ``private, no-store``
(static files are served by WhiteNoise before it): pages and downloads are per-user, and a
shared computer's browser or a proxy must not keep them.

``SessionExpiryMiddleware`` logs a user out after ``SESSION_IDLE_MINUTES`` without a request
and ``SESSION_MAX_HOURS`` after logging in, whatever the cookie says. A form posted after
expiry is kept in the (new, anonymous) session; after logging in again the user comes back to
the page the form was on, which offers to send it again.
"""

import time
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

LOGIN_AT = "_login_at"
SEEN_AT = "_seen_at"
PENDING_FORM = "_pending_form"
# Last activity is written back at most once a minute, not on every request.
SEEN_RESOLUTION = 60


class PrivateCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_cache_control(response, private=True, no_store=True)
        return response


def expiry_reason(session, now):
    """Why the session's login is over (a message), or None while it is still valid."""
    login_at, seen_at = session.get(LOGIN_AT), session.get(SEEN_AT)
    if login_at is None or seen_at is None:
        return None
    if now - login_at > settings.SESSION_MAX_HOURS * 3600:
        return _("You have been logged out %(hours)s hours after logging in. "
                 "Log in again to continue.") % {"hours": settings.SESSION_MAX_HOURS}
    if now - seen_at > settings.SESSION_IDLE_MINUTES * 60:
        return _("You have been logged out after %(minutes)s minutes without activity. "
                 "Log in again to continue.") % {"minutes": settings.SESSION_IDLE_MINUTES}
    return None


def is_login_redirect(response):
    if response.status_code != 302:
        return False
    try:
        # The application's login page; the admin's own login keeps its own behaviour.
        return resolve(urlsplit(response["Location"]).path).view_name == "login"
    except Resolver404:
        return False


def page_of_form(request):
    """The page the posted form was on: the same-site referer, else the URL posted to."""
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.get_full_path()


def record_login(sender, request, user, **kwargs):
    """``user_logged_in``: the login time, kept in the session saved with the login itself."""
    request.session[LOGIN_AT] = request.session[SEEN_AT] = time.time()


class SessionExpiryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        now = time.time()
        expired_user = None
        if SESSION_KEY in session:
            reason = expiry_reason(session, now)
            if reason:
                expired_user = session[SESSION_KEY]
                logout(request)
                messages.info(request, reason)
            elif now - session.get(SEEN_AT, 0) > SEEN_RESOLUTION:
                session[SEEN_AT] = now
            self.offer_pending_form(request)

        response = self.get_response(request)

        # Sessions opened before these times were recorded start counting now.
        if SESSION_KEY in request.session and LOGIN_AT not in request.session:
            request.session[LOGIN_AT] = request.session[SEEN_AT] = now
        if expired_user and request.method == "POST" and is_login_redirect(response):
            response = self.keep_posted_form(request, expired_user)
        return response

    def offer_pending_form(self, request):
        """Hand a form kept at expiry to the page it came from, once, for its own user."""
        pending = request.session.get(PENDING_FORM)
        if not pending:
            return
        if str(pending["user"]) != str(request.session.get(SESSION_KEY)):
            del request.session[PENDING_FORM]
        elif request.method == "GET" and request.get_full_path() == pending["page"]:
            request.pending_form = request.session.pop(PENDING_FORM)

    def keep_posted_form(self, request, user_pk):
        page = page_of_form(request)
        request.session[PENDING_FORM] = {
            "user": user_pk,
            "page": page,
            "action": request.get_full_path(),
            # Passwords are never kept, nor written back into a page.
            "data": [
                [name, values] for name, values in request.POST.lists()
                if name != "csrfmiddlewaretoken" and "password" not in name.lower()
            ],
            "had_files": bool(request.FILES),
        }
        messages.info(request, _("What you typed has been kept: after logging in you can "
                                 "send it again."))
        return HttpResponseRedirect(
            f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': page})}"
        )


def pending_form(request):
    """Template context: the form kept at expiry, offered on the page it came from."""
    return {"pending_form": getattr(request, "pending_form", None)}
