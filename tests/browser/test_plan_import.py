"""An agency officer imports their agency's own plan for the provincial plan, in a browser.

The officer of Sở Tư pháp (demo login ``donvi``) opens the Khánh Hòa 2022 plan, which asks
the departments for their own plans, clicks the import link, uploads the agency's Word file,
sees what was understood beside the original and saves: the agency's plan, with its tasks,
is submitted for the provincial plan.
"""

import io
import os
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from importing.tests.conftest import synthetic_plan
from plans.models import Plan, PlanStatus

from .helpers import assert_self_contained, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
KHANH_HOA_2022 = "Tuyên truyền cải cách hành chính tỉnh Khánh Hòa năm 2022"


def test_an_officer_imports_and_submits_their_agency_plan(page, live_server, tmp_path):
    call_command("load_demo", stdout=io.StringIO())
    parent = Plan.objects.get(title__contains=KHANH_HOA_2022)
    before = set(parent.children.values_list("pk", flat=True))
    log_in(page, live_server, "donvi")
    page.goto(f"{live_server.url}/plans/{parent.pk}/")
    page.click(f"a[href$='/plans/{parent.pk}/import/']")
    expect(page).to_have_url(re.compile(rf"/plans/{parent.pk}/import/$"))
    assert_self_contained(page)
    upload = tmp_path / "ke-hoach-stp.docx"
    upload.write_bytes(synthetic_plan(rows=6))
    page.set_input_files("input[name=file]", str(upload))
    page.click("main form button[type=submit]")
    # The preview: the tasks understood, beside the original text.
    expect(page.locator(".import-original")).to_contain_text("Cơ quan phối hợp")
    expect(page.locator("main table tbody tr")).to_have_count(6)
    assert_self_contained(page)
    page.screenshot(path=str(tmp_path / "preview.png"), full_page=True)
    if os.environ.get("SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["SCREENSHOTS"], "import-preview.png"))
    assert not parent.children.exclude(pk__in=before).exists()
    page.click("main form button[type=submit]")
    expect(page).not_to_have_url(re.compile(r"/import/$"))
    plan = parent.children.exclude(pk__in=before).get()
    expect(page).to_have_url(re.compile(rf"/plans/{plan.pk}/$"))
    assert plan.issuer.code == "STP" and plan.status == PlanStatus.ISSUED
    assert plan.submitted_at is not None and plan.tasks.count() == 6
    expect(page.locator("main")).to_contain_text("Tuyên truyền nội dung cải cách hành chính số 6")
    assert_self_contained(page)
