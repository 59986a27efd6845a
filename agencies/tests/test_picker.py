"""The agency picker of the task and plan forms: one province's agencies, search keys
computed by agencies.names, and agencies of another province refused in Vietnamese."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from agencies.names import search_key
from plans.models import Plan
from tasks.models import Task
from tests.factories import AgencyFactory, AgencyGroupFactory, PlanFactory
from tests.factories.plans import add_row, page_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_province(db):
    province = AgencyFactory(name="Ủy ban nhân dân tỉnh Phú Yên", code="UBND-PY", kind="province")
    return AgencyFactory(name="Sở Tư pháp tỉnh Phú Yên", code="STP-PY", parent=province)


@pytest.fixture
def information(province):
    return AgencyFactory(
        name="Sở Thông tin và Truyền thông", short_name="Sở TT&TT", code="STTTT", parent=province
    )


@pytest.fixture
def draft_plan(province):
    return PlanFactory(issuer=province, status="draft", period_start_year=2022)


def in_vietnamese(name, *args):
    with translation.override("vi"):
        return reverse(name, args=args)


def picker_values(html, name):
    return re.findall(rf'<input type="(?:checkbox|radio)" name="{name}" value="(\d+)"', html)


@pytest.mark.parametrize(
    ("texts", "words"),
    [
        (["UBND các huyện, thị xã, thành phố"], ["uy", "ban", "nhan", "dan", "ubnd", "huyen"]),
        (["Sở Thông tin và Truyền thông", "Sở TT&TT"], ["thong", "truyen", "tttt"]),
        (["Sở Kế hoạch và Đầu tư"], ["ke", "hoach", "dau", "tu", "khdt"]),
        (["Bảo hiểm xã hội tỉnh Khánh Hòa"], ["bao", "hiem", "bhxh", "khanh", "hoa"]),
        (["HĐND tỉnh"], ["hoi", "dong", "hdnd"]),
    ],
)
def test_search_keys_hold_the_words_written_out_and_abbreviated(texts, words):
    key = search_key(*texts).split()
    assert [word for word in words if word not in key] == []


def test_task_form_offers_only_the_province_with_search_keys_and_group_buttons(
    client,
    coordinator,
    draft_plan,
    justice,
    information,
    districts,
    district_group,
    other_province,
):
    client.force_login(coordinator)

    html = client.get(reverse("tasks:task_create", args=[draft_plan.pk])).text

    offered = picker_values(html, "leads")
    assert str(justice.pk) in offered and str(information.pk) in offered
    assert str(other_province.pk) not in offered
    assert str(other_province.pk) not in picker_values(html, "coordinators")
    assert "Sở Tư pháp tỉnh Phú Yên" not in html
    assert 'data-search="so thong tin va truyen tttt stttt"' in html
    # The district group: a button picking its three members, found by "ubnd huyen".
    button = re.search(r'<button type="button" class="ap-group[^>]*>', html).group(0)
    assert "ubnd" in button and "huyen" in button
    members = re.search(r'data-members="([\d ]+)"', button).group(1).split()
    assert sorted(members) == sorted(str(d.pk) for d in districts)
    assert picker_values(html, "lead_groups") == [str(district_group.pk)]


def test_task_of_another_province_agency_is_refused_in_vietnamese(
    client, coordinator, draft_plan, justice, other_province
):
    client.force_login(coordinator)

    response = client.post(
        in_vietnamese("tasks:task_create", draft_plan.pk),
        {"title": "Việc mới", "leads": [justice.pk], "coordinators": [other_province.pk]},
    )

    assert response.status_code == 200
    assert (
        "Sở Tư pháp tỉnh Phú Yên: không chọn được ở đây, chỉ chọn được các cơ quan đang hoạt "
        "động của tỉnh." in response.text
    )
    assert not Task.objects.exists()


def test_plan_addressed_agencies_refuse_another_province(
    client, coordinator, province, justice, other_province
):
    plan = PlanFactory(issuer=province, status="draft", period_start_year=2025)
    client.force_login(coordinator)
    url = in_vietnamese("plans:edit_section", plan.pk, "header")
    data = page_data(client.get(url))
    assert str(other_province.pk) not in picker_values(client.get(url).text, "addressed_agencies")

    data["addressed_agencies"] = [justice.pk, other_province.pk]
    response = client.post(url, data)

    assert response.status_code == 200
    assert "Sở Tư pháp tỉnh Phú Yên" in response.text
    plan.refresh_from_db()
    assert list(plan.addressed_agencies.all()) == []

    data["addressed_agencies"] = [justice.pk]
    assert client.post(url, data).status_code == 302
    assert list(plan.addressed_agencies.all()) == [justice]


def test_new_plan_offers_the_users_province_as_issuer(
    client, coordinator, province, justice, other_province
):
    client.force_login(coordinator)

    html = client.get(reverse("plans:create")).text

    issuers = picker_values(html, "issuer")
    assert str(province.pk) in issuers and str(other_province.pk) not in issuers
    response = client.post(
        in_vietnamese("plans:create"),
        {
            "issuer": other_province.pk,
            "title": "Kế hoạch",
            "period_start_year": 2025,
            "period_end_year": 2025,
        },
    )
    assert response.status_code == 200
    assert "Sở Tư pháp tỉnh Phú Yên" in response.text
    assert not Plan.objects.exists()


def test_duty_rows_pick_the_plans_province_agencies(
    client, coordinator, province, justice, other_province
):
    plan = PlanFactory(issuer=province, status="draft", period_start_year=2025)
    AgencyGroupFactory(name="Các sở, ban, ngành", kind="department", scope=province)
    client.force_login(coordinator)
    url = in_vietnamese("plans:edit_section", plan.pk, "duties")
    html = client.get(url).text
    assert str(justice.pk) in picker_values(html, "parts-0-agencies")
    assert str(other_province.pk) not in picker_values(html, "parts-0-agencies")
    assert "Các sở, ban, ngành (2)" in html  # Sở Nội vụ of the coordinator, Sở Tư pháp

    data = add_row(
        page_data(client.get(url)), {"heading": "Sở Tư pháp", "agencies": [other_province.pk]}
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Sở Tư pháp tỉnh Phú Yên" in response.text


@pytest.mark.parametrize("value", ["abc", "99999999999999999999999", "-1", "0"])
def test_nonsense_agency_ids_are_refused_with_a_message(client, coordinator, draft_plan, value):
    client.force_login(coordinator)

    response = client.post(
        reverse("tasks:task_create", args=[draft_plan.pk]),
        {"title": "Việc mới", "leads": [value], "coordinators": [value]},
    )
    plan_response = client.post(
        reverse("plans:create"),
        {"issuer": value, "title": "Kế hoạch", "period_start_year": 2025, "period_end_year": 2025},
    )

    assert (response.status_code, plan_response.status_code) == (200, 200)
    assert "errorlist" in response.text and "errorlist" in plan_response.text
    assert not Task.objects.exists() and list(Plan.objects.all()) == [draft_plan]


def _task_form_with_groups(client, coordinator, draft_plan, districts, count):
    for i in range(count):
        group = AgencyGroupFactory(name=f"Nhóm {i}", code=f"g{i}", kind="district" if i % 2 else "")
        if not group.kind:
            group.members.set(districts[: 1 + i % 3])
    client.force_login(coordinator)
    return reverse("tasks:task_create", args=[draft_plan.pk])


@pytest.mark.parametrize("count", [1, 10])
def test_task_form_queries_do_not_grow_with_the_groups(
    client, coordinator, draft_plan, districts, count, django_assert_num_queries
):
    url = _task_form_with_groups(client, coordinator, draft_plan, districts, count)
    # Session, user (with agency and permissions), plan, its issuer's tree (2), the agencies
    # offered to leads and to coordinators (2), the lead groups' choices, and for each of the
    # two pickers with group buttons: the groups and their members in one union.
    with django_assert_num_queries(11):
        html = client.get(url).text
    assert html.count('<button type="button" class="ap-group') == 2 * count
