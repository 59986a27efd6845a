from django.core.management.base import BaseCommand
from django.db import transaction

from demo.loader import load_demo


class Command(BaseCommand):
    help = (
        "Load the demo data: the Khánh Hòa 2022, Ninh Thuận 2024 and Khánh Hòa ICT 2021-2030 "
        "plans from fixtures/demo, their agencies, a year of progress and one login per role. "
        "Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Load inside a transaction and roll it back.",
        )

    def handle(self, *args, dry_run=False, **options):
        with transaction.atomic():
            result = load_demo()
            if dry_run:
                transaction.set_rollback(True)
        summary = (
            f"{result.agencies} agencies, {len(result.plans)} plans and {result.agency_plans} "
            f"agency plans, {result.tasks} key tasks, {result.updates} new progress updates"
        )
        if dry_run:
            self.stdout.write(self.style.WARNING(f"Dry run, rolled back: {summary}."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {summary}."))
        self.stdout.write(self.login_table(result.logins))

    @staticmethod
    def login_table(logins):
        header = ("username", "password", "role", "agency")
        rows = [(username, password, role, agency) for username, role, agency, password in logins]
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

        def line(row):
            cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            return "  ".join(cells).rstrip()

        rule = "  ".join("-" * width for width in widths)
        return "\n".join(["Demo logins:", line(header), rule, *(line(row) for row in rows)])
