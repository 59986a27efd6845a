from django.core.management.base import BaseCommand, CommandError

from scale.generator import generate


class Command(BaseCommand):
    help = (
        "Fill the configured database with a generated national data set (provinces, "
        "agencies, users, plans, key tasks, assignments, progress, periodic reports) for "
        "measuring pages: COPY on PostgreSQL, multi-row inserts on SQLite. Adds to what is "
        "there; refuses a province already generated."
    )

    def add_arguments(self, parser):
        parser.add_argument("--provinces", type=int, default=34)
        parser.add_argument("--tasks", type=int, default=1_000_000, help="key tasks in all")
        parser.add_argument("--agencies", type=int, default=150, help="agencies a province")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, provinces, tasks, agencies, seed, verbosity, **options):
        out = self.stdout.write if verbosity > 1 else None
        try:
            result = generate(provinces=provinces, tasks=tasks, agencies=agencies, seed=seed,
                              out=out)
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Generated {provinces} provinces, years {result.years[0]}–{result.years[-1]}, "
            f"in {result.seconds:.1f} s:"
        )
        width = max(len(label) for label in result.counts)
        for label, count in sorted(result.counts.items()):
            self.stdout.write(f"  {label:<{width}}  {count:>10,}")
