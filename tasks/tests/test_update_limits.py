"""A progress update within bounds: numbers, texts, file names and zip packages that no column,
disk or reader could hold get a form error with what was typed kept, never a 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tasks.models import Evidence, ProgressUpdate, UpdateFigure
from tests.factories.files import MINIMAL_PDF, office_bomb, office_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(officer):
    client = Client(raise_request_exception=False)
    client.force_login(officer)
    return client


def url(assignment):
    return reverse("tasks:post_update", args=[assignment.pk])


def form_data(**extra):
    return {"status": "in_progress", "percent": "60", "narrative": "Đã tổ chức hội nghị", **extra}


@pytest.mark.parametrize("value", ["100000000000000000000", "3000000000"])
def test_a_figure_beyond_its_column_is_a_form_error(officer_client, assignment, measures, value):
    field = f"figure_{measures['news'].pk}"

    response = officer_client.post(url(assignment), form_data(**{field: value}))

    assert response.status_code == 200
    assert "less than or equal to 2147483647" in response.content.decode()
    assert not ProgressUpdate.objects.exists() and not UpdateFigure.objects.exists()


def test_the_largest_figure_a_column_holds_is_saved(officer_client, assignment, measures):
    field = f"figure_{measures['news'].pk}"

    response = officer_client.post(url(assignment), form_data(**{field: "2147483647"}))

    assert response.status_code == 302
    assert UpdateFigure.objects.get().value == 2147483647


def test_a_narrative_of_six_megabytes_is_a_form_error_that_keeps_the_text(
    officer_client, assignment
):
    narrative = "Tuyên truyền cải cách hành chính. " * 190_000  # 6.5 MB, 6.3 million characters

    response = officer_client.post(url(assignment), form_data(narrative=narrative))

    assert response.status_code == 200
    page = response.content.decode()
    assert "at most 100000 characters" in page
    assert narrative.strip() in page  # the textarea holds what was typed
    assert not ProgressUpdate.objects.exists()


def test_a_narrative_of_zero_width_characters_is_refused_as_empty(officer_client, assignment):
    invisible = "\u200b\u200c\u200d\ufeff "

    response = officer_client.post(url(assignment), form_data(narrative=invisible))

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not ProgressUpdate.objects.exists()


def test_bidi_controls_are_removed_from_the_narrative(officer_client, assignment):
    response = officer_client.post(
        url(assignment), form_data(narrative="Đã đăng \u202etin 12\u202c bài")
    )

    assert response.status_code == 302
    assert ProgressUpdate.objects.get().narrative == "Đã đăng tin 12 bài"


@pytest.mark.parametrize(
    "stem",
    [
        "Biên bản hội nghị tuyên truyền cải cách hành chính " * 6,  # 300+ bytes of UTF-8
        "𝐁𝐢𝐞̂𝐧 𝐛𝐚̉𝐧" * 30,  # four-byte letters
        "x" * 300,
    ],
)
def test_an_over_long_file_name_is_shortened_keeping_its_extension(
    officer_client, assignment, stem
):
    name = f"{stem}.pdf"
    assert len(name.encode()) >= 256

    response = officer_client.post(
        url(assignment),
        form_data(files=[SimpleUploadedFile(name, MINIMAL_PDF, content_type="application/pdf")]),
    )

    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.original_name.endswith(".pdf")
    assert len(evidence.original_name.encode()) <= 255
    assert evidence.original_name.startswith(stem.strip()[:20])
    assert evidence.file.read() == MINIMAL_PDF
    download = officer_client.get(reverse("tasks:evidence", args=[evidence.pk]))
    assert b"".join(download.streaming_content) == MINIMAL_PDF


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bao-cao.docx", office_bomb(declared=300 * 1024 * 1024),
         "unpacked"),
        ("so-lieu.xlsx", office_bomb("xl/", "workbook.xml", members=3000), "parts"),
    ],
)
def test_an_office_file_absurd_once_unpacked_is_refused(
    officer_client, assignment, name, content, message
):
    assert len(content) < 1024 * 1024

    response = officer_client.post(
        url(assignment), form_data(files=[SimpleUploadedFile(name, content)])
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert name in page and message in page
    assert not Evidence.objects.exists()


def test_an_ordinary_office_file_is_accepted(officer_client, assignment):
    response = officer_client.post(
        url(assignment),
        form_data(files=[SimpleUploadedFile("bao-cao.docx", office_bytes())]),
    )

    assert response.status_code == 302
    assert Evidence.objects.get().original_name == "bao-cao.docx"
