import datetime

import pytest
from django.urls import reverse

from plans.models import (
    AgencyDuty,
    Audience,
    Channel,
    ContentArea,
    LegalBasis,
    OutlineNode,
    OutlineSource,
    Plan,
    PlanChannel,
    Target,
)
from tasks.copying import changes_digest, copy_plan_to_next_year, shift_years, year_changes
from tasks.models import (
    AssignmentRole,
    ProgressUpdate,
    Status,
    TablePlacement,
    TaskTable,
    TaskTableRow,
)
from tasks.services import dissolve_agency, post_update, set_task_agencies
from tests.factories import AgencyFactory
from tests.factories.tasks import make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_plan(issued_plan, justice, health, district_group, districts, officer):
    plan = issued_plan
    plan.submission_deadline = datetime.date(2022, 2, 28)
    plan.submission_deadline_text = "trong tháng 02/2022"
    plan.save()
    plan.audiences.add(Audience.objects.create(code="citizens", name="Người dân"))
    LegalBasis.objects.create(plan=plan, position=1, text="Nghị quyết số 76/NQ-CP")
    Target.objects.create(plan=plan, indicator="PAR INDEX", description="Xếp hạng",
                          unit="rank", target_value=20)
    ContentArea.objects.create(plan=plan, heading="Đối với CBCCVC", body="Nội dung")
    channel = Channel.objects.create(code="press", name="Báo chí")
    PlanChannel.objects.create(plan=plan, channel=channel, label="a)", heading="Báo chí")
    duty = AgencyDuty.objects.create(plan=plan, heading="Sở Tư pháp", body="Chủ trì")
    duty.agencies.add(justice)
    first = make_task(plan, "Quý I/2022", number=1, title="Tuyên truyền quý I",
                      leads=[justice], coordinators=[health])
    make_task(plan, "Định kỳ hàng quý, bắt đầu từ quý I/2022", number=2,
              title="Loa truyền thanh", lead_groups=[district_group])
    post_update(assignment=first.assignments.get(agency=justice), author=officer,
                status=Status.DONE, percent=100, narrative="Xong")
    return plan


def test_copy_makes_a_draft_for_the_next_year_with_all_parts(full_plan, coordinator, justice):
    copy = copy_plan_to_next_year(plan=full_plan, by=coordinator)

    assert copy.pk != full_plan.pk
    assert copy.status == "draft"
    assert (copy.period_start_year, copy.period_end_year) == (2023, 2023)
    assert copy.title == "Kế hoạch tuyên truyền CCHC năm 2023"
    assert copy.document_number == ""
    assert copy.created_by == coordinator
    assert copy.submission_deadline == datetime.date(2023, 2, 28)
    assert copy.submission_deadline_text == "trong tháng 02/2023"
    assert [a.code for a in copy.audiences.all()] == ["citizens"]
    assert list(copy.addressed_agencies.all()) == [justice]
    assert [b.text for b in copy.legal_bases.all()] == ["Nghị quyết số 76/NQ-CP"]
    target = copy.targets.get()
    assert (target.indicator, target.target_value) == ("PAR INDEX", 20)
    assert not target.actuals.exists()
    assert copy.content_areas.get().heading == "Đối với CBCCVC"
    assert copy.plan_channels.get().label == "a)"
    assert list(copy.duties.get().agencies.all()) == [justice]
    # The original is untouched.
    full_plan.refresh_from_db()
    assert (full_plan.status, full_plan.period_start_year) == ("issued", 2022)
    assert full_plan.tasks.count() == 2


def test_copy_shifts_task_timelines_and_keeps_assignments_without_progress(
    full_plan, coordinator, justice, health, districts, district_group
):
    copy = copy_plan_to_next_year(plan=full_plan, by=coordinator)

    first, second = copy.tasks.order_by("number")
    assert first.timeline_text == "Quý I/2023"
    assert first.due_date == datetime.date(2023, 3, 31)
    assert {(a.agency, a.role) for a in first.assignments.all()} == {
        (justice, AssignmentRole.LEAD), (health, AssignmentRole.COORDINATOR),
    }
    assert second.timeline_text == "Định kỳ hàng quý, bắt đầu từ quý I/2023"
    assert [c.due_date.year for c in second.checkpoints.all()] == [2023] * 4
    assert list(second.lead_groups.all()) == [district_group]
    assert {a.agency for a in second.assignments.all()} == set(districts)
    # No progress is copied.
    assert not ProgressUpdate.objects.filter(assignment__task__plan=copy).exists()
    assert {(a.status, a.percent) for a in first.assignments.all()} == {(Status.NOT_STARTED, 0)}
    assert (first.status, first.percent) == (Status.NOT_STARTED, 0)


def test_copy_replaces_dissolved_agencies_by_their_successors(
    full_plan, coordinator, justice, province
):
    merged = AgencyFactory(name="Sở Tư pháp (mới)", code="STP2", parent=province)
    dissolve_agency(agency=justice, successor=merged)

    copy = copy_plan_to_next_year(plan=full_plan, by=coordinator)

    first = copy.tasks.get(number=1)
    assert first.assignments.get(role=AssignmentRole.LEAD).agency == merged
    assert merged in copy.addressed_agencies.all()
    assert justice not in copy.addressed_agencies.all()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Quý I/2022", "Quý I/2023"),
        ("Trong năm 2022", "Trong năm 2023"),
        ("Theo Kế hoạch số 12/KH-UBND năm 2019", "Theo Kế hoạch số 12/KH-UBND năm 2019"),
        ("Thường xuyên", "Thường xuyên"),
        ("Số 20221 ngày 2022", "Số 20221 ngày 2023"),
    ],
)
def test_shift_years_moves_only_years_in_the_period(text, expected):
    assert shift_years(text, first_year=2022, last_year=2022) == expected


def test_copy_page_asks_then_copies(client, coordinator, full_plan):
    client.force_login(coordinator)
    url = reverse("tasks:copy_plan", args=[full_plan.pk])

    page = client.get(url).content.decode()
    response = client.post(url, {"digest": changes_digest(year_changes(full_plan))})

    assert "A new draft plan for 2023 will be created" in page
    assert "its 2 key tasks" in page
    copy = Plan.objects.exclude(pk=full_plan.pk).get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"/plans/{copy.pk}/")


def test_copy_is_for_coordinators(client, officer, leadership, full_plan):
    for user in (officer, leadership):
        client.force_login(user)
        assert client.post(reverse("tasks:copy_plan", args=[full_plan.pk])).status_code == 403
    assert Plan.objects.count() == 1


def test_copy_keeps_a_written_outline_and_its_tables_linked_to_the_copies(plan, justice,
                                                                         district_group,
                                                                         coordinator):
    plan.outline_source = OutlineSource.WRITTEN
    plan.electronic_signature = "Ký bởi: UBND tỉnh; Ngày ký: 16.02.2022 10:30:03"
    plan.save()
    duty = AgencyDuty.objects.create(plan=plan, heading="Sở Tư pháp", body="Chủ trì")
    node = OutlineNode.objects.create(plan=plan, position=1, numbering="1.",
                                      heading="Sở Tư pháp:", text="Chủ trì.", duty=duty)
    task = make_task(plan, "Quý I/2022", number=1, title="Tuyên truyền", leads=[justice])
    task.lead_text = "Sở Tư pháp"
    task.save()
    set_task_agencies(task=task, leads=[justice], coordinator_groups=[district_group])
    table = TaskTable.objects.create(plan=plan, node=node, placement=TablePlacement.INLINE,
                                     columns=[{"heading": "TT", "field": "number"}])
    TaskTableRow.objects.create(table=table, position=1, task=task, number_text="1.")

    copy = copy_plan_to_next_year(plan=plan, by=coordinator)

    assert copy.outline_source == OutlineSource.WRITTEN and copy.electronic_signature == ""
    [copied_node] = copy.outline_nodes.all()
    assert copied_node.duty.plan == copy and copied_node.heading == "Sở Tư pháp:"
    [copied_table] = copy.task_tables.all()
    assert copied_table.node == copied_node
    [row] = copied_table.rows.all()
    assert row.task.plan == copy and row.number_text == "1."
    assert row.task.lead_text == "Sở Tư pháp"
    assert list(row.task.coordinator_groups.all()) == [district_group]
    coordinating = row.task.assignments.filter(role=AssignmentRole.COORDINATOR)
    assert coordinating.count() == 3 and all(a.via_group == district_group for a in coordinating)


# The year, replaced everywhere the plan writes it ----------------------------------------


@pytest.fixture
def yearly_plan(issued_plan, justice, coordinator):
    plan = issued_plan
    plan.objectives = ("Nâng cao nhận thức về CCHC trong năm 2022.\n"
                       "Thực hiện Quyết định số 12/2022/QĐ-UBND của UBND tỉnh.")
    plan.implementation = "Thực hiện giai đoạn 2022-2030; báo cáo trước ngày 15/12/2022."
    plan.save()
    LegalBasis.objects.create(plan=plan, position=1,
                              text="Quyết định số 35/QĐ-BNV ngày 22/01/2022 của Bộ Nội vụ")
    Target.objects.create(plan=plan, indicator="PAR INDEX", unit="rank", target_value=20,
                          description="Năm 2022 xếp hạng PAR INDEX trong nhóm 20")
    make_task(plan, "Quý I/2022", number=1, title="Hội nghị tập huấn CCHC năm 2022",
              leads=[justice])
    return plan


def test_copy_page_shows_each_year_it_would_replace(client, coordinator, yearly_plan):
    client.force_login(coordinator)
    html = client.get(reverse("tasks:copy_plan", args=[yearly_plan.pk])).text
    for text in ["CCHC trong năm <del>2022</del> → <ins>2023</ins>",
                 "tập huấn CCHC năm <del>2022</del> → <ins>2023</ins>",
                 "Năm <del>2022</del> → <ins>2023</ins> xếp hạng",
                 "trước ngày 15/12/<del>2022</del> → <ins>2023</ins>"]:
        assert text in html
    # Neither the cited decision, the stage of several years nor the legal basis.
    assert "12/2022/QĐ-UBND" in html and "<ins>2023</ins>/QĐ" not in html
    assert "<del>2022-2030" not in html and "35/QĐ-BNV" not in html
    assert html.count('name="replace"') == 5  # title, objective, deadline, target, task


def test_the_copy_replaces_the_ticked_years_and_keeps_the_others(client, coordinator,
                                                                  yearly_plan):
    changes = year_changes(yearly_plan)
    kept = next(c for c in changes if c.key.startswith("task."))
    client.force_login(coordinator)
    response = client.post(reverse("tasks:copy_plan", args=[yearly_plan.pk]), {
        "digest": changes_digest(changes),
        "replace": [c.key for c in changes if c != kept],
    })
    copy = Plan.objects.exclude(pk=yearly_plan.pk).get()
    assert response.status_code == 302
    assert copy.title == yearly_plan.title.replace("năm 2022", "năm 2023")
    assert copy.objectives == ("Nâng cao nhận thức về CCHC trong năm 2023.\n"
                               "Thực hiện Quyết định số 12/2022/QĐ-UBND của UBND tỉnh.")
    assert copy.implementation == ("Thực hiện giai đoạn 2022-2030; báo cáo trước ngày "
                                   "15/12/2023.")
    assert copy.targets.get().description == "Năm 2023 xếp hạng PAR INDEX trong nhóm 20"
    assert copy.legal_bases.get().text == "Quyết định số 35/QĐ-BNV ngày 22/01/2022 của Bộ Nội vụ"
    task = copy.tasks.get()
    assert task.title == "Hội nghị tập huấn CCHC năm 2022"  # unticked
    assert task.timeline_text == "Quý I/2023"  # the timeline moves on in any case
    # The source plan is as it was.
    yearly_plan.refresh_from_db()
    assert yearly_plan.title.endswith("năm 2022")


def test_a_plan_changed_after_the_preview_is_not_copied(client, coordinator, yearly_plan):
    digest = changes_digest(year_changes(yearly_plan))
    task = yearly_plan.tasks.get()
    task.title = "Hội nghị CCHC năm 2022 (sửa)"
    task.save()
    client.force_login(coordinator)
    response = client.post(reverse("tasks:copy_plan", args=[yearly_plan.pk]),
                           {"digest": digest})
    assert response.status_code == 409
    assert Plan.objects.count() == 1
    assert "<del>2022</del> → <ins>2023</ins> (sửa)" in response.text
