"""Django's ModelBackend, loading the request's user together with the count of their unread
notifications (the bell on every page) in the same query."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from .models import Notification


def with_unread_count(users):
    """``users`` (a queryset) with ``unread_notification_count`` on each."""
    unread = (
        Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
        .order_by().values("recipient").annotate(count=Count("pk")).values("count")
    )
    return users.annotate(unread_notification_count=Coalesce(
        Subquery(unread, output_field=IntegerField()), Value(0)
    ))


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        users = with_unread_count(get_user_model()._default_manager.all())
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
