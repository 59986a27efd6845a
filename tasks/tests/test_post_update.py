import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plans.models import PlanChannel
from tasks.models import Evidence, ProgressUpdate, Status, UpdateFigure
from tasks.services import set_task_agencies
from tests.factories.files import MINIMAL_PDF, office_bytes, png_bytes

pytestmark = pytest.mark.django_db


def url(assignment):
    return reverse("tasks:post_update", args=[assignment.pk])


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def form_data(**extra):
    return {"status": "in_progress", "percent": "60", "narrative": "Đã tổ chức hội nghị", **extra}


def test_form_shows_figures_grouped_by_channel(client, officer, assignment, measures):
    client.force_login(officer)

    html = client.get(url(assignment)).content.decode()

    assert "Báo chí" in html and "Cổng thông tin" in html
    assert f'name="figure_{measures["news"].pk}"' in html
    assert 'type="file"' in html and "multiple" in html


def test_officer_posts_update_with_real_files_figures_and_links(
    client, officer, assignment, assigned_task, measures
):
    client.force_login(officer)
    data = form_data(
        **{
            f"figure_{measures['news'].pk}": "12",
            f"figure_{measures['posts'].pk}": "",
            "links": "https://baokhanhhoa.vn/tin-cchc\n\nhttp://sotuphap.gov.vn/a",
            "files": [
                upload("bien-ban.pdf", MINIMAL_PDF),
                upload("anh-hoi-nghi.png", png_bytes()),
                upload("bao-cao.docx", office_bytes("word/", "document.xml")),
                upload("so-lieu.xlsx", office_bytes("xl/", "workbook.xml")),
            ],
        }
    )

    response = client.post(url(assignment), data)

    assert response.status_code == 302
    task_url = reverse("tasks:detail", args=[assigned_task.pk])
    assert response["Location"].endswith(f"{task_url}#history")
    update = ProgressUpdate.objects.get()
    assert (update.author, update.status, update.percent) == (officer, "in_progress", 60)
    assert update.narrative == "Đã tổ chức hội nghị"
    assert [(f.measure.code, f.value) for f in UpdateFigure.objects.all()] == [("news", 12)]
    assert update.has_figures  # counted on the dashboards through the updates with figures
    files = {e.original_name: e.content_type for e in update.evidence.exclude(file="")}
    assert files == {
        "bien-ban.pdf": "application/pdf",
        "anh-hoi-nghi.png": "image/png",
        "bao-cao.docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "so-lieu.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    links = set(update.evidence.filter(file="").values_list("link", flat=True))
    assert links == {"https://baokhanhhoa.vn/tin-cchc", "http://sotuphap.gov.vn/a"}
    assignment.refresh_from_db()
    assigned_task.refresh_from_db()
    assert (assignment.status, assignment.percent) == (Status.IN_PROGRESS, 60)
    assert (assigned_task.status, assigned_task.percent) == (Status.IN_PROGRESS, 60)
    page = client.get(response["Location"]).content.decode()
    assert "Your progress update has been saved." in page
    assert "anh-hoi-nghi.png" in page


def test_done_forces_100_percent_and_rolls_the_task_up(
    client, officer, assignment, assigned_task
):
    client.force_login(officer)

    client.post(url(assignment), form_data(status="done", percent="70"))

    assignment.refresh_from_db()
    assigned_task.refresh_from_db()
    assert (assignment.status, assignment.percent) == (Status.DONE, 100)
    assert (assigned_task.status, assigned_task.percent) == (Status.DONE, 100)


def test_coordinator_may_post_for_an_agency(client, coordinator, assignment):
    client.force_login(coordinator)

    response = client.post(url(assignment), form_data())

    assert response.status_code == 302
    assert ProgressUpdate.objects.get().author == coordinator


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("fake.pdf", b"just some text, not a PDF at all", "“fake.pdf” is not a real PDF file"),
        ("photo.png", MINIMAL_PDF, "“photo.png” is not a real PNG file"),
        ("notes.docx", office_bytes("xl/", "workbook.xml"), "“notes.docx” is not a real DOCX"),
        ("table.xlsx", b"PK\x03\x04 broken zip", "“table.xlsx” is not a real XLSX file"),
        ("script.exe", b"MZ\x90\x00", "“script.exe”: only PDF, DOCX, XLSX, JPG and PNG files"),
    ],
)
def test_files_whose_content_does_not_match_are_refused(
    client, officer, assignment, name, content, message
):
    client.force_login(officer)

    response = client.post(url(assignment), form_data(files=[upload(name, content)]))

    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert ProgressUpdate.objects.count() == 0
    assert Evidence.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused(client, officer, assignment, settings):
    # The limit is 20 MB; a 21 "MB" file against a limit scaled down by 2**20 keeps it small.
    settings.EVIDENCE_MAX_BYTES = 20 * 1024
    client.force_login(officer)
    big = MINIMAL_PDF + b"0" * (21 * 1024 - len(MINIMAL_PDF))

    response = client.post(
        url(assignment), form_data(files=[upload("ok.pdf", MINIMAL_PDF), upload("to.pdf", big)])
    )

    html = response.content.decode()
    assert "“to.pdf” is 21.0\xa0KB; a file may be at most 20.0\xa0KB." in html
    # Nothing is saved, not even the good file.
    assert ProgressUpdate.objects.count() == 0
    assert Evidence.objects.count() == 0


def test_errors_keep_the_input_and_save_nothing(client, officer, assignment, measures):
    client.force_login(officer)
    data = form_data(
        narrative="Đã đăng tin trên báo",
        percent="150",
        links="ftp://files.example/x\nhttps://ok.example/a",
        **{f"figure_{measures['news'].pk}": "-3"},
    )

    response = client.post(url(assignment), data)

    html = response.content.decode()
    assert "Đã đăng tin trên báo" in html
    assert "Ensure this value is less than or equal to 100." in html
    assert "Ensure this value is greater than or equal to 0." in html
    assert "“ftp://files.example/x” is not a web address" in html
    assert "https://ok.example/a" in html
    assert ProgressUpdate.objects.count() == 0


def test_what_was_done_is_required(client, officer, assignment):
    client.force_login(officer)

    response = client.post(url(assignment), form_data(narrative=""))

    assert "This field is required." in response.content.decode()
    assert ProgressUpdate.objects.count() == 0


def test_leadership_gets_403_and_outsiders_404(client, leadership, outsider, assignment):
    client.force_login(leadership)
    assert client.post(url(assignment), form_data()).status_code == 403
    client.force_login(outsider)
    assert client.post(url(assignment), form_data()).status_code == 404
    assert ProgressUpdate.objects.count() == 0


def test_officer_of_a_coordinating_agency_cannot_post_on_the_lead_line(
    client, health, outsider, assigned_task, assignment
):
    set_task_agencies(task=assigned_task, leads=[assignment.agency], coordinators=[health])
    client.force_login(outsider)

    # outsider now reads the task (his agency coordinates) but writes only his own line.
    assert client.post(url(assignment), form_data()).status_code == 403
    own_line = assigned_task.assignments.get(agency=health)
    assert client.post(url(own_line), form_data()).status_code == 302
    assert ProgressUpdate.objects.get().assignment == own_line


def test_closed_plan_takes_no_more_progress_and_keeps_the_input(
    client, officer, assignment, assigned_task
):
    plan = assigned_task.plan
    plan.status = "closed"
    plan.save()
    client.force_login(officer)

    response = client.post(url(assignment), form_data(narrative="Báo cáo muộn sau khi đóng"))

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "Báo cáo muộn sau khi đóng" in response.content.decode()
    assert not ProgressUpdate.objects.exists()


def test_form_shows_the_plans_channels_first_and_folds_the_others(
    client, officer, assignment, measures
):
    PlanChannel.objects.create(
        plan=assignment.task.plan, channel=measures["posts"].channel, heading="Trên Cổng"
    )
    client.force_login(officer)

    html = client.get(url(assignment)).content.decode()

    folded = html[html.index('<details class="tk-other-channels">'):html.index("</details>")]
    assert f'name="figure_{measures["posts"].pk}"' in html.split("<details")[0]
    assert f'name="figure_{measures["news"].pk}"' in folded and "1 other channel" in folded
    # A figure refused in a folded channel unfolds it.
    response = client.post(url(assignment), form_data(**{f"figure_{measures['news'].pk}": "-3"}))
    assert '<details class="tk-other-channels" open>' in response.content.decode()


def test_an_update_whose_figures_are_blank_or_zero_has_none(client, officer, assignment, measures):
    client.force_login(officer)

    response = client.post(url(assignment), form_data(**{
        f"figure_{measures['news'].pk}": "0", f"figure_{measures['posts'].pk}": "",
    }))

    assert response.status_code == 302
    update = ProgressUpdate.objects.get()
    assert not UpdateFigure.objects.exists()
    assert not update.has_figures
