import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from plans.models import BudgetLine, ContentArea, LegalBasis, Plan, Target, TargetActual
from plans.selectors import load_parts
from tasks.services import schedule_task, set_task_agencies
from tests.factories import AgencyFactory, PlanFactory, TaskFactory
from tests.factories.plans import fill_document, vi


def url(plan):
    return reverse("plans:detail", args=[plan.pk])


@pytest.fixture
def document(province, justice, districts, district_group):
    plan = PlanFactory(
        issuer=province,
        status="issued",
        title="Tuyên truyền cải cách hành chính tỉnh Khánh Hòa năm 2022",
        decision_number="286/QĐ-UBND",
        decision_date=datetime.date(2022, 1, 26),
        issued_on=datetime.date(2022, 1, 26),
        place="Khánh Hòa",
        objectives="- Tiếp tục củng cố sự đồng thuận\n- 100% cán bộ được tuyên truyền",
        requirements="- Bảo đảm sự đồng bộ",
        budget_text="Theo Thông tư số 26/2019/TT-BTC",
        budget_amount=1234567,
        reporting_periods=["Q1", "H1", "M9", "Y"],
        report_recipient="Sở Nội vụ",
        signer_authority="TM. ỦY BAN NHÂN DÂN",
        signer_title="CHỦ TỊCH",
        signer_name="Nguyễn Tấn Tuấn",
        recipients="Như Điều 3\nBộ Nội vụ\nLưu: VT, DL.",
        submission_deadline=datetime.date(2022, 2, 28),
    )
    return fill_document(plan, 1, agencies=[justice], group=district_group)


@pytest.mark.django_db
def test_plan_detail_reads_like_the_document(client, coordinator, document):
    client.force_login(coordinator)
    text = client.get(url(document)).text
    for part in [
        "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA",
        "286/QĐ-UBND",
        "26/01/2022",
        "Tuyên truyền cải cách hành chính tỉnh Khánh Hòa năm 2022",
        "Căn cứ văn bản số 1",
        "- 100% cán bộ được tuyên truyền",
        "- Bảo đảm sự đồng bộ",
        "Cán bộ, công chức, viên chức",  # the audience, and the content areas' group
        "Nội dung 1",
        "Kênh 1",
        "Báo chí",
        "PAR INDEX 1",
        "1.234.567 đ",
        vi("First quarter"),
        "Nguyễn Tấn Tuấn",
        "TM. ỦY BAN NHÂN DÂN",
        "Bộ Nội vụ",
        "28/02/2022",  # deadline for the agencies' own plans
    ]:
        assert part in text, part


@pytest.mark.django_db
def test_plan_detail_task_table(client, coordinator, document, districts):
    client.force_login(coordinator)
    response = client.get(url(document))
    row = response.context["task_rows"][0]
    assert [label.name for label in row.leads] == [
        "UBND các huyện, thị xã, thành phố",
        "Sở Tư pháp",
    ]
    assert row.leads[0].member_count == len(districts)
    text = response.text
    assert "UBND các huyện, thị xã, thành phố (3 " in text  # "(3 đơn vị)" in Vietnamese
    assert "Quý II/2022" in text
    assert "30/06/2022" in text  # resolved due date, dd/mm/yyyy
    assert '<progress max="100" value="0"' in text


@pytest.mark.django_db
def test_a_task_with_many_coordinators_shows_three_and_folds_the_others(
    client, coordinator, plan, province
):
    agencies = [
        AgencyFactory(name=f"Sở số {n} & <Ban>", code=f"S{n}", parent=province) for n in range(5)
    ]
    task = TaskFactory(plan=plan, number=1)
    set_task_agencies(task=task, leads=[], coordinators=agencies)
    client.force_login(coordinator)

    html = client.get(url(plan)).text

    cell = html[html.index('<ul class="agencies">'):]
    shown, folded = cell.split('<details class="more-agencies">', 1)
    assert shown.count("<li>") == 3 and "Sở số 0 &amp; &lt;Ban&gt;" in shown
    summary = folded[folded.index("<summary>") + 9:folded.index("</summary>")]
    assert summary == "2 đơn vị khác"
    assert folded[:folded.index("</details>")].count("<li>") == 2
    assert '<span class="muted">—</span>' in html  # no lead


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("timeline", "shown"),
    [
        ("Thường xuyên", "Ongoing"),
        ("Khi có chỉ đạo của cấp trên", "Timeline not understood: to review"),
    ],
)
def test_plan_detail_timelines_without_a_date(client, coordinator, plan, timeline, shown):
    task = TaskFactory(plan=plan, number=1, timeline_text=timeline)
    schedule_task(task=task)
    client.force_login(coordinator)
    text = client.get(url(plan)).text
    assert timeline in text
    assert vi(shown) in text


@pytest.mark.django_db
def test_plan_detail_empty_plan_has_empty_states(client, coordinator, plan):
    client.force_login(coordinator)
    text = client.get(url(plan)).text
    assert vi("This plan has no key task yet.") in text
    assert vi("No legal basis cited yet.") in text
    assert vi("No numeric target set.") in text


@pytest.mark.django_db
def test_plan_detail_draft_offers_section_edits_and_issue(client, coordinator, plan):
    client.force_login(coordinator)
    text = client.get(url(plan)).text
    assert reverse("plans:edit_section", args=[plan.pk, "targets"]) in text
    assert reverse("plans:issue", args=[plan.pk]) in text
    assert f"/tasks/plans/{plan.pk}/" in text


@pytest.mark.django_db
def test_plan_detail_issued_offers_no_edits(client, coordinator, document):
    client.force_login(coordinator)
    text = client.get(url(document)).text
    assert reverse("plans:edit_section", args=[document.pk, "targets"]) not in text
    assert reverse("plans:reopen", args=[document.pk]) in text


@pytest.mark.django_db
def test_plan_detail_for_officers_of_involved_and_other_agencies(
    client, officer, outsider, document
):
    client.force_login(officer)
    response = client.get(url(document))
    assert response.status_code == 200
    assert reverse("plans:submit", args=[document.pk]) in response.text  # addressed
    assert reverse("plans:issue", args=[document.pk]) not in response.text
    assert reverse("plans:reopen", args=[document.pk]) not in response.text
    client.force_login(outsider)
    assert client.get(url(document)).status_code == 404


@pytest.mark.django_db
def test_plan_detail_unknown_plan_is_404(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("plans:detail", args=[999999])).status_code == 404


@pytest.mark.django_db
def test_plan_detail_shows_recent_history(client, coordinator, plan):
    basis = LegalBasis(plan=plan, text="Căn cứ Luật Tổ chức chính quyền địa phương")
    basis._change_reason = "section:legal_bases"
    basis.save()
    client.force_login(coordinator)
    text = client.get(url(plan)).text
    assert vi("Edited: %(section)s", section=vi("Legal bases")) in text
    assert "Căn cứ Luật Tổ chức chính quyền địa phương" in text
    assert reverse("plans:history", args=[plan.pk]) in text


@pytest.mark.django_db
def test_plan_detail_recent_changes_are_the_history_s_latest_sets(client, coordinator, plan):
    coordinator.first_name, coordinator.last_name = "Lan", "Nguyễn Thị"
    coordinator.save()
    for number in range(7):
        basis = LegalBasis(plan=plan, text=f"Căn cứ số {number}")
        basis._change_reason = "section:legal_bases"
        if number == 6:
            basis._history_user = plan._history_user = coordinator
        basis.save()
        plan._change_reason = "section:legal_bases"
        plan.save()
    client.force_login(coordinator)
    recent = client.get(url(plan)).context["change_sets"]
    history = client.get(reverse("plans:history", args=[plan.pk])).context["page"].object_list
    assert [(s.date, s.user_id, s.reason) for s in recent] == [
        (s.date, s.user_id, s.reason) for s in history[:5]
    ]
    assert recent[0].user.get_full_name() in client.get(url(plan)).text
    assert recent[0].entries == []  # what changed is on the history page


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 10])
def test_plan_detail_query_count_does_not_grow(
    client, coordinator, province, justice, districts, district_group, size,
    django_assert_num_queries,
):
    plan = PlanFactory(issuer=province, status="draft")
    fill_document(plan, size, agencies=[justice, *districts[:1]], group=district_group)
    client.force_login(coordinator)
    # session, the user (with agency, unread count and admin-granted permissions), the plan
    # with issuer, its parent body and parent plan; prefetched: tasks, tasks' lead groups,
    # tasks' assignments (+ agency, group); the plan's parts in one query (legal bases,
    # targets, their actuals, budget lines, audiences, addressed agencies, content areas
    # (+ audience), channels (+ channel), duties, duties' agencies); the heads of the recent
    # changes (one union of the plan's and its parts' history)
    with django_assert_num_queries(8):
        response = client.get(url(plan))
    assert len(response.context["task_rows"]) == size


@pytest.mark.django_db
def test_plan_detail_officer_query_count(client, officer, province, justice, districts,
                                         district_group, django_assert_num_queries):
    plan = PlanFactory(issuer=province, status="issued")
    fill_document(plan, 3, agencies=[justice], group=district_group)
    set_task_agencies(task=plan.tasks.first(), leads=[justice])
    client.force_login(officer)
    # as for a coordinator: the officer's visibility check is part of the plan's query
    with django_assert_num_queries(8):
        client.get(url(plan))


@pytest.mark.django_db
def test_plan_detail_links_keep_the_interface_language(client, coordinator, plan):
    client.force_login(coordinator)
    with translation.override("en"):
        text = client.get(url(plan)).text
        tasks_url, copy_url = (
            reverse("tasks:plan_tasks", args=[plan.pk]),
            reverse("tasks:copy_plan", args=[plan.pk]),
        )
    assert tasks_url.startswith("/en/")
    assert f'href="{tasks_url}"' in text
    assert f'href="{copy_url}"' in text


@pytest.mark.django_db
def test_issued_plan_page_links_its_tasks_dashboard_reports_and_pdf(client, coordinator, document):
    client.force_login(coordinator)
    text = client.get(url(document)).text
    task = document.tasks.first()
    for name, args in [
        ("tasks:detail", [task.pk]),
        ("reports:plan_dashboard", [document.pk]),
        ("leadership:reports", [document.pk]),
        ("periodic:completeness", [document.pk]),
        ("plans:submissions", [document.pk]),
        ("documents:plan_pdf", [document.pk]),
        ("plans:history", [document.pk]),
    ]:
        assert f'href="{reverse(name, args=args)}"' in text, name


@pytest.mark.django_db
def test_plan_page_of_an_officer_links_tasks_and_pdf_but_no_coordinator_pages(
    client, officer, document
):
    client.force_login(officer)
    text = client.get(url(document)).text
    assert f'href="{reverse("documents:plan_pdf", args=[document.pk])}"' in text
    assert f'href="{reverse("tasks:detail", args=[document.tasks.first().pk])}"' in text
    for name in ["reports:plan_dashboard", "leadership:reports", "periodic:completeness"]:
        assert reverse(name, args=[document.pk]) not in text, name


@pytest.mark.django_db
def test_plan_parts_read_in_one_query_are_those_of_the_relations(
    province, justice, districts, district_group, django_assert_num_queries,
):
    plan = fill_document(
        PlanFactory(issuer=province), 3, agencies=[justice, *districts[:2]], group=district_group
    )
    target = Target.objects.create(
        plan=plan, position=9, indicator="SIPAS", description="Hài lòng", unit="percent",
        baseline=Decimal("81.35"), baseline_label="2021", target_value=Decimal("90.5"),
    )
    TargetActual.objects.create(target=target, year=2022, period_code="Y",
                                value=Decimal("84.25"), source="Bộ Nội vụ")
    BudgetLine.objects.create(plan=plan, source="Ngân sách tỉnh", item="In ấn", amount=1234567)
    ContentArea.objects.create(plan=plan, position=0, heading="Không nhóm", pillar="")
    read = Plan.objects.get(pk=plan.pk)
    with django_assert_num_queries(1):  # the parts' union, and nothing more to read them
        load_parts(read)
        loaded = parts_of(read)
    assert loaded == parts_of(plan)
    assert str(loaded["targets"][-1][5]) == "81.35"
    assert str(loaded["budget_lines"][0][3]) == "1234567"


def parts_of(plan):
    """What the plan page reads of each part list, in its order."""
    parts = {
        name: [(item.pk, *[getattr(item, f) for f in fields])
               for item in getattr(plan, name).all()]
        for name, fields in PART_FIELDS.items()
    }
    parts["duty agencies"] = [[a.pk for a in duty.agencies.all()] for duty in plan.duties.all()]
    parts["actuals"] = [
        [(a.pk, a.value, a.period.key) for a in target.actuals.all()]
        for target in plan.targets.all()
    ]
    parts["area audiences"] = [
        area.audience and area.audience.name for area in plan.content_areas.all()
    ]
    parts["channels"] = [item.channel.name for item in plan.plan_channels.all()]
    return parts

PART_FIELDS = {
    "legal_bases": ["position", "text"],
    "targets": ["position", "indicator", "description", "unit", "baseline", "target_value"],
    "budget_lines": ["source", "item", "amount"],
    "audiences": ["name"],
    "addressed_agencies": ["name"],
    "content_areas": ["heading", "audience_id", "pillar", "body"],
    "plan_channels": ["label", "heading", "body", "channel_id"],
    "duties": ["heading", "body"],
}
