"""The leadership pages: choosing a report, reading it, its text, issuing it; query counts."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation

from agencies.models import Agency
from periodic import services as periodic_services
from plans import targets
from plans.models import Target
from reports.models import GeneratedReport, ReportDraft
from tests.factories import PlanFactory, UserFactory
from tests.factories.dashboard import populate
from tests.factories.periodic import reporting_plan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    # English URLs (/en/…) and msgids, whatever the Vietnamese catalogue says.
    with translation.override("en"):
        yield


@pytest.fixture
def plan(province, home_affairs):
    return reporting_plan(
        province, title="Kế hoạch tuyên truyền cải cách hành chính năm 2022", place="Khánh Hòa"
    )



def url(name, plan, **kwargs):
    return reverse(f"leadership:{name}", kwargs={"pk": plan.pk, **kwargs})


def period_url(name, plan, code="Q1"):
    return url(name, plan, year=2022, code=code)


def figure(html, name):
    match = re.search(rf'data-figure="{name}">([^<]*)<', html)
    return match[1] if match else None


def test_index_lists_plans_in_force_with_their_periods(client, leadership, plan, province):
    PlanFactory(issuer=province, title="Kế hoạch còn dự thảo", status="draft")
    PlanFactory(issuer=province, parent=plan, title="Kế hoạch của một sở", status="issued")
    client.force_login(leadership)
    html = client.get(reverse("leadership:index")).content.decode()
    assert plan.title in html
    assert "Kế hoạch còn dự thảo" not in html and "Kế hoạch của một sở" not in html
    assert period_url("report", plan) in html and period_url("report", plan, "Y") in html


def test_index_empty_state(client, leadership):
    client.force_login(leadership)
    html = client.get(reverse("leadership:index")).content.decode()
    assert "No plan has been issued yet" in html


def test_report_page_shows_the_summarys_numbers(client, leadership, plan):
    populate(plan, 2)
    client.force_login(leadership)
    html = client.get(period_url("report", plan, "Y")).content.decode()
    assert figure(html, "total") == "8"
    assert figure(html, "done") == "4"
    assert figure(html, "overdue") == "2"
    assert figure(html, "plans") == "2/4"
    assert period_url("preview", plan, "Y") in html
    # Leadership reads and generates, but writes no text.
    assert "Generate PDF" in html
    assert url("text", plan, year=2022, code="Y") not in html


def test_report_page_of_an_unknown_period_is_404(client, leadership, plan):
    client.force_login(leadership)
    assert client.get(period_url("report", plan, "Q3")).status_code == 404
    assert client.get(url("report", plan, year=2031, code="Q1")).status_code == 404


def test_a_draft_plan_has_no_report(client, leadership, province):
    draft = PlanFactory(issuer=province, status="draft", reporting_periods=["Q1", "Y"])
    client.force_login(leadership)
    assert client.get(url("reports", draft)).status_code == 404


def test_preview_is_the_report_document(client, leadership, plan):
    client.force_login(leadership)
    html = client.get(period_url("preview", plan)).content.decode()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html
    assert "BÁO CÁO" in html and "Kính gửi:" in html
    assert "<script" not in html


def test_coordinator_writes_the_text_that_the_report_prints(client, coordinator, plan):
    client.force_login(coordinator)
    response = client.post(period_url("text", plan), {
        "introduction": "Thực hiện Kế hoạch, Sở Nội vụ báo cáo như sau:",
        "proposals": "Tiếp tục đẩy mạnh tuyên truyền.\nĐề nghị UBND tỉnh chỉ đạo.",
    })
    assert response.status_code == 302
    draft = ReportDraft.objects.get(plan=plan, year=2022, period_code="Q1")
    assert draft.proposals == "Tiếp tục đẩy mạnh tuyên truyền.\nĐề nghị UBND tỉnh chỉ đạo."
    html = client.get(period_url("preview", plan)).content.decode()
    assert "Thực hiện Kế hoạch, Sở Nội vụ báo cáo như sau:" in html
    assert "Đề nghị UBND tỉnh chỉ đạo./." in html


def test_a_stale_text_form_is_refused_and_says_why(client, coordinator, plan):
    ReportDraft.objects.create(plan=plan, year=2022, period_code="Q1", proposals="Mới", version=3)
    client.force_login(coordinator)
    response = client.post(period_url("text", plan), {"proposals": "Cũ", "version": 2})
    assert response.status_code == 400
    assert "Someone else changed" in response.content.decode()
    assert ReportDraft.objects.get(plan=plan).proposals == "Mới"


def test_issuing_numbers_the_report_and_closes_its_text(client, coordinator, plan):
    client.force_login(coordinator)
    response = client.post(period_url("issue", plan), {
        "number": "45/BC-SNV", "issued_on": "2022-04-05",
    })
    assert response.status_code == 302
    draft = ReportDraft.objects.get(plan=plan)
    assert (draft.number, draft.issued_on, draft.issued_by) == (
        "45/BC-SNV", datetime.date(2022, 4, 5), coordinator
    )
    html = client.get(period_url("preview", plan)).content.decode()
    assert "Số: 45/BC-SNV" in html and "ngày 05 tháng 4 năm 2022" in html
    response = client.post(period_url("text", plan), {"proposals": "Sửa sau khi ban hành"})
    assert response.status_code == 400
    assert "has been issued" in response.content.decode()
    draft.refresh_from_db()
    assert draft.proposals != "Sửa sau khi ban hành"


def test_issue_form_errors_sit_next_to_their_fields(client, coordinator, plan):
    client.force_login(coordinator)
    response = client.post(period_url("issue", plan), {"number": "", "issued_on": "hôm qua"})
    assert response.status_code == 400
    assert 'class="errorlist"' in response.content.decode()
    response = client.post(period_url("issue", plan),
                           {"number": "số mười", "issued_on": "2022-04-05"})
    assert response.status_code == 400
    assert "Write the number as digits" in response.content.decode()
    assert not ReportDraft.objects.filter(plan=plan, number__gt="").exists()


def test_generate_form_rejects_an_xlsx_of_the_plan_document(client, leadership, plan):
    client.force_login(leadership)
    response = client.post(url("generate", plan), {"period": "plan", "format": "xlsx"})
    assert response.status_code == 400
    assert "PDF or a Word file" in response.content.decode()
    response = client.post(url("generate", plan), {"period": "2022-Q3", "format": "pdf"})
    assert response.status_code == 400
    assert not GeneratedReport.objects.exists()


@pytest.mark.parametrize("scale", [1, 10])
def test_report_page_uses_a_fixed_number_of_queries(
    client, leadership, plan, scale, django_assert_num_queries
):
    populate(plan, scale)
    client.force_login(leadership)
    # session, user, the plan with its issuer; the summary: the Sở Nội vụ, what it reads
    # whole in one union (tasks and their lead groups, reporting agencies and their
    # successors, the measures and channels, the coordinators' text, targets and actuals),
    # assignments, updates, the period's narratives, the agencies' reports of the period and
    # the one before (for the completeness, the figures and section II's narratives
    # together), agencies' plans, update figures of the period and of the previous one
    # together (no report sent here, so no report figures); the period's files
    with django_assert_num_queries(12):
        response = client.get(period_url("report", plan, "H1"))
    assert figure(response.content.decode(), "total") == str(4 * scale)


def sent_reports_and_targets(plan, coordinator, scale):
    """Every addressed agency's Q1 report sent (its figures prefilled from its updates), the
    H1 one started, and ``scale`` targets with an actual each."""
    for agency in Agency.objects.filter(code__startswith="X"):
        officer = UserFactory(agency=agency, role="agency_officer")
        sent = periodic_services.start_report(
            plan=plan, agency=agency, year=2022, period_code="Q1", user=officer
        )
        sent = periodic_services.save_draft(report=sent, user=officer, results="Đã thực hiện.")
        periodic_services.submit(report=sent, user=officer)
        periodic_services.start_report(
            plan=plan, agency=agency, year=2022, period_code="H1", user=officer
        )
    for index in range(scale):
        target = Target.objects.create(plan=plan, position=index, indicator=f"PAR INDEX {index}",
                                       unit="rank", target_value=20)
        targets.save_target_actual(target=target, user=coordinator, period_key="2022-Q1",
                                   value=24, source="Tự đánh giá quý I")


@pytest.mark.parametrize("scale", [1, 10])
def test_preview_uses_a_fixed_number_of_queries(
    client, leadership, coordinator, plan, scale, django_assert_num_queries
):
    populate(plan, scale)
    sent_reports_and_targets(plan, coordinator, scale)
    client.force_login(leadership)
    client.get(period_url("preview", plan, "H1"))  # content types are read once a process
    # session, user, the plan with its issuer; the summary as on the report page (here the
    # figures of the reports sent for the period before too; no signed copy, so no
    # signature check to read); no page frame nor the period's files
    with django_assert_num_queries(12):
        response = client.get(period_url("preview", plan, "H1"))
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Sở X{scale - 1}" in html and f"PAR INDEX {scale - 1}" in html


@pytest.mark.parametrize("scale", [1, 10])
def test_reports_page_uses_a_fixed_number_of_queries(
    client, leadership, plan, scale, django_assert_num_queries
):
    for _ in range(scale):
        GeneratedReport.objects.create(plan=plan, year=2022, period_code="Q1", kind="period",
                                       format="pdf", requested_by=leadership)
    client.force_login(leadership)
    # session, user (with agency and permissions), the plan, the files' count, the files
    # with who asked for them
    with django_assert_num_queries(5):
        html = client.get(url("reports", plan)).content.decode()
    assert html.count("Follow progress") == scale
