"""The coordinator's import page: upload, preview beside the original, resolve names, save."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agencies.models import Agency
from plans.models import Plan
from tasks.models import AssignmentRole
from tests.factories import AgencyFactory, PlanFactory

from .conftest import seed, synthetic_plan

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


LEFTOVER_PLAN = (
    "UBND TỈNH KHÁNH HÒA\nSỞ NỘI VỤ\nSố: 15/KH-SNV\nKhánh Hòa, ngày 3 tháng 3 năm 2023\n"
    "KẾ HOẠCH\nTuyên truyền cải cách hành chính năm 2023\nI. MỤC TIÊU\n- Một\n"
    "II. NỘI DUNG\n- Hai\nIII. TỔ CHỨC THỰC HIỆN\n- Ba\nPhụ lục\nDANH MỤC NHIỆM VỤ\n"
    "STT\tNội dung\tCơ quan chủ trì\tThời gian\n1\tHội nghị\tSở Tư pháp\tQuý I/2023\n"
    "Ghi chú: số liệu gửi về Sở Nội vụ trước ngày 15 hằng tháng.\n"
)


def _addressing_plan(agency, province):
    parent = PlanFactory(issuer=province, status="issued", period_start_year=2023,
                         title="Kế hoạch tuyên truyền CCHC tỉnh năm 2023")
    parent.addressed_agencies.add(agency)
    return parent


def test_an_officer_imports_their_agency_plan_for_the_plan_addressing_it(
    client, officer, justice, province, agency_tree, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    parent = _addressing_plan(justice, province)
    client.force_login(officer)
    url = reverse("importing:agency_upload", kwargs={"pk": parent.pk})
    # Reached from the parent plan's page.
    assert url in client.get(reverse("plans:detail", kwargs={"pk": parent.pk})).content.decode()
    data = synthetic_plan(rows=6)
    response = client.post(url, {"step": "preview", "file": SimpleUploadedFile("stp.docx", data)})
    page = response.content.decode()
    assert response.status_code == 200
    # The header says Sở Nội vụ: the issuer is the officer's own agency whatever it says.
    assert "Sở Tư pháp" in page and "Lưu và nộp kế hoạch" in page
    # An officer does not create agencies.
    assert 'value="new"' not in page
    response = client.post(url, {"step": "save"})
    plan = Plan.objects.get(parent=parent)
    assert response["Location"] == reverse("plans:detail", kwargs={"pk": plan.pk})
    assert plan.issuer == justice and plan.created_by == officer
    assert plan.status == "issued" and plan.submitted_at is not None
    assert plan.tasks.count() == 6 and plan.outline_nodes.exists()
    assert plan.document_file.read() == data
    # It counts as the agency's submission for the parent plan.
    from plans.selectors import submission_rows

    row = next(r for r in submission_rows(parent) if r.agency == justice)
    assert row.submitted and row.agency_plan == plan
    page = client.get(reverse("plans:detail", kwargs={"pk": plan.pk})).content.decode()
    assert "Tuyên truyền nội dung cải cách hành chính số 6" in page


def test_an_officer_imports_only_for_a_plan_that_addresses_their_agency(
    client, officer, outsider, justice, province, coordinator
):
    parent = _addressing_plan(justice, province)
    url = reverse("importing:agency_upload", kwargs={"pk": parent.pk})
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(coordinator)
    assert client.get(url).status_code == 403
    unaddressed = PlanFactory(issuer=province, status="issued")
    client.force_login(officer)
    assert client.get(
        reverse("importing:agency_upload", kwargs={"pk": unaddressed.pk})).status_code == 404
    # The coordinator's own upload of the officer's session is not saved on this page.
    assert client.post(url, {"step": "save"}).status_code == 302
    assert not Plan.objects.filter(parent=parent).exists()


def test_a_coordinator_creates_an_agency_for_a_name_nothing_matches(
    client, coordinator, agency_tree, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(coordinator)
    data = seed("khanh-hoa-2022-provincial-plan.docx")
    page = client.post(URL, {"step": "preview", "file": SimpleUploadedFile("kh.docx", data)})
    assert 'value="new"' in page.content.decode()
    before = Agency.objects.count()
    # Task 9's coordinators: "cơ quan thông tin, báo chí thuộc tỉnh" becomes an agency.
    client.post(URL, {"step": "save", "resolve-1": "new"})
    plan = Plan.objects.get(title__contains="Khánh Hòa năm 2022")
    assert Agency.objects.count() == before + 1
    created = Agency.objects.get(name="Cơ quan thông tin, báo chí thuộc tỉnh")
    assert created.parent.code == "UBND-KH" and created.kind == "other"
    assert plan.tasks.get(number=9).assignments.filter(
        agency=created, role=AssignmentRole.COORDINATOR).exists()
    assert created.history.get().history_change_reason == "import"


def test_the_kind_of_a_created_agency_is_read_from_its_name(agency_tree, coordinator):
    from importing.services import new_agency_for, understand

    understood = understand(LEFTOVER_PLAN.encode(), "kh.txt")
    department = new_agency_for(understood, "Sở Ngoại ngữ", coordinator.agency)
    commune = new_agency_for(understood, "UBND xã Ninh Phước", coordinator.agency)
    assert (department.kind, commune.kind) == ("department", "commune")
    assert department.parent.code == "UBND-KH"
    assert new_agency_for(understood, "Sở  Ngoại ngữ", coordinator.agency) is department
    assert len(understood.new_agencies) == 2


def test_text_placed_nowhere_is_shown_in_the_preview(client, coordinator, agency_tree):
    client.force_login(coordinator)
    page = client.post(URL, {"step": "preview", "text": LEFTOVER_PLAN}).content.decode()
    assert "Phần chữ không được đưa vào kế hoạch" in page
    assert "Ghi chú: số liệu gửi về Sở Nội vụ trước ngày 15 hằng tháng." in page


def test_import_plan_dry_run_lists_the_text_placed_nowhere(agency_tree, tmp_path, capsys):
    from django.core.management import call_command

    path = tmp_path / "snv.txt"
    path.write_text(LEFTOVER_PLAN, encoding="utf-8")
    call_command("import_plan", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "Not placed: Ghi chú: số liệu gửi về Sở Nội vụ trước ngày 15 hằng tháng." in out


def test_the_import_page_offers_the_coordinators_province_only(
    client, coordinator, province, justice
):
    """The issuer and the plan implemented are picked among the coordinator's province's
    agencies and plans in force: not every agency and plan of a national installation, and
    no other province's (it is not theirs to import for)."""
    elsewhere = AgencyFactory(name="Ủy ban nhân dân tỉnh Ninh Thuận", code="UBND-NT",
                              kind="province")
    in_force = PlanFactory(issuer=province, status="issued", title="Kế hoạch tỉnh 2025")
    draft = PlanFactory(issuer=province, status="draft", title="Dự thảo kế hoạch")
    theirs = PlanFactory(issuer=elsewhere, status="issued", title="Kế hoạch Ninh Thuận")
    client.force_login(coordinator)

    form = client.get(URL).context["form"]
    issuers = set(form.fields["issuer"].queryset)
    assert {province, justice} <= issuers and elsewhere not in issuers
    assert list(form.fields["parent"].queryset) == [in_force]

    upload = SimpleUploadedFile("kh.txt", "KẾ HOẠCH".encode())
    for field, value in (("issuer", elsewhere.pk), ("parent", theirs.pk), ("parent", draft.pk)):
        response = client.post(URL, {"step": "preview", "file": upload, field: value})
        assert response.status_code == 200
        assert field in response.context["form"].errors
    assert Plan.objects.count() == 3


def test_a_plan_of_another_province_is_refused_and_nothing_saved(
    client, coordinator, agency_tree, settings, tmp_path
):
    """The Ninh Thuận plan, uploaded by a Khánh Hòa coordinator: its issuer is another
    province's agency, not theirs to write for."""
    settings.MEDIA_ROOT = tmp_path
    client.force_login(coordinator)
    before = Plan.objects.count()
    upload = SimpleUploadedFile("nt-2024.docx", seed("ninh-thuan-2024-provincial-plan.docx"))
    response = client.post(URL, {"step": "preview", "file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert "thuộc tỉnh khác với tỉnh của bạn" in page and "Ninh Thuận" in page
    assert client.post(URL, {"step": "save"}).status_code == 302  # nothing pending: back
    assert Plan.objects.count() == before


def test_names_are_resolved_to_the_coordinators_province_only(
    client, coordinator, agency_tree, settings, tmp_path
):
    """The preview offers the province's agencies and groups for a name nothing matched
    (not every agency of the country); another province's, posted anyway, is not taken."""
    settings.MEDIA_ROOT = tmp_path
    client.force_login(coordinator)
    elsewhere = Agency.objects.filter(name__contains="Ninh Thuận").first()
    assert elsewhere is not None
    upload = SimpleUploadedFile("kh-2022.docx", seed("khanh-hoa-2022-provincial-plan.docx"))
    page = client.post(URL, {"step": "preview", "file": upload}).content.decode()
    press = Agency.objects.get(code="PTTH-KH")
    assert f'value="a:{press.pk}"' in page
    assert f'value="a:{elsewhere.pk}"' not in page
    client.post(URL, {"step": "save", "resolve-1": f"a:{elsewhere.pk}"})
    plan = Plan.objects.get(title__contains="Khánh Hòa năm 2022")
    assert not plan.tasks.filter(assignments__agency__province=elsewhere.province).exists()
