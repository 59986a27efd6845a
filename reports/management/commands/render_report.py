"""Render a plan's summary report for one period to a file, for scheduled jobs."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cchc_plans.files import write_atomically
from plans.periods import expand_codes
from reports.cli import find_plan, output_path
from reports.generation import (
    FORMATS,
    issued_number,
    kind_of,
    render_report,
    sign_rendered,
    signs,
)
from signatures.keys import SigningError


class Command(BaseCommand):
    help = (
        "Render the summary report of a plan for one reporting period as PDF, xlsx or HTML. "
        "The period Y gives the annual report."
    )

    def add_arguments(self, parser):
        parser.add_argument("--plan", required=True, help="Plan id, document or decision number.")
        parser.add_argument("--period", required=True, help="Period code: Q1, H1, M9, Y, Q2…")
        parser.add_argument("--year", required=True, type=int, help="Year of the period.")
        parser.add_argument("--format", default="pdf", help="pdf (default), docx, xlsx or html.")
        parser.add_argument("--output", required=True, help="File to write.")
        parser.add_argument(
            "--sign", action="store_true",
            help="Sign the PDF with the issuing agency's key (SIGNING_* settings).",
        )

    def handle(self, *args, **options):
        fmt = options["format"].lower()
        if fmt not in FORMATS:
            raise CommandError(
                f"Unknown format {options['format']!r}: use one of {', '.join(FORMATS)}."
            )
        if options["sign"] and fmt != "pdf":
            raise CommandError("Only a PDF can be signed: use --format pdf with --sign.")
        output = output_path(options["output"])
        plan = find_plan(options["plan"])
        code, year = options["period"].upper(), options["year"]
        try:
            rendered = render_report(plan, year, code, fmt)
        except ValidationError:
            codes = ", ".join(expand_codes(plan.reporting_periods)) or "none (on request)"
            raise CommandError(
                f"The plan {plan.pk} ({plan}) has no report for the period {code} of {year}. "
                f"Its periods: {codes}, in {plan.period_label}."
            ) from None
        signed = ""
        if options["sign"]:
            if not signs(rendered):
                raise CommandError(
                    f"No signing key is configured for {rendered.issuer}: set "
                    "SIGNING_PKCS12_FILE or SIGNING_PKCS11_MODULE (see the README)."
                )
            number = issued_number(plan, year, code)
            try:
                signing = sign_rendered(rendered, number=number, reason="Ban hành báo cáo")
                rendered = signing.rendered
            except SigningError as error:
                raise CommandError(f"Cannot sign the report: {error}") from None
            signed = f", signed by {rendered.issuer}"
        try:
            write_atomically(output, rendered.content)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror or error}.") from None
        kind = kind_of(code).label
        pages = f", {rendered.pages} pages" if rendered.pages else ""
        self.stdout.write(f"{kind} {year}-{code} of plan {plan.pk} written to {output} "
                          f"({len(rendered.content):,} bytes{pages}{signed}).")
