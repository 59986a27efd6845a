"""Who is asking, and how often: the client address behind a reverse proxy, login lockouts
(django-axes hooks) and the password reset limits.

The client address comes from ``TRUSTED_PROXY_HEADER`` only when the request arrives from one
of ``TRUSTED_PROXIES``; the header is read from the right, skipping the trusted proxies' own
addresses, so that an address a client wrote into the header itself is never believed.
"""

import datetime
import hashlib
import ipaddress

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.core.cache import cache
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import timezone

RESET_WINDOW = 3600  # seconds: the password reset limits count per hour


def parse_address(value):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def is_trusted_proxy(address):
    return any(address in network for network in settings.TRUSTED_PROXIES)


def client_ip(request):
    """The client's address (``AXES_CLIENT_IP_CALLABLE``): REMOTE_ADDR unless a trusted
    proxy forwarded the request."""
    remote = request.META.get("REMOTE_ADDR", "")
    address = parse_address(remote)
    if address is None or not is_trusted_proxy(address):
        return remote
    header = "HTTP_" + settings.TRUSTED_PROXY_HEADER.upper().replace("-", "_")
    for hop in reversed(request.META.get(header, "").split(",")):
        forwarded = parse_address(hop)
        if forwarded is None:
            break
        address = forwarded
        if not is_trusted_proxy(forwarded):
            break
    return str(address)


class LoginThrottleHandler(AxesDatabaseHandler):
    """Axes' database handler, plus a ceiling of failures per account from all addresses."""

    def account_failures(self, request, credentials):
        username = get_client_username(request, credentials)
        if not username:
            return 0
        attempts = AccessAttempt.objects.filter(
            username=username, attempt_time__gte=get_cool_off_threshold(request)
        )
        return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0

    def is_account_locked(self, request, credentials):
        return self.account_failures(request, credentials) >= settings.LOGIN_ACCOUNT_FAILURE_LIMIT

    def is_locked(self, request, credentials=None):
        return super().is_locked(request, credentials) or self.is_account_locked(
            request, credentials
        )

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and self.is_account_locked(request, credentials):
            request.axes_locked_out = True
            request.axes_credentials = credentials


def locked_until(request, credentials):
    """When the lockout of this username ends: its latest failure plus the cool-off."""
    username = get_client_username(request, credentials)
    latest = None
    if username:
        latest = AccessAttempt.objects.filter(username=username).aggregate(
            latest=Max("attempt_time")
        )["latest"]
    return (latest or timezone.now()) + (get_cool_off(request) or datetime.timedelta())


def lockout_response(request, original_response=None, credentials=None):
    """``AXES_LOCKOUT_CALLABLE``: the lockout page, saying when to try again."""
    return render(
        request, settings.AXES_LOCKOUT_TEMPLATE,
        {"locked_until": locked_until(request, credentials)},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


def within_limit(key, limit):
    """Count one more request under ``key`` this hour; False once over ``limit``."""
    cache.add(key, 0, timeout=RESET_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=RESET_WINDOW)
        count = 1
    return count <= limit


def allow_password_reset_from(request):
    return within_limit(f"password-reset:client:{client_ip(request)}",
                        settings.PASSWORD_RESET_PER_CLIENT)


def allow_password_reset_to(email):
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    return within_limit(f"password-reset:address:{digest}", settings.PASSWORD_RESET_PER_ADDRESS)
