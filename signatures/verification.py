"""Checking the signatures of any PDF: who signed, when, unchanged since, trusted, in time.

``verify_pdf(content)`` gives a ``PdfVerification``: one ``SignatureVerdict`` per signature,
in signing order, and an overall verdict. Each signature is checked with pyHanko:

- *intact*: the signed bytes hash to what was signed and the signature matches the
  certificate; later incremental updates are allowed only when pyHanko's difference
  analysis finds nothing but further signatures, timestamps or form filling (a changed page,
  an added annotation, anything else counts as a change after signing);
- *trusted*: the certificate chains to a root of ``settings.SIGNING_TRUST_ROOTS`` (no other
  root, not the operating system's); revocation lists are not fetched;
- *in time*: the certificate was valid at the signing time — the time of a trusted RFC 3161
  timestamp when there is one, else the time the signer claims — and the chain is checked at
  that time, so a certificate that expired since still gives a valid signature.

The verdicts and their one-line summaries are what the issue report shows beside a file.
The result converts to and from JSON (``as_dict``/``from_dict``) to be stored with the file.
"""

import datetime
import logging
from dataclasses import asdict, dataclass, field
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

logger = logging.getLogger(__name__)

CERTIFICATE_SUFFIXES = {".pem", ".crt", ".cer", ".der"}


class Verdict(models.TextChoices):
    VALID = "valid", gettext_lazy("Valid signature")
    MODIFIED = "modified", gettext_lazy("Changed after signing")
    INVALID = "invalid", gettext_lazy("Invalid signature")
    EXPIRED = "expired", gettext_lazy("Certificate expired at signing")
    NOT_YET_VALID = "not_yet_valid", gettext_lazy("Certificate not yet valid at signing")
    UNTRUSTED = "untrusted", gettext_lazy("Untrusted certificate")
    UNSIGNED = "unsigned", gettext_lazy("No digital signature")
    UNREADABLE = "unreadable", gettext_lazy("Not a readable PDF")


class Modification(models.TextChoices):
    NONE = "none", gettext_lazy("Unchanged since signing")
    SIGNATURES_ONLY = "signatures_only", gettext_lazy("Only signatures added since signing")
    CHANGED = "changed", gettext_lazy("Changed after signing")


class TrustRootsError(Exception):
    """``SIGNING_TRUST_ROOTS`` names something that is not a readable certificate."""


def load_trust_roots(paths=None):
    """The certificates of ``paths`` (``settings.SIGNING_TRUST_ROOTS`` by default).

    Each path is a PEM or DER file (a PEM file may hold several certificates) or a folder
    whose .pem, .crt, .cer and .der files are read.
    """
    from pyhanko.keys import load_certs_from_pemder_data

    roots = []
    for entry in settings.SIGNING_TRUST_ROOTS if paths is None else paths:
        path = Path(entry)
        if path.is_dir():
            files = sorted(p for p in path.iterdir()
                           if p.is_file() and p.suffix.lower() in CERTIFICATE_SUFFIXES)
        else:
            files = [path]
        for file in files:
            try:
                certs = list(load_certs_from_pemder_data(file.read_bytes()))
            except OSError as error:
                raise TrustRootsError(f"Cannot read the trust root {file}: "
                                      f"{error.strerror or error}") from None
            except ValueError as error:
                raise TrustRootsError(f"{file} is not a certificate: {error}") from None
            if not certs:
                raise TrustRootsError(f"{file} holds no certificate")
            roots.extend(certs)
    return roots


def _time_text(moment):
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _iso(moment):
    return moment.isoformat() if moment else None


def _parse(text):
    return datetime.datetime.fromisoformat(text) if text else None


@dataclass
class SignatureVerdict:
    """One signature of a PDF, checked."""

    field: str
    verdict: str
    signer_name: str = ""  # the certificate subject's common name
    organisation: str = ""
    subject: str = ""
    issuer: str = ""
    claimed_time: datetime.datetime | None = None  # what the signer says
    timestamp_time: datetime.datetime | None = None  # an RFC 3161 signature timestamp
    timestamp_trusted: bool = False
    intact: bool = False
    modification: str = Modification.CHANGED
    trusted: bool = False
    valid_at_signing: bool = False
    certificate_valid_from: datetime.datetime | None = None
    certificate_valid_until: datetime.datetime | None = None
    problem: str = ""  # pyHanko's sub-indication or error, for the administrator

    @property
    def is_valid(self):
        return self.verdict == Verdict.VALID

    @property
    def signed_at(self):
        """The signing time the checks used: a trusted timestamp's, else the claimed one."""
        if self.timestamp_time and self.timestamp_trusted:
            return self.timestamp_time
        return self.claimed_time

    @property
    def time_source(self):
        return "timestamp" if self.timestamp_time and self.timestamp_trusted else "claimed"

    @property
    def signer(self):
        """ "Nguyễn Văn A (Sở Tư pháp)", or the organisation's own name on its certificate."""
        name, organisation = self.signer_name, self.organisation
        if not name:
            return organisation
        if organisation and organisation not in name:
            return f"{name} ({organisation})"
        return name

    def summary(self):
        """One line in the active language, as shown beside a file."""
        signer = self.signer or _("an unknown signer")
        moment = self.signed_at
        if self.is_valid:
            values = {"signer": signer, "time": _time_text(moment) if moment else "?"}
            if self.modification == Modification.SIGNATURES_ONLY:
                return _("Signed by %(signer)s, %(time)s — valid; only signatures were added "
                         "after signing") % values
            return _("Signed by %(signer)s, %(time)s — valid") % values
        reason = {
            Verdict.MODIFIED: _("invalid signature: the document was changed after signing"),
            Verdict.INVALID: _("invalid signature: the signature does not match the "
                               "certificate"),
            Verdict.EXPIRED: _("the certificate had expired at signing"),
            Verdict.NOT_YET_VALID: _("the certificate was not yet valid at signing"),
            Verdict.UNTRUSTED: _("untrusted signature: the certificate does not chain to a "
                                 "trusted root"),
        }[self.verdict]
        if moment:
            return _("%(reason)s — signed by %(signer)s, %(time)s") % {
                "reason": reason, "signer": signer, "time": _time_text(moment)}
        return _("%(reason)s — signed by %(signer)s") % {"reason": reason, "signer": signer}

    def as_dict(self):
        data = asdict(self)
        data["verdict"], data["modification"] = str(self.verdict), str(self.modification)
        for name in ("claimed_time", "timestamp_time", "certificate_valid_from",
                     "certificate_valid_until"):
            data[name] = _iso(data[name])
        return data

    @classmethod
    def from_dict(cls, data):
        data = dict(data)
        for name in ("claimed_time", "timestamp_time", "certificate_valid_from",
                     "certificate_valid_until"):
            data[name] = _parse(data.get(name))
        return cls(**data)


@dataclass
class PdfVerification:
    """Every signature of one PDF, and what they add up to."""

    signatures: list = field(default_factory=list)
    error: str = ""  # why the file could not be read as a PDF

    @property
    def verdict(self):
        if self.error:
            return Verdict.UNREADABLE
        if not self.signatures:
            return Verdict.UNSIGNED
        for signature in self.signatures:
            if not signature.is_valid:
                return Verdict(signature.verdict)
        return Verdict.VALID

    @property
    def is_valid(self):
        return self.verdict == Verdict.VALID

    @property
    def latest(self):
        """The last signature applied: when the document as delivered was complete."""
        return self.signatures[-1] if self.signatures else None

    def summary(self):
        if self.error:
            return _("not a readable PDF file")
        if not self.signatures:
            return _("no digital signature")
        return "; ".join(signature.summary() for signature in self.signatures)

    def as_dict(self):
        return {
            "verdict": self.verdict.value,
            "error": self.error,
            "signatures": [signature.as_dict() for signature in self.signatures],
        }

    @classmethod
    def from_dict(cls, data):
        return cls(
            signatures=[SignatureVerdict.from_dict(item) for item in data.get("signatures", [])],
            error=data.get("error", ""),
        )


def verify_pdf(content, *, trust_roots=None):
    """Check every signature of the PDF ``content`` (bytes).

    ``trust_roots`` is a list of certificates (``load_trust_roots()`` by default, which
    raises ``TrustRootsError`` on a misconfigured path). A file that is not a readable PDF
    gives the verdict ``unreadable``, never an exception.
    """
    from pyhanko.pdf_utils.reader import PdfFileReader

    roots = load_trust_roots() if trust_roots is None else trust_roots
    if b"%PDF-" not in content[:1024]:  # the header may follow up to 1 KB of other bytes
        return PdfVerification(error="not a PDF file")
    try:
        reader = PdfFileReader(BytesIO(content), strict=False)
        if reader.encrypted:
            reader.decrypt("")
        embedded = reader.embedded_regular_signatures
    except Exception as error:  # any failure to parse an untrusted file is a verdict
        logger.info("Unreadable PDF: %s", error)
        return PdfVerification(error=f"{type(error).__name__}: {error}"[:500])
    return PdfVerification(signatures=[_check(signature, roots) for signature in embedded])


def _check(embedded, roots):
    try:
        return _check_signature(embedded, roots)
    except Exception as error:  # a malformed signature is an invalid one, not a crash
        logger.info("Unreadable signature %s: %s", embedded.field_name, error)
        return SignatureVerdict(
            field=embedded.field_name or "",
            verdict=Verdict.INVALID,
            problem=f"{type(error).__name__}: {error}"[:500],
        )


# Vietnamese certificates for signing carry digitalSignature, nonRepudiation or both.
def _key_usage():
    from pyhanko.sign.validation import KeyUsageConstraints

    return KeyUsageConstraints(
        key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False
    )


def _validate(embedded, roots, moment):
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    context = ValidationContext(
        trust_roots=roots, moment=moment, allow_fetching=False, revocation_mode="soft-fail"
    )
    return validate_pdf_signature(
        embedded, signer_validation_context=context, key_usage_settings=_key_usage()
    )


def _timestamp_time(embedded):
    """The time of the signature's RFC 3161 timestamp token, if it has one."""
    unsigned = embedded.signer_info["unsigned_attrs"]
    if not unsigned.native:
        return None
    for attribute in unsigned:
        if attribute["type"].native == "signature_time_stamp_token":
            token = attribute["values"][0]["content"]
            return token["encap_content_info"]["content"].parsed["gen_time"].native
    return None


def _modification(status):
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import SignatureCoverageLevel

    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return Modification.NONE
    if (
        status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
        and status.docmdp_ok
        and status.modification_level in (ModificationLevel.LTA_UPDATES,
                                          ModificationLevel.FORM_FILLING)
    ):
        return Modification.SIGNATURES_ONLY
    return Modification.CHANGED


def _text(value):
    """A name attribute as text; a subject may repeat it (a list)."""
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value or "")


def _check_signature(embedded, roots):
    cert = embedded.signer_cert
    subject = cert.subject.native
    validity = cert["tbs_certificate"]["validity"]
    valid_from, valid_until = validity["not_before"].native, validity["not_after"].native
    claimed = embedded.self_reported_timestamp
    stamped = _timestamp_time(embedded)
    now = timezone.now()

    status = _validate(embedded, roots, stamped or claimed or now)
    timestamp_trusted = bool(
        stamped and status.timestamp_validity is not None and status.timestamp_validity.trusted
    )
    if stamped and not timestamp_trusted:
        # An untrusted timestamp proves nothing: check at the claimed time instead.
        status = _validate(embedded, roots, claimed or now)
    moment = stamped if timestamp_trusted else (claimed or now)

    modification = _modification(status)
    valid_at_signing = valid_from <= moment <= valid_until
    problem = status.trust_problem_indic.name if status.trust_problem_indic else ""
    if not status.intact or modification == Modification.CHANGED:
        verdict = Verdict.MODIFIED
    elif not status.valid:
        verdict = Verdict.INVALID
    elif moment > valid_until or problem == "EXPIRED":
        verdict = Verdict.EXPIRED
    elif moment < valid_from or problem == "NOT_YET_VALID":
        verdict = Verdict.NOT_YET_VALID
    elif not status.trusted:
        verdict = Verdict.UNTRUSTED
    else:
        verdict = Verdict.VALID
    return SignatureVerdict(
        field=embedded.field_name or "",
        verdict=verdict,
        signer_name=_text(subject.get("common_name")),
        organisation=_text(subject.get("organization_name")),
        subject=cert.subject.human_friendly,
        issuer=cert.issuer.human_friendly,
        claimed_time=claimed,
        timestamp_time=stamped,
        timestamp_trusted=timestamp_trusted,
        intact=bool(status.intact and status.valid),
        modification=modification,
        trusted=status.trusted,
        valid_at_signing=valid_at_signing,
        certificate_valid_from=valid_from,
        certificate_valid_until=valid_until,
        problem=problem,
    )
