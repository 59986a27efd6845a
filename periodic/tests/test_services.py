"""Services of the agency periodic report: prefill, drafts, the state machine."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from periodic.models import AgencyReport, ReportStatus
from periodic.services import accept, return_report, save_draft, start_report, submit
from tasks.models import AssignmentRole, Status
from tests.factories.periodic import (
    assignment_for,
    measure,
    reporting_plan,
    update_at,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_messages():
    # The services' messages are matched in English; the Vietnamese ones are checked elsewhere.
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def decree_09(settings):
    settings.REPORTING_CUTOFF = "decree_09"


@pytest.fixture
def news():
    return measure("portal-news", position=1)


@pytest.fixture
def conferences():
    return measure("conferences", "conference", unit="hội nghị", online=False, position=2)


@pytest.fixture
def report_plan(province):
    return reporting_plan(province)


@pytest.fixture
def draft(report_plan, justice, officer):
    assignment_for(report_plan, justice, number=1)
    report = start_report(
        plan=report_plan, agency=justice, year=2022, period_code="Q1", user=officer
    )
    report.results = "Đã đăng 6 tin, bài."
    report.save()
    return report


def build_q1_history(plan, justice, districts, officer, news, conferences):
    """Updates around the Q1/2022 cut-off (15/12/2021 00:00 – 14/03/2022 23:59, local)."""
    task1 = assignment_for(plan, justice, number=1)
    task2 = assignment_for(plan, justice, number=2, role=AssignmentRole.COORDINATOR)
    other_agency = assignment_for(plan, districts[0], number=3)
    other_plan = assignment_for(reporting_plan(plan.issuer), justice, number=1)
    update_at(task1, officer, "14/12/2021 23:59", figures={news: 50}, narrative="Trước kỳ")
    update_at(task1, officer, "15/12/2021 00:00", figures={news: 1}, percent=10)
    update_at(task1, officer, "10/01/2022 09:00", figures={news: 3, conferences: 1},
              percent=40, narrative="Tổ chức hội nghị quý I")
    update_at(task2, officer, "14/03/2022 23:30", figures={news: 2}, status=Status.DONE,
              narrative="Hoàn thành")
    update_at(task1, officer, "15/03/2022 00:10", figures={news: 100}, percent=90,
              narrative="Sau kỳ")
    update_at(other_agency, officer, "01/02/2022 08:00", figures={news: 7})
    update_at(other_plan, officer, "01/02/2022 08:00", figures={news: 1000})
    return task1, task2


def figures_of(report):
    return {f.measure.code: f.value for f in report.figures.select_related("measure")}


def test_prefill_sums_only_the_agencys_updates_within_the_decree_09_period(
    report_plan, justice, districts, officer, news, conferences
):
    task1, task2 = build_q1_history(report_plan, justice, districts, officer, news, conferences)

    report = start_report(
        plan=report_plan, agency=justice, year=2022, period_code="Q1", user=officer
    )

    # 15/12/2021 00:00 (1) + 10/01 (3) + 14/03 23:30 (2); not 14/12, 15/03, others' or other plan.
    assert figures_of(report) == {"portal-news": 6, "conferences": 1}
    states = {s.assignment_id: s for s in report.task_states.all()}
    assert set(states) == {task1.pk, task2.pk}
    assert (states[task1.pk].status, states[task1.pk].percent) == (Status.IN_PROGRESS, 40)
    assert states[task1.pk].note == "Tổ chức hội nghị quý I"
    assert (states[task2.pk].status, states[task2.pk].percent) == (Status.DONE, 100)
    assert report.status == ReportStatus.DRAFT
    assert report.created_by == officer


def test_prefill_follows_the_calendar_cutoff(
    settings, report_plan, justice, districts, officer, news, conferences
):
    settings.REPORTING_CUTOFF = "calendar"
    build_q1_history(report_plan, justice, districts, officer, news, conferences)

    report = start_report(
        plan=report_plan, agency=justice, year=2022, period_code="Q1", user=officer
    )

    # 01/01–31/03/2022: 10/01 (3) + 14/03 (2) + 15/03 (100); December 2021 is the old year.
    assert figures_of(report) == {"portal-news": 105, "conferences": 1}


def test_prefill_of_h1_is_cumulative(report_plan, justice, districts, officer, news, conferences):
    build_q1_history(report_plan, justice, districts, officer, news, conferences)

    report = start_report(
        plan=report_plan, agency=justice, year=2022, period_code="H1", user=officer
    )

    assert figures_of(report) == {"portal-news": 106, "conferences": 1}


def test_task_state_without_any_update_before_the_end_is_not_started(
    report_plan, justice, officer
):
    assignment = assignment_for(report_plan, justice)
    update_at(assignment, officer, "20/06/2022 10:00", status=Status.DONE)

    report = start_report(
        plan=report_plan, agency=justice, year=2022, period_code="Q1", user=officer
    )

    state = report.task_states.get()
    assert (state.status, state.percent, state.note) == (Status.NOT_STARTED, 0, "")


def test_start_report_returns_the_existing_report(draft, report_plan, justice, officer):
    again = start_report(
        plan=report_plan, agency=justice, year=2022, period_code="Q1", user=officer
    )
    assert again.pk == draft.pk
    assert AgencyReport.objects.count() == 1


@pytest.mark.parametrize(("year", "code"), [(2022, "Q2"), (2023, "Q1"), (2022, "bogus")])
def test_start_report_refuses_a_period_the_plan_does_not_ask_for(
    report_plan, justice, officer, year, code
):
    with pytest.raises(ValidationError):
        start_report(plan=report_plan, agency=justice, year=year, period_code=code, user=officer)
    assert not AgencyReport.objects.exists()


def test_save_draft_writes_figures_task_states_and_narrative(
    report_plan, justice, districts, officer, news, conferences
):
    task1, task2 = build_q1_history(report_plan, justice, districts, officer, news, conferences)
    report = start_report(
        plan=report_plan, agency=justice, year=2022, period_code="Q1", user=officer
    )
    foreign = assignment_for(report_plan, districts[1])

    save_draft(
        report=report,
        user=officer,
        version=report.version,
        results="Kết quả",
        shortcomings="Hạn chế: thiếu kinh phí",
        proposals="Đề xuất",
        figures={news.pk: 8, conferences.pk: 0},
        task_states={
            task1.pk: (Status.DONE, 70, "Xong"),
            foreign.pk: (Status.DONE, 100, "not ours"),
        },
    )

    report.refresh_from_db()
    assert (report.results, report.shortcomings, report.proposals) == (
        "Kết quả", "Hạn chế: thiếu kinh phí", "Đề xuất",
    )
    assert figures_of(report) == {"portal-news": 8}
    state = report.task_states.get(assignment=task1)
    assert (state.status, state.percent, state.note) == (Status.DONE, 100, "Xong")
    assert not report.task_states.filter(assignment=foreign).exists()
    assert report.version == 2


def test_stale_version_is_refused_and_nothing_changes(draft, officer):
    save_draft(report=draft, user=officer, version=draft.version, results="Bản của chị A")
    stale = AgencyReport.objects.get(pk=draft.pk)
    stale.version = 1

    with pytest.raises(ValidationError, match="changed this report"):
        save_draft(report=stale, user=officer, version=1, results="Bản cũ của anh B")

    draft.refresh_from_db()
    assert draft.results == "Bản của chị A"


def test_submit_closes_the_report_to_the_agency(draft, officer):
    before = timezone.now()
    report = submit(report=draft, user=officer, version=draft.version)

    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.submitted_at >= before
    assert report.submitted_by == officer
    with pytest.raises(ValidationError, match="can no longer be changed"):
        save_draft(report=report, user=officer, results="Sửa sau khi gửi")
    with pytest.raises(ValidationError, match="Only a draft or returned report"):
        submit(report=report, user=officer)
    report.refresh_from_db()
    assert report.results == "Đã đăng 6 tin, bài."


def test_submit_needs_results(report_plan, justice, officer):
    report = start_report(
        plan=report_plan, agency=justice, year=2022, period_code="Q1", user=officer
    )
    with pytest.raises(ValidationError) as error:
        submit(report=report, user=officer)
    assert "results" in error.value.error_dict
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_return_needs_a_comment(draft, officer, coordinator):
    submit(report=draft, user=officer)
    with pytest.raises(ValidationError) as error:
        return_report(report=draft, user=coordinator, comment="   ")
    assert "comment" in error.value.error_dict
    draft.refresh_from_db()
    assert draft.status == ReportStatus.SUBMITTED


def test_returned_report_is_edited_and_resubmitted_then_accepted(draft, officer, coordinator):
    submit(report=draft, user=officer)
    return_report(report=draft, user=coordinator, comment="Bổ sung số liệu hội nghị")
    draft.refresh_from_db()
    assert draft.status == ReportStatus.RETURNED
    assert draft.return_comment == "Bổ sung số liệu hội nghị"
    assert draft.reviewed_by == coordinator
    assert draft.is_editable

    save_draft(report=draft, user=officer, results="Đã bổ sung: 2 hội nghị")
    submit(report=draft, user=officer)
    accept(report=draft, user=coordinator)

    draft.refresh_from_db()
    assert draft.status == ReportStatus.ACCEPTED
    assert draft.results == "Đã bổ sung: 2 hội nghị"
    assert not draft.is_editable
    with pytest.raises(ValidationError, match="can no longer be changed"):
        save_draft(report=draft, user=officer, results="x")
    with pytest.raises(ValidationError, match="Only a submitted report can be returned"):
        return_report(report=draft, user=coordinator, comment="again")
    with pytest.raises(ValidationError, match="Only a submitted report can be accepted"):
        accept(report=draft, user=coordinator)


@pytest.mark.parametrize("review", ["accept", "return"])
def test_a_draft_cannot_be_reviewed(draft, coordinator, review):
    with pytest.raises(ValidationError):
        if review == "accept":
            accept(report=draft, user=coordinator)
        else:
            return_report(report=draft, user=coordinator, comment="?")
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT


def test_history_records_each_step_and_who_made_it(draft, officer, coordinator):
    submit(report=draft, user=officer)
    return_report(report=draft, user=coordinator, comment="Bổ sung")

    steps = list(draft.history.order_by("history_date"))
    assert [s.status for s in steps][-2:] == [ReportStatus.SUBMITTED, ReportStatus.RETURNED]
    assert [s.history_user for s in steps][-2:] == [officer, coordinator]
