import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reminders import services


def local_date(text):
    try:
        return datetime.datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        raise CommandError(f"--today must be a date written dd/mm/yyyy, not {text!r}") from None


class Command(BaseCommand):
    help = (
        "Send today's reminders (due soon, overdue, escalated to the agencies' heads) and the "
        "coordinators' digests, as the worker does once a day; with --dry-run, print who "
        "would receive what and send nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="print, send nothing")
        parser.add_argument("--today", type=local_date, default=None,
                            help="the day to run for, dd/mm/yyyy (default: today)")

    def handle(self, *args, dry_run=False, today=None, **options):
        with CaptureQueriesContext(connection) as queries:
            outcome = services.run(today=today, dry_run=dry_run)
        lines = list(outcome.lines())
        for line in lines[:-1]:
            self.stdout.write(line)
        self.stdout.write(f"{lines[-1]}, {len(queries)} queries")
