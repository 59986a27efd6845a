"""The journeys of issue 3 (items 15 and 16) in a real browser, on the demo data.

1. A coordinator writes a plan, adds a key task led by one agency and one led by a group,
   watching each timeline resolve while typing, and issues the plan.
2. An officer of Sở Tư pháp posts a progress update with a figure and a PDF on a task of
   their agency, sees it in the task's history and downloads the file back.
3. A leader sees that update counted on the plan's dashboard.

On every page: nothing is fetched from another host, stylesheets and scripts come from
/static/ and axe-core finds no WCAG 2.1 A/AA violation (``assert_self_contained``); one page
of each journey fits a 360 px phone.
Assertions use data, URLs, classes and numbers rather than UI wording, so that they hold
in Vietnamese and in English.
"""

import io
import re

import pytest
from django.core.management import call_command
from django.db.models import Sum
from playwright.sync_api import expect

from agencies.models import Agency, AgencyGroup
from plans.models import Measure, Plan, PlanStatus
from tasks.models import (
    Assignment,
    AssignmentRole,
    Evidence,
    ProgressUpdate,
    Status,
    Task,
    UpdateFigure,
)

from .helpers import assert_fits_phone, assert_self_contained, log_in, minimal_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KHANH_HOA_2022 = "Tuyên truyền cải cách hành chính tỉnh Khánh Hòa năm 2022"
DISTRICT_GROUP = "UBND các huyện, thị xã, thành phố"


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", stdout=io.StringIO())


def pick_agency(page, field, search, option_text):
    """Pick one agency (or group) of a picker by typing in its search box (no accents)."""
    picker = page.locator(f"#id_{field}.ap")
    picker.locator(".ap-search").fill(search)
    visible = picker.locator(".ap-options li:not([hidden])")
    expect(visible).to_have_count(1)
    expect(visible).to_have_text(option_text)
    visible.locator("input").check()
    expect(picker.locator("input:checked + span")).to_have_text([option_text])
    expect(picker.locator(".ap-chip")).to_have_text([f"{option_text} ×"])


def add_task(page, plan, *, title, timeline, due, lead=None, lead_group=None):
    page.click(f"a[href$='/tasks/plans/{plan.pk}/add/']")
    expect(page).to_have_url(re.compile(rf"/tasks/plans/{plan.pk}/add/$"))
    assert_self_contained(page)
    page.fill("textarea[name=title]", title)
    if lead:
        pick_agency(page, "leads", *lead)
    if lead_group:
        pick_agency(page, "lead_groups", *lead_group)
    preview = page.locator("#tk-timeline-preview")
    expect(preview).not_to_contain_text(due)
    timeline_input = page.locator("input[name=timeline_text]")
    timeline_input.press_sequentially(timeline, delay=20)
    # The resolved date shows while typing, before anything is saved.
    expect(preview).to_contain_text(due)
    assert not Task.objects.filter(plan=plan, title=title).exists()
    page.click("form.tk-form button[type=submit]")
    expect(page).to_have_url(re.compile(rf"/tasks/plans/{plan.pk}/#task-\d+$"))
    task = Task.objects.get(plan=plan, title=title)
    row = page.locator(f"#task-{task.pk}")
    expect(row).to_contain_text(title)
    expect(row).to_contain_text(timeline)
    expect(row).to_contain_text(due)
    assert_self_contained(page)
    return task


def test_coordinator_writes_and_issues_a_plan(page, live_server, demo):
    province = Agency.objects.get(code="UBND-KH")
    justice = Agency.objects.get(code="STP")
    group = AgencyGroup.objects.get(name=DISTRICT_GROUP)
    title = "Kế hoạch tuyên truyền cải cách hành chính năm 2026 (thử nghiệm trình duyệt)"

    log_in(page, live_server, "dieuphoi")

    # The plan's header, then one more section.
    page.goto(f"{live_server.url}/plans/new/")
    assert_self_contained(page)
    page.check(f"input[name=issuer][value='{province.pk}']")
    page.fill("input[name=document_number]", "99/KH-UBND")
    page.fill("textarea[name=title]", title)
    page.fill("input[name=period_start_year]", "2026")
    page.fill("input[name=period_end_year]", "2026")
    page.click("form.section-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/plans/\d+/$"))
    plan = Plan.objects.get(title=title)
    assert (plan.issuer, plan.status, plan.period_start_year) == (province, "draft", 2026)
    expect(page.locator("#plan-title")).to_contain_text(title)
    expect(page.locator(".plan-meta .status")).to_have_class(re.compile(r"\bstatus-draft\b"))
    assert_self_contained(page)

    page.click(f"a[href$='/plans/{plan.pk}/edit/purpose/']")
    page.fill("textarea[name=objectives]", "Nâng cao nhận thức của người dân về CCHC.\n"
              "Tăng tỷ lệ hồ sơ trực tuyến.")
    assert_self_contained(page)
    page.click("form.section-form button[type=submit]")
    expect(page).to_have_url(re.compile(rf"/plans/{plan.pk}/#purpose$"))
    expect(page.locator("#purpose ul.lines li")).to_have_text(
        ["Nâng cao nhận thức của người dân về CCHC.", "Tăng tỷ lệ hồ sơ trực tuyến."]
    )
    assert_self_contained(page)

    # The key tasks, on the plan's task page.
    page.click(f"a[href$='/tasks/plans/{plan.pk}/']")
    expect(page).to_have_url(re.compile(rf"/tasks/plans/{plan.pk}/$"))
    assert_self_contained(page)
    single = add_task(
        page, plan,
        title="Lồng ghép tuyên truyền CCHC trong phổ biến, giáo dục pháp luật",
        lead=("so tu phap khanh hoa", justice.name),
        timeline="Quý II/2026", due="30/06/2026",
    )
    grouped = add_task(
        page, plan,
        title="Hướng dẫn người dân nộp hồ sơ trực tuyến tại Bộ phận một cửa",
        lead_group=("ubnd cac huyen", group.name),
        timeline="Quý III/2026", due="30/09/2026",
    )
    expect(page.locator(f"#task-{grouped.pk} .tk-chip-group")).to_have_text(group.name)

    # Phone width: the task form of this journey.
    assert_fits_phone(page, f"{live_server.url}/tasks/plans/{plan.pk}/add/")

    # Issue it.
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    assert_self_contained(page)
    page.click(f"form[action$='/plans/{plan.pk}/issue/'] button[type=submit]")
    expect(page.locator(".plan-meta .status")).to_have_class(re.compile(r"\bstatus-issued\b"))
    expect(page.locator(f"form[action$='/plans/{plan.pk}/issue/']")).to_have_count(0)
    assert_self_contained(page)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ISSUED

    # Its number is in the province's register, reached from the menu.
    page.click("nav a[href$='/register/']")
    expect(page).to_have_url(re.compile(r"/register/$"))
    assert_self_contained(page)
    page.click(f"a[href$='/register/{province.pk}/2026/']")
    expect(page.locator("#entry-99")).to_contain_text("99/KH-UBND")
    assert_self_contained(page)
    assert_fits_phone(page, f"{live_server.url}/register/{province.pk}/2026/")
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    assert_self_contained(page)

    rows = page.locator("#tasks table.tasks-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(single.title)
    expect(rows.nth(0).locator("td").nth(3)).to_have_text(justice.name)
    expect(rows.nth(0)).to_contain_text("30/06/2026")
    expect(rows.nth(1)).to_contain_text(grouped.title)
    # "UBND các huyện, thị xã, thành phố (9 agencies)", in either language.
    members = list(group.member_agencies())
    assert len(members) == 9
    expect(rows.nth(1).locator("td").nth(3)).to_have_text(
        re.compile(rf"^\s*{re.escape(group.name)} \({len(members)}\D")
    )
    expect(rows.nth(1)).to_contain_text("30/09/2026")

    # The group task's page lists one lead per district committee.
    page.goto(f"{live_server.url}/tasks/{grouped.pk}/")
    assert_self_contained(page)
    lead_rows = page.locator(".tk-section table").first.locator("tbody tr")
    expect(lead_rows).to_have_count(len(members))
    for member in members:
        expect(lead_rows.filter(has_text=member.name)).to_have_count(1)

    # And so does the database.
    leads = Assignment.objects.filter(task=grouped, role=AssignmentRole.LEAD)
    assert sorted(leads.values_list("agency_id", flat=True)) == sorted(m.pk for m in members)
    assert set(leads.values_list("via_group_id", flat=True)) == {group.pk}
    assert list(
        Assignment.objects.filter(task=single).values_list("agency_id", "role", "via_group_id")
    ) == [(justice.pk, AssignmentRole.LEAD, None)]
    assert page.foreign_requests == []


def dashboard_numbers(page, measure):
    done = int(page.locator(".dash-card.is-done .dash-number").inner_text().replace(".", ""))
    cell = page.locator("#dash-channels ~ .dash-table-wrap tr", has=page.locator(
        "td", has_text=re.compile(rf"^{re.escape(measure.name)}$")
    )).locator("td.num")
    total = int(cell.inner_text().split()[0].replace(".", "").replace(",", ""))
    return done, total


def test_officer_update_shows_on_the_leaders_dashboard(open_page, live_server, demo, tmp_path):
    plan = Plan.objects.get(title=KHANH_HOA_2022)
    justice = Agency.objects.get(code="STP")
    task = Task.objects.get(plan=plan, number=2)
    assignment = Assignment.objects.get(task=task, agency=justice)
    assert (assignment.role, task.status) == (AssignmentRole.LEAD, Status.IN_PROGRESS)
    measure = Measure.objects.get(code="portal-news")

    # The leader looks at the plan's dashboard first.
    leader = open_page()
    log_in(leader, live_server, "lanhdao")
    leader.goto(f"{live_server.url}/reports/dashboard/")
    assert_self_contained(leader)
    leader.select_option("#plan-plan", str(plan.pk))
    leader.click("form.dash-form:has(#plan-plan) button[type=submit]")
    expect(leader).to_have_url(re.compile(rf"[?&]plan={plan.pk}(&|$)"))
    expect(leader.locator("#dash-scope-title")).to_have_text(plan.title)
    assert_self_contained(leader)
    done_before, news_before = dashboard_numbers(leader, measure)
    assert done_before == Task.objects.filter(plan=plan, status=Status.DONE).count()

    # The officer finds the task in their agency's work, and posts an update.
    officer = open_page()
    log_in(officer, live_server, "donvi")
    expect(officer).to_have_url(re.compile(r"/tasks/work/$"))
    officer.select_option("select[name=plan]", str(plan.pk))
    officer.select_option("select[name=role]", AssignmentRole.LEAD.value)
    officer.click("form.tk-filters button[type=submit]")
    expect(officer).to_have_url(re.compile(rf"[?&]plan={plan.pk}(&|$)"))
    row = officer.locator("table.tk-work tbody tr", has=officer.locator(
        f"a[href$='/tasks/{task.pk}/']"
    ))
    expect(row).to_have_count(1)
    assert_self_contained(officer)
    row.locator(f"a[href$='/tasks/{task.pk}/']").click()
    expect(officer).to_have_url(re.compile(rf"/tasks/{task.pk}/$"))
    expect(officer.locator("h1")).to_contain_text(task.title[:40])
    assert_self_contained(officer)
    officer.click(f"a[href$='/tasks/assignments/{assignment.pk}/update/']")
    expect(officer).to_have_url(re.compile(rf"/tasks/assignments/{assignment.pk}/update/$"))
    assert_self_contained(officer)

    pdf = minimal_pdf()
    upload = tmp_path / "Báo cáo tiến độ STP.pdf"
    upload.write_bytes(pdf)
    narrative = "Đã hoàn thành lồng ghép tuyên truyền CCHC trong các hội nghị phổ biến pháp luật."
    officer.select_option("select[name=status]", Status.DONE.value)
    officer.fill("input[name=percent]", "100")
    officer.fill("textarea[name=narrative]", narrative)
    officer.fill(f"input[name=figure_{measure.pk}]", "7")
    officer.set_input_files("input[name=files]", upload)
    officer.click("form.tk-form button[type=submit]")
    expect(officer).to_have_url(re.compile(rf"/tasks/{task.pk}/#history$"))
    assert_self_contained(officer)

    update = ProgressUpdate.objects.get(assignment=assignment, narrative=narrative)
    evidence = Evidence.objects.get(update=update)
    latest = officer.locator("#history article.tk-update").first
    expect(latest).to_contain_text(narrative)
    expect(latest).to_contain_text(justice.display_name)
    expect(latest.locator(".tk-status")).to_have_class(re.compile(r"\btk-status-done\b"))
    expect(latest.locator(".tk-figures li")).to_have_text([re.compile(
        rf"^{re.escape(measure.name)}: 7 {re.escape(measure.unit)}$"
    )])
    link = latest.locator(f".tk-evidence a[href$='/tasks/evidence/{evidence.pk}/']")
    expect(link).to_have_text(upload.name)

    # The file comes back as it was sent, as a PDF.
    with officer.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == upload.name
    with open(download.path(), "rb") as handle:
        assert handle.read() == pdf
    response = officer.request.get(link.evaluate("a => a.href"))
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    assert response.body() == pdf

    # Phone width: the task page with its history.
    assert_fits_phone(officer, f"{live_server.url}/tasks/{task.pk}/")

    # The leader's dashboard counts it: one more task done, 7 more news items.
    task.refresh_from_db()
    assert (task.status, task.percent) == (Status.DONE, 100)
    leader.reload()
    expect(leader.locator(".dash-card.is-done .dash-number")).to_have_text(
        str(done_before + 1)
    )
    done_after, news_after = dashboard_numbers(leader, measure)
    assert (done_after, news_after) == (done_before + 1, news_before + 7)
    news_in_db = UpdateFigure.objects.filter(
        measure=measure, update__assignment__task__plan=plan
    ).aggregate(total=Sum("value"))["total"]
    assert (done_after, news_after) == (
        Task.objects.filter(plan=plan, status=Status.DONE).count(),
        news_in_db,
    )
    assert_self_contained(leader)

    # Phone width: the dashboard.
    assert_fits_phone(leader, leader.url)
    assert leader.foreign_requests == officer.foreign_requests == []
