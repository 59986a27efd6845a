"""The page of the reminders sent: what went on which day, to which agency, about what, the
escalations with the head's mail; filters; a coordinator sees their province's only."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.kinds import Kind
from reminders.models import Dispatch, HeadMail
from tests.factories import AgencyFactory, UserFactory
from tests.factories.tasks import make_task

pytestmark = pytest.mark.django_db
DAY = datetime.date(2022, 4, 5)
URL = reverse("reminders:sent")
RUN_AT = timezone.make_aware(datetime.datetime(2022, 4, 6, 7, 5))  # the run of 06/04/2022


@pytest.fixture
def issued(plan):
    plan.status = "issued"
    plan.save()
    return plan


def sent_rows(issued, justice, count):
    """``count`` assignments of Sở Tư pháp reminded on DAY, then escalated on DAY + 1, and
    the head's mail of that day."""
    for n in range(count):
        task = make_task(issued, "Quý I/2022", leads=[justice], title=f"Nhiệm vụ số {n + 1}")
        assignment = task.assignments.get()
        Dispatch.objects.create(event_key=f"assignment-overdue:{assignment.pk}:2022-03-31",
                                kind=Kind.ASSIGNMENT_OVERDUE, agency=justice, recipients=1,
                                due_date=datetime.date(2022, 3, 31), day=DAY)
        Dispatch.objects.create(event_key=f"assignment-escalation:{assignment.pk}:2022-03-31:5",
                                kind=Kind.ESCALATION, agency=justice, recipients=1,
                                due_date=datetime.date(2022, 3, 31),
                                day=DAY + datetime.timedelta(days=1), created_at=RUN_AT)
    HeadMail.objects.create(
        event_key="head:1:abc", agency=justice, email="tu.nv.stp@khanhhoa.example",
        name="Nguyễn Văn Tư", subject="Sở Tư pháp: việc vẫn trễ hạn", body="…",
        created_at=RUN_AT + datetime.timedelta(seconds=2),
        sent_at=timezone.make_aware(datetime.datetime(2022, 4, 6, 7, 6)),
    )


def test_the_page_lists_what_was_sent_with_the_escalations_marked(client, coordinator,
                                                                  issued, justice):
    sent_rows(issued, justice, 1)
    Dispatch.objects.create(event_key=f"report-due:{issued.pk}:{justice.pk}:2022-Q1:"
                                      "2022-03-20:5", kind=Kind.REPORT_DUE, agency=justice,
                            due_date=datetime.date(2022, 3, 20), day=datetime.date(2022, 3, 15),
                            recipients=0)
    client.force_login(coordinator)
    html = client.get(URL).content.decode()
    assert html.index("06/04/2022") < html.index("05/04/2022") < html.index("15/03/2022")
    assert "Nhiệm vụ số 1" in html and 'class="escalated"' in html
    assert ("Thủ trưởng: Nguyễn Văn Tư (tu.nv.stp@khanhhoa.example), "
            "đã gửi thư 06/04/2022 07:06") in html
    report_row = html[html.index("15/03/2022"):]
    assert "Báo cáo định kỳ" in report_row and issued.title[:40] in report_row
    assert "Không có tài khoản cán bộ" in html  # the report's row: nobody to notify


def test_the_filters_keep_to_a_day_an_agency_a_kind(client, coordinator, issued, justice,
                                                    health):
    sent_rows(issued, justice, 2)
    Dispatch.objects.create(event_key="agency-plan-due:1:2:2022-02-28:7",
                            kind=Kind.AGENCY_PLAN_DUE, agency=health, recipients=1,
                            due_date=datetime.date(2022, 2, 28), day=DAY)
    client.force_login(coordinator)
    page = client.get(URL, {"kind": Kind.ESCALATION})
    assert [r.dispatch.kind for r in page.context["rows"]] == [Kind.ESCALATION] * 2
    page = client.get(URL, {"agency": health.pk})
    assert [r.dispatch.agency for r in page.context["rows"]] == [health]
    page = client.get(URL, {"day_from": "06/04/2022", "day_to": "06/04/2022"})
    assert {r.dispatch.day for r in page.context["rows"]} == {DAY + datetime.timedelta(days=1)}
    # A period backwards, a date not a date: said, and everything listed.
    page = client.get(URL, {"day_from": "07/04/2022", "day_to": "01/04/2022"})
    assert "Ngày cuối trước ngày đầu." in page.content.decode()
    assert len(page.context["rows"]) == 5
    page = client.get(URL, {"day_from": "31/02/2022"})
    assert page.status_code == 200 and len(page.context["rows"]) == 5


def test_a_coordinator_sees_only_their_provinces_reminders(client, coordinator, issued,
                                                           justice):
    sent_rows(issued, justice, 1)
    elsewhere = AgencyFactory(name="Ủy ban nhân dân tỉnh Ninh Thuận", code="UBND-NT",
                              kind="province")
    department = AgencyFactory(name="Sở Tư pháp tỉnh Ninh Thuận", code="STP-NT",
                               parent=elsewhere)
    Dispatch.objects.create(event_key="assignment-due:999:2022-04-10:7", kind=Kind.ASSIGNMENT_DUE,
                            agency=department, recipients=1, due_date=DAY, day=DAY)
    client.force_login(coordinator)
    rows = client.get(URL).context["rows"]
    assert department not in {row.dispatch.agency for row in rows} and len(rows) == 2
    other = UserFactory(username="nt", agency=AgencyFactory(code="SNV-NT", parent=elsewhere),
                        role="coordinator")
    client.force_login(other)
    assert [row.dispatch.agency for row in client.get(URL).context["rows"]] == [department]


@pytest.mark.parametrize("count", [1, 10])
def test_the_page_takes_a_fixed_number_of_queries(client, coordinator, issued, justice, count,
                                                  django_assert_num_queries):
    sent_rows(issued, justice, count)
    client.force_login(coordinator)
    # The session, the user (with the unread count, their agency and permissions), the
    # agency's parent (the province), the rows counted, the page of rows (with their
    # agencies), their assignments' tasks, the heads' mails, the agencies of the filter.
    with django_assert_num_queries(8):
        response = client.get(URL)
    assert len(response.context["rows"]) == 2 * count


def test_the_page_is_linked_from_the_navigation_and_the_reports_overview(client, coordinator):
    client.force_login(coordinator)
    assert f'href="{URL}"' in client.get("/", follow=True).content.decode()
    assert f'href="{URL}"' in client.get(reverse("periodic:overview")).content.decode()
