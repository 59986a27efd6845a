"""Reads on a PostgreSQL replica when ``DATABASE_REPLICA_URL`` names one ("replica"); the rest
on the primary ("default").

Conservative: a read goes to the replica only in a request that writes nothing (GET, HEAD,
OPTIONS) and only outside a transaction, before any write of the same request or thread,
and not within ``REPLICA_PIN_SECONDS`` after the same browser's last write (so the page
after a saved form shows what was saved, whatever the replica's lag). Sessions, accounts,
login attempts, the cache table and the background worker's queue stay on the primary.
Without the setting there is no "replica" alias and every query goes to the primary.
"""

import contextvars
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
PIN_COOKIE = "cchc_primary"
# Apps whose tables are read and written by the same request (or another process) at once.
PRIMARY_APPS = {"sessions", "auth", "contenttypes", "admin", "axes", "django_cache",
                "django_tasks_database", "django_tasks_db", "operations"}
PRIMARY_MODELS = {"agencies.user"}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

# Whether the current request (or thread, outside one) must stay on the primary.
_on_primary = contextvars.ContextVar("on_primary", default=False)


def replica_configured():
    return REPLICA in settings.DATABASES


def stay_on_primary():
    """Every read after this one in the current request or thread goes to the primary."""
    _on_primary.set(True)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        instance = hints.get("instance")
        if instance is not None and instance._state.db:
            return instance._state.db  # related rows from where their object came
        if not replica_configured() or _on_primary.get():
            return DEFAULT_DB_ALIAS
        if model._meta.app_label in PRIMARY_APPS or model._meta.label_lower in PRIMARY_MODELS:
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model, **hints):
        stay_on_primary()
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two copies of it

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


class PrimaryAfterWriteMiddleware:
    """A request that may write, or comes soon after the same browser's last write, reads
    from the primary; a request that wrote pins its browser to it for a few seconds."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        pinned = _pinned(request)
        token = _on_primary.set(pinned or request.method not in SAFE_METHODS)
        try:
            response = self.get_response(request)
            if request.method not in SAFE_METHODS:
                seconds = settings.REPLICA_PIN_SECONDS
                response.set_cookie(
                    PIN_COOKIE, str(int(time.time()) + seconds), max_age=seconds,
                    httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE,
                )
            return response
        finally:
            _on_primary.reset(token)


def _pinned(request):
    try:
        return int(request.COOKIES.get(PIN_COOKIE, "0")) > time.time()
    except ValueError:
        return False
