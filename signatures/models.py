from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, FilteredRelation, Q
from django.utils.translation import gettext_lazy as _

from .verification import PdfVerification, Verdict


class CheckState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Checking")
    DONE = "done", _("Checked")
    FAILED = "failed", _("Check failed")


# Issue 11, item 3: shown wherever a submission time is.
SUBMISSION_RULE = _(
    "A plan or report delivered as a PDF with a valid digital signature counts as submitted "
    "at its signing time when that is earlier than the upload."
)


class SignatureCheck(models.Model):
    """The signatures found in one uploaded file, checked, stored with the file.

    ``target`` is the object holding the file (evidence, an agency's plan, a report upload)
    and ``field_name`` its file field. The columns repeat what lists filter and sort on;
    ``result`` keeps every signature (``verification.PdfVerification.as_dict``).
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    field_name = models.CharField(_("file field"), max_length=100, default="file")
    state = models.CharField(
        _("state"), max_length=10, choices=CheckState.choices, default=CheckState.QUEUED
    )
    verdict = models.CharField(_("verdict"), max_length=20, choices=Verdict.choices, blank=True)
    signer = models.CharField(_("signed by"), max_length=255, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    timestamped = models.BooleanField(_("trusted timestamp"), default=False)
    signature_count = models.PositiveSmallIntegerField(_("signatures"), default=0)
    summary = models.CharField(
        _("summary"), max_length=1000, blank=True,
        help_text=_("In Vietnamese, as at the time of the check."),
    )
    result = models.JSONField(_("result"), default=dict, blank=True)
    file_sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, blank=True)
    file_size = models.PositiveBigIntegerField(_("size"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("signature check")
        verbose_name_plural = _("signature checks")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field_name"],
                name="one_signature_check_per_file",
            )
        ]
        indexes = [models.Index(fields=["content_type", "verdict"])]

    def __str__(self):
        return self.summary or self.get_state_display()

    @property
    def verification(self):
        return PdfVerification.from_dict(self.result) if self.state == CheckState.DONE else None

    @property
    def is_signed(self):
        return self.state == CheckState.DONE and self.signature_count > 0

    @property
    def is_valid(self):
        return self.state == CheckState.DONE and self.verdict == Verdict.VALID

    def describe(self):
        """The one-line summary in the active language."""
        if self.state == CheckState.DONE:
            return self.verification.summary()
        if self.state == CheckState.FAILED:
            return _("The signatures could not be checked.")
        return _("Checking the signatures…")

    def submission_time(self, uploaded_at):
        """When the file counts as submitted (``SUBMISSION_RULE``): the signing time of a
        validly signed file when that is earlier than ``uploaded_at``, else the upload."""
        if self.is_valid and self.signed_at and self.signed_at < uploaded_at:
            return self.signed_at
        return uploaded_at


_CHECK_COLUMNS = [field.attname for field in SignatureCheck._meta.concrete_fields]


def read_checks(objects):
    """Give each of ``objects`` (of one model) its signature checks, in one query (none for
    no object), as check_of() reads them: a list of hundreds costs no related manager per
    object, as ``prefetch_related("signature_checks")`` does."""
    objects = list(objects)
    if not objects:
        return objects
    by_object = {obj.pk: [] for obj in objects}
    checks = SignatureCheck.objects.filter(
        content_type=ContentType.objects.get_for_model(objects[0]), object_id__in=by_object
    )
    for check in checks:
        by_object[check.object_id].append(check)
    for obj in objects:
        obj.read_signature_checks = by_object[obj.pk]
    return objects


def _joined(field_name):
    return f"_check_{field_name}"


def with_check(queryset, field_name="file"):
    """``queryset`` with each row's ``SignatureCheck`` of ``field_name`` joined in (a LEFT
    JOIN through the generic relation, its columns as annotations): check_of() then reads it
    without a query of its own, where a prefetch would cost one more."""
    joined = _joined(field_name)
    return queryset.annotate(**{
        joined: FilteredRelation(
            "signature_checks", condition=Q(signature_checks__field_name=field_name)
        ),
    }).annotate(**{
        f"{joined}_{name}": F(f"{joined}__{name}") for name in _CHECK_COLUMNS
    })


def check_of(obj, field_name="file"):
    """The ``SignatureCheck`` of ``obj.<field_name>``, or None when none was made. Reads what
    with_check() or read_checks() gave the object, else its ``signature_checks`` generic
    relation (for a list: one of those two, or prefetch the relation)."""
    joined = _joined(field_name)
    if f"{joined}_id" in obj.__dict__:
        if obj.__dict__[f"{joined}_id"] is None:
            return None
        values = [obj.__dict__[f"{joined}_{name}"] for name in _CHECK_COLUMNS]
        return SignatureCheck.from_db(obj._state.db, _CHECK_COLUMNS, values)
    checks = getattr(obj, "read_signature_checks", None)
    if checks is None:
        relation = getattr(obj, "signature_checks", None)
        if relation is None:
            return None
        checks = relation.all()
    return next((check for check in checks if check.field_name == field_name), None)
