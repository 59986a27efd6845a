"""What every app's access helpers share: one object for a user, and a view's permission.

The rules themselves are in each app's ``rules.py`` (roles in ``agencies/rules.py``), the
querysets of what a user may read in the app owning the model (``plans/access.py``,
``tasks/access.py``, ``periodic/access.py``). Outsiders get 404 (the object does not exist for
them), read-only users get 403 on writes.
"""

import functools

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404


def get_for_user(queryset, request, pk, write, perm):
    """The object ``pk`` of ``queryset`` (what the user may read), else 404; 403 on ``write``
    without ``perm`` on it."""
    obj = get_object_or_404(queryset, pk=pk)
    if write and not request.user.has_perm(perm, obj):
        raise PermissionDenied
    return obj


def permission_required(perm):
    """Like Django's, but a logged-in user without the permission gets 403, not a login loop."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
