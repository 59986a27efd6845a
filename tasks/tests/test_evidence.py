import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from tasks.models import Status
from tasks.services import post_update
from tests.factories.files import MINIMAL_PDF

pytestmark = pytest.mark.django_db


@pytest.fixture
def evidence(assignment, officer):
    update = post_update(
        assignment=assignment, author=officer, status=Status.IN_PROGRESS, percent=20,
        narrative="Biên bản hội nghị",
        files=[(ContentFile(MINIMAL_PDF, name="Biên bản hội nghị.pdf"), "application/pdf")],
        links=["https://example.gov.vn/tin"],
    )
    return update.evidence.exclude(file="").get()


def download(client, evidence):
    return client.get(reverse("tasks:evidence", args=[evidence.pk]))


@pytest.mark.parametrize("who", ["officer", "coordinator", "leadership"])
def test_evidence_is_served_as_an_attachment_to_readers_of_the_task(
    client, request, evidence, who
):
    client.force_login(request.getfixturevalue(who))

    response = download(client, evidence)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == MINIMAL_PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Bi%C3%AAn%20b%E1%BA%A3n%20h%E1%BB%99i%20ngh%E1%BB%8B.pdf" in response[
        "Content-Disposition"
    ]


def test_evidence_is_404_for_another_agencys_officer(client, outsider, evidence):
    client.force_login(outsider)

    assert download(client, evidence).status_code == 404


def test_evidence_asks_anonymous_users_to_log_in(client, evidence):
    response = download(client, evidence)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_link_has_nothing_to_download(client, officer, evidence):
    link = evidence.update.evidence.get(file="")
    client.force_login(officer)

    assert download(client, link).status_code == 404


def test_a_missing_file_is_404_not_an_error(client, officer, evidence):
    evidence.file.storage.delete(evidence.file.name)
    client.force_login(officer)

    assert download(client, evidence).status_code == 404


def test_media_is_not_served_by_url(client, officer, evidence):
    client.force_login(officer)

    assert client.get(f"/media/{evidence.file.name}").status_code == 404
