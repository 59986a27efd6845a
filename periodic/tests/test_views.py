"""Pages of the agency's periodic report: the list, the form, submission and review."""

import unicodedata
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from periodic.models import AgencyReport, ReportStatus
from periodic.services import start_report, submit
from tasks.models import Status
from tests.factories import PlanFactory, UserFactory
from tests.factories.forms import form_token
from tests.factories.periodic import assignment_for, measure, reporting_plan, update_at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_decree_09(settings):
    settings.REPORTING_CUTOFF = "decree_09"
    # English URLs (/en/…) and msgids, whatever the Vietnamese catalogue says.
    with translation.override("en"):
        yield


@pytest.fixture
def news():
    return measure("portal-news", name="Tin, bài trên Cổng thông tin", position=1)


@pytest.fixture
def report_plan(province, justice):
    plan = reporting_plan(province, title="Kế hoạch tuyên truyền CCHC năm 2022")
    plan.addressed_agencies.add(justice)
    return plan


@pytest.fixture
def assignment(report_plan, justice):
    return assignment_for(report_plan, justice, number=1, title="Tổ chức hội nghị CCHC")


@pytest.fixture
def draft(report_plan, justice, officer, assignment, news):
    update_at(assignment, officer, "10/01/2022 09:00", figures={news: 4}, percent=30)
    return start_report(
        plan=report_plan, agency=justice, year=2022, period_code="Q1", user=officer
    )


def edit_data(report, **changes):
    data = {
        "version": report.version,
        "action": "save",
        "results": report.results,
        "shortcomings": report.shortcomings,
        "lessons": report.lessons,
        "next_tasks": report.next_tasks,
        "proposals": report.proposals,
    }
    for figure in report.figures.all():
        data[f"m{figure.measure_id}"] = figure.value
    for state in report.task_states.all():
        data[f"a{state.assignment_id}_status"] = state.status
        data[f"a{state.assignment_id}_percent"] = state.percent
        data[f"a{state.assignment_id}_note"] = state.note
    data.update(changes)
    return data


# The agency's list


def test_my_reports_lists_each_period_with_due_date_and_state(client, officer, report_plan):
    client.force_login(officer)
    page = client.get(reverse("periodic:my_reports")).content.decode()
    assert "Kế hoạch tuyên truyền CCHC năm 2022" in page
    for label in ["Quarter I/2022", "First six months of 2022", "First nine months of 2022",
                  "Year 2022"]:
        assert label in page
    assert "15/12/2021 – 14/03/2022" in page
    assert "20/03/2022" in page  # the plan's due day 20 of March
    assert "Missing" in page
    assert "Write the report" in page


def test_my_reports_empty_state(client, outsider):
    client.force_login(outsider)
    page = client.get(reverse("periodic:my_reports")).content.decode()
    assert "Your agency has no periodic report to make yet" in page


def test_my_reports_filters_and_bad_filters_are_reported(client, officer, draft):
    client.force_login(officer)
    url = reverse("periodic:my_reports")
    drafts = client.get(url, {"state": "draft"}).content.decode()
    assert "Quarter I/2022" in drafts
    assert "Year 2022" not in drafts
    assert "Continue the report" in drafts
    bad = client.get(url, {"year": "abc", "state": "nonsense"})
    assert bad.status_code == 200
    assert "Select a valid choice" in bad.content.decode()
    assert "Year 2022" in bad.content.decode()


def test_my_reports_query_count_does_not_grow_with_plans(
    client, django_assert_num_queries, province, justice, officer
):
    client.force_login(officer)
    url = reverse("periodic:my_reports")
    for count in (1, 10):
        while AgencyReport.objects.filter(agency=justice).count() < count:
            plan = reporting_plan(province)
            plan.addressed_agencies.add(justice)
            start_report(plan=plan, agency=justice, year=2022, period_code="Q1", user=officer)
        # session, user (with agency and permissions), the plans the agency reports on, the
        # agency's reports on them
        with django_assert_num_queries(4):
            response = client.get(url)
        assert response.context["page"].paginator.count == 4 * count


# Starting and editing


def test_start_creates_the_prefilled_report_and_opens_the_form(
    client, officer, report_plan, assignment, news
):
    update_at(assignment, officer, "20/02/2022 09:00", figures={news: 9}, percent=60,
              narrative="Đã đăng tin")
    client.force_login(officer)

    response = client.post(reverse("periodic:report_start", args=[report_plan.pk, 2022, "Q1"]))

    report = AgencyReport.objects.get()
    assert response.url == reverse("periodic:report_edit", args=[report.pk])
    page = client.get(response.url).content.decode()
    assert 'value="9"' in page
    assert "Tin, bài trên Cổng thông tin" in page
    assert "Tổ chức hội nghị CCHC" in page
    assert "Đã đăng tin" in page


@pytest.mark.parametrize("args", [(2022, "Q2"), (2031, "Q1"), (2022, "XX")])
def test_start_for_a_period_the_plan_does_not_have_is_404(client, officer, report_plan, args):
    client.force_login(officer)
    response = client.post(reverse("periodic:report_start", args=[report_plan.pk, *args]))
    assert response.status_code == 404
    assert not AgencyReport.objects.exists()


def test_start_on_a_plan_not_addressing_the_agency_is_404(client, outsider, report_plan):
    client.force_login(outsider)
    response = client.post(reverse("periodic:report_start", args=[report_plan.pk, 2022, "Q1"]))
    assert response.status_code == 404
    assert not AgencyReport.objects.exists()


def test_edit_saves_the_draft(client, officer, draft, news, assignment):
    client.force_login(officer)
    url = reverse("periodic:report_edit", args=[draft.pk])
    data = edit_data(draft, results="Đã tổ chức 2 hội nghị", proposals="Bổ sung kinh phí",
                     lessons="Phối hợp sớm với báo chí", next_tasks="Tổ chức hội thi")
    data[f"m{news.pk}"] = 12
    data[f"a{assignment.pk}_status"] = Status.DONE

    response = client.post(url, data)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.results == "Đã tổ chức 2 hội nghị"
    assert draft.proposals == "Bổ sung kinh phí"
    assert (draft.lessons, draft.next_tasks) == ("Phối hợp sớm với báo chí", "Tổ chức hội thi")
    assert draft.figures.get(measure=news).value == 12
    assert draft.task_states.get().percent == 100
    assert "The draft has been saved." in client.get(url).content.decode()


def test_edit_shows_errors_next_to_fields_and_keeps_the_draft(client, officer, draft, news):
    client.force_login(officer)
    data = edit_data(draft, action="submit", results="")
    data[f"m{news.pk}"] = -3

    response = client.post(reverse("periodic:report_edit", args=[draft.pk]), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Write the results before submitting the report." in page
    assert "Ensure this value is greater than or equal to 0." in page
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT
    assert draft.figures.get(measure=news).value == 4


def test_edit_with_a_stale_version_is_refused(client, officer, draft):
    client.force_login(officer)
    url = reverse("periodic:report_edit", args=[draft.pk])
    client.post(url, edit_data(draft, results="Bản thứ nhất"))

    response = client.post(url, edit_data(draft, results="Bản cũ"))

    assert "Someone else changed this report" in response.content.decode()
    draft.refresh_from_db()
    assert draft.results == "Bản thứ nhất"


def test_save_and_submit_then_the_agency_can_no_longer_edit(client, officer, draft):
    client.force_login(officer)
    url = reverse("periodic:report_edit", args=[draft.pk])

    response = client.post(url, edit_data(draft, action="submit", results="Kết quả quý I"))

    assert response.url == reverse("periodic:report_detail", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.status == ReportStatus.SUBMITTED
    assert "Submitted" in client.get(response.url).content.decode()

    again = client.get(url, follow=True)
    assert "can no longer be changed" in again.content.decode()
    client.post(url, edit_data(draft, results="Sửa sau khi gửi"))
    draft.refresh_from_db()
    assert draft.results == "Kết quả quý I"
    assert draft.status == ReportStatus.SUBMITTED


def test_submit_button_on_the_detail_page(client, officer, draft):
    draft.results = "Kết quả"
    draft.save()
    client.force_login(officer)

    response = client.post(
        reverse("periodic:report_submit", args=[draft.pk]), {"version": "not a number"}
    )

    assert response.url == reverse("periodic:report_detail", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.status == ReportStatus.SUBMITTED


def test_submit_without_results_goes_back_to_the_form(client, officer, draft):
    client.force_login(officer)
    response = client.post(reverse("periodic:report_submit", args=[draft.pk]), follow=True)
    assert "Write the results before submitting the report." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT


def test_another_agencys_officer_gets_404_and_changes_nothing(client, outsider, draft):
    client.force_login(outsider)
    for name in ["report_detail", "report_edit"]:
        assert client.get(reverse(f"periodic:{name}", args=[draft.pk])).status_code == 404
    response = client.post(
        reverse("periodic:report_edit", args=[draft.pk]), edit_data(draft, results="Hack")
    )
    assert response.status_code == 404
    assert client.post(reverse("periodic:report_submit", args=[draft.pk])).status_code == 404
    draft.refresh_from_db()
    assert (draft.results, draft.status) == ("", ReportStatus.DRAFT)


# Review


@pytest.fixture
def submitted(draft, officer):
    draft.results = "Đã tổ chức hội nghị"
    draft.save()
    return submit(report=draft, user=officer)


def test_coordinator_returns_with_a_comment_and_the_agency_resubmits(
    client, coordinator, officer, submitted
):
    client.force_login(coordinator)
    detail = reverse("periodic:report_detail", args=[submitted.pk])
    page = client.get(detail).content.decode()
    assert "Accept the report" in page
    assert "Return to the agency" in page

    client.post(reverse("periodic:report_return", args=[submitted.pk]),
                {"comment": "Bổ sung số người tham dự", "version": submitted.version})

    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.RETURNED
    client.force_login(officer)
    edit = reverse("periodic:report_edit", args=[submitted.pk])
    form_page = client.get(edit).content.decode()
    assert "Bổ sung số người tham dự" in form_page
    client.post(edit, edit_data(submitted, action="submit", results="Đã bổ sung: 320 người"))
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.SUBMITTED

    client.force_login(coordinator)
    client.post(reverse("periodic:report_accept", args=[submitted.pk]),
                {"version": submitted.version})
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.ACCEPTED
    assert "Accepted" in client.get(detail).content.decode()


def test_return_without_a_comment_shows_the_error_next_to_the_field(
    client, coordinator, submitted
):
    client.force_login(coordinator)
    response = client.post(reverse("periodic:report_return", args=[submitted.pk]),
                           {"comment": "  "})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("What should the agency change?") < page.index("This field is required.")
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.SUBMITTED


def test_accepting_a_draft_is_refused_with_a_message(client, coordinator, draft):
    client.force_login(coordinator)
    response = client.post(reverse("periodic:report_accept", args=[draft.pk]), follow=True)
    assert "Only a submitted report can be accepted" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT


@pytest.mark.parametrize("name", ["report_accept", "report_return"])
def test_leadership_reads_but_cannot_review(client, leadership, submitted, name):
    client.force_login(leadership)
    page = client.get(reverse("periodic:report_detail", args=[submitted.pk])).content.decode()
    assert "Đã tổ chức hội nghị" in page
    assert "Accept the report" not in page
    response = client.post(reverse(f"periodic:{name}", args=[submitted.pk]), {"comment": "x"})
    assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.SUBMITTED


def test_the_agency_cannot_review_its_own_report(client, officer, submitted):
    client.force_login(officer)
    response = client.post(reverse("periodic:report_accept", args=[submitted.pk]))
    assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.SUBMITTED


def test_detail_query_count_does_not_grow_with_figures_and_tasks(
    client, django_assert_num_queries, coordinator, report_plan, justice, officer
):
    client.force_login(coordinator)
    for count in (1, 10):
        AgencyReport.objects.all().delete()
        for number in range(report_plan.tasks.count(), count):
            assignment = assignment_for(report_plan, justice)
            item = measure(f"measure-{number}", f"channel-{number}")
            update_at(assignment, officer, "10/01/2022 09:00", figures={item: number + 1})
        report = start_report(
            plan=report_plan, agency=justice, year=2022, period_code="Q1", user=officer
        )
        # session, user (with agency and permissions), report with plan/agency/people,
        # figures with measures and channels, task states with their tasks
        with django_assert_num_queries(5):
            response = client.get(reverse("periodic:report_detail", args=[report.pk]))
        assert len(response.context["task_states"]) == count
        assert len(response.context["figures"]) == count


def test_admin_lists_reports_read_only(client, draft, province):
    admin_user = UserFactory(username="root", agency=province, role="admin", is_staff=True,
                             is_superuser=True)
    client.force_login(admin_user)
    changelist = client.get(reverse("admin:periodic_agencyreport_changelist"),
                            {"status__exact": "draft"})
    assert "Sở Tư pháp" in changelist.content.decode()
    change = client.get(reverse("admin:periodic_agencyreport_change", args=[draft.pk]))
    assert change.status_code == 200
    assert 'name="results"' not in change.content.decode()
    assert client.get(reverse("admin:periodic_agencyreport_add")).status_code == 403


def test_edit_page_query_count_does_not_grow_with_measures_and_tasks(
    client, django_assert_num_queries, report_plan, justice, officer
):
    client.force_login(officer)
    for count in (1, 10):
        AgencyReport.objects.all().delete()
        for number in range(report_plan.tasks.count(), count):
            assignment = assignment_for(report_plan, justice)
            item = measure(f"measure-{number}", f"channel-{number}")
            update_at(assignment, officer, "10/01/2022 09:00", figures={item: number + 1})
        report = start_report(
            plan=report_plan, agency=justice, year=2022, period_code="Q1", user=officer
        )
        # session, user (with agency and permissions), report with plan/agency/people,
        # figures, task states with their tasks, measures with channels
        with django_assert_num_queries(6):
            response = client.get(reverse("periodic:report_edit", args=[report.pk]))
        assert len(response.context["form"].task_rows()) == count


def test_the_reports_old_admin_addresses_lead_to_their_new_ones(client, coordinator, draft):
    client.force_login(coordinator)
    old = f"/en/admin/reports/agencyreport/{draft.pk}/change/?_changelist_filters=status"
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == (
        f"/en/admin/periodic/agencyreport/{draft.pk}/change/?_changelist_filters=status"
    )
    assert client.get("/admin/reports/agencyreport/")["Location"] == (
        "/admin/periodic/agencyreport/"
    )


def test_a_superuser_reads_agency_reports_but_writes_none(client, draft, report_plan, justice):
    """Administrators read; Django's superuser-has-every-permission does not apply here."""
    root = UserFactory(username="root", agency=justice, role="admin", is_staff=True,
                       is_superuser=True)
    client.force_login(root)
    before = AgencyReport.objects.values().get(pk=draft.pk)

    detail = client.get(reverse("periodic:report_detail", args=[draft.pk]))
    assert detail.status_code == 200
    # No menu link to a page refused to them.
    assert f'href="{reverse("periodic:my_reports")}"' not in detail.content.decode()
    assert client.get(reverse("periodic:my_reports")).status_code == 403
    start = reverse("periodic:report_start", args=[report_plan.pk, 2022, "H1"])
    assert client.post(start).status_code == 403
    edit = reverse("periodic:report_edit", args=[draft.pk])
    assert client.get(edit).status_code == 403
    assert client.post(edit, edit_data(draft, results="Viết thay đơn vị")).status_code == 403
    submit_url = reverse("periodic:report_submit", args=[draft.pk])
    assert client.post(submit_url, {"version": draft.version}).status_code == 403

    assert AgencyReport.objects.values().get(pk=draft.pk) == before
    assert AgencyReport.objects.count() == 1
    assert not root.has_perm("periodic.change_agency_report", draft)
    assert root.has_perm("periodic.review_agency_report")


def test_a_report_submitted_twice_from_the_detail_page_is_submitted_once(
    client, officer, draft
):
    draft.results = "Kết quả"
    draft.save()
    client.force_login(officer)
    detail = reverse("periodic:report_detail", args=[draft.pk])
    data = {"version": draft.version, "submission_token": form_token(client.get(detail).content)}

    first = client.post(reverse("periodic:report_submit", args=[draft.pk]), data)
    second = client.post(reverse("periodic:report_submit", args=[draft.pk]), data, follow=True)

    assert first.url == detail and second.redirect_chain[0][0] == detail
    page = second.content.decode()
    assert "This form had already been sent" in page
    assert "stale" not in page.lower() and "has been changed" not in page
    draft.refresh_from_db()
    assert (draft.status, draft.version) == (ReportStatus.SUBMITTED, data["version"] + 1)


def test_the_report_form_sent_twice_saves_and_submits_once(client, officer, draft):
    client.force_login(officer)
    url = reverse("periodic:report_edit", args=[draft.pk])
    data = edit_data(draft, action="submit", results="Kết quả quý I")
    data["submission_token"] = form_token(client.get(url).content)

    first = client.post(url, data)
    second = client.post(url, data, follow=True)

    assert first.url == reverse("periodic:report_detail", args=[draft.pk])
    assert second.redirect_chain[0][0] == first.url
    assert "This form had already been sent" in second.content.decode()
    assert AgencyReport.objects.count() == 1
    draft.refresh_from_db()
    assert (draft.status, draft.results) == (ReportStatus.SUBMITTED, "Kết quả quý I")


# The coordinators' way in to the matrices


def test_overview_links_each_reporting_plan_to_its_matrix_and_is_in_the_menu(
    client, coordinator, report_plan, province
):
    on_request = PlanFactory(issuer=province, status="issued", reporting_periods=[])
    client.force_login(coordinator)
    home = client.get(reverse("plans:list")).text
    assert f'href="{reverse("periodic:overview")}"' in home
    text = client.get(reverse("periodic:overview")).text
    assert f'href="{reverse("periodic:completeness", args=[report_plan.pk])}"' in text
    assert "Kế hoạch tuyên truyền CCHC năm 2022" in text
    assert reverse("periodic:completeness", args=[on_request.pk]) not in text


def test_overview_leaves_out_plans_asking_for_no_period(client, coordinator, province):
    asked = reporting_plan(province, periods=["on_request", "Y"], title="Năm và khi yêu cầu")
    only_on_request = reporting_plan(province, periods=["on_request"])
    draft = PlanFactory(issuer=province, status="draft", reporting_periods=["Q1"])
    client.force_login(coordinator)
    response = client.get(reverse("periodic:overview"))
    (row,) = response.context["page"].object_list
    assert row[0] == asked
    assert [period.label for period in row[1]] == ["Year 2022"]
    text = response.text
    for hidden in (only_on_request, draft):
        assert reverse("periodic:completeness", args=[hidden.pk]) not in text


@pytest.mark.parametrize("size", [1, 10])
def test_overview_query_count_does_not_grow_with_plans(
    client, django_assert_num_queries, coordinator, province, size
):
    for _n in range(size):
        reporting_plan(province)
    client.force_login(coordinator)
    # session, user (with agency and permissions), the count of the reporting plans, the
    # page's plans with their issuer
    with django_assert_num_queries(4):
        response = client.get(reverse("periodic:overview"))
    assert len(response.context["page"].object_list) == size


# The printable copy


def _pdf_text(response):
    reader = PdfReader(BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


def test_the_agency_prints_its_own_report_as_a_vietnamese_document(
    client, officer, outsider, draft, news
):
    draft.results = "Đã tổ chức 02 hội nghị tuyên truyền CCHC."
    draft.proposals = "Đề nghị bổ sung kinh phí"
    draft.save()
    client.force_login(officer)
    page = client.get(reverse("periodic:report_detail", args=[draft.pk])).content.decode()
    url = reverse("periodic:report_pdf", args=[draft.pk])
    assert f'href="{url}"' in page

    response = client.get(url)

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="bao-cao-2022-Q1-stp.pdf"'
    text = _pdf_text(response)
    for part in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "SỞ TƯ PHÁP",
        "BÁO CÁO",
        "Quý I/2022",  # in Vietnamese whatever the page's language
        "Đã tổ chức 02 hội nghị tuyên truyền CCHC.",
        "Tin, bài trên Cổng thông tin",
        "Tổ chức hội nghị CCHC",
        "Đề nghị bổ sung kinh phí./.",
    ]:
        assert part in text, part
    client.force_login(outsider)
    assert client.get(url).status_code == 404
