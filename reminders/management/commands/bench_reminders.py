import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from reminders import services
from reminders.synthetic import RUN_DAY, synthetic_province


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Build a synthetic province (agencies with officers, one issued plan, assignments "
        "due around one day), run the reminders for that day, print the seconds and the "
        "queries of the selection and of the sending; keeps nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agencies", type=int, default=200)
        parser.add_argument("--assignments", type=int, default=5000)

    def handle(self, *args, agencies=200, assignments=5000, **options):
        try:
            with transaction.atomic():
                started = time.perf_counter()
                synthetic_province(agencies=agencies, assignments=assignments)
                self.stdout.write(f"built {agencies} agencies, {assignments} assignments in "
                                  f"{time.perf_counter() - started:.1f} s")
                for dry_run in (True, False):
                    with CaptureQueriesContext(connection) as queries:
                        outcome = services.run(today=RUN_DAY, dry_run=dry_run)
                    self.stdout.write(
                        f"{'dry run' if dry_run else 'sending'}: {len(outcome.sendings)} "
                        f"messages, {outcome.seconds:.2f} s, {len(queries)} queries"
                    )
                raise Rollback
        except Rollback:
            pass
