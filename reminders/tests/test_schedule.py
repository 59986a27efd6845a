"""The daily run is queued once a day, from its hour, by one worker of several."""

import datetime

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from notifications.services import save_setting
from reminders.models import DailyRun
from reminders.schedule import DailyScheduler
from reminders.tasks import run_daily_reminders
from tasks.services import set_task_agencies
from tests.factories import PlanFactory, TaskFactory

pytestmark = pytest.mark.django_db


def at(hour, day=datetime.date(2022, 3, 24)):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 5)))


def test_one_worker_queues_the_day_once_from_its_hour(settings, django_assert_num_queries):
    settings.REMINDERS_HOUR = 7
    first, second = DailyScheduler(), DailyScheduler()
    assert not first.tick(at(6))
    assert not DBTaskResult.objects.exists()
    assert first.tick(at(7))
    assert not second.tick(at(7))  # another worker: the day is claimed
    with django_assert_num_queries(0):
        assert not first.tick(at(8))  # this worker knows
    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == "reminders.tasks.run_daily_reminders"
    assert queued.args_kwargs["args"] == ["2022-03-24"]
    assert first.tick(at(7, datetime.date(2022, 3, 25)))
    assert list(DailyRun.objects.values_list("day", flat=True)) == [
        datetime.date(2022, 3, 25), datetime.date(2022, 3, 24)
    ]


def test_the_daily_job_also_sends_the_users_digests(settings, officer, smtp_server,
                                                    django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    officer.email = "bob@stp.example"
    officer.save()
    save_setting(officer, no_email_kinds=[], daily_digest=True)
    today = timezone.localdate()
    plan = PlanFactory(issuer=officer.agency.parent, status="issued",
                       period_start_year=today.year, period_end_year=today.year)
    task = TaskFactory(plan=plan, schedule_kind="due",
                       due_date=today + datetime.timedelta(days=7))
    set_task_agencies(task=task, leads=[officer.agency], coordinators=[], lead_groups=[])
    DailyRun.objects.create(day=today)
    with django_capture_on_commit_callbacks(execute=True):
        run_daily_reminders.call(today.isoformat())
    # The reminder went to the officer's digest, sent by the same job.
    [(recipients, _message, text, _html)] = smtp_server.parsed()
    assert recipients == [officer.email]
    assert "Sở Tư pháp: 1 nhiệm vụ sắp đến hạn" in text
    assert DailyRun.objects.get().finished_at is not None
