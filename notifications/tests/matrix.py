"""Permission matrix of the notifications: every user has an inbox and settings of their own;
another user's notification is not found."""

from notifications import services
from notifications.kinds import Kind
from tests.matrix import Entry

EVERYONE = {"coordinator": 200, "leadership": 200, "admin": 200, "own": 200, "other": 200}
REDIRECTED = dict.fromkeys(EVERYONE, 302)


def own_notification(world):
    [notification] = services.notify(
        [world.users["own"]], Kind.MANUAL_REMINDER, event_key="matrix:1",
        url=f"/tasks/{world.task.pk}/", template="message",
        context={"subject": "Nhắc việc", "message": "Đề nghị cập nhật tiến độ."},
    )
    return {"pk": notification.pk}


def settings_data(world):
    return {"email_kinds": [Kind.REPORT_RETURNED], "daily_digest": "on", "language": "vi"}


ENTRIES = [
    Entry("notifications:inbox", get=EVERYONE, post=None),
    Entry("notifications:open", kwargs=own_notification,
          get={"coordinator": 404, "leadership": 404, "admin": 404, "own": 302, "other": 404},
          post=None),
    Entry("notifications:mark_all_read", get=None, post=REDIRECTED),
    Entry("notifications:settings", get=EVERYONE, post=REDIRECTED, data=settings_data),
]
