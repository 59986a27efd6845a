import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tasks.filters import parse_period
from tasks.models import Status
from tasks.services import post_update, set_task_agencies
from tests.factories import PlanFactory, TaskFactory
from tests.factories.tasks import make_task

pytestmark = pytest.mark.django_db


def dated_task(plan, number, due, *, title, lead=None, coordinator=None, kind="due"):
    """A task due ``due`` days from today (negative: in the past)."""
    task = TaskFactory(
        plan=plan,
        number=number,
        title=title,
        timeline_text="",
        schedule_kind=kind,
        due_date=timezone.localdate() + datetime.timedelta(days=due) if due is not None else None,
        due_date_set_by_hand=due is not None,
    )
    set_task_agencies(
        task=task,
        leads=[lead] if lead else [],
        coordinators=[coordinator] if coordinator else [],
    )
    return task


def titles_in_order(html, titles):
    positions = {title: html.index(title) for title in titles}
    return sorted(titles, key=positions.get)


def test_my_work_puts_overdue_and_due_soon_first_then_by_due_date(
    client, officer, justice, issued_plan
):
    dated_task(issued_plan, 1, 40, title="Việc còn xa", lead=justice)
    dated_task(issued_plan, 2, -5, title="Việc đã trễ", lead=justice)
    dated_task(issued_plan, 3, 3, title="Việc sắp đến hạn", lead=justice)
    finished = dated_task(issued_plan, 4, -30, title="Việc đã xong", lead=justice)
    post_update(
        assignment=finished.assignments.get(), author=officer, status=Status.DONE, percent=100,
        narrative="Xong",
    )
    dated_task(issued_plan, 5, None, title="Việc thường xuyên", lead=justice, kind="ongoing")
    client.force_login(officer)

    html = client.get(reverse("tasks:my_work")).content.decode()

    titles = ["Việc còn xa", "Việc đã trễ", "Việc sắp đến hạn", "Việc đã xong", "Việc thường xuyên"]
    assert titles_in_order(html, titles) == [
        "Việc đã trễ", "Việc sắp đến hạn", "Việc đã xong", "Việc còn xa", "Việc thường xuyên",
    ]
    assert "5 days late" in html
    assert "due in 3 days" in html
    assert "due in 40 days" in html
    # A finished assignment is not late, however old its date.
    assert "30 days late" not in html


def test_my_work_shows_the_row_details(client, officer, justice, issued_plan):
    task = dated_task(issued_plan, 7, 10, title="Đăng tin trên Cổng thông tin", lead=justice)
    assignment = task.assignments.get()
    post_update(
        assignment=assignment, author=officer, status=Status.IN_PROGRESS, percent=35,
        narrative="Đã đăng 3 tin",
    )
    client.force_login(officer)

    html = client.get(reverse("tasks:my_work")).content.decode()

    assert "7. Đăng tin trên Cổng thông tin" in html
    assert issued_plan.title in html
    assert "Lead" in html
    assert task.due_date.strftime("%d/%m/%Y") in html
    assert "In progress" in html
    assert "35 %" in html
    assert timezone.localdate().strftime("%d/%m/%Y") in html  # last update
    assert reverse("tasks:post_update", args=[assignment.pk]) in html


def test_my_work_lists_only_the_officers_agency_in_plans_it_may_read(
    client, officer, justice, health, issued_plan, draft_plan
):
    dated_task(issued_plan, 1, 5, title="Việc của Sở Tư pháp", lead=justice)
    dated_task(issued_plan, 2, 5, title="Việc của Sở Y tế", lead=health)
    dated_task(draft_plan, 1, 5, title="Việc trong dự thảo", lead=justice)
    client.force_login(officer)

    html = client.get(reverse("tasks:my_work")).content.decode()

    assert "Việc của Sở Tư pháp" in html
    assert "Việc của Sở Y tế" not in html
    assert "Việc trong dự thảo" not in html


def test_my_work_filters_by_role_status_and_plan(
    client, officer, justice, issued_plan, province
):
    dated_task(issued_plan, 1, 5, title="Chủ trì việc một", lead=justice)
    dated_task(issued_plan, 2, 5, title="Phối hợp việc hai", coordinator=justice)
    other_plan = PlanFactory(issuer=province, status="issued", title="Kế hoạch năm 2023",
                             period_start_year=2023)
    dated_task(other_plan, 1, 5, title="Việc của kế hoạch 2023", lead=justice)
    client.force_login(officer)
    url = reverse("tasks:my_work")

    html = client.get(url, {"role": "coordinator"}).content.decode()
    assert "Phối hợp việc hai" in html
    assert "Chủ trì việc một" not in html

    html = client.get(url, {"plan": other_plan.pk}).content.decode()
    assert "Việc của kế hoạch 2023" in html
    assert "Chủ trì việc một" not in html

    html = client.get(url, {"status": "done"}).content.decode()
    assert "No assignment matches these filters." in html


def test_my_work_filters_by_quarter_or_month_of_the_due_date(
    client, officer, justice, issued_plan
):
    make_task(issued_plan, "Quý I/2022", number=1, title="Hạn quý I", leads=[justice])
    make_task(issued_plan, "trong tháng 5/2022", number=2, title="Hạn tháng 5", leads=[justice])
    make_task(issued_plan, "Định kỳ hàng quý, bắt đầu từ quý I/2022", number=3, title="Hằng quý",
              leads=[justice])
    client.force_login(officer)
    url = reverse("tasks:my_work")

    html = client.get(url, {"period": "2022-Q1"}).content.decode()
    assert '<option value="2022-Q1" selected>Quarter I/2022</option>' in html
    assert '<optgroup label="2022">' in html and '<option value="2022-05">Month 05/2022' in html
    assert "Hạn quý I" in html
    assert "Hằng quý" in html  # its first checkpoint is 31/03/2022
    assert "Hạn tháng 5" not in html

    html = client.get(url, {"period": "2022-05"}).content.decode()
    assert "Hạn tháng 5" in html
    assert "Hạn quý I" not in html


def test_my_work_reports_a_bad_period_and_ignores_it(client, officer, justice, issued_plan):
    make_task(issued_plan, "Quý II/2022", number=1, title="Hạn quý I", leads=[justice])
    client.force_login(officer)

    response = client.get(reverse("tasks:my_work"), {"period": "quý 9", "plan": "abc"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose a quarter or a month from the list." in html
    assert "Hạn quý I" in html


def test_my_work_empty_state(client, officer):
    client.force_login(officer)

    html = client.get(reverse("tasks:my_work")).content.decode()

    assert "Your agency has no key task assigned in any issued plan yet." in html


def test_my_work_pages_by_25(client, officer, justice, issued_plan):
    for number in range(1, 28):
        dated_task(issued_plan, number, number, title=f"Việc số {number:02d}", lead=justice)
    client.force_login(officer)

    first = client.get(reverse("tasks:my_work")).content.decode()
    second = client.get(reverse("tasks:my_work"), {"page": 2}).content.decode()

    assert "Việc số 25" in first and "Việc số 26" not in first
    assert "Việc số 26" in second and "Việc số 27" in second
    assert "Page 1 of 2" in first


@pytest.mark.parametrize("size", [1, 10])
def test_my_work_query_count_does_not_grow(
    client, officer, justice, issued_plan, django_assert_num_queries, size
):
    for number in range(1, size + 1):
        task = dated_task(issued_plan, number, number, title=f"Việc {number}", lead=justice)
        post_update(
            assignment=task.assignments.get(), author=officer, status=Status.IN_PROGRESS,
            percent=10, narrative="Đang làm",
        )
    client.force_login(officer)
    # session, user (with agency and permissions), the agency's plans (the filter's plan
    # choices and period years, and the assignments' bound), count of assignments, one page
    # of assignments with task and plan.
    with django_assert_num_queries(5):
        response = client.get(reverse("tasks:my_work"))
    assert response.content.decode().count("Post update") == size


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2022-Q1", datetime.date(2022, 1, 1), datetime.date(2022, 3, 31)),
        ("Q4/2022", datetime.date(2022, 10, 1), datetime.date(2022, 12, 31)),
        ("2024-02", datetime.date(2024, 2, 1), datetime.date(2024, 2, 29)),
        ("02/2022", datetime.date(2022, 2, 1), datetime.date(2022, 2, 28)),
    ],
)
def test_parse_period_reads_quarters_and_months(text, first, last):
    assert parse_period(text) == (first, last)


@pytest.mark.parametrize("text", ["2022-Q5", "2022-13", "hôm nay", ""])
def test_parse_period_refuses_other_text(text):
    with pytest.raises(ValueError):
        parse_period(text)
