import unicodedata

import pytest
from django.urls import reverse

from plans.models import choice_label
from tasks.services import post_update, set_task_agencies
from tests.factories import AgencyFactory, PlanFactory, TaskFactory
from tests.factories.plans import vi

URL = reverse("plans:list")


def titles(response):
    return [plan.title for plan in response.context["page"].object_list]


@pytest.fixture
def plans(province, home_affairs, justice):
    return {
        "provincial": PlanFactory(
            issuer=province, title="Tuyên truyền CCHC tỉnh năm 2022", status="issued",
            document_number="286/QĐ-UBND",
        ),
        "home_affairs": PlanFactory(
            issuer=home_affairs, title="Kế hoạch thông tin nội bộ", period_start_year=2024,
            status="draft",
        ),
        "long": PlanFactory(
            issuer=province, title="Ứng dụng công nghệ thông tin", period_start_year=2021,
            period_end_year=2030, status="issued",
        ),
    }


@pytest.mark.django_db
def test_plan_list_anonymous_goes_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_plan_list_shows_plans_newest_period_first(client, coordinator, plans):
    client.force_login(coordinator)
    response = client.get(URL)
    assert titles(response) == [
        "Kế hoạch thông tin nội bộ",
        "Tuyên truyền CCHC tỉnh năm 2022",
        "Ứng dụng công nghệ thông tin",
    ]
    assert "286/QĐ-UBND" in response.text
    assert "2021–2030" in response.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"year": "2022"}, ["Tuyên truyền CCHC tỉnh năm 2022", "Ứng dụng công nghệ thông tin"]),
        ({"year": "2030"}, ["Ứng dụng công nghệ thông tin"]),
        ({"status": "draft"}, ["Kế hoạch thông tin nội bộ"]),
        # No diacritics, any case: "so noi vu" finds the plans issued by "Sở Nội vụ".
        ({"q": "so noi vu"}, ["Kế hoạch thông tin nội bộ"]),
        ({"q": "UNG DUNG cong nghe"}, ["Ứng dụng công nghệ thông tin"]),
        ({"q": "286/QD"}, ["Tuyên truyền CCHC tỉnh năm 2022"]),
        (
            {"year": "2022", "status": "issued", "q": "tuyen truyen"},
            ["Tuyên truyền CCHC tỉnh năm 2022"],
        ),
    ],
)
def test_plan_list_filters(client, coordinator, plans, params, expected):
    client.force_login(coordinator)
    assert titles(client.get(URL, params)) == expected


@pytest.mark.django_db
def test_plan_list_filters_by_issuer_and_parent(client, coordinator, plans, justice):
    child = PlanFactory(issuer=justice, parent=plans["provincial"], title="Kế hoạch của Sở Tư pháp")
    client.force_login(coordinator)
    assert titles(client.get(URL, {"issuer": justice.pk})) == [child.title]
    assert titles(client.get(URL, {"parent": plans["provincial"].pk})) == [child.title]


@pytest.mark.django_db
def test_plan_list_offers_only_the_province_s_issuers_and_plans(
    client, coordinator, plans, justice, health
):
    child = PlanFactory(issuer=justice, parent=plans["provincial"], status="issued")
    elsewhere = AgencyFactory(name="Ủy ban nhân dân tỉnh Lâm Đồng", code="UBND-LD", kind="province")
    elsewhere_department = AgencyFactory(name="Sở Tư pháp Lâm Đồng", parent=elsewhere)
    far_parent = PlanFactory(issuer=elsewhere, status="issued", title="Kế hoạch của Lâm Đồng")
    far_child = PlanFactory(issuer=elsewhere_department, parent=far_parent, status="issued")
    client.force_login(coordinator)
    response = client.get(URL)
    form = response.context["filter"].form
    issuers = set(form.fields["issuer"].queryset)
    assert issuers == {plans["provincial"].issuer, plans["home_affairs"].issuer, justice}
    assert health not in issuers  # issues no plan
    assert list(form.fields["parent"].queryset) == [plans["provincial"]]
    # the other province's plans are not listed either: every page is bounded by the province
    assert far_child not in response.context["page"].object_list
    refused = client.get(URL, {"issuer": elsewhere.pk})
    assert "issuer" in refused.context["filter"].form.errors
    assert child in refused.context["page"].object_list


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{"year": "abc"}, {"status": "bogus"}, {"issuer": "x"},
                                    {"parent": "999999"}, {"page": "999"}, {"year": "99999"}])
def test_plan_list_bad_parameters_are_reported_not_fatal(client, coordinator, plans, params):
    client.force_login(coordinator)
    response = client.get(URL, params)
    assert response.status_code == 200
    assert len(titles(response)) == 3 or params == {"page": "999"}


@pytest.mark.django_db
def test_plan_list_empty_states(client, coordinator):
    client.force_login(coordinator)
    assert vi("No plan yet.") in client.get(URL).text
    response = client.get(URL, {"q": "không có"})
    assert vi("No plan matches these filters.") in response.text


@pytest.mark.django_db
def test_plan_list_paginates_by_25(client, coordinator, province):
    for i in range(30):
        PlanFactory(issuer=province, title=f"Kế hoạch {i:02}")
    client.force_login(coordinator)
    first = client.get(URL)
    assert len(titles(first)) == 25
    assert "page=2" in first.text
    second = client.get(URL, {"page": 2})
    assert len(titles(second)) == 5
    assert set(titles(first)).isdisjoint(titles(second))


@pytest.mark.django_db
def test_plan_list_keeps_filters_in_page_links(client, coordinator, province):
    for i in range(30):
        PlanFactory(issuer=province, title=f"Kế hoạch {i:02}", status="issued")
    client.force_login(coordinator)
    response = client.get(URL, {"status": "issued"})
    assert "?status=issued&amp;page=2" in response.text


@pytest.mark.django_db
def test_plan_list_officer_sees_only_plans_involving_their_agency(
    client, officer, justice, province, plans
):
    involved = PlanFactory(issuer=province, status="issued", title="Kế hoạch có Sở Tư pháp")
    involved.addressed_agencies.add(justice)
    draft = PlanFactory(issuer=province, status="draft", title="Bản nháp có Sở Tư pháp")
    draft.addressed_agencies.add(justice)
    own = PlanFactory(issuer=justice, title="Kế hoạch riêng của Sở Tư pháp")
    client.force_login(officer)
    response = client.get(URL)
    assert sorted(titles(response)) == sorted([involved.title, own.title])
    # The issuer choices come only from what the officer can see.
    assert "Sở Nội vụ" not in response.text


@pytest.mark.django_db
def test_plan_list_counts_tasks_and_averages_progress(client, coordinator, officer, province,
                                                      justice):
    plan = PlanFactory(issuer=province, status="issued", title="Kế hoạch có nhiệm vụ")
    done, untouched = TaskFactory(plan=plan, number=1), TaskFactory(plan=plan, number=2)
    set_task_agencies(task=done, leads=[justice])
    set_task_agencies(task=untouched, leads=[justice])
    post_update(assignment=done.assignments.get(), author=officer, status="in_progress",
                percent=60, narrative="Đã làm")
    client.force_login(coordinator)
    listed = client.get(URL).context["page"].object_list[0]
    assert (listed.task_count, listed.average_progress) == (2, 30)
    assert "30%" in client.get(URL).text


def fill(province, size, officer_agency=None):
    agencies = [AgencyFactory(name=f"Sở {i}", code=f"S{size}-{i}", parent=province)
                for i in range(size)]
    for i in range(size):
        parent = PlanFactory(issuer=agencies[i], status="issued")
        plan = PlanFactory(issuer=province, parent=parent, status="issued")
        for number in (1, 2):
            task = TaskFactory(plan=plan, number=number)
            if officer_agency is not None:
                set_task_agencies(task=task, leads=[officer_agency])


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 10])
def test_plan_list_query_count_does_not_grow(client, coordinator, province, size,
                                             django_assert_num_queries):
    fill(province, size)
    client.force_login(coordinator)
    # session, user (with agency and permissions), count, the agency's parent (the
    # province whose choices are offered),
    # issuer choices, parent plan choices, the page of plans with their issuer and parent,
    # the task figures of the plans on the page
    with django_assert_num_queries(8):
        response = client.get(URL, {"year": "2022"})
    assert len(titles(response)) == 2 * size


@pytest.mark.django_db
@pytest.mark.parametrize("size", [3, 30])
def test_plan_list_officer_query_count_does_not_grow(client, officer, justice, province, size,
                                                     django_assert_num_queries):
    """The officer's visibility is part of each query; a later page costs the same."""
    fill(province, size, officer_agency=justice)
    client.force_login(officer)
    # as for a coordinator, without the agency's parent (the choices are those of the
    # officer's plans), and with the ids of the officer's plans read first
    with django_assert_num_queries(8):
        response = client.get(URL, {"page": "2" if size > 25 else "1"})
    listed = response.context["page"].object_list
    assert len(listed) == (size - 25 if size > 25 else size)
    assert {plan.task_count for plan in listed} == {2}


@pytest.mark.django_db
def test_parent_plan_dropdown_names_the_number_first_and_cuts_the_title(
    client, coordinator, province
):
    parent = PlanFactory(
        issuer=province, status="issued", document_number="286/KH-UBND",
        title="Kế hoạch tuyên truyền cải cách hành chính trên địa bàn tỉnh Khánh Hòa giai đoạn "
              "2021 – 2030 và các năm tiếp theo",
    )
    PlanFactory(issuer=province, parent=parent)
    client.force_login(coordinator)
    html = client.get(URL).content.decode()
    assert (
        f'<option value="{parent.pk}">286/KH-UBND · Kế hoạch tuyên truyền cải cách hành chính '
        "trên địa bàn tỉnh Khánh Hòa…</option>"
    ) in html


def test_a_plans_dropdown_label_is_its_number_and_its_title_cut_at_seventy_characters():
    title = "Kế hoạch thông tin, tuyên truyền cải cách hành chính năm 2026 của tỉnh Khánh Hòa"
    cut = "Kế hoạch thông tin, tuyên truyền cải cách hành chính năm 2026 của tỉn…"
    assert choice_label(title, "269/KH-UBND", "") == f"269/KH-UBND · {cut}"
    # Typed with combining accents (decomposed), it is cut at the same letters.
    assert choice_label(unicodedata.normalize("NFD", title), "", "5/QĐ-UBND") == (
        f"5/QĐ-UBND · {cut}"
    )
    assert choice_label("Kế hoạch ngắn", "", "") == "Kế hoạch ngắn"
