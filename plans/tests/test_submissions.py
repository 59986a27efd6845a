"""Tracking the agencies' own plans for a parent plan, and reminding the missing."""

import datetime

import pytest
from django.urls import reverse

from plans.models import Reminder, SubmissionState, submission_state
from plans.selectors import submission_rows
from tests.factories import AgencyFactory, PlanFactory
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
def test_remind_records_a_reminder_for_the_missing_only(client, coordinator, tracked):
    plan, agencies = tracked
    client.force_login(coordinator)
    response = client.post(reverse("plans:remind", args=[plan.pk]), follow=True)
    reminders = Reminder.objects.all()
    assert [(r.agency, r.sent_by, r.plan) for r in reminders] == [
        (agencies["missing"], coordinator, plan)
    ]
    assert vi("A reminder was recorded for %(count)s agencies that have not submitted.",
              count=1) in response.text
    row = next(r for r in response.context["page"].object_list if r.agency.code == "missing")
    assert row.last_reminded_at == reminders[0].sent_at
    client.post(reverse("plans:remind", args=[plan.pk]))
    assert Reminder.objects.filter(agency=agencies["missing"]).count() == 2


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
    # session, user, the plan, addressed agencies, their plans and their signature checks,
    # reminders per agency; the user's permissions and group permissions (menu), the user's
    # agency (header)
    with django_assert_num_queries(10):
        response = client.get(reverse("plans:submissions", args=[plan.pk]))
    assert response.context["counts"]["total"] == 2 * size
