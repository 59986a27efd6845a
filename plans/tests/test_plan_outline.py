"""Editing a plan's outline in the browser, and the outline a section edit rebuilds."""

import pytest
from django.urls import reverse

from plans.models import Attachment, OutlineNode, OutlinePart, OutlineSource
from plans.services import rebuild_outline
from tests.factories import PlanFactory
from tests.factories.plans import page_data, vi


def outline_url(plan):
    return reverse("plans:outline", args=[plan.pk])


def outline(plan):
    return [(n.numbering, n.heading, n.level)
            for n in plan.outline_nodes.filter(part=OutlinePart.PLAN).order_by("position")]


@pytest.fixture
def draft(province):
    plan = PlanFactory(issuer=province, status="draft", title="Kế hoạch tuyên truyền CCHC 2025",
                       objectives="Mục tiêu một.\nMục tiêu hai.", implementation="Triển khai.")
    rebuild_outline(plan=plan)
    return plan


def press(client, plan, node, action, version=None):
    plan.refresh_from_db()
    return client.post(outline_url(plan), {
        "version": plan.version if version is None else version, "action": action,
        "node": node.pk,
    })


def node_at(plan, heading):
    return plan.outline_nodes.get(heading=heading)


@pytest.mark.django_db
def test_section_edits_rebuild_the_outline_built_from_them(client, coordinator, draft):
    assert outline(draft) == [("I.", "MỤC TIÊU, YÊU CẦU", 0), ("1.", "Mục tiêu:", 1),
                              ("II.", "TỔ CHỨC THỰC HIỆN", 0)]
    client.force_login(coordinator)
    data = page_data(client.get(reverse("plans:edit_section", args=[draft.pk, "purpose"])))
    data["requirements"] = "Yêu cầu một."
    client.post(reverse("plans:edit_section", args=[draft.pk, "purpose"]), data)
    assert outline(draft) == [("I.", "MỤC TIÊU, YÊU CẦU", 0), ("1.", "Mục tiêu:", 1),
                              ("2.", "Yêu cầu:", 1), ("II.", "TỔ CHỨC THỰC HIỆN", 0)]
    assert node_at(draft, "Yêu cầu:").attachment == Attachment.REQUIREMENTS


@pytest.mark.django_db
def test_outline_page_lists_the_nodes_and_is_linked_from_the_plan(client, coordinator, draft):
    client.force_login(coordinator)
    plan_page = client.get(reverse("plans:detail", args=[draft.pk])).text
    assert outline_url(draft) in plan_page
    page = client.get(outline_url(draft)).text
    assert vi("Outline of the document") in page
    assert "MỤC TIÊU, YÊU CẦU" in page and "- Mục tiêu một." in page


@pytest.mark.django_db
def test_move_relevel_and_remove_make_the_outline_the_plans_own(client, coordinator, draft):
    client.force_login(coordinator)
    section = node_at(draft, "TỔ CHỨC THỰC HIỆN")
    response = press(client, draft, section, "up")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.outline_source == OutlineSource.WRITTEN
    assert outline(draft) == [("I.", "MỤC TIÊU, YÊU CẦU", 0), ("II.", "TỔ CHỨC THỰC HIỆN", 0),
                              ("1.", "Mục tiêu:", 1)]
    press(client, draft, section, "indent")
    press(client, draft, node_at(draft, "Mục tiêu:"), "remove")
    assert outline(draft) == [("I.", "MỤC TIÊU, YÊU CẦU", 0), ("II.", "TỔ CHỨC THỰC HIỆN", 1)]
    # Three edits, three versions; the sections no longer rebuild a written outline.
    draft.refresh_from_db()
    assert draft.version == 3
    rebuild_outline(plan=draft)
    assert len(outline(draft)) == 2
    assert draft.history.first().history_change_reason == "outline"
    assert OutlineNode.history.filter(plan_id=draft.pk).count() > len(outline(draft))


@pytest.mark.django_db
def test_edit_a_node_in_place_and_add_one_after_it(client, coordinator, draft):
    client.force_login(coordinator)
    first = node_at(draft, "MỤC TIÊU, YÊU CẦU")
    page = client.get(outline_url(draft), {"edit": first.pk}).text
    assert 'name="heading"' in page
    data = {"version": draft.version, "node": first.pk, "numbering": "I.",
            "heading": "MỤC ĐÍCH, YÊU CẦU", "text": "", "level": 0, "emphasis": "bold",
            "centered": "on", "attachment": ""}
    response = client.post(outline_url(draft), data)
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.heading, first.centered, first.emphasis) == ("MỤC ĐÍCH, YÊU CẦU", True, "bold")
    draft.refresh_from_db()
    response = client.post(outline_url(draft), {
        "version": draft.version, "part": "plan", "after": first.pk, "numbering": "-",
        "heading": "", "text": "Một đoạn không có chỗ trong các phần của kế hoạch.", "level": 1,
        "emphasis": "", "attachment": "",
    })
    assert response.status_code == 302
    assert outline(draft)[:2] == [("I.", "MỤC ĐÍCH, YÊU CẦU", 0), ("-", "", 1)]
    preview = client.get(reverse("documents:plan_preview", args=[draft.pk])).text
    assert preview.index("MỤC ĐÍCH, YÊU CẦU") < preview.index("Một đoạn không có chỗ")
    assert "Mục tiêu một." in preview


@pytest.mark.django_db
def test_an_edit_on_an_older_version_is_refused_and_shown_back(client, coordinator, draft):
    client.force_login(coordinator)
    first = node_at(draft, "MỤC TIÊU, YÊU CẦU")
    stale = draft.version
    press(client, draft, node_at(draft, "TỔ CHỨC THỰC HIỆN"), "up")
    response = client.post(outline_url(draft), {
        "version": stale, "node": first.pk, "numbering": "I.", "heading": "TIÊU ĐỀ MỚI",
        "text": "", "level": 0, "emphasis": "", "attachment": "",
    })
    assert response.status_code == 409
    assert "TIÊU ĐỀ MỚI" in response.text
    first.refresh_from_db()
    assert first.heading == "MỤC TIÊU, YÊU CẦU"
    response = press(client, draft, first, "down", version=stale)
    assert response.status_code == 302
    assert outline(draft)[0][1] == "MỤC TIÊU, YÊU CẦU"


@pytest.mark.django_db
def test_an_issued_plan_outline_is_read_only(client, coordinator, draft):
    draft.status = "issued"
    draft.save()
    client.force_login(coordinator)
    page = client.get(outline_url(draft)).text
    assert vi("Move up") not in page
    response = press(client, draft, node_at(draft, "TỔ CHỨC THỰC HIỆN"), "up")
    assert response.status_code == 403
    assert outline(draft)[-1][1] == "TỔ CHỨC THỰC HIỆN"


@pytest.mark.django_db
def test_hostile_node_ids_change_nothing(client, coordinator, draft):
    client.force_login(coordinator)
    for value in ["abc", "99999999999999999999999", "-1"]:
        assert client.get(outline_url(draft), {"edit": value, "add": value}).status_code == 200
        response = client.post(outline_url(draft), {"version": draft.version, "node": value,
                                                    "action": "remove"})
        assert response.status_code == 302
    assert len(outline(draft)) == 3
