"""The agency picker and the outline editor in a real browser, on the demo data.

1. A coordinator types "uy ban huyen" (no accents, no abbreviation) and finds the
   "UBND các huyện, thị xã, thành phố" group, as a task's lead group and as a "pick the whole
   group" button among the plan's addressed agencies; only Khánh Hòa's agencies are offered.
2. The keyboard only (``page.keyboard``, never the mouse): a task is written with agencies
   picked in the picker and saved, then two sections are added to the plan's outline and one
   is moved down.

Every page is checked by ``assert_self_contained`` (axe-core: no WCAG 2.1 A/AA violation).
"""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from agencies.models import Agency, AgencyGroup
from plans.outline import OutlineNode
from tasks.models import Assignment, AssignmentRole, Task
from tests.factories import PlanFactory

from .helpers import PHONE, assert_self_contained, log_in, screenshot, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DISTRICT_GROUP = "UBND các huyện, thị xã, thành phố"


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", stdout=io.StringIO())


@pytest.fixture
def draft(demo):
    province = Agency.objects.get(code="UBND-KH")
    return PlanFactory(
        issuer=province,
        status="draft",
        period_start_year=2026,
        title="Kế hoạch tuyên truyền CCHC năm 2026 (bàn phím)",
    )


def shown(picker):
    return picker.locator(".ap-options li:not([hidden])")


def test_uy_ban_huyen_finds_the_district_group(page, live_server, draft):
    group = AgencyGroup.objects.get(name=DISTRICT_GROUP)
    members = sorted(group.member_agencies(), key=lambda agency: agency.pk)
    assert len(members) == 9
    log_in(page, live_server, "dieuphoi")
    page.goto(f"{live_server.url}/tasks/plans/{draft.pk}/add/")
    assert_self_contained(page)
    leads, groups = page.locator("#id_leads.ap"), page.locator("#id_lead_groups.ap")
    # Only the agencies of Khánh Hòa: Ninh Thuận's Sở TT&TT is not offered.
    ninh_thuan = Agency.objects.get(code="STTTT-NT")
    expect(leads.locator(f"input[value='{ninh_thuan.pk}']")).to_have_count(0)

    # As the lead group.
    groups.locator(".ap-search").fill("uy ban huyen")
    expect(shown(groups)).to_have_count(1)
    expect(shown(groups)).to_have_text(DISTRICT_GROUP)
    shown(groups).locator("input").check()
    expect(groups.locator(".ap-chip")).to_have_text([f"{DISTRICT_GROUP} ×"])

    assert_self_contained(page)
    page.fill("textarea[name=title]", "Tuyên truyền CCHC trên loa truyền thanh cấp xã")
    page.click("form.tk-form button[type=submit]")
    expect(page).to_have_url(re.compile(rf"/tasks/plans/{draft.pk}/#task-\d+$"))
    assert_self_contained(page)
    task = Task.objects.get(plan=draft)
    leads = Assignment.objects.filter(task=task, role=AssignmentRole.LEAD)
    assert sorted(leads.values_list("agency_id", flat=True)) == [m.pk for m in members]
    assert set(leads.values_list("via_group_id", flat=True)) == {group.pk}

    # The plan's addressed agencies: a button picks every member of the group.
    page.goto(f"{live_server.url}/plans/{draft.pk}/edit/header/")
    assert_self_contained(page)
    addressed = page.locator("#id_addressed_agencies.ap")
    addressed.locator(".ap-search").fill("uy ban huyen")
    button = addressed.locator(".ap-group:not([hidden])")
    expect(button).to_have_count(1)
    expect(button).to_contain_text(f"{DISTRICT_GROUP} (9)")
    addressed.locator(".ap-search").fill("ubnd huyen")
    expect(button).to_have_count(1)
    button.click()
    expect(addressed.locator(".ap-chip")).to_have_count(9)
    expect(addressed.locator(".ap-status")).to_contain_text("9")
    # One removed again from its chip; a whole kind picked with its button.
    removed = addressed.locator(".ap-chip").first.get_attribute("data-value")
    addressed.locator(".ap-chip").first.click()
    expect(addressed.locator(".ap-chip")).to_have_count(8)
    addressed.locator(".ap-search").fill("bao hiem")
    central = addressed.locator(".ap-kind:not([hidden]) .ap-select-kind")
    expect(central).to_have_count(1)
    central.click()
    bhxh = Agency.objects.get(code="BHXH-KH")
    expect(addressed.locator(".ap-chip")).to_have_count(9)
    expect(addressed.locator(f"input[value='{bhxh.pk}']")).to_be_checked()
    assert_self_contained(page)
    screenshot(page, "picker-1366")
    page.set_viewport_size(PHONE)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "picker-360")
    assert_self_contained(page)
    page.click("form.section-form button[type=submit]")
    expect(page).to_have_url(re.compile(rf"/plans/{draft.pk}/#header$"))
    assert_self_contained(page)
    assert sorted(draft.addressed_agencies.values_list("pk", flat=True)) == sorted(
        [m.pk for m in members if str(m.pk) != removed] + [bhxh.pk]
    )


def press(page, *keys):
    for key in keys:
        page.keyboard.press(key)


def focused_value(page):
    return page.evaluate("() => document.activeElement.value")


def test_keyboard_only_picks_agencies_and_edits_the_outline(page, live_server, draft):
    justice = Agency.objects.get(code="STP")
    information = Agency.objects.get(code="STTTT")
    bhxh = Agency.objects.get(code="BHXH-KH")

    # Logging in: type, Tab, Enter.
    page.goto(f"{live_server.url}/accounts/login/")
    assert_self_contained(page)
    tab_to(page, "input[name=username]")
    page.keyboard.type("dieuphoi")
    tab_to(page, "input[name=password]")
    page.keyboard.type("demo12345")
    press(page, "Enter")
    expect(page.locator("form[action$='/accounts/logout/']")).to_be_attached()
    assert_self_contained(page)

    page.goto(f"{live_server.url}/tasks/plans/{draft.pk}/add/")
    assert_self_contained(page)
    tab_to(page, "textarea[name=title]")
    page.keyboard.type("Tuyên truyền CCHC qua cổng thông tin điện tử")

    # The lead: "so tu phap", ↓ to the list, Space picks, Esc back to the search box.
    tab_to(page, "#id_leads_search")
    page.keyboard.type("so tu phap")
    press(page, "ArrowDown")
    assert focused_value(page) == str(justice.pk)
    press(page, "Space", "Escape")
    expect(page.locator("#id_leads_search")).to_be_focused()
    expect(page.locator("#id_leads .ap-chip")).to_have_text([f"{justice.name} ×"])

    # Coordinators: "tt&tt" finds Sở Thông tin và Truyền thông (Enter picks), "bhxh" finds
    # Bảo hiểm xã hội tỉnh, the arrows walk the list.
    tab_to(page, "#id_coordinators_search")
    page.keyboard.type("so tt&tt")
    press(page, "ArrowDown")
    assert focused_value(page) == str(information.pk)
    press(page, "Enter", "Escape")
    press(page, "Control+a")
    page.keyboard.type("bhxh")
    press(page, "Enter")  # Enter in the search box goes to the first match, never submits
    assert focused_value(page) == str(bhxh.pk)
    press(page, "Space")
    chips = page.locator("#id_coordinators .ap-chip")
    expect(chips).to_have_count(2)
    # A chip is removed with Enter: Shift+Tab back to the chips from the list.
    press(page, "Escape", "Control+a", "Backspace")
    tab_to(page, f"#id_coordinators .ap-chip[data-value='{bhxh.pk}']")
    press(page, "Enter")
    expect(chips).to_have_count(1)
    expect(page.locator(f"#id_coordinators input[value='{bhxh.pk}']")).not_to_be_checked()
    assert_self_contained(page)

    tab_to(page, "input[name=timeline_text]")
    page.keyboard.type("Quý II/2026")
    tab_to(page, "form.tk-form button[type=submit]")
    press(page, "Enter")
    expect(page).to_have_url(re.compile(rf"/tasks/plans/{draft.pk}/#task-\d+$"))
    assert_self_contained(page)
    task = Task.objects.get(plan=draft)
    assert sorted(task.assignments.values_list("agency_id", "role")) == sorted(
        [
            (justice.pk, AssignmentRole.LEAD),
            (information.pk, AssignmentRole.COORDINATOR),
        ]
    )

    # The outline: two sections added at the start of the plan, then the first moved down.
    page.goto(f"{live_server.url}/plans/{draft.pk}/outline/")
    assert_self_contained(page)
    for heading in ("MỤC ĐÍCH, YÊU CẦU", "NỘI DUNG TUYÊN TRUYỀN"):
        tab_to(page, "a[href$='?start=plan#new-node']")
        press(page, "Enter")
        expect(page.locator("#new-node")).to_be_visible()
        assert_self_contained(page)
        tab_to(page, "#new-node textarea[name=heading]")
        page.keyboard.type(heading)
        tab_to(page, "#new-node button[type=submit]")
        press(page, "Enter")
        expect(page.locator(".outline-heading", has_text=heading)).to_have_count(1)
        assert_self_contained(page)
    nodes = list(OutlineNode.objects.filter(plan=draft, part="plan").order_by("position"))
    headings = [node.heading for node in nodes]
    assert headings[:2] == ["NỘI DUNG TUYÊN TRUYỀN", "MỤC ĐÍCH, YÊU CẦU"]
    first = nodes[0]
    tab_to(page, f"#node-{first.pk} button[value=down]")
    press(page, "Enter")
    expect(page.locator(f"#node-{first.pk}")).to_be_visible()
    assert_self_contained(page)
    headings = list(
        OutlineNode.objects.filter(plan=draft, part="plan")
        .order_by("position")
        .values_list("heading", flat=True)
    )
    assert headings[:2] == ["MỤC ĐÍCH, YÊU CẦU", "NỘI DUNG TUYÊN TRUYỀN"]
    expect(page.locator("section:has(#part-plan) .outline-heading").first).to_contain_text(
        "MỤC ĐÍCH, YÊU CẦU"
    )
