"""notify(): the inbox item once per event, in the recipient's language, its e-mail queued by
the recipient's choices, a bounded number of queries."""

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from notifications import services
from notifications.kinds import Kind
from notifications.models import Mail, Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def send(users, key="event:1", kind=Kind.MANUAL_REMINDER, url="/notifications/"):
    return services.notify(
        users, kind, event_key=key, url=url, template="message",
        context={"subject": "Nhắc việc", "message": "Hạn báo cáo là ngày 15/12/2026."},
    )


def test_a_recipient_is_notified_once_per_event(justice):
    bob = UserFactory(username="bob", agency=justice, email="bob@stp.gov.vn")
    [first] = send([bob])
    assert (first.recipient, first.subject, first.url, first.mail) == (
        bob, "Nhắc việc", "/notifications/", Mail.SINGLE)
    assert send([bob]) == []
    assert Notification.objects.filter(recipient=bob).count() == 1


def test_the_link_is_in_the_recipient_language(justice):
    anna = UserFactory(username="anna", agency=justice, email="a@x.vn", language="en")
    [item] = send([anna])
    assert item.url == "/en/notifications/"


def test_an_opted_out_kind_or_the_digest_queues_no_single_mail(justice):
    bob = UserFactory(username="bob", agency=justice, email="bob@stp.gov.vn")
    lan = UserFactory(username="lan", agency=justice, email="lan@stp.gov.vn")
    nomail = UserFactory(username="nomail", agency=justice, email="")
    services.save_setting(bob, no_email_kinds=[Kind.MANUAL_REMINDER], daily_digest=False)
    services.save_setting(lan, no_email_kinds=[], daily_digest=True)
    items = {item.recipient.username: item.mail for item in send([bob, lan, nomail])}
    assert items == {"bob": Mail.NONE, "lan": Mail.DIGEST, "nomail": Mail.NONE}
    assert not DBTaskResult.objects.exists()


def test_the_administrator_defaults_apply_until_the_user_chooses(justice):
    bob = UserFactory(username="bob", agency=justice, email="bob@stp.gov.vn")
    services.save_setting(None, no_email_kinds=[Kind.MANUAL_REMINDER], daily_digest=False)
    [item] = send([bob])
    assert item.mail == Mail.NONE


def test_a_rolled_back_change_notifies_nobody_by_mail(justice, django_capture_on_commit_callbacks):
    bob = UserFactory(username="bob", agency=justice, email="bob@stp.gov.vn")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        send([bob])
    assert len(callbacks) == 1
    assert DBTaskResult.objects.count() == 1


@pytest.mark.parametrize("count", [1, 50])
def test_notifying_many_takes_as_many_queries_as_notifying_one(
    justice, count, django_assert_num_queries, django_capture_on_commit_callbacks,
):
    users = [UserFactory(username=f"u{n}", agency=justice, email=f"u{n}@stp.gov.vn")
             for n in range(count)]
    # settings, already notified, insert, the new rows, the queued mail task; two savepoints
    with (
        django_assert_num_queries(9),
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        assert len(send(users)) == count
