"""Print the verdict of each signature of a PDF file."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from signatures.verification import TrustRootsError, Verdict, load_trust_roots, verify_pdf

# Exit codes, for scheduled jobs: every signature valid, some signature not valid, no
# signature at all, not a readable PDF (or no such file, or misconfigured trust roots).
VALID, INVALID, UNSIGNED, UNREADABLE = 0, 1, 2, 3
MODIFICATIONS = {
    "none": "unchanged since signing",
    "signatures_only": "only signatures added since signing",
    "changed": "changed after signing",
}


def _time(moment):
    return timezone.localtime(moment).isoformat() if moment else "-"


class Command(BaseCommand):
    help = (
        "Check the digital signatures of a PDF file against the trust roots of "
        "SIGNING_TRUST_ROOTS and print each one's verdict. Exits 0 when every signature is "
        "valid, 1 when a signature is not (changed after signing, untrusted, expired), 2 when "
        "the file has no signature, 3 when it cannot be read as a PDF."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The PDF file to check.")
        parser.add_argument("--json", action="store_true", help="Print the result as JSON.")

    def handle(self, *args, **options):
        path = Path(options["file"]).expanduser()
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror or error}.",
                               returncode=UNREADABLE) from None
        try:
            roots = load_trust_roots()
        except TrustRootsError as error:
            raise CommandError(f"SIGNING_TRUST_ROOTS: {error}.", returncode=UNREADABLE) from None
        result = verify_pdf(content, trust_roots=roots)
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        else:
            self._print(path, result, roots)
        if result.verdict == Verdict.UNSIGNED:
            raise CommandError(f"{path} has no digital signature.", returncode=UNSIGNED)
        if result.verdict == Verdict.UNREADABLE:
            raise CommandError(f"{path} is not a readable PDF.", returncode=UNREADABLE)
        if result.verdict != Verdict.VALID:
            invalid = sum(not signature.is_valid for signature in result.signatures)
            raise CommandError(f"{path}: {invalid} of {len(result.signatures)} signature(s) not "
                               "valid.", returncode=INVALID)

    def _print(self, path, result, roots):
        if result.error:
            self.stdout.write(f"{path}: not a readable PDF ({result.error}).")
            return
        if not result.signatures:
            self.stdout.write(f"{path}: no digital signature.")
            return
        self.stdout.write(f"{path}: {len(result.signatures)} signature(s) checked against "
                          f"{len(roots)} trusted root(s).")
        for number, signature in enumerate(result.signatures, start=1):
            timestamp = "-"
            if signature.timestamp_time:
                trust = "trusted" if signature.timestamp_trusted else "not trusted"
                timestamp = f"{_time(signature.timestamp_time)} ({trust})"
            lines = [
                f"Signature {number} ({signature.field}): {signature.verdict.upper()}",
                f"  signer:       {signature.signer or '-'}",
                f"  subject:      {signature.subject or '-'}",
                f"  issuer:       {signature.issuer or '-'}",
                f"  signing time: {_time(signature.claimed_time)} (claimed)",
                f"  timestamp:    {timestamp}",
                f"  intact:       {'yes' if signature.intact else 'no'}; "
                f"{MODIFICATIONS[signature.modification]}",
                f"  trusted:      {'yes' if signature.trusted else 'no'}"
                + (f" ({signature.problem})" if signature.problem else ""),
                f"  certificate:  {_time(signature.certificate_valid_from)} to "
                f"{_time(signature.certificate_valid_until)}, "
                f"{'valid' if signature.valid_at_signing else 'not valid'} at signing",
                f"  summary:      {signature.summary()}",
            ]
            self.stdout.write("\n".join(lines))

