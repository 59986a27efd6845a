from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from scale.bench import ROLES, bench, table


class Command(BaseCommand):
    help = (
        "Time every list, detail, dashboard, completeness and report-preview page for each "
        "role, and the admin's change lists, in-process: p50 and p95, the query count, the "
        "slowest query (with EXPLAIN ANALYZE on PostgreSQL). Prints a table."
    )

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=30, help="timed requests a page")
        parser.add_argument(
            "--roles", nargs="+", choices=ROLES, default=ROLES, metavar="ROLE",
            help=f"some of {', '.join(ROLES)} (default: all)",
        )
        parser.add_argument(
            "--budget", type=float, default=60.0,
            help="seconds a page may take in all; a slower one gets fewer requests (at least "
            "3, or 1 when the first alone takes longer)",
        )
        parser.add_argument("--page", help="only pages whose name contains this")
        parser.add_argument(
            "--sql-chars", type=int, default=160, help="characters of SQL shown (0: all)"
        )

    def handle(self, *args, requests, roles, budget, page, sql_chars, verbosity, **options):
        if requests < 1:
            raise CommandError("--requests must be at least 1")

        def progress(result):
            if verbosity > 1:
                self.stdout.write(
                    f"{result.role} {result.name}: {result.status}, {result.queries} queries",
                )
                self.stdout.flush()

        world, pages = bench(roles=roles, requests=requests, budget=budget, only=page,
                             out=progress)
        # Production runs with DEBUG off: the figures say which they were taken with.
        self.stdout.write(
            f"Measured with DEBUG {'on' if settings.DEBUG else 'off'} on {connection.vendor}"
        )
        users = ", ".join(f"{role} {user.username}" for role, user in world.users.items() if user)
        self.stdout.write(f"Users: {users or 'none'}")
        missing = [role for role in roles if not world.users.get(role)]
        if missing:
            self.stdout.write(f"No active user for: {', '.join(missing)} (their pages skipped)")
        if world.plan:
            self.stdout.write(f"Plan: {world.plan.pk} ({world.plan.tasks.count()} tasks)")
        if not pages:
            wanted = f" whose name contains {page!r}" if page else ""
            raise CommandError(
                f"No page{wanted} to measure for {', '.join(roles)}: the database needs its "
                "users and plans (load_demo or generate_data)."
            )
        self.stdout.write(table(pages, sql_chars=sql_chars))
        failed = [p for p in pages if p.status != 200]
        if failed:
            raise CommandError(
                f"{len(failed)} of {len(pages)} pages did not answer 200: "
                + ", ".join(f"{p.role} / {p.name} ({p.url}) {p.status}" for p in failed)
            )
