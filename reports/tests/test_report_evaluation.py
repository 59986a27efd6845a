"""Section II and the signer of a summary report on its page: prefilled from the agencies'
reports, edited by the coordinator, kept with the report; the issuer's signer set on its own
page, reached from the report."""

import pytest
from django.urls import reverse
from django.utils import translation

from documents.models import IssuerSigner
from periodic import services as periodic_services
from reports.evaluation import quoted
from reports.models import ReportDraft
from reports.summary import build_summary
from tests.factories import AgencyFactory, UserFactory
from tests.factories.periodic import assignment_for, local, reporting_plan, submitted_on

pytestmark = pytest.mark.django_db
LATER = local("01/01/2023 09:00").date()


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def plan(province, home_affairs):
    return reporting_plan(
        province, title="Kế hoạch tuyên truyền cải cách hành chính năm 2022", place="Khánh Hòa"
    )


def send(plan, agency, *, when="10/03/2022 09:00", **texts):
    officer = UserFactory(agency=agency, role="agency_officer")
    report = periodic_services.start_report(
        plan=plan, agency=agency, year=2022, period_code="Q1", user=officer
    )
    report = periodic_services.save_draft(report=report, user=officer, **texts)
    report = periodic_services.submit(report=report, user=officer)
    submitted_on(report, when)
    return report


@pytest.fixture
def agencies(plan, province):
    made = [
        AgencyFactory(name=name, code=code, parent=province)
        for name, code in [("Sở Tư pháp", "STP1"), ("Sở Y tế", "SYT1"), ("Sở Xây dựng", "SXD1")]
    ]
    for agency in made:
        assignment_for(plan, agency)
    return made


def period_url(name, plan):
    return reverse(f"leadership:{name}", kwargs={"pk": plan.pk, "year": 2022, "code": "Q1"})


def test_the_agencies_words_are_quoted_counted_when_shared_and_silences_counted(plan, agencies):
    justice, health, building = agencies
    send(plan, justice, results="Đã tổ chức 2 hội nghị.", proposals="Không có.")
    send(plan, health, results="Đã đăng 10 tin bài.", proposals="Bổ sung kinh phí.")
    send(plan, building, results="Đã đăng 10 tin, bài", proposals="")
    reports = build_summary(plan, 2022, "Q1", today=LATER).agency_reports
    assert quoted(reports, "results") == [
        "- Sở Tư pháp: “Đã tổ chức 2 hội nghị”;",
        "- 2 cơ quan, đơn vị (Sở Xây dựng, Sở Y tế) cùng nêu: “Đã đăng 10 tin, bài”.",
    ]
    assert quoted(reports, "proposals") == [
        "- Sở Y tế: “Bổ sung kinh phí”;",
        "- 2 cơ quan, đơn vị không có đề xuất, kiến nghị (Sở Tư pháp, Sở Xây dựng).",
    ]


def test_drafts_and_returned_reports_are_not_quoted(plan, agencies, coordinator):
    justice, health, _building = agencies
    report = send(plan, justice, results="Đã trả lại.")
    periodic_services.return_report(report=report, user=coordinator, comment="Bổ sung")
    officer = UserFactory(agency=health, role="agency_officer")
    draft = periodic_services.start_report(plan=plan, agency=health, year=2022,
                                           period_code="Q1", user=officer)
    periodic_services.save_draft(report=draft, user=officer, results="Còn là dự thảo.")
    summary = build_summary(plan, 2022, "Q1", today=LATER)
    assert summary.agency_reports == []
    text = summary.evaluation_prefill["results"]
    assert "Đã trả lại" not in text and "Còn là dự thảo" not in text
    assert "Chưa có cơ quan, đơn vị nào gửi báo cáo quý I năm 2022." in text


def test_the_report_page_offers_the_prefill_and_saving_keeps_it_with_the_report(
    client, coordinator, plan, agencies
):
    send(plan, agencies[0], results="Đã tổ chức 2 hội nghị.", lessons="Phối hợp sớm.")
    client.force_login(coordinator)
    html = client.get(period_url("report", plan)).content.decode()
    assert "- Sở Tư pháp: “Đã tổ chức 2 hội nghị”." in html
    assert "- Sở Tư pháp: “Phối hợp sớm”." in html
    assert reverse("documents:signer", kwargs={"pk": build_summary(
        plan, 2022, "Q1", today=LATER).issuer.pk}) in html
    response = client.post(period_url("text", plan), {
        "introduction": "",
        "results": "Kết quả do điều phối viên viết.",
        "shortcomings": "", "lessons": "Bài học riêng.", "next_tasks": "", "proposals": "",
        "signer_authority": "KT. GIÁM ĐỐC", "signer_title": "PHÓ GIÁM ĐỐC",
        "signer_name": "Trần Thị Bình",
    })
    assert response.status_code == 302
    draft = ReportDraft.objects.get(plan=plan)
    assert (draft.results, draft.lessons, draft.signer_name) == (
        "Kết quả do điều phối viên viết.", "Bài học riêng.", "Trần Thị Bình"
    )
    preview = client.get(period_url("preview", plan)).content.decode()
    assert "Kết quả do điều phối viên viết." in preview and "Bài học riêng." in preview
    # A part left empty prints the prefill again.
    assert "1 cơ quan, đơn vị không có tồn tại, hạn chế (Sở Tư pháp)" in preview
    assert "Trần Thị Bình" in preview


def test_the_issuers_signer_is_set_on_its_page_and_the_report_prints_it(
    client, coordinator, plan, home_affairs
):
    client.force_login(coordinator)
    signers = client.get(reverse("documents:signers")).content.decode()
    page = reverse("documents:signer", kwargs={"pk": home_affairs.pk})
    assert page in signers
    response = client.post(page, {
        "authority": "KT. GIÁM ĐỐC", "title": "PHÓ GIÁM ĐỐC", "name": "Nguyễn  Văn   An",
        "next": period_url("report", plan),
    })
    assert response.status_code == 302 and response["Location"] == period_url("report", plan)
    signer = IssuerSigner.objects.get(agency=home_affairs)
    assert (signer.authority, signer.title, signer.name, signer.updated_by) == (
        "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn An", coordinator
    )
    preview = client.get(period_url("preview", plan)).content.decode()
    assert '<div class="signer-title">KT. GIÁM ĐỐC</div>' in preview
    assert '<div class="signer-title">PHÓ GIÁM ĐỐC</div>' in preview
    assert '<div class="signer-name">Nguyễn Văn An</div>' in preview


def test_a_stale_signer_form_is_refused_and_the_first_save_kept(client, coordinator, home_affairs):
    IssuerSigner.objects.create(agency=home_affairs, name="Người đầu", version=4)
    client.force_login(coordinator)
    page = reverse("documents:signer", kwargs={"pk": home_affairs.pk})
    response = client.post(page, {"name": "Người sau", "version": 3})
    assert response.status_code == 400
    assert "Someone else saved this" in response.content.decode()
    assert IssuerSigner.objects.get(agency=home_affairs).name == "Người đầu"


def test_leadership_reads_the_signer_page_without_a_form(client, leadership, home_affairs):
    client.force_login(leadership)
    page = reverse("documents:signer", kwargs={"pk": home_affairs.pk})
    html = client.get(page).content.decode()
    assert "Who signs the documents of" in html and 'name="authority"' not in html
    assert client.post(page, {"name": "X"}).status_code == 403
    assert not IssuerSigner.objects.exists()
