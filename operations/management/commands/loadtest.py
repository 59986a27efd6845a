import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.crypto import get_random_string

from operations import loadtest

MAX_DURATION = 600
MAX_PEOPLE = 200


class Command(BaseCommand):
    help = (
        "Load-test a running server of this installation (loopback only): agency officers log "
        "in at once and work for --duration seconds; leadership users read the dashboard. "
        "Creates the test users and leaves their progress updates in the database: run it on "
        "a test installation (e.g. the demo data), not on a province's real one."
    )

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000",
                            help="the server, on this machine (default: %(default)s)")
        parser.add_argument("--officers", type=int, default=50)
        parser.add_argument("--readers", type=int, default=5,
                            help="leadership users reading the dashboard meanwhile")
        parser.add_argument("--duration", type=float, default=120,
                            help=f"seconds of work after logging in (at most {MAX_DURATION})")
        parser.add_argument("--max-iterations", type=int, default=20000,
                            help="rounds of work in all, across users (a bound on requests)")
        parser.add_argument("--prefix", default="loadtest", help="of the test users' names")

    def handle(self, *, url, officers, readers, duration, max_iterations, prefix, **options):
        if not 0 < duration <= MAX_DURATION:
            raise CommandError(f"--duration must be between 0 and {MAX_DURATION} seconds")
        if not 0 < officers + readers <= MAX_PEOPLE or officers < 1 or readers < 0:
            raise CommandError(f"--officers must be at least 1, with readers at most "
                               f"{MAX_PEOPLE} people in all")
        try:
            loadtest.require_loopback(url)
            password, officer_rows, reader_rows = loadtest.prepare_users(
                officers=officers, readers=readers, prefix=prefix)
        except ValueError as error:
            raise CommandError(str(error)) from None
        run_id = f"{prefix}-{get_random_string(8)}"
        self.stdout.write(f"{officers} officers and {readers} readers against {url} for "
                          f"{duration:g} s (run {run_id})")
        started = time.monotonic()
        results = loadtest.run(base_url=url, password=password, officers=officer_rows,
                               readers=reader_rows, duration=duration,
                               max_iterations=max_iterations, run_id=run_id)
        elapsed = time.monotonic() - started
        self.report(results, elapsed)
        problems = loadtest.verify(results, run_id)
        stored = sum(p.ok for p in results.posted)
        with_file = sum(p.ok and bool(p.digest) for p in results.posted)
        verdict = "each stored once" if not problems else "PROBLEMS"
        self.stdout.write(f"Updates answered with success: {stored} ({with_file} with a PDF); "
                          f"in the database: {verdict}")
        for problem in problems[:20]:
            self.stdout.write(f"  {problem}")
        errors = sum(results.errors.values())
        if errors or problems or results.logged_in < officers + readers:
            raise CommandError(f"{errors} errors, {len(problems)} storage problems, "
                               f"{results.logged_in}/{officers + readers} logged in")

    def report(self, results, elapsed):
        requests = len(results.samples)
        self.stdout.write(f"{requests} requests in {elapsed:.0f} s "
                          f"({requests / elapsed:.1f}/s), {results.logged_in} logged in")
        self.stdout.write(f"{'request':<14}{'count':>7}{'errors':>8}{'p50 s':>8}{'p95 s':>8}"
                          f"{'max s':>8}")
        for kind, count, errors, p50, p95, slowest in loadtest.summary(results):
            self.stdout.write(f"{kind:<14}{count:>7}{errors:>8}{p50:>8.2f}{p95:>8.2f}"
                              f"{slowest:>8.2f}")
        for error, count in results.errors.most_common(10):
            self.stdout.write(f"  error: {error} × {count}")
