"""Sending the reminders of a province takes a fixed number of queries whatever its size."""

import time

import pytest

from notifications.models import Notification
from reminders import services
from reminders.models import Dispatch, HeadMail
from reminders.synthetic import RUN_DAY, synthetic_province

pytestmark = pytest.mark.django_db


# 200 agencies and 5,000 assignments, then ten times fewer: the same bound.
@pytest.mark.parametrize(("agencies", "assignments"), [(200, 5000), (20, 500)])
def test_the_run_takes_a_bounded_number_of_queries(agencies, assignments,
                                                   django_assert_max_num_queries):
    synthetic_province(agencies=agencies, assignments=assignments)
    # The selection: the plans in force, the steps already sent, the agency tree, the open
    # assignments (with their tasks and agencies) and their updates up to the day (a past
    # day: its state by then), the reports' owners (addressed, assigned) and those in, the
    # agency plans sent, the officers, the coordinators, the last digests, the reports
    # submitted or awaiting review, the agency plans submitted.
    with django_assert_max_num_queries(14):
        outcome = services.run(today=RUN_DAY, dry_run=True)
    assert not Notification.objects.exists()
    started = time.perf_counter()
    # The same selection, then for each kind one notify (its settings, already notified,
    # insert, read back) and its savepoints, the digest's notify, the steps recorded, the
    # heads' mails.
    with django_assert_max_num_queries(54):
        sent = services.run(today=RUN_DAY)
    print(f"{agencies} agencies, {assignments} assignments: {len(sent.sendings)} messages "
          f"in {time.perf_counter() - started:.2f} s")
    assert len(sent.sendings) == len(outcome.sendings)
    officers_told = Notification.objects.filter(recipient__role="agency_officer")
    assert officers_told.values("recipient").distinct().count() == agencies - agencies // 10
    assert HeadMail.objects.count() == agencies  # every agency has work 5 or 15 days late
    assert Dispatch.objects.count() > assignments // 2
    # Run again: nothing new.
    assert services.run(today=RUN_DAY).sendings == []
