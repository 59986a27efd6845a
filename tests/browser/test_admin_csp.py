"""The admin under the application's strict Content-Security-Policy (no inline script)."""

import pytest
from playwright.sync_api import expect

from tests.factories import AgencyFactory, PlanFactory, TaskFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("path", ["agencies/agency", "plans/plan", "tasks/task"])
def test_select_all_in_an_admin_list_works_under_the_csp(page, live_server, path):
    for number in range(3):
        agency = AgencyFactory(name=f"Sở số {number}", code=f"S{number}")
        plan = PlanFactory(issuer=agency)
        TaskFactory(plan=plan, number=1)
    UserFactory(username="quantri", role="admin", is_staff=True, is_superuser=True)
    page.goto(f"{live_server.url}/admin/login/?next=/admin/{path}/")
    page.fill("input[name=username]", "quantri")
    page.fill("input[name=password]", "correct horse battery")
    page.click("input[type=submit]")
    expect(page.locator("#action-toggle")).to_be_visible()
    page.wait_for_load_state("load")  # the admin's actions.js binds the toggle once loaded

    page.click("#action-toggle")

    rows = page.locator("input.action-select")
    count = rows.count()
    assert count >= 3
    for index in range(count):
        expect(rows.nth(index)).to_be_checked()
    expect(page.locator(".action-counter")).to_contain_text(f"{count}")
    # The policy blocked nothing the admin needs, and no admin script failed.
    assert page.csp_violations == [] and page.js_errors == []
