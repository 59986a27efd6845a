import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from plans.models import Reminder, ReminderTopic
from plans.services import remind
from tasks.cancellations import decide_cancellation, propose_cancellation
from tasks.models import Evidence, ProgressUpdate, Status
from tasks.services import post_update
from tasks.views import HISTORY_PAGE_SIZE
from tests.factories import AgencyFactory, AgencyGroupFactory
from tests.factories.files import MINIMAL_PDF
from tests.factories.tasks import make_task

pytestmark = pytest.mark.django_db


def add_update(assignment, author, *, narrative="Đã đăng 5 tin", figures=None, with_files=True):
    files = []
    if with_files:
        files = [(ContentFile(MINIMAL_PDF, name="bien-ban.pdf"), "application/pdf")]
    return post_update(
        assignment=assignment,
        author=author,
        status=Status.IN_PROGRESS,
        percent=40,
        narrative=narrative,
        figures=figures,
        files=files,
        links=["https://sotuphap.khanhhoa.gov.vn/tin-cchc"] if with_files else [],
    )


def test_task_page_shows_the_task_its_schedule_and_its_agencies(
    client, officer, justice, health, issued_plan
):
    task = make_task(issued_plan, "Quý II/2022", number=3, title="Tuyên truyền trên Cổng thông tin",
                     leads=[justice], coordinators=[health])
    task.forms = "Tin bài\nVideo clip"
    task.budget_estimate = 12_500_000
    task.save()
    client.force_login(officer)

    html = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()

    assert "3. Tuyên truyền trên Cổng thông tin" in html
    assert issued_plan.title in html
    assert f"/plans/{issued_plan.pk}/" in html
    assert "Video clip" in html
    assert "Quý II/2022" in html
    assert "Due 30/06/2022." in html
    assert "12.500.000 đ" in html
    assert "Sở Tư pháp" in html and "Sở Y tế" in html
    assert "No progress has been posted yet." in html
    # bob may post on his own agency's line only.
    own = task.assignments.get(agency=justice)
    other = task.assignments.get(agency=health)
    assert reverse("tasks:post_update", args=[own.pk]) in html
    assert reverse("tasks:post_update", args=[other.pk]) not in html


def test_task_page_shows_the_update_history(
    client, officer, coordinator, assigned_task, assignment, measures
):
    update = add_update(assignment, officer, figures={measures["news"]: 7})
    update.created_at = datetime.datetime(2022, 4, 5, 9, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    update.save()
    officer.first_name, officer.last_name = "Minh", "Lê Văn"
    officer.save()
    client.force_login(coordinator)

    html = client.get(reverse("tasks:detail", args=[assigned_task.pk])).content.decode()

    assert "05/04/2022 09:30" in html
    assert "Minh Lê Văn" in html
    assert "Đã đăng 5 tin" in html
    assert "40 %" in html
    assert "Tin, bài: <strong>7</strong> tin" in html
    evidence = update.evidence.get(link="")
    assert reverse("tasks:evidence", args=[evidence.pk]) in html
    assert "bien-ban.pdf" in html
    assert "https://sotuphap.khanhhoa.gov.vn/tin-cchc" in html


def test_task_page_is_visible_to_leadership_but_not_to_outsiders(
    client, leadership, outsider, assigned_task
):
    client.force_login(leadership)
    assert "Đăng tin về cải cách hành chính" in client.get(
        reverse("tasks:detail", args=[assigned_task.pk])
    ).content.decode()

    client.force_login(outsider)
    assert client.get(reverse("tasks:detail", args=[assigned_task.pk])).status_code == 404


def test_task_page_hides_draft_plans_from_officers(client, officer, justice, draft_plan):
    task = make_task(draft_plan, "Quý II/2022", number=1, leads=[justice])
    client.force_login(officer)

    assert client.get(reverse("tasks:detail", args=[task.pk])).status_code == 404


def test_task_page_pages_a_long_history(client, officer, assignment, assigned_task):
    for number in range(1, 23):
        add_update(assignment, officer, narrative=f"Cập nhật số {number:02d}", with_files=False)
    client.force_login(officer)
    url = reverse("tasks:detail", args=[assigned_task.pk])

    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()

    assert "Cập nhật số 22" in first and "Cập nhật số 02" not in first
    assert "Cập nhật số 01" in second and "Cập nhật số 02" in second
    assert ProgressUpdate.objects.count() == 22


@pytest.mark.parametrize("size", [1, 10, HISTORY_PAGE_SIZE + 5])
def test_task_page_query_count_does_not_grow(
    client, coordinator, officer, assignment, assigned_task, measures, size,
    django_assert_num_queries,
):
    for _ in range(size):
        add_update(assignment, officer, figures={measures["news"]: 3, measures["posts"]: 2})
    client.force_login(coordinator)
    # A running server knows the evidence's content type after its first page.
    ContentType.objects.get_for_model(Evidence)
    # session, user, task with plan and issuer, assignments with agencies, the task's short
    # lists in one union (lead groups, cancellation proposals, the coordinators' reminders
    # about the task, the people of both; checkpoints only for a recurring task), a page of
    # updates with authors and agencies (counted by a window over the same rows, however
    # long the history), their figures, their evidence with its signature checks, the
    # task's history records, their lead and coordinating groups together, its
    # assignments' history records (the user comes with agency and permissions).
    with django_assert_num_queries(11):
        response = client.get(reverse("tasks:detail", args=[assigned_task.pk]))
    assert response.content.decode().count("bien-ban.pdf") == min(size, HISTORY_PAGE_SIZE)


def test_task_page_of_work_not_yet_updated_reads_no_update(
    client, coordinator, assigned_task, django_assert_num_queries
):
    client.force_login(coordinator)
    client.get(reverse("tasks:detail", args=[assigned_task.pk]))  # content types cached
    # As above, without the updates' page, figures and evidence.
    with django_assert_num_queries(8):
        response = client.get(reverse("tasks:detail", args=[assigned_task.pk]))
    assert "No progress has been posted yet." in response.content.decode()


def test_task_page_reads_its_short_lists_together_whatever_they_hold(
    client, coordinator, officer, issued_plan, justice, province, django_assert_num_queries
):
    coordinator.first_name, coordinator.last_name = "Alice", "Nguyễn"
    coordinator.save()
    officer.first_name, officer.last_name = "Bình", "Trần"
    officer.save()
    group = AgencyGroupFactory(name="Khối Sở ngành", province=province)
    health = AgencyFactory(name="Sở Y tế", code="SYT", parent=province)
    task = make_task(issued_plan, "Hằng quý", number=7, title="Báo cáo hằng quý",
                     leads=[justice, health], lead_groups=[group])
    assert task.schedule_kind == "recurring"
    mine = task.assignments.get(agency=justice)
    decided = propose_cancellation(assignment=mine, by=officer, reason="Đã gộp vào nhiệm vụ 2")
    decide_cancellation(proposal=decided, by=coordinator, confirm=False, comment="Vẫn cần")
    propose_cancellation(assignment=mine, by=officer, reason="Không còn phù hợp")
    remind(plan=issued_plan, agencies=[justice], topic=ReminderTopic.task(task.pk),
           url="/", sent_by=coordinator)
    client.force_login(coordinator)
    client.get(reverse("tasks:detail", args=[task.pk]))  # content types cached

    # As the page of work not yet updated: the short lists are one query however full.
    with django_assert_num_queries(8):
        html = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()

    assert "Lead groups: Khối Sở ngành" in html
    assert html.index("Không còn phù hợp") < html.index("Đã gộp vào nhiệm vụ 2")  # newest first
    assert html.count("Bình Trần") == 2 and "Decided by Alice Nguyễn" in html
    sent = timezone.localtime(Reminder.objects.get().sent_at).strftime("%d/%m/%Y %H:%M")
    assert f"Reminded {sent} by Alice Nguyễn" in html  # the stored time, in local time
    assert "31/03/2022" in html and "31/12/2022" in html  # the quarterly checkpoints
