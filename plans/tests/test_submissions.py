"""Tracking the agencies' own plans for a parent plan, and reminding the missing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from notifications.models import Notification
from plans.models import Reminder, SubmissionState, submission_state
from plans.selectors import submission_rows
from tests.factories import AgencyFactory, PlanFactory, UserFactory
from tests.factories.plans import local, vi

DEADLINE = datetime.date(2022, 2, 28)
AFTER = datetime.date(2022, 4, 1)


@pytest.mark.parametrize(
    ("submitted_at", "today", "state"),
    [
        (local(2022, 2, 20), AFTER, SubmissionState.ON_TIME),
        # 23:30 on the deadline day in Vietnam is still 28/02 there (16:30 UTC).
        (local(2022, 2, 28, 23, 30), AFTER, SubmissionState.ON_TIME),
        (local(2022, 3, 1, 0, 30), AFTER, SubmissionState.LATE),
        (None, AFTER, SubmissionState.MISSING),
        (None, datetime.date(2022, 2, 28), SubmissionState.PENDING),
    ],
)
def test_submission_state(submitted_at, today, state):
    assert submission_state(submitted_at, DEADLINE, today) == state


@pytest.fixture
def tracked(province):
    """A plan addressing four agencies: on time, late, missing and one that sent twice."""
    plan = PlanFactory(issuer=province, status="issued", submission_deadline=DEADLINE,
                       title="Kế hoạch tuyên truyền CCHC tỉnh năm 2022")
    agencies = {
        key: AgencyFactory(name=name, code=key)
        for key, name in [("ontime", "Sở Tư pháp"), ("late", "Sở Y tế"),
                          ("missing", "UBND huyện Cam Lâm"), ("twice", "Sở Tài chính")]
    }
    plan.addressed_agencies.set(agencies.values())
    PlanFactory(issuer=agencies["ontime"], parent=plan, document_number="25/KH-STP",
                submitted_at=local(2022, 2, 16, 9, 20), status="issued")
    PlanFactory(issuer=agencies["late"], parent=plan, document_number="31/KH-SYT",
                submitted_at=local(2022, 3, 9), status="issued")
    PlanFactory(issuer=agencies["twice"], parent=plan, document_number="2/KH-STC",
                submitted_at=local(2022, 3, 20), status="issued")
    PlanFactory(issuer=agencies["twice"], parent=plan, document_number="1/KH-STC",
                submitted_at=local(2022, 2, 27), status="issued")
    # A plan by an agency the parent does not address is not tracked.
    PlanFactory(issuer=AgencyFactory(code="X"), parent=plan, submitted_at=local(2022, 2, 1))
    return plan, agencies


@pytest.mark.django_db
def test_submission_rows(tracked):
    plan, agencies = tracked
    rows = {row.agency.code: row for row in submission_rows(plan, today=AFTER)}
    assert {code: row.state for code, row in rows.items()} == {
        "ontime": "on_time", "late": "late", "missing": "missing", "twice": "on_time",
    }
    assert rows["twice"].agency_plan.document_number == "1/KH-STC"  # the first one counts
    assert rows["missing"].agency_plan is None


@pytest.mark.django_db
def test_submissions_page(client, coordinator, tracked):
    plan, _agencies = tracked
    client.force_login(coordinator)
    response = client.get(reverse("plans:submissions", args=[plan.pk]))
    text = response.text
    assert response.context["counts"] == {
        "on_time": 2, "late": 1, "pending": 0, "missing": 1, "total": 4
    }
    assert "28/02/2022" in text  # the deadline
    assert "16/02/2022" in text and "25/KH-STP" in text
    assert "UBND huyện Cam Lâm" in text
    # Missing first.
    assert text.index("UBND huyện Cam Lâm") < text.index("Sở Tư pháp")
    assert vi("Missing") in text and vi("Late") in text


@pytest.mark.django_db
def test_submissions_page_filters_by_state(client, coordinator, tracked):
    plan, _agencies = tracked
    client.force_login(coordinator)
    rows = client.get(reverse("plans:submissions", args=[plan.pk]), {"state": "late"})
    assert [row.agency.name for row in rows.context["page"].object_list] == ["Sở Y tế"]
    bogus = client.get(reverse("plans:submissions", args=[plan.pk]), {"state": "x"})
    assert len(bogus.context["page"].object_list) == 4


@pytest.mark.django_db
def test_remind_notifies_the_missing_only_and_not_twice_within_the_hour(
        client, coordinator, tracked, django_capture_on_commit_callbacks):
    plan, agencies = tracked
    officer = UserFactory(username="camlam", agency=agencies["missing"], role="agency_officer",
                          first_name="Lê Thị Lâm")
    UserFactory(username="ontime", agency=agencies["ontime"], role="agency_officer")
    client.force_login(coordinator)
    url = reverse("plans:remind", args=[plan.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"message": "Đề nghị gửi trước 10/3."}, follow=True)
    [reminder] = Reminder.objects.all()
    assert (reminder.agency, reminder.sent_by, reminder.plan, reminder.topic) == (
        agencies["missing"], coordinator, plan, "plan"
    )
    assert (reminder.message, reminder.notified) == ("Đề nghị gửi trước 10/3.", 1)
    with translation.override("vi"):
        sent = ngettext("Reminded %(count)s agency: its officers were notified.",
                        "Reminded %(count)s agencies: their officers were notified.", 1)
    assert sent % {"count": 1} in response.text
    # The officer of the missing agency, and only they, find it in their inbox, with the message.
    [notification] = Notification.objects.all()
    assert notification.recipient == officer and notification.sender == coordinator
    assert notification.kind == "manual_reminder"
    assert "Đề nghị gửi trước 10/3." in notification.body
    assert plan.title in notification.subject
    assert notification.url == reverse("plans:submit", args=[plan.pk])
    # The row says who reminded and when.
    when = timezone.localtime(reminder.sent_at).strftime("%d/%m/%Y %H:%M")
    assert vi("Reminded %(time)s by %(name)s", time=when, name="alice") in response.text
    # A second click within the hour is refused, with when a new one may be sent.
    response = client.post(url, follow=True)
    assert Reminder.objects.count() == 1 and Notification.objects.count() == 1
    again = timezone.localtime(reminder.sent_at + datetime.timedelta(hours=1)).strftime("%H:%M")
    assert vi("%(agency)s was already reminded of this at %(time)s by %(name)s: a new reminder "
              "can be sent from %(again)s.", agency="UBND huyện Cam Lâm", time=when,
              name="alice", again=again) in response.text
    # An hour later it goes again.
    Reminder.objects.update(sent_at=reminder.sent_at - datetime.timedelta(minutes=61))
    client.post(url)
    assert Reminder.objects.filter(agency=agencies["missing"]).count() == 2
    assert Notification.objects.count() == 2


@pytest.mark.django_db
def test_remind_an_agency_without_an_officer_says_nobody_was_told(client, coordinator, tracked):
    plan, _agencies = tracked
    client.force_login(coordinator)
    response = client.post(reverse("plans:remind", args=[plan.pk]), follow=True)
    assert Reminder.objects.get().notified == 0
    assert not Notification.objects.exists()
    assert vi("No active user account at %(names)s: the reminder is recorded but nobody there "
              "was notified.", names="UBND huyện Cam Lâm") in response.text


@pytest.mark.django_db
def test_remind_refuses_an_overlong_message(client, coordinator, tracked):
    plan, _agencies = tracked
    client.force_login(coordinator)
    response = client.post(reverse("plans:remind", args=[plan.pk]), {"message": "x" * 2001},
                           follow=True)
    assert response.status_code == 200
    assert not Reminder.objects.exists()


@pytest.mark.django_db
def test_remind_when_everyone_submitted(client, coordinator, province, justice):
    plan = PlanFactory(issuer=province, status="issued", submission_deadline=DEADLINE)
    plan.addressed_agencies.add(justice)
    PlanFactory(issuer=justice, parent=plan, submitted_at=local(2022, 2, 1))
    client.force_login(coordinator)
    response = client.post(reverse("plans:remind", args=[plan.pk]), follow=True)
    assert not Reminder.objects.exists()
    assert vi("Every agency has submitted its plan: nobody to remind.") in response.text


@pytest.mark.django_db
def test_leadership_views_but_cannot_remind(client, leadership, tracked):
    plan, _agencies = tracked
    client.force_login(leadership)
    assert client.get(reverse("plans:submissions", args=[plan.pk])).status_code == 200
    assert client.post(reverse("plans:remind", args=[plan.pk])).status_code == 403
    assert not Reminder.objects.exists()


@pytest.mark.django_db
def test_officers_cannot_see_the_tracking(client, officer, outsider, issued_plan):
    client.force_login(officer)
    assert client.get(reverse("plans:submissions", args=[issued_plan.pk])).status_code == 403
    client.force_login(outsider)
    assert client.get(reverse("plans:submissions", args=[issued_plan.pk])).status_code == 404


@pytest.mark.django_db
def test_submissions_page_empty_state(client, coordinator, plan):
    client.force_login(coordinator)
    response = client.get(reverse("plans:submissions", args=[plan.pk]))
    assert vi("This plan does not ask any agency for its own plan.") in response.text


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 10])
def test_submissions_query_count_does_not_grow(client, coordinator, province, size,
                                               django_assert_num_queries):
    plan = PlanFactory(issuer=province, status="issued", submission_deadline=DEADLINE)
    agencies = [AgencyFactory(code=f"A{size}-{i}") for i in range(2 * size)]
    plan.addressed_agencies.set(agencies)
    for agency in agencies[:size]:
        PlanFactory(issuer=agency, parent=plan, submitted_at=local(2022, 2, 1))
        Reminder.objects.create(plan=plan, agency=agency, sent_by=coordinator)
    client.force_login(coordinator)
    # session, user (with agency and permissions), the plan, addressed agencies, their
    # plans and their signature checks, reminders per agency
    with django_assert_num_queries(7):
        response = client.get(reverse("plans:submissions", args=[plan.pk]))
    assert response.context["counts"]["total"] == 2 * size
