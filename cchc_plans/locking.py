"""Optimistic locking: the one check every service makes before it writes over a form.

Each editable object carries a ``version`` raised by every write. A form posts back the
version it was loaded at; the service reloads the row under a lock (a row lock on
PostgreSQL, inside the service's transaction) and calls ``check_version``: a form posted over
an older version is refused with ``StaleError``, so the first save stands and the second
person's input is shown back. ``FrozenError`` is the other refusal every service shares: the
object, or the plan it belongs to, is closed (issued, closed, submitted) and takes no edit.

Both are ``ValidationError``s with a message for the user (``error.messages``), so a view
shows them like any other error of the form; ``StaleError.current`` is the row as it is now.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

STALE_MESSAGE = _(
    "Someone else saved this while you were working on it, so your changes were not saved. "
    "Reload the page to see their changes."
)
FROZEN_MESSAGE = _("This can no longer be changed.")


class StaleError(ValidationError):
    """The object was saved by someone else after the user loaded it."""

    def __init__(self, current, message=None):
        super().__init__(message or STALE_MESSAGE, code="stale")
        self.current = current


class FrozenError(ValidationError):
    """The object, or the plan it belongs to, is closed to edits."""

    def __init__(self, obj=None, message=None):
        super().__init__(message or FROZEN_MESSAGE, code="frozen")
        self.obj = obj


def check_version(current, version, *, message=None, required=True):
    """Refuse (``StaleError``) a write posted over another version than ``current.version``.

    ``current`` is the row just reloaded under a lock. ``version`` None is a form that sent
    none: refused when ``required``, else not checked (a write that is not an edit).
    """
    if version is None:
        if required:
            raise StaleError(current, message)
        return
    if int(version) != current.version:
        raise StaleError(current, message)
