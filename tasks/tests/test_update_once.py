"""A progress update sent twice (a double click, a resent POST) is saved once."""

import datetime
import threading
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cchc_plans.models import FormSubmission
from operations.worker import Heartbeat
from tasks.models import Evidence, ProgressUpdate
from tests.factories.files import MINIMAL_PDF
from tests.factories.forms import form_token


def url(assignment):
    return reverse("tasks:post_update", args=[assignment.pk])


def form_with_token(client, assignment):
    page = client.get(url(assignment)).content.decode()
    return {
        "status": "in_progress", "percent": "40", "narrative": "Đã đăng 3 tin",
        "submission_token": form_token(page),
    }


def pdf():
    return SimpleUploadedFile("bien-ban.pdf", MINIMAL_PDF, content_type="application/pdf")


@pytest.mark.django_db
def test_a_resent_update_is_saved_once_and_shows_what_was_saved(client, officer, assignment):
    client.force_login(officer)
    data = form_with_token(client, assignment)

    first = client.post(url(assignment), {**data, "files": [pdf()]})
    second = client.post(url(assignment), {**data, "files": [pdf()]}, follow=True)

    assert first.status_code == 302
    assert second.redirect_chain[0][0] == first["Location"]
    assert ProgressUpdate.objects.count() == 1 and Evidence.objects.count() == 1
    assert "This form had already been sent" in second.content.decode()


@pytest.mark.django_db
def test_each_showing_of_the_form_sends_its_own_update(client, officer, assignment):
    client.force_login(officer)

    client.post(url(assignment), form_with_token(client, assignment))
    client.post(url(assignment), form_with_token(client, assignment))

    assert ProgressUpdate.objects.count() == 2


@pytest.mark.django_db
def test_a_refused_update_can_be_sent_again_with_the_same_token(client, officer, assignment):
    client.force_login(officer)
    data = form_with_token(client, assignment)
    assignment.task.plan.status = "closed"
    assignment.task.plan.save()

    refused = client.post(url(assignment), data)
    assignment.task.plan.status = "issued"
    assignment.task.plan.save()
    accepted = client.post(url(assignment), data)

    assert refused.status_code == 200 and accepted.status_code == 302
    assert ProgressUpdate.objects.count() == 1


@pytest.mark.django_db
def test_another_users_token_is_refused(client, officer, coordinator, assignment):
    client.force_login(officer)
    data = form_with_token(client, assignment)
    client.post(url(assignment), data)
    other = Client(raise_request_exception=False)
    other.force_login(coordinator)

    response = other.post(url(assignment), data)

    assert response.status_code == 403
    assert ProgressUpdate.objects.count() == 1


def waiting_for_locks():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND datname = current_database()"
        )
        return cursor.fetchone()[0]


def wait_until(condition, what):
    for _ in range(600):
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"never {what}")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks of PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_sendings_at_the_same_moment_save_one_update(officer, assignment):
    """The first sending is held inside its transaction (the assignment row is locked here)
    while the second one arrives; once released, the second finds the first's update."""
    client = Client()
    client.force_login(officer)
    data = form_with_token(client, assignment)
    responses = {}

    def send(name):
        sender = Client()
        sender.force_login(officer)
        try:
            responses[name] = sender.post(url(assignment), {**data, "files": [pdf()]})
        finally:
            connection.close()

    holder = connections.create_connection("default")
    holder.set_autocommit(False)
    with holder.cursor() as cursor:
        cursor.execute("SELECT id FROM tasks_assignment WHERE id = %s FOR UPDATE", [assignment.pk])
    first = threading.Thread(target=send, args=["first"])
    first.start()
    wait_until(lambda: waiting_for_locks() >= 1, "the first sending waited")
    second = threading.Thread(target=send, args=["second"])
    second.start()
    wait_until(lambda: waiting_for_locks() >= 2, "the second sending waited")
    holder.rollback()
    holder.close()
    first.join()
    second.join()

    assert responses["first"].status_code == responses["second"].status_code == 302
    assert responses["first"]["Location"] == responses["second"]["Location"]
    assert ProgressUpdate.objects.count() == 1 and Evidence.objects.count() == 1


@pytest.mark.django_db
def test_the_workers_heartbeat_forgets_tokens_older_than_a_week(client, officer, assignment):
    client.force_login(officer)
    old, recent = form_with_token(client, assignment), form_with_token(client, assignment)
    client.post(url(assignment), old)
    client.post(url(assignment), recent)
    FormSubmission.objects.filter(token=old["submission_token"]).update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )

    Heartbeat("test-worker").beat()

    assert [str(t) for t in FormSubmission.objects.values_list("token", flat=True)] == [
        recent["submission_token"]
    ]
