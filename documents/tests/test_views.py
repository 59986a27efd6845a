"""documents:plan_pdf and documents:plan_preview: who gets the plan document, and how fast."""

import datetime
import unicodedata
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from agencies.models import Agency
from documents.models import IssuerSigner
from documents.tests.matrix import ENTRIES
from plans.models import Channel, ContentArea, LegalBasis, PlanChannel, Target
from tasks.models import AssignmentRole
from tasks.services import set_task_agencies
from tests.factories import AgencyFactory, PlanFactory, TaskFactory, UserFactory
from tests.matrix import ROLES, World


def pdf_text(response):
    reader = PdfReader(BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


@pytest.fixture
def department_plan(home_affairs, justice):
    """A department's own plan, with no issuing decision: KH-SNV, signed by its director."""
    plan = PlanFactory(
        issuer=home_affairs,
        title="Kế hoạch tuyên truyền cải cách hành chính năm 2022",
        document_number="12/KH-SNV",
        issued_on=datetime.date(2022, 2, 7),
        place="Khánh Hòa",
        status="issued",
        preamble="Sở Nội vụ ban hành Kế hoạch tuyên truyền cải cách hành chính năm 2022 như sau:",
        objectives="Nâng cao nhận thức về cải cách hành chính.\nĐa dạng hóa hình thức.",
        implementation="Các phòng, đơn vị thuộc Sở triển khai thực hiện Kế hoạch này.",
        signer_authority="KT. GIÁM ĐỐC",
        signer_title="PHÓ GIÁM ĐỐC",
        signer_name="Lê Thị Hồng",
        recipients="UBND tỉnh (b/c);\nCác phòng thuộc Sở;",
    )
    LegalBasis.objects.create(plan=plan, position=1, text="Quyết định số 286/QĐ-UBND ngày "
                              "26/01/2022 của Ủy ban nhân dân tỉnh Khánh Hòa")
    task = TaskFactory(plan=plan, number=1, title="Tổ chức hội nghị tập huấn nghiệp vụ CCHC",
                       forms="Hội nghị\nTài liệu", timeline_text="Quý II/2022")
    set_task_agencies(task=task, leads=[home_affairs], coordinators=[justice])
    return plan


def test_plan_pdf_is_the_plan_as_an_administrative_document(client, coordinator,
                                                            department_plan):
    client.force_login(coordinator)
    response = client.get(reverse("documents:plan_pdf", kwargs={"pk": department_plan.pk}))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="KH-2022-khanh-hoa-snv.pdf"'
    text = pdf_text(response)
    assert text.startswith("ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA SỞ NỘI VỤ CỘNG HÒA XÃ HỘI CHỦ NGHĨA "
                           "VIỆT NAM Độc lập - Tự do - Hạnh phúc Số: 12/KH-SNV Khánh Hòa, ngày 07 "
                           "tháng 02 năm 2022 KẾ HOẠCH Tuyên truyền cải cách hành chính năm 2022")
    # Its legal basis opens the body, then its own preamble; the body ends with "./.".
    assert "Căn cứ Quyết định số 286/QĐ-UBND ngày 26/01/2022 của Ủy ban nhân dân tỉnh Khánh " \
        "Hòa; Sở Nội vụ ban hành" in text
    assert "- Nâng cao nhận thức về cải cách hành chính." in text
    assert "triển khai thực hiện Kế hoạch này./." in text
    assert "Nơi nhận: - UBND tỉnh (b/c); - Các phòng thuộc Sở; - Lưu: VT." in text
    assert "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC" in text and "Lê Thị Hồng" in text
    # The appendix: lead and coordinating agencies from the assignments.
    assert "Tổ chức hội nghị tập huấn nghiệp vụ CCHC" in text
    assert "Chủ trì: Sở Nội vụ Phối hợp: Sở Tư pháp" in text
    assert "(Kèm theo Kế hoạch số 12/KH-SNV ngày 07/02/2022 của Sở Nội vụ)" in text


def test_plan_preview_shows_the_same_document_in_the_browser(client, coordinator,
                                                           department_plan):
    client.force_login(coordinator)
    response = client.get(reverse("documents:plan_preview", kwargs={"pk": department_plan.pk}))
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page
    assert "Số: 12/KH-SNV" in page
    assert "Tổ chức hội nghị tập huấn nghiệp vụ CCHC" in page


def test_plan_pdf_is_hidden_from_an_agency_the_plan_does_not_involve(client, department_plan):
    outsider = UserFactory(username="charlie", role="agency_officer",
                           agency=AgencyFactory(name="Sở Y tế", code="SYT"))
    client.force_login(outsider)
    for name in ["documents:plan_pdf", "documents:plan_preview"]:
        response = client.get(reverse(name, kwargs={"pk": department_plan.pk}))
        assert response.status_code == 404
        assert b"%PDF" not in response.content


def test_plan_pdf_of_a_draft_is_hidden_from_involved_agencies(client, officer, department_plan):
    client.force_login(officer)
    url = reverse("documents:plan_pdf", kwargs={"pk": department_plan.pk})
    assert "Sở Tư pháp" in pdf_text(client.get(url))  # bob's agency coordinates task 1
    department_plan.status = "draft"
    department_plan.save()
    assert client.get(url).status_code == 404


def test_plan_pdf_of_a_missing_plan_is_404(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("documents:plan_pdf", kwargs={"pk": 999999})).status_code == 404


def test_plan_pdf_asks_an_anonymous_visitor_to_log_in(client, department_plan):
    response = client.get(reverse("documents:plan_pdf", kwargs={"pk": department_plan.pk}))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# The same expectations as in tests/test_permission_matrix.py, on this app's urlconf.
@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.name)
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("role", ROLES)
def test_document_permission_matrix(client, db, settings, tmp_path, entry, method, role):
    settings.MEDIA_ROOT = tmp_path
    world = World()
    if role != "anonymous":
        client.force_login(world.users[role])
    response = getattr(client, method)(reverse(entry.name, kwargs=entry.build_kwargs(world)))
    table = entry.get if method == "get" else entry.post
    expected = 405 if table is None else table.get(role, 302)
    assert response.status_code == expected
    if expected == 200 and entry.name.startswith("documents:plan"):
        pdf = response["Content-Type"] == "application/pdf"
        shown = pdf_text(response) if pdf else response.content.decode()
        assert "Tuyên truyền CCHC năm 2022" in shown  # the plan's title, "Kế hoạch" dropped


def add_rows(plan, agencies, group, count):
    """``count`` of every part of a plan: bases, targets, areas, channels, duties, tasks."""
    channel = Channel.objects.create(code=f"portal-{plan.pk}", name="Cổng thông tin", position=1)
    for n in range(1, count + 1):
        LegalBasis.objects.create(plan=plan, position=n, text=f"Căn cứ Quyết định số {n}/QĐ")
        Target.objects.create(plan=plan, position=n, indicator="PAR INDEX", unit="rank",
                              description=f"Chỉ tiêu {n}", target_value=n)
        ContentArea.objects.create(plan=plan, position=n, heading=f"Nội dung {n}",
                                   body="Dòng một\nDòng hai")
        PlanChannel.objects.create(plan=plan, position=n, channel=channel, heading=f"Kênh {n}",
                                   body="Đăng tin")
        plan.duties.create(position=n, heading=f"Cơ quan {n}", body="Nhiệm vụ").agencies.set(
            agencies
        )
        task = TaskFactory(plan=plan, number=n, title=f"Nhiệm vụ {n}", assignment_text="")
        set_task_agencies(task=task, leads=agencies[:1], lead_groups=[group],
                          coordinators=agencies[1:])


@pytest.mark.parametrize("count", [1, 10])
def test_plan_preview_reads_a_fixed_number_of_queries(client, django_assert_num_queries,
                                                      coordinator, home_affairs, justice,
                                                      district_group, count):
    plan = PlanFactory(issuer=home_affairs, status="issued", decision_number="5/QĐ-SNV",
                       decision_text="Điều 1. Ban hành Kế hoạch.")
    add_rows(plan, [home_affairs, justice], district_group, count)
    assert plan.tasks.get(number=1).assignments.filter(
        role=AssignmentRole.LEAD, via_group=district_group
    ).count() == 3
    client.force_login(coordinator)
    url = reverse("documents:plan_preview", kwargs={"pk": plan.pk})
    # session, user; the plan with issuer and parent; outline nodes, key-task tables (no
    # rows: no query), tasks, their lead groups, their coordinating groups, their direct
    # assignments with agencies; legal bases, targets, budget lines, content areas, channels
    # and duties together.
    with django_assert_num_queries(10):
        response = client.get(url)
    page = response.content.decode()
    assert f"Nhiệm vụ {count}" in page
    assert f"Chủ trì: {district_group.name}, Sở Nội vụ" in page


def test_a_right_to_left_override_saved_in_a_title_does_not_reverse_the_pdf(
    client, coordinator, department_plan
):
    # Saved before the forms removed bidi controls, or imported: the PDF removes them too.
    department_plan.title = "Kế hoạch tuyên truyền \u202echính năm 2022\u202c"
    department_plan.save()
    client.force_login(coordinator)

    text = pdf_text(client.get(reverse("documents:plan_pdf", kwargs={"pk": department_plan.pk})))

    assert "KẾ HOẠCH Tuyên truyền chính năm 2022" in text
    assert "\u202e" not in text


def test_signers_are_those_of_the_coordinators_province_only(client, coordinator, home_affairs):
    """Another province's issuing agency is neither listed nor given a signer by this
    province's coordinator."""
    elsewhere = AgencyFactory(name="Ủy ban nhân dân tỉnh Ninh Thuận", code="UBND-NT",
                              kind="province")
    their_department = AgencyFactory(name="Sở Nội vụ tỉnh Ninh Thuận", code="SNV-NT",
                                     parent=elsewhere)
    PlanFactory(issuer=elsewhere, status="issued")
    client.force_login(coordinator)

    listing = client.get(reverse("documents:signers")).content.decode()
    assert reverse("documents:signer", kwargs={"pk": home_affairs.pk}) in listing
    for agency in (elsewhere, their_department):
        url = reverse("documents:signer", kwargs={"pk": agency.pk})
        assert url not in listing
        assert client.get(url).status_code == 404
        assert client.post(url, {"name": "Người ngoài tỉnh"}).status_code == 404
    assert not IssuerSigner.objects.filter(agency__in=[elsewhere, their_department]).exists()


def test_signers_are_found_by_name_without_accents_a_page_at_a_time(client, coordinator, province):
    for number in range(55):
        AgencyFactory(name=f"Sở Ngành {number:02d}", code=f"SN{number:02d}", parent=province)
    justice = AgencyFactory(name="Sở Tư pháp tỉnh", code="STP-T", parent=province)
    for agency in Agency.objects.filter(parent=province):
        PlanFactory(issuer=agency, status="issued")
    client.force_login(coordinator)
    url = reverse("documents:signers")

    first = client.get(url)
    assert len(first.context["page"].object_list) == 50
    assert first.context["page"].paginator.count == 56 + 1  # and the Sở Nội vụ, which reports
    found = client.get(url, {"q": "so tu phap"}).content.decode()
    assert reverse("documents:signer", kwargs={"pk": justice.pk}) in found
    assert "Sở Ngành 00" not in found
    nothing = client.get(url, {"q": "không có"}).content.decode()
    assert "Không có cơ quan ban hành nào phù hợp." in nothing


def test_a_signers_query_the_form_refuses_is_said_and_filters_nothing(
    client, coordinator, province
):
    justice = AgencyFactory(name="Sở Tư pháp tỉnh", code="STP-T", parent=province)
    PlanFactory(issuer=justice, status="issued")
    client.force_login(coordinator)
    url = reverse("documents:signers")
    listed = reverse("documents:signer", kwargs={"pk": justice.pk})

    for query in ("so tu\x00phap", "x" * 101):
        response = client.get(url, {"q": query})
        assert response.status_code == 200
        assert response.context["form"].errors["q"]
        html = response.content.decode()
        assert 'class="field has-errors"' in html and listed in html
        assert "Xóa bộ lọc" in html  # the query given can be cleared
    # Bidi marks are taken out as from every form's text, and the rest is searched.
    found = client.get(url, {"q": "\u202eso tu phap"})
    assert listed in found.content.decode() and found.context["q"] == "so tu phap"
