"""The coordinator's import page: upload, preview beside the original, resolve names, save."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agencies.models import Agency
from plans.models import Plan
from tasks.models import AssignmentRole

from .conftest import seed

URL = reverse("importing:upload")


def test_the_plan_list_links_to_the_import_page(client, coordinator):
    client.force_login(coordinator)
    assert URL in client.get(reverse("plans:list")).content.decode()


def test_a_plan_is_previewed_resolved_and_saved(client, coordinator, agency_tree, settings,
                                                tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(coordinator)
    data = seed("khanh-hoa-2022-provincial-plan.docx")
    upload = SimpleUploadedFile("kh-2022.docx", data)
    response = client.post(URL, {"step": "preview", "file": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nguyễn Tấn Tuấn" in page  # the signer, understood
    assert "Điều 3. Chánh Văn phòng" in page  # the original text beside it
    assert "cơ quan thông tin, báo chí thuộc tỉnh" in page
    assert not Plan.objects.filter(title__contains="Khánh Hòa năm 2022").exists()
    press = Agency.objects.get(code="PTTH-KH")
    # The second name left unmatched is task 9's coordinators: the press office is picked.
    response = client.post(URL, {"step": "save", "resolve-1": f"a:{press.pk}"})
    plan = Plan.objects.get(title__contains="Khánh Hòa năm 2022")
    assert response.status_code == 302 and response["Location"] == reverse(
        "plans:detail", kwargs={"pk": plan.pk})
    assert plan.tasks.count() == 16
    task_9 = plan.tasks.get(number=9)
    assert task_9.assignments.filter(agency=press, role=AssignmentRole.COORDINATOR).exists()
    assert plan.created_by == coordinator
    assert plan.document_file.read() == data
    assert not list((tmp_path / "imports-pending").iterdir())
    # The original is downloadable from the plan.
    download = client.get(reverse("plans:document", kwargs={"pk": plan.pk}))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == data


def test_a_bad_file_is_refused_on_the_page_and_nothing_saved(client, coordinator, settings,
                                                             tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(coordinator)
    before = Plan.objects.count()
    upload = SimpleUploadedFile("ke-hoach.docx", b"PK\x03\x04 broken")
    response = client.post(URL, {"step": "preview", "file": upload})
    assert response.status_code == 200
    assert "Tệp Word bị hỏng" in response.content.decode()
    assert Plan.objects.count() == before


def test_saving_without_an_upload_sends_back_to_the_form(client, coordinator):
    client.force_login(coordinator)
    response = client.post(URL, {"step": "save"})
    assert response.status_code == 302 and response["Location"] == URL
