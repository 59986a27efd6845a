"""One of several processes posting progress updates at once (test_sqlite_concurrency).

    python -m operations.tests.sqlite_writer ASSIGNMENT_ID COUNT START_AT

runs with the project's real settings (``DATABASE_URL`` names the database file), waits until
the epoch second START_AT so that all writers start together, posts COUNT updates through
``tasks.services.post_update`` and prints how many succeeded and the errors of the others.
"""

import json
import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc_plans.settings")


def main(assignment_id, count, start_at):
    import django

    django.setup()
    from tasks.models import Assignment, Status
    from tasks.services import post_update

    assignment = Assignment.objects.select_related("task__plan", "agency").get(pk=assignment_id)
    author = assignment.agency.users.first()
    time.sleep(max(0.0, start_at - time.time()))
    done, errors = 0, []
    for number in range(count):
        try:
            post_update(assignment=assignment, author=author, status=Status.IN_PROGRESS,
                        percent=number % 100, narrative=f"update {assignment_id}-{number}")
            done += 1
        except Exception as error:  # the test reports every failure, whatever its kind
            errors.append(f"{type(error).__name__}: {error}")
    print(json.dumps({"done": done, "errors": errors}))


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]))
