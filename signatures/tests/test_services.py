"""A check stored with an uploaded file: at once for a small file, by the worker for a large
one; the "submitted at signing time" rule; the read-only admin list."""

import datetime
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from signatures.keys import key_for
from signatures.models import CheckState, SignatureCheck
from signatures.services import check_signatures, request_signature_check
from signatures.signing import VIETNAM, sign_with_key
from signatures.verification import Verdict
from tasks.models import AssignmentRole, Status
from tasks.services import post_update, set_task_agencies
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
FEBRUARY_2022 = datetime.datetime(2022, 2, 14, 9, 12, tzinfo=VIETNAM)


@pytest.fixture
def upload(task, justice, officer, media):
    """Evidence on a progress update: a file an agency uploaded."""
    set_task_agencies(task=task, leads=[justice])
    assignment = task.assignments.get(role=AssignmentRole.LEAD)

    def make(content, name="bien-ban.pdf"):
        update = post_update(assignment=assignment, author=officer, status=Status.IN_PROGRESS,
                             percent=50, narrative="Đã tổ chức hội nghị",
                             files=[(ContentFile(content, name=name), "application/pdf")])
        return update.evidence.get()

    return make


@pytest.fixture
def signed_report(signing, report_pdf):
    return sign_with_key(key_for(), report_pdf, signed_at=FEBRUARY_2022)


def test_a_small_signed_file_is_checked_at_once(signing, upload, signed_report):
    evidence = upload(signed_report)
    check = request_signature_check(target=evidence)
    assert check.state == CheckState.DONE and check.verdict == Verdict.VALID
    assert check.target == evidence and check.signature_count == 1
    assert check.signer == "Sở Nội vụ tỉnh Khánh Hòa (Ủy ban nhân dân tỉnh Khánh Hòa)"
    assert check.signed_at == FEBRUARY_2022 and not check.timestamped
    assert check.summary == ("Ký bởi Sở Nội vụ tỉnh Khánh Hòa (Ủy ban nhân dân tỉnh Khánh "
                             "Hòa), 14/02/2022 09:12 — hợp lệ")
    with translation.override("en"):
        assert check.describe().startswith("Signed by Sở Nội vụ tỉnh Khánh Hòa")
    assert check.file_size == len(signed_report) and len(check.file_sha256) == 64
    assert check.is_signed and check.is_valid


def test_an_unsigned_file_is_stored_as_unsigned(signing, upload, report_pdf):
    check = request_signature_check(target=upload(report_pdf))
    assert (check.verdict, check.summary, check.is_signed) == (
        Verdict.UNSIGNED, "không có chữ ký số", False)


@override_settings(TASKS=IMMEDIATE, SIGNATURE_CHECK_INLINE_BYTES=1000)
def test_a_large_file_goes_to_the_worker(signing, upload, signed_report):
    check = request_signature_check(target=upload(signed_report))
    check.refresh_from_db()
    assert check.state == CheckState.DONE and check.verdict == Verdict.VALID


# The worker closes its database connections between tasks: real transactions, not the
# test's wrapping one.
@pytest.mark.django_db(transaction=True)
@override_settings(SIGNATURE_CHECK_INLINE_BYTES=1000)
def test_the_database_worker_checks_queued_files(signing, upload, signed_report):
    check = request_signature_check(target=upload(signed_report))
    assert check.state == CheckState.QUEUED and check.verdict == ""
    with translation.override("en"):
        assert check.describe() == "Checking the signatures…"
    call_command("db_worker", batch=True, no_startup_delay=True, stdout=StringIO(),
                 stderr=StringIO())
    check.refresh_from_db()
    assert check.state == CheckState.DONE and check.verdict == Verdict.VALID


def test_a_new_file_replaces_the_old_check(signing, upload, signed_report, report_pdf):
    evidence = upload(signed_report)
    first = check_signatures(target=evidence)
    evidence.file.save("bien-ban-2.pdf", ContentFile(report_pdf))
    second = check_signatures(target=evidence)
    assert second.pk == first.pk and SignatureCheck.objects.count() == 1
    assert second.verdict == Verdict.UNSIGNED and second.signer == "" and second.signed_at is None


def test_a_misconfigured_trust_root_fails_the_check_with_the_reason(signing, upload,
                                                                   signed_report, tmp_path):
    signing.SIGNING_TRUST_ROOTS = [str(tmp_path / "goc.pem")]
    check = check_signatures(target=upload(signed_report))
    assert check.state == CheckState.FAILED and "goc.pem" in check.error
    assert check.verdict == "" and not check.is_valid


@override_settings(TASKS=IMMEDIATE)
def test_a_missing_file_fails_the_check_in_the_worker(signing, upload, signed_report):
    evidence = upload(signed_report)
    evidence.file.storage.delete(evidence.file.name)
    check = request_signature_check(target=evidence)
    check.refresh_from_db()
    assert check.state == CheckState.FAILED and "No such file" in check.error


def test_a_validly_signed_file_counts_as_submitted_at_its_signing_time(signing, upload,
                                                                      signed_report):
    check = check_signatures(target=upload(signed_report))
    uploaded = datetime.datetime(2022, 3, 1, 8, 0, tzinfo=VIETNAM)
    assert check.submission_time(uploaded) == FEBRUARY_2022
    # Signed after the upload time given: the upload counts.
    earlier = datetime.datetime(2022, 2, 1, tzinfo=VIETNAM)
    assert check.submission_time(earlier) == earlier


def test_an_invalid_signature_does_not_move_the_submission_time(signing, pki_files, upload,
                                                                report_pdf):
    untrusted = sign_with_key(pki_files.key("stranger"), report_pdf, signed_at=FEBRUARY_2022)
    check = check_signatures(target=upload(untrusted))
    assert check.verdict == Verdict.UNTRUSTED and check.signed_at == FEBRUARY_2022
    uploaded = datetime.datetime(2022, 3, 1, tzinfo=VIETNAM)
    assert check.submission_time(uploaded) == uploaded


def test_administrators_read_the_checks_in_the_admin(client, signing, upload, signed_report,
                                                     home_affairs):
    check_signatures(target=upload(signed_report))
    admin = UserFactory(username="it", agency=home_affairs, role="admin", is_staff=True,
                        is_superuser=True)
    client.force_login(admin)
    with translation.override("en"):
        listing = client.get(reverse("admin:signatures_signaturecheck_changelist"))
        adding = client.get(reverse("admin:signatures_signaturecheck_add"))
    assert "14/02/2022 09:12 — hợp lệ" in listing.content.decode()
    assert adding.status_code == 403
