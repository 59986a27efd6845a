"""The administrator's pages of notification settings."""

import pytest
from django.urls import reverse

from notifications.models import NotificationSetting
from notifications.services import save_setting
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_users_settings_stay_theirs_when_changed_in_the_admin(client, justice, home_affairs):
    bob = UserFactory(username="bob", agency=justice)
    lan = UserFactory(username="lan", agency=justice)
    setting = save_setting(bob, no_email_kinds=[], daily_digest=False)
    staff = UserFactory(username="quantri", agency=home_affairs, role="admin", is_staff=True,
                        is_superuser=True)
    client.force_login(staff)

    url = reverse("admin:notifications_notificationsetting_change", args=[setting.pk])
    response = client.post(url, {"user": lan.pk, "daily_digest": "on"})

    assert response.status_code == 302
    assert list(NotificationSetting.objects.values_list("user__username", "daily_digest")) == [
        ("bob", True)
    ]
