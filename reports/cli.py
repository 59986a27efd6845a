"""What the rendering commands share: finding a plan by reference, checking the output path."""

import os
from pathlib import Path

from django.core.management.base import CommandError
from django.db.models import Q

from plans.models import Plan


def find_plan(reference):
    """A plan by primary key, or by its document or issuing decision number."""
    reference = reference.strip()
    plans = Plan.objects.select_related("issuer")
    if reference.isdigit():
        plan = plans.filter(pk=int(reference)).first()
        if plan is not None:
            return plan
    matches = list(
        plans.filter(Q(document_number=reference) | Q(decision_number=reference))[:2]
    )
    if not matches:
        raise CommandError(f"No plan with the id or number {reference!r}.")
    if len(matches) > 1:
        raise CommandError(f"Several plans carry the number {reference!r}; give the plan's id.")
    return matches[0]


def output_path(value):
    """The file to write, refused with a message when it cannot be written."""
    output = Path(value).expanduser()
    if output.is_dir():
        raise CommandError(f"The output {output} is a directory; give a file name.")
    if not output.parent.is_dir():
        raise CommandError(f"Cannot write {output}: the directory {output.parent} does not "
                           "exist.")
    if not os.access(output.parent, os.W_OK) or (
        output.exists() and not os.access(output, os.W_OK)
    ):
        raise CommandError(f"Cannot write {output}: permission denied.")
    return output
