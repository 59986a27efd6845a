"""reports.summary: what the summary report of a period counts, and as of when.

Periods follow Decree 09/2019 (the default cut-off): Q1 2022 runs 15/12/2021–14/03/2022,
H1 to 14/06/2022, the year to 14/12/2022.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from periodic.models import AgencyReportFigure
from periodic.services import start_report, submit
from plans.models import Target, TargetActual
from reports import dashboard
from reports.models import ReportDraft
from reports.summary import build_summary
from reports.tables import Percent, display
from tasks.models import Status
from tasks.services import dissolve_agency
from tests.factories import AgencyFactory, UserFactory
from tests.factories.dashboard import make_task, populate, report
from tests.factories.periodic import measure, reporting_plan

LATER = datetime.date(2026, 1, 1)  # long after the periods: every one of them has ended
pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(province, home_affairs):
    return reporting_plan(province, title="Kế hoạch tuyên truyền cải cách hành chính năm 2022")


def test_statuses_are_those_at_the_end_of_the_period(plan, justice):
    task = make_task(plan, "Trong năm 2022", leads=[justice])
    report(task, justice, Status.IN_PROGRESS, when=datetime.date(2022, 3, 1), percent=40)
    report(task, justice, Status.DONE, when=datetime.date(2022, 3, 20))  # after 14/03

    q1 = build_summary(plan, 2022, "Q1", today=LATER)
    h1 = build_summary(plan, 2022, "H1", today=LATER)

    assert q1.as_of == datetime.date(2022, 3, 14)
    assert (q1.now.statuses.in_progress, q1.now.statuses.done) == (1, 0)
    assert q1.task_rows[0].state.percent == 40
    assert (h1.now.statuses.in_progress, h1.now.statuses.done) == (0, 1)
    # H1 compares with Q1, measured at Q1's own end.
    assert h1.previous.code == "Q1" and h1.before.statuses.in_progress == 1
    assert h1.overview_table().row("Nhiệm vụ hoàn thành")[1:] == [1, 0, 1]


def test_a_running_period_is_measured_today(plan, justice):
    task = make_task(plan, "Trong năm 2022", leads=[justice])
    report(task, justice, Status.IN_PROGRESS, when=datetime.date(2022, 1, 10))
    summary = build_summary(plan, 2022, "H1", today=datetime.date(2022, 5, 2))
    assert summary.as_of == datetime.date(2022, 5, 2)
    assert summary.now.statuses.in_progress == 1


def test_once_every_update_is_in_the_numbers_are_the_dashboards(plan):
    populate(plan, 3)  # updates in March and April 2022, plans sent in March
    as_of = datetime.date(2022, 12, 14)
    summary = build_summary(plan, 2022, "Y", today=LATER)
    assert summary.as_of == as_of
    board = dashboard.dashboard(plan, as_of=as_of)
    assert summary.now.statuses == board.statuses
    rate = summary.now.on_time
    assert (rate.on_time, rate.done_late, rate.unfinished) == (
        board.on_time.on_time, board.on_time.done_late, board.on_time.unfinished
    )
    assert summary.submissions.rows == board.submissions.rows


def test_overdue_tasks_carry_their_lead_and_days_late_at_the_period_end(plan, justice):
    task = make_task(plan, "Trong tháng 02/2022", leads=[justice], title="Tổ chức hội nghị")
    report(task, justice, Status.IN_PROGRESS, when=datetime.date(2022, 2, 10), percent=60)
    summary = build_summary(plan, 2022, "Q1", today=LATER)
    (row,) = summary.late_rows
    assert row.is_overdue and row.days_late == 14  # 28/02 → 14/03
    assert row.leads == "Sở Tư pháp"
    assert summary.late_table().rows == [
        [task.number, "Tổ chức hội nghị", "Sở Tư pháp", datetime.date(2022, 2, 28), 60, 14,
         "Quá hạn"]
    ]


def test_at_risk_means_due_by_the_next_period_end_and_below_half(plan, justice):
    # Q1's next period is H1, ending 14/06/2022.
    slow = make_task(plan, "Trong tháng 05/2022", leads=[justice])
    report(slow, justice, Status.IN_PROGRESS, when=datetime.date(2022, 3, 1), percent=49)
    ahead = make_task(plan, "Trong tháng 05/2022", leads=[justice])
    report(ahead, justice, Status.IN_PROGRESS, when=datetime.date(2022, 3, 1), percent=50)
    later = make_task(plan, "Quý III/2022", leads=[justice])
    not_started = make_task(plan, "Trong tháng 04/2022", leads=[justice])
    ongoing = make_task(plan, "Thường xuyên", leads=[justice])

    summary = build_summary(plan, 2022, "Q1", today=LATER)

    assert summary.following.code == "H1"
    assert summary.now.at_risk == {slow.pk, not_started.pk}
    assert {later.pk, ongoing.pk, ahead.pk}.isdisjoint(summary.now.at_risk)
    notes = [row[-1] for row in summary.late_table().rows]
    assert notes == ["Có nguy cơ chậm tiến độ"] * 2


def test_figures_come_from_submitted_reports_else_from_updates(plan, justice, home_affairs):
    news = measure("news", "portal", name="Tin trên cổng")
    leaflets = measure("leaflets", "print", name="Tờ gấp", unit="tờ", online=False)
    health = AgencyFactory(name="Sở Y tế", code="SYT", parent=justice.parent)
    own = make_task(plan, "Trong năm 2022", leads=[justice])
    other = make_task(plan, "Trong năm 2022", leads=[health])
    report(own, justice, Status.IN_PROGRESS, when=datetime.date(2022, 2, 1),
           figures={news: 5})
    report(other, health, Status.IN_PROGRESS, when=datetime.date(2022, 2, 1),
           figures={news: 7, leaflets: 100})
    report(other, health, Status.IN_PROGRESS, when=datetime.date(2022, 3, 20),
           figures={news: 1000})  # after Q1's cut-off
    # The Sở Tư pháp sends its report, saying 9 news items; the Sở Y tế's stays a draft.
    officer = UserFactory(agency=justice)
    sent = start_report(plan=plan, agency=justice, year=2022, period_code="Q1", user=officer)
    AgencyReportFigure.objects.filter(report=sent).update(value=9)
    sent.results = "Đã đăng 9 tin."
    sent.save()
    submit(report=sent, user=officer)
    start_report(plan=plan, agency=health, year=2022, period_code="Q1",
                 user=UserFactory(agency=health))

    summary = build_summary(plan, 2022, "Q1", today=LATER)

    assert summary.figures.from_reports == {justice.pk}
    assert summary.figures.from_updates == {health.pk}
    assert {row.measure.code: row.current for row in summary.measure_rows} == {
        "news": 9 + 7, "leaflets": 100,
    }
    assert [(c.name, c.agencies) for c in summary.channels] == [("Portal", 2), ("Print", 1)]
    # The dashboard at Q1's cut-off counts the same; the day after, the updates of the year.
    def dashboard_figures(day):
        board = dashboard.dashboard(plan, as_of=day)
        return {m.measure.code: m.current for c in board.channels for m in c.measures}

    assert dashboard_figures(datetime.date(2022, 3, 14)) == {"news": 9 + 7, "leaflets": 100}
    assert dashboard_figures(datetime.date(2022, 3, 20)) == {"news": 5 + 7 + 1000,
                                                             "leaflets": 100}
    assert summary.scoring.online == ["Portal"] and summary.scoring.traditional == ["Print"]


def test_figures_are_compared_with_the_previous_period(plan, justice):
    news = measure("news", "portal")
    task = make_task(plan, "Trong năm 2022", leads=[justice])
    report(task, justice, Status.IN_PROGRESS, when=datetime.date(2022, 2, 1), figures={news: 5})
    report(task, justice, Status.IN_PROGRESS, when=datetime.date(2022, 5, 1), figures={news: 3})
    summary = build_summary(plan, 2022, "H1", today=LATER)
    # H1 is cumulative (15/12/2021–14/06/2022); Q1 had 5.
    assert summary.channel_table().rows == [["Portal", "Trực tuyến", "news", "tin, bài", 8, 5, 3]]


def test_the_first_period_of_a_plan_has_nothing_to_compare_with(plan):
    summary = build_summary(plan, 2022, "Q1", today=LATER)
    assert summary.previous is None and summary.before is None
    assert [c.header for c in summary.overview_table().columns] == ["Nội dung", "Quý I/2022"]
    assert summary.overview_table().rows[0] == ["Tổng số nhiệm vụ trọng điểm", 0]


def test_targets_are_compared_with_their_actuals(plan):
    par = Target.objects.create(plan=plan, position=1, indicator="PAR INDEX", unit="rank",
                                description="Xếp hạng", target_value=20)
    sipas = Target.objects.create(plan=plan, position=2, indicator="SIPAS", unit="percent",
                                  description="Hài lòng", target_value=Decimal("90"),
                                  baseline=Decimal("85"))
    Target.objects.create(plan=plan, position=3, indicator="PCI", unit="score",
                          description="Điểm PCI", target_value=Decimal("69.5"))
    TargetActual.objects.create(target=par, year=2022, period_code="Y", value=18,
                                source="PAR INDEX 2022 công bố ngày 16/5/2023",
                                source_url="https://example.gov.vn/par-2022")
    TargetActual.objects.create(target=sipas, year=2022, period_code="H1",
                                value=Decimal("87.5"), source="Khảo sát SIPAS 6 tháng")
    summary = build_summary(plan, 2022, "Y", today=LATER)
    assert summary.target_table().rows == [
        [1, "PAR INDEX", "Xếp hạng", "", "xếp hạng 20", "xếp hạng 18",
         "PAR INDEX 2022 công bố ngày 16/5/2023 (https://example.gov.vn/par-2022)", "Đạt"],
        # The latest actual known at the year's end, measured at six months.
        [2, "SIPAS", "Hài lòng", "85%", "90%", "87,5% (6 tháng/2022)",
         "Khảo sát SIPAS 6 tháng", "Chưa đạt"],
        [3, "PCI", "Điểm PCI", "", "69,5 điểm", "", "", "Chưa có số liệu"],
    ]
    # At Q1 nothing had been measured yet.
    q1 = build_summary(plan, 2022, "Q1", today=LATER)
    assert [row[-1] for row in q1.target_table().rows] == ["Chưa có số liệu"] * 3


def test_completion_share_and_channels_score_as_the_cchc_index_does(plan, justice):
    tasks = [make_task(plan, "Trong năm 2022", leads=[justice]) for _ in range(10)]
    for task in tasks[:9]:
        report(task, justice, Status.DONE, when=datetime.date(2022, 3, 1))
    summary = build_summary(plan, 2022, "Q1", today=LATER)
    assert (summary.scoring.done, summary.scoring.planned, summary.scoring.share) == (9, 10, 90)
    assert summary.scoring.completion_points == Decimal("0.90")
    assert summary.scoring.channel_points == 0  # no figure reported
    assert summary.overview_table().row("Tỷ lệ hoàn thành kế hoạch")[1] == Percent(90)


def test_an_agency_dissolved_before_the_period_end_has_its_work_cancelled(plan, justice):
    successor = AgencyFactory(name="Sở Tư pháp mới", code="STP2", parent=justice.parent)
    task = make_task(plan, "Trong năm 2022", leads=[justice, successor])
    dissolve_agency(agency=justice, successor=successor, on=datetime.date(2022, 2, 1))
    q1 = build_summary(plan, 2022, "Q1", today=LATER)
    assert q1.now.assignments[task.assignments.get(agency=justice).pk].status == "cancelled"
    assert q1.now.statuses.not_started == 1  # the successor carries it


def test_the_coordinators_text_and_number_go_into_the_report(plan):
    ReportDraft.objects.create(plan=plan, year=2022, period_code="Q1",
                               introduction="Mở đầu riêng.", proposals="Kết luận một.\nHai.",
                               number="45/BC-SNV", issued_on=datetime.date(2022, 4, 5))
    summary = build_summary(plan, 2022, "Q1", today=LATER)
    assert summary.introduction == ["Mở đầu riêng."]
    assert summary.evaluation[-1].lines == ["Kết luận một.", "Hai."]
    assert summary.letterhead.number == "Số: 45/BC-SNV"
    assert summary.letterhead.date_line == "ngày 05 tháng 4 năm 2022"


def test_the_report_is_issued_by_the_home_affairs_department_to_the_province(plan):
    summary = build_summary(plan, 2022, "Q1", today=LATER)
    head = summary.letterhead
    assert head.parent_lines == ["ỦY BAN NHÂN DÂN", "TỈNH KHÁNH HÒA"]
    assert head.issuer_lines == ["SỞ NỘI VỤ"]
    assert head.kind == "BÁO CÁO" and head.number.endswith("/BC-SNV")
    assert head.addressees == ["Ủy ban nhân dân tỉnh Khánh Hòa"]
    assert head.title == (
        "Kết quả thực hiện Kế hoạch tuyên truyền cải cách hành chính quý I năm 2022"
    )
    assert summary.signature.authority == "KT. GIÁM ĐỐC"
    assert summary.signature.recipients[-1] == "- Lưu: VT, CCHC."


def test_a_period_the_plan_does_not_report_on_is_refused(plan):
    with pytest.raises(ValidationError):
        build_summary(plan, 2022, "Q3", today=LATER)
    with pytest.raises(ValidationError):
        build_summary(plan, 2023, "Q1", today=LATER)


@pytest.mark.parametrize(
    ("value", "kind", "text"),
    [
        (1234, "number", "1.234"),
        (Percent(63), "number", "63%"),
        (3, "change", "+3"),
        (-2, "change", "−2"),
        (Percent(-5), "change", "−5 điểm %"),
        (Percent(25), "change", "+25 điểm %"),
        (0, "change", "0"),
        (None, "number", "–"),
        (datetime.date(2022, 4, 5), "date", "05/04/2022"),
        ("", "text", ""),
    ],
)
def test_cells_print_the_way_vietnamese_documents_write_numbers(value, kind, text):
    assert display(value, kind) == text
