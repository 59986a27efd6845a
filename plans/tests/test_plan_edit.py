"""Creating a plan and editing it section by section, in the browser."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from plans.models import LegalBasis, Plan, PlanStatus
from tests.factories import AgencyFactory, PlanFactory
from tests.factories.plans import AudienceFactory, ChannelFactory, add_row, page_data, vi


def edit_url(plan, section):
    return reverse("plans:edit_section", args=[plan.pk, section])


def load(client, plan, section):
    response = client.get(edit_url(plan, section))
    assert response.status_code == 200
    return page_data(response)


def save(client, plan, section, data):
    return client.post(edit_url(plan, section), data)


def detail(client, plan):
    return client.get(reverse("plans:detail", args=[plan.pk])).text


def history(client, plan):
    return client.get(reverse("plans:history", args=[plan.pk])).text


@pytest.fixture
def draft(province, justice):
    plan = PlanFactory(issuer=province, status="draft", title="Kế hoạch tuyên truyền CCHC 2025")
    return plan


@pytest.mark.django_db
def test_create_plan_as_draft(client, coordinator, province, justice):
    client.force_login(coordinator)
    response = client.post(
        reverse("plans:create"),
        {
            "issuer": province.pk,
            "title": "Tuyên truyền cải cách hành chính tỉnh năm 2025",
            "document_number": "12/KH-UBND",
            "issued_on": "2025-01-20",
            "place": "Khánh Hòa",
            "period_start_year": "2025",
            "period_end_year": "2025",
            "addressed_agencies": [justice.pk],
            "submission_deadline": "2025-02-28",
        },
    )
    plan = Plan.objects.get(document_number="12/KH-UBND")
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:detail", args=[plan.pk])
    assert (plan.status, plan.created_by, plan.issued_on) == (
        PlanStatus.DRAFT, coordinator, datetime.date(2025, 1, 20)
    )
    assert list(plan.addressed_agencies.all()) == [justice]
    text = detail(client, plan)
    assert "Tuyên truyền cải cách hành chính tỉnh năm 2025" in text
    assert vi("Plan created") in text


@pytest.mark.django_db
def test_create_plan_errors_next_to_fields(client, coordinator, province):
    client.force_login(coordinator)
    response = client.post(
        reverse("plans:create"),
        {"issuer": province.pk, "title": "", "period_start_year": "2025",
         "period_end_year": "2024"},
    )
    assert response.status_code == 200
    assert not Plan.objects.exists()
    form = response.context["form"]
    assert set(form.errors) == {"title", "period_end_year"}
    assert vi("The last year cannot be before the first year.") in response.text


@pytest.mark.django_db
def test_officers_and_leadership_cannot_create(client, officer, leadership, province):
    for user in (officer, leadership):
        client.force_login(user)
        assert client.get(reverse("plans:create")).status_code == 403
        client.post(reverse("plans:create"), {"issuer": province.pk, "title": "X",
                                              "period_start_year": 2025,
                                              "period_end_year": 2025})
    assert not Plan.objects.exists()


@pytest.mark.django_db
def test_edit_header(client, coordinator, draft, justice):
    client.force_login(coordinator)
    data = load(client, draft, "header")
    data.update(title="Kế hoạch tuyên truyền CCHC năm 2025 (sửa)", document_number="45/KH-UBND",
                period_end_year="2026", addressed_agencies=[str(justice.pk)],
                submission_deadline="2025-03-31")
    response = save(client, draft, "header", data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.document_number, draft.period_end_year, draft.version) == (
        "Kế hoạch tuyên truyền CCHC năm 2025 (sửa)", "45/KH-UBND", 2026, 1
    )
    assert list(draft.addressed_agencies.all()) == [justice]
    text = history(client, draft)
    assert vi("Edited: %(section)s", section=vi("Header, title and period")) in text
    assert "45/KH-UBND" in text
    assert "Sở Tư pháp" in text  # addressed agency added
    assert coordinator.username in text


@pytest.mark.django_db
def test_the_header_shows_and_edits_the_symbol_as_written(client, coordinator, draft):
    draft.document_symbol = "KH-UBND"
    draft.save()
    client.force_login(coordinator)
    html = client.get(edit_url(draft, "header")).text
    assert 'name="document_symbol"' in html and 'value="KH-UBND"' in html
    data = load(client, draft, "header")
    data.update(document_symbol="KH-SNV")
    assert save(client, draft, "header", data).status_code == 302
    draft.refresh_from_db()
    assert (draft.document_number, draft.document_symbol) == ("", "KH-SNV")


@pytest.mark.django_db
def test_edit_purpose(client, coordinator, draft):
    audience = AudienceFactory(name="Người dân, tổ chức, doanh nghiệp")
    client.force_login(coordinator)
    data = load(client, draft, "purpose")
    data.update(objectives="- Nâng cao nhận thức\n- 100% CBCCVC được tuyên truyền",
                requirements="- Thiết thực", audiences=[str(audience.pk)])
    assert save(client, draft, "purpose", data).status_code == 302
    draft.refresh_from_db()
    assert draft.objective_lines() == ["- Nâng cao nhận thức", "- 100% CBCCVC được tuyên truyền"]
    assert list(draft.audiences.all()) == [audience]
    text = detail(client, draft)
    assert "- 100% CBCCVC được tuyên truyền" in text
    assert "Người dân, tổ chức, doanh nghiệp" in text
    assert vi("Edited: %(section)s", section=vi("Objectives, requirements and audiences")) in (
        history(client, draft)
    )


@pytest.mark.django_db
def test_edit_legal_bases_add_reorder_remove(client, coordinator, draft):
    client.force_login(coordinator)
    data = load(client, draft, "legal_bases")
    add_row(data, {"text": "Căn cứ Nghị quyết 76/NQ-CP", "ORDER": "1"})
    add_row(data, {"text": "Căn cứ Quyết định 4831/QĐ-UBND", "ORDER": "2"})
    assert save(client, draft, "legal_bases", data).status_code == 302
    assert [b.text for b in draft.legal_bases.all()] == [
        "Căn cứ Nghị quyết 76/NQ-CP", "Căn cứ Quyết định 4831/QĐ-UBND"
    ]
    # Put the second first, then remove the (now) second.
    data = load(client, draft, "legal_bases")
    data["parts-0-ORDER"], data["parts-1-ORDER"] = "2", "1"
    assert save(client, draft, "legal_bases", data).status_code == 302
    assert [b.text for b in draft.legal_bases.all()] == [
        "Căn cứ Quyết định 4831/QĐ-UBND", "Căn cứ Nghị quyết 76/NQ-CP"
    ]
    data = load(client, draft, "legal_bases")
    data["parts-1-DELETE"] = "on"
    assert save(client, draft, "legal_bases", data).status_code == 302
    assert [b.text for b in draft.legal_bases.all()] == ["Căn cứ Quyết định 4831/QĐ-UBND"]
    text = history(client, draft)
    assert vi("Removed %(kind)s", kind=vi("legal basis")) in text
    assert "Căn cứ Nghị quyết 76/NQ-CP" in text


@pytest.mark.django_db
def test_edit_targets(client, coordinator, draft):
    client.force_login(coordinator)
    data = add_row(load(client, draft, "targets"), {
        "indicator": "PAR INDEX", "description": "Xếp hạng Chỉ số CCHC", "unit": "rank",
        "baseline": "25", "baseline_label": "2023", "target_value": "20",
    })
    assert save(client, draft, "targets", data).status_code == 302
    target = draft.targets.get()
    assert (target.indicator, target.target_value, target.baseline) == (
        "PAR INDEX", Decimal("20"), Decimal("25")
    )
    text = detail(client, draft)
    assert "PAR INDEX" in text and "Xếp hạng Chỉ số CCHC" in text


@pytest.mark.django_db
def test_edit_targets_errors_next_to_fields(client, coordinator, draft):
    client.force_login(coordinator)
    data = add_row(load(client, draft, "targets"), {"indicator": "PCI", "target_value": "abc"})
    response = save(client, draft, "targets", data)
    assert response.status_code == 200
    errors = response.context["formset"].forms[0].errors
    assert {"description", "unit", "target_value"} <= set(errors)
    assert not draft.targets.exists()


@pytest.mark.django_db
def test_edit_content_areas(client, coordinator, draft):
    audience = AudienceFactory(name="Cán bộ, công chức, viên chức")
    client.force_login(coordinator)
    data = add_row(load(client, draft, "content_areas"), {
        "heading": "Nội dung tuyên truyền cho cán bộ", "audience": str(audience.pk),
        "body": "Tuyên truyền mục tiêu\nTuyên truyền kết quả",
    })
    assert save(client, draft, "content_areas", data).status_code == 302
    area = draft.content_areas.get()
    assert (area.heading, area.audience) == ("Nội dung tuyên truyền cho cán bộ", audience)
    text = detail(client, draft)
    assert "Tuyên truyền kết quả" in text and "Cán bộ, công chức, viên chức" in text


@pytest.mark.django_db
def test_edit_channels(client, coordinator, draft):
    channel = ChannelFactory(name="Cổng thông tin điện tử", is_online=True)
    client.force_login(coordinator)
    data = add_row(load(client, draft, "channels"), {
        "channel": str(channel.pk), "label": "c)", "heading": "Tuyên truyền qua Cổng TTĐT",
    })
    assert save(client, draft, "channels", data).status_code == 302
    assert draft.plan_channels.get().channel == channel
    assert "Tuyên truyền qua Cổng TTĐT" in detail(client, draft)


@pytest.mark.django_db
def test_edit_duties_with_agencies(client, coordinator, draft, justice, home_affairs):
    client.force_login(coordinator)
    data = load(client, draft, "duties")
    data["implementation"] = "Các cơ quan triển khai thực hiện."
    add_row(data, {"heading": "Sở Tư pháp", "agencies": [str(justice.pk)],
                   "body": "Phổ biến pháp luật"})
    assert save(client, draft, "duties", data).status_code == 302
    duty = draft.duties.get()
    assert list(duty.agencies.all()) == [justice]
    draft.refresh_from_db()
    assert draft.implementation == "Các cơ quan triển khai thực hiện."
    # Change only the agencies: still saved, and the history says who was added.
    data = load(client, draft, "duties")
    data["parts-0-agencies"] = [str(justice.pk), str(home_affairs.pk)]
    assert save(client, draft, "duties", data).status_code == 302
    assert set(duty.agencies.all()) == {justice, home_affairs}
    assert "Sở Nội vụ" in history(client, draft)


@pytest.mark.django_db
def test_edit_budget_and_reporting(client, coordinator, draft):
    client.force_login(coordinator)
    data = load(client, draft, "budget")
    data.update(budget_text="Ngân sách tỉnh", budget_amount="1234567",
                reporting_periods=["Y", "Q1"], report_due_day="15",
                report_recipient="Sở Nội vụ")
    assert save(client, draft, "budget", data).status_code == 302
    draft.refresh_from_db()
    assert (draft.budget_amount, draft.reporting_periods, draft.report_due_day) == (
        Decimal("1234567"), ["Q1", "Y"], 15
    )
    text = detail(client, draft)
    assert "1.234.567 đ" in text
    assert vi("First quarter") in text
    assert "1.234.567 đ" in history(client, draft)


@pytest.mark.django_db
def test_edit_budget_refuses_bad_values(client, coordinator, draft):
    client.force_login(coordinator)
    data = load(client, draft, "budget")
    data.update(budget_amount="-5", report_due_day="40", reporting_periods=["Q7"])
    response = save(client, draft, "budget", data)
    assert set(response.context["form"].errors) == {
        "budget_amount", "report_due_day", "reporting_periods"
    }
    assert vi("The budget cannot be negative.") in response.text


@pytest.mark.django_db
def test_edit_signature_and_recipients(client, coordinator, draft):
    client.force_login(coordinator)
    data = load(client, draft, "signature")
    data.update(signer_authority="TM. ỦY BAN NHÂN DÂN", signer_title="CHỦ TỊCH",
                signer_name="Nguyễn Tấn Tuấn", recipients="Bộ Nội vụ\nLưu: VT, DL.")
    assert save(client, draft, "signature", data).status_code == 302
    text = detail(client, draft)
    assert "Nguyễn Tấn Tuấn" in text and "Lưu: VT, DL." in text


@pytest.mark.django_db
def test_saving_unchanged_section_writes_nothing(client, coordinator, draft):
    client.force_login(coordinator)
    records = draft.history.count()
    assert save(client, draft, "signature", load(client, draft, "signature")).status_code == 302
    draft.refresh_from_db()
    assert (draft.version, draft.history.count()) == (0, records)


@pytest.mark.django_db
def test_unknown_section_is_404(client, coordinator, draft):
    client.force_login(coordinator)
    assert client.get(edit_url(draft, "nonsense")).status_code == 404


# Issuing freezes the plan ------------------------------------------------------------------


@pytest.mark.django_db
def test_issue_then_edit_is_refused_and_reopen_allows(client, coordinator, draft):
    client.force_login(coordinator)
    data = load(client, draft, "header")
    assert client.post(reverse("plans:issue", args=[draft.pk])).status_code == 302
    draft.refresh_from_db()
    assert draft.status == PlanStatus.ISSUED

    data["title"] = "Sửa sau khi ban hành"
    data["version"] = str(draft.version)
    response = save(client, draft, "header", data)
    assert response.status_code == 403
    assert "Sửa sau khi ban hành" in response.text  # what was typed is not lost
    draft.refresh_from_db()
    assert draft.title == "Kế hoạch tuyên truyền CCHC 2025"
    assert response.context["frozen"]
    # The edit page itself says why there is no form.
    assert client.get(edit_url(draft, "header")).context["frozen"]

    assert client.post(reverse("plans:reopen", args=[draft.pk])).status_code == 302
    draft.refresh_from_db()
    assert draft.status == PlanStatus.DRAFT
    data = load(client, draft, "header")
    data["title"] = "Sửa sau khi mở lại"
    assert save(client, draft, "header", data).status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Sửa sau khi mở lại"
    text = history(client, draft)
    assert vi("Plan issued") in text and vi("Plan reopened for editing") in text


@pytest.mark.django_db
def test_close_an_issued_plan(client, coordinator, draft):
    client.force_login(coordinator)
    client.post(reverse("plans:issue", args=[draft.pk]))
    client.post(reverse("plans:close", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == PlanStatus.CLOSED


@pytest.mark.django_db
def test_issuing_twice_is_reported_not_fatal(client, coordinator, draft):
    client.force_login(coordinator)
    client.post(reverse("plans:issue", args=[draft.pk]))
    response = client.post(reverse("plans:issue", args=[draft.pk]), follow=True)
    assert response.status_code == 200
    with translation.override("vi"):
        status = str(PlanStatus.ISSUED.label).lower()
    assert vi("This cannot be done while the plan is %(status)s.", status=status) in (
        response.text
    )


@pytest.mark.django_db
def test_leadership_cannot_issue_or_edit(client, leadership, draft):
    client.force_login(leadership)
    assert client.post(reverse("plans:issue", args=[draft.pk])).status_code == 403
    assert client.get(edit_url(draft, "header")).status_code == 403
    draft.refresh_from_db()
    assert draft.status == PlanStatus.DRAFT


@pytest.mark.django_db
def test_officer_edits_own_agency_plan_but_not_its_parent(client, officer, justice, issued_plan):
    own = PlanFactory(issuer=justice, parent=issued_plan, status="draft", title="KH của Sở")
    client.force_login(officer)
    data = load(client, own, "header")
    assert "issuer" not in data and "parent" not in data
    data["title"] = "Kế hoạch của Sở Tư pháp (sửa)"
    assert save(client, own, "header", data).status_code == 302
    own.refresh_from_db()
    assert (own.title, own.issuer, own.parent) == (
        "Kế hoạch của Sở Tư pháp (sửa)", justice, issued_plan
    )
    assert client.get(edit_url(issued_plan, "header")).status_code == 403
    assert client.post(reverse("plans:reopen", args=[own.pk])).status_code == 403


@pytest.mark.django_db
def test_outsider_cannot_see_the_edit_page(client, outsider, draft):
    client.force_login(outsider)
    assert client.get(edit_url(draft, "header")).status_code == 404
    assert client.post(reverse("plans:issue", args=[draft.pk])).status_code == 404


# Concurrent edits (issue item 13) ----------------------------------------------------------


@pytest.mark.django_db
def test_stale_version_is_refused_and_first_edit_kept(client, coordinator, draft, home_affairs):
    client.force_login(coordinator)
    first = load(client, draft, "header")
    second = dict(first)  # a second tab, opened at the same version
    first["title"] = "Bản sửa thứ nhất"
    second["title"] = "Bản sửa thứ hai"
    assert save(client, draft, "header", first).status_code == 302

    response = save(client, draft, "header", second)
    assert response.status_code == 409
    assert vi("Your changes were not saved.") in response.text
    assert "Bản sửa thứ hai" in response.text  # the second user's input is shown back
    draft.refresh_from_db()
    assert (draft.title, draft.version) == ("Bản sửa thứ nhất", 1)
    # Saving again from the conflict page is a deliberate choice and then succeeds.
    again = page_data(response)
    assert again["version"] == "1"
    assert save(client, draft, "header", again).status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Bản sửa thứ hai"


@pytest.mark.django_db
def test_stale_version_of_parts_is_refused(client, coordinator, draft):
    LegalBasis.objects.create(plan=draft, position=1, text="Căn cứ cũ")
    client.force_login(coordinator)
    first, second = load(client, draft, "legal_bases"), load(client, draft, "legal_bases")
    first["parts-0-text"] = "Căn cứ do người thứ nhất sửa"
    second["parts-0-DELETE"] = "on"
    assert save(client, draft, "legal_bases", first).status_code == 302
    assert save(client, draft, "legal_bases", second).status_code == 409
    assert [b.text for b in draft.legal_bases.all()] == ["Căn cứ do người thứ nhất sửa"]


@pytest.mark.django_db
def test_form_without_version_is_refused(client, coordinator, draft):
    client.force_login(coordinator)
    data = load(client, draft, "header")
    del data["version"]
    data["title"] = "Không có phiên bản"
    assert save(client, draft, "header", data).status_code == 409
    draft.refresh_from_db()
    assert draft.title == "Kế hoạch tuyên truyền CCHC 2025"


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 10])
def test_history_page_query_count_does_not_grow(client, coordinator, draft, size,
                                                 django_assert_num_queries):
    client.force_login(coordinator)
    for i in range(size):
        data = add_row(load(client, draft, "legal_bases"), {"text": f"Căn cứ {i}"})
        save(client, draft, "legal_bases", data)
    # session, user (with agency and permissions), the plan; history: plan, its audiences
    # and addressed agencies, legal bases, targets, targets' actuals, content areas,
    # channels, duties (their agencies: one more query once there are duties), budget lines
    with django_assert_num_queries(13):
        response = client.get(reverse("plans:history", args=[draft.pk]))
    assert len(response.context["page"].object_list) == size + 1  # the edits and the creation
    assert f"Căn cứ {size - 1}" in response.text


@pytest.mark.django_db
def test_a_plan_implements_a_plan_in_force_of_its_province(client, coordinator, draft, justice):
    """The parent dropdown offers the province's issued plans, not every plan of the country
    (tens of thousands nationally): no draft, no closed plan, no other province's, not the
    plan itself; a parent already chosen stays offered."""
    other_province = AgencyFactory(name="Ủy ban nhân dân tỉnh Ninh Thuận", code="UBND-NT",
                                   kind="province")
    in_force = PlanFactory(issuer=draft.issuer, status="issued", title="Kế hoạch tỉnh 2025",
                           document_number="12/KH-UBND")
    closed = PlanFactory(issuer=draft.issuer, status="closed", title="Kế hoạch tỉnh 2020")
    PlanFactory(issuer=justice, status="draft", title="Dự thảo của Sở Tư pháp")
    PlanFactory(issuer=other_province, status="issued", title="Kế hoạch tỉnh Ninh Thuận")
    client.force_login(coordinator)

    page = client.get(edit_url(draft, "header")).text
    offered = re.findall(r'<option value="(\d+)"[^>]*>([^<]*)</option>',
                         page[page.index('name="parent"'):page.index("</select>",
                                                                     page.index('name="parent"'))])
    assert offered == [(str(in_force.pk), "12/KH-UBND · Kế hoạch tỉnh 2025")]

    draft.parent = closed
    draft.save()
    data = load(client, draft, "header")
    assert data["parent"] == str(closed.pk)  # still offered, still chosen
    data["parent"] = str(in_force.pk)
    assert save(client, draft, "header", data).status_code == 302
    draft.refresh_from_db()
    assert draft.parent == in_force
