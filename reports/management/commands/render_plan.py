"""Render a plan as its document (decision, plan, appendices) to a file."""

from django.core.management.base import BaseCommand, CommandError

from cchc_plans.files import write_atomically
from reports.cli import find_plan, output_path
from reports.generation import render_plan_document

FORMATS = ["pdf", "docx"]


class Command(BaseCommand):
    help = (
        "Render a plan as its document, laid out from its outline: the issuing decision, the "
        "plan, then its appendices of key tasks."
    )

    def add_arguments(self, parser):
        parser.add_argument("--plan", required=True, help="Plan id, document or decision number.")
        parser.add_argument("--format", default="pdf", help="pdf (default) or docx.")
        parser.add_argument("--output", required=True, help="File to write.")

    def handle(self, *args, **options):
        fmt = options["format"].lower()
        if fmt not in FORMATS:
            raise CommandError(
                f"Unknown format {options['format']!r}: use one of {', '.join(FORMATS)}."
            )
        if fmt == "docx":
            raise CommandError(
                "The plan cannot be written as a Word document yet: use --format pdf."
            )
        output = output_path(options["output"])
        plan = find_plan(options["plan"])
        rendered = render_plan_document(plan)
        try:
            write_atomically(output, rendered.content)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror or error}.") from None
        self.stdout.write(f"Plan {plan.pk} written to {output} "
                          f"({len(rendered.content):,} bytes, {rendered.pages} pages).")
