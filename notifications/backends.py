"""Django's ModelBackend, loading the request's user in one query together with what every page
shows or asks of them: their agency (the header), the count of their unread notifications (the
bell) and the permissions given to them or their groups in the admin (the menu asks for
permissions that no rule grants)."""

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import (
    CharField,
    Count,
    IntegerField,
    OuterRef,
    StringAgg,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Concat

from .models import Notification

PERMISSION_SEPARATOR = ","  # app labels and codenames are identifiers


def with_unread_count(users):
    """``users`` (a queryset) with ``unread_notification_count`` on each."""
    unread = (
        Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
        .order_by().values("recipient").annotate(count=Count("pk")).values("count")
    )
    return users.annotate(unread_notification_count=Coalesce(
        Subquery(unread, output_field=IntegerField()), Value(0)
    ))


def _permission_names(permissions, grouped_by):
    """The names ("app_label.codename") of ``permissions`` as one string, for a subquery."""
    name = Concat("content_type__app_label", Value("."), "codename", output_field=CharField())
    return Subquery(
        permissions.order_by().values(grouped_by)
        .annotate(names=StringAgg(name, Value(PERMISSION_SEPARATOR)))
        .values("names"),
        output_field=CharField(),
    )


def with_permissions(users):
    """``users`` with the names of the permissions given to each and to their groups."""
    return users.annotate(
        loaded_user_permissions=_permission_names(
            Permission.objects.filter(user=OuterRef("pk")), "user"
        ),
        loaded_group_permissions=_permission_names(
            Permission.objects.filter(group__user=OuterRef("pk")), "group__user"
        ),
    )


def _names(text):
    return set(text.split(PERMISSION_SEPARATOR)) if text else set()


@functools.cache
def _users():
    """The users with all the above, built once per process (never evaluated itself): the
    annotations' subqueries cost more to build than the query of a page's user takes."""
    return with_permissions(with_unread_count(
        get_user_model()._default_manager.select_related("agency")
    ))


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        user = _users().filter(pk=user_id).first()
        if user is None or not self.user_can_authenticate(user):
            return None
        if not user.is_superuser:  # a superuser's are every permission, read when asked
            # ModelBackend's own caches, which it would otherwise fill with two queries
            user._user_perm_cache = _names(user.loaded_user_permissions)
            user._group_perm_cache = _names(user.loaded_group_permissions)
        return user
