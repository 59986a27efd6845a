"""Two agencies posting progress on the same task at the same moment (PostgreSQL only: SQLite
serialises every writer, so the race cannot happen there)."""

import contextlib
import threading

import pytest
from django.conf import settings
from django.db import connection

from tasks import services
from tasks.counting import roll_up
from tasks.models import Assignment, Task
from tests.factories import PlanFactory, UserFactory
from tests.factories.tasks import make_task

POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


@pytest.mark.skipif(not POSTGRESQL, reason="SQLite runs one writer at a time: no race to test")
@pytest.mark.django_db(transaction=True)
def test_concurrent_updates_of_two_leads_leave_the_stored_roll_up_true(
    monkeypatch, province, justice, health
):
    plan = PlanFactory(issuer=province, status="issued", period_start_year=2022)
    task = make_task(plan, leads=[justice, health])
    officers = {
        justice.pk: UserFactory(username="bob", agency=justice, role="agency_officer"),
        health.pk: UserFactory(username="charlie", agency=health, role="agency_officer"),
    }
    # Both transactions have written their assignment before either rolls the task up: the
    # widest window a real race can have. With the task row locked first, the second one
    # waits for the first to commit instead, and the barrier gives up after a second.
    barrier = threading.Barrier(2, timeout=1)
    original = services.refresh_task_status

    def refresh_after_both_wrote(*, task):
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()
        return original(task=task)

    monkeypatch.setattr(services, "refresh_task_status", refresh_after_both_wrote)
    errors = []

    def post(assignment_pk, percent):
        try:
            assignment = Assignment.objects.select_related("task__plan").get(pk=assignment_pk)
            services.post_update(
                assignment=assignment, author=officers[assignment.agency_id],
                status="in_progress", percent=percent, narrative="Đã đăng tin",
            )
        except Exception as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=post, args=(assignment.pk, percent))
        for assignment, percent in zip(task.assignments.order_by("pk"), [40, 80], strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    stored = Task.objects.get(pk=task.pk)
    states = [(a.role, a.status, a.percent) for a in stored.assignments.all()]
    assert sorted(percent for _role, _status, percent in states) == [40, 80]
    assert (stored.status, stored.percent) == roll_up(states) == ("in_progress", 60)
