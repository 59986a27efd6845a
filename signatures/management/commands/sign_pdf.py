"""Sign a PDF file with the issuing key of the settings, for scheduled jobs."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cchc_plans.files import write_atomically
from signatures.signing import SigningError, sign_pdf, signature_profile


class Command(BaseCommand):
    help = (
        "Sign a PDF with the key of SIGNING_PKCS12_FILE or SIGNING_PKCS11_MODULE: PAdES B-T "
        "with the timestamp service of TIMESTAMP_URL, B-B without; a visible stamp at the top "
        "right of the first page (Decree 30/2020, Appendix I)."
    )

    def add_arguments(self, parser):
        parser.add_argument("input", help="The PDF to sign.")
        parser.add_argument("output", help="Where to write the signed PDF (may be the input).")
        parser.add_argument("--reason", default="", help="Reason for signing.")
        parser.add_argument("--location", default="", help="Place of signing.")
        parser.add_argument("--number", default="",
                            help="The document's number and symbol, e.g. 12/BC-SNV.")
        parser.add_argument("--agency-name", default="",
                            help="The name on the stamp (the certificate's by default).")
        parser.add_argument("--agency", default="",
                            help="Code of the issuing agency whose key to use (SIGNING_KEYS).")

    def handle(self, *args, **options):
        source = Path(options["input"]).expanduser()
        output = Path(options["output"]).expanduser()
        try:
            content = source.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {source}: {error.strerror or error}.") from None
        if output.is_dir() or not output.parent.is_dir():
            raise CommandError(f"Cannot write {output}: give a file in an existing directory.")
        try:
            signed = sign_pdf(
                content, agency_code=options["agency"] or None,
                agency_name=options["agency_name"], number=options["number"],
                reason=options["reason"], location=options["location"],
            )
        except SigningError as error:
            raise CommandError(str(error)) from None
        try:
            write_atomically(output, signed)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror or error}.") from None
        self.stdout.write(f"Signed {source} ({signature_profile()}) and wrote {output} "
                          f"({len(signed):,} bytes).")
