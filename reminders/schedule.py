"""The daily run's clock, ticked by every background worker's heartbeat
(``operations.worker``): on each day, from ``REMINDERS_HOUR`` (local time), the first worker
to tick claims the day (``DailyRun``, one row a day) and queues the run; the others find it
claimed. A day whose hour comes while no worker runs is queued when one starts that day."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .services import claim_daily_run
from .tasks import run_daily_reminders


class DailyScheduler:
    def __init__(self):
        self.checked_day = None  # a day already claimed, by this worker or another

    def tick(self, now=None):
        """Queue today's run if it is time and nobody has; True when this call queued it."""
        now = timezone.localtime(now or timezone.now())
        if self.checked_day == now.date() or now.hour < settings.REMINDERS_HOUR:
            return False
        with transaction.atomic():
            claimed = claim_daily_run(now)
            if claimed:
                run_daily_reminders.enqueue(now.date().isoformat())
        self.checked_day = now.date()
        return claimed
