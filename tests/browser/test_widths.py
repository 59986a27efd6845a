"""Every page of the journeys at a 360 px phone and a 1366 px office screen: nothing scrolls
sideways (``document.documentElement.scrollWidth <= innerWidth``). With
BROWSER_SCREENSHOTS=<folder> each page is kept as a PNG for a person to look at.
"""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from agencies.models import Agency
from periodic.services import start_report
from plans.models import Plan
from tasks.models import Assignment

from .helpers import OVERFLOWING, assert_self_contained, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KHANH_HOA_2022 = "Tuyên truyền cải cách hành chính tỉnh Khánh Hòa năm 2022"
WIDTHS = [{"width": 360, "height": 800}, {"width": 1366, "height": 768}]


def journeys():
    """The pages each demo login goes through, as URL paths, Vietnamese then English."""
    plan = Plan.objects.get(title=KHANH_HOA_2022)
    justice = Agency.objects.get(code="STP")
    assignment = Assignment.objects.filter(task__plan=plan, agency=justice).first()
    task = assignment.task
    officer = get_user_model().objects.get(username="donvi")
    report = start_report(plan=plan, agency=justice, year=2022, period_code="Q1", user=officer)
    periods = [code for code in plan.reporting_periods if code != "Y"] or ["Y"]
    reader = [
        reverse("plans:list"),
        reverse("plans:detail", args=[plan.pk]),
        reverse("tasks:detail", args=[task.pk]),
        reverse("periodic:report_detail", args=[report.pk]),
    ]
    pages = {
        "dieuphoi": [
            *reader,
            reverse("plans:history", args=[plan.pk]),
            reverse("plans:submissions", args=[plan.pk]),
            reverse("periodic:overview"),
            reverse("periodic:completeness", args=[plan.pk]),
            reverse("tasks:post_update", args=[assignment.pk]),
            reverse("plans:targets", args=[plan.pk]),
            reverse("tasks:copy_plan", args=[plan.pk]),
        ],
        "donvi": [
            reverse("tasks:my_work"),
            reverse("tasks:post_update", args=[assignment.pk]),
            reverse("periodic:my_reports"),
            reverse("periodic:report_edit", args=[report.pk]),
            *reader,
        ],
        "lanhdao": [
            reverse("reports:dashboard"),
            reverse("reports:plan_dashboard", args=[plan.pk]),
            reverse("leadership:index"),
            reverse("leadership:reports", args=[plan.pk]),
            reverse("leadership:report", args=[plan.pk, 2022, periods[0]]),
            reverse("leadership:preview", args=[plan.pk, 2022, periods[0]]),
            reverse("documents:plan_preview", args=[plan.pk]),
            *reader,
        ],
    }
    return {user: [*paths, *(f"/en{path}" for path in paths[:3])] for user, paths in pages.items()}


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", stdout=io.StringIO())


@pytest.mark.parametrize("username", ["dieuphoi", "donvi", "lanhdao"])
def test_no_page_of_the_journeys_scrolls_sideways(open_page, live_server, demo, username):
    paths = journeys()[username]
    page = open_page()
    log_in(page, live_server, username)
    wide = []
    for size in WIDTHS:
        page.set_viewport_size(size)
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response.status == 200, path
            assert_self_contained(page)
            screenshot(page, f"{username}-{size['width']}")
            scroll, inner = page.evaluate(
                "() => [document.documentElement.scrollWidth, window.innerWidth]"
            )
            if scroll > inner:
                wide.append((size["width"], path, scroll, page.evaluate(OVERFLOWING, inner)))
    assert wide == []
