"""The actuals of a plan's targets: recorded per period by coordinators, read by one rule."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from cchc_plans.locking import StaleError
from plans import targets
from plans.models import Target, TargetActual
from plans.periods import make_period
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db
SOURCE = "PAR INDEX 2022 công bố ngày 16/5/2023"


def vi_messages(error):
    with translation.override("vi"):
        return [str(message) for message in error.messages]


@pytest.fixture
def yearly(province):
    return PlanFactory(
        issuer=province,
        status="issued",
        reporting_periods=["Q1", "H1", "Y"],
        title="Kế hoạch tuyên truyền cải cách hành chính năm 2022",
    )


@pytest.fixture
def par(yearly):
    return Target.objects.create(
        plan=yearly,
        position=1,
        indicator="PAR INDEX",
        unit="rank",
        description="Xếp hạng Chỉ số cải cách hành chính",
        target_value=20,
    )


def record(target, user, key="2022-Y", value=18, **kwargs):
    return targets.save_target_actual(
        target=target,
        user=user,
        period_key=key,
        value=value,
        source=kwargs.pop("source", SOURCE),
        **kwargs,
    )


# The rule -----------------------------------------------------------------------------------


def test_period_choices_are_the_plans_periods_and_its_years(yearly):
    keys = [period.key for period in targets.period_choices(yearly)]
    assert keys == ["2022-Q1", "2022-H1", "2022-Y"]
    multi = PlanFactory(issuer=yearly.issuer, period_start_year=2021, period_end_year=2022)
    assert [p.key for p in targets.period_choices(multi)] == ["2021-Y", "2022-Y"]


def test_actual_at_is_that_of_the_latest_period_ended_by_the_day(par, coordinator):
    q1 = record(par, coordinator, "2022-Q1", 25, source="Tự đánh giá quý I")
    h1 = record(par, coordinator, "2022-H1", 22, source="Tự đánh giá 6 tháng")
    par = Target.objects.prefetch_related("actuals").get(pk=par.pk)
    q1_end = make_period(2022, "Q1").end
    assert targets.actual_at(par, q1_end - datetime.timedelta(days=1)) is None
    assert targets.actual_at(par, q1_end) == q1
    assert targets.actual_at(par, datetime.date(2022, 12, 31)) == h1


def test_the_year_wins_over_its_last_quarter(province, coordinator):
    plan = PlanFactory(issuer=province, reporting_periods=["quarterly", "Y"])
    target = Target.objects.create(
        plan=plan, indicator="SIPAS", unit="percent", description="Hài lòng", target_value=90
    )
    record(target, coordinator, "2022-Q4", 80, source="Quý IV")
    year = record(target, coordinator, "2022-Y", 85, source="Cả năm")
    target = Target.objects.prefetch_related("actuals").get(pk=target.pk)
    assert targets.actual_at(target, datetime.date(2023, 1, 1)) == year


# The service ---------------------------------------------------------------------------------


def test_coordinator_records_an_actual_with_its_source_and_history(par, coordinator):
    actual = record(par, coordinator, source_url="https://chinhphu.vn/par-index-2022")
    actual.refresh_from_db()
    assert (actual.year, actual.period_code, actual.value) == (2022, "Y", 18)
    assert actual.source == SOURCE and actual.entered_by == coordinator
    assert actual.is_met  # a rank of 18 is better than the target 20
    assert actual.history.get().history_change_reason == "target_actual"


@pytest.mark.parametrize("role", ["leadership", "officer", "outsider"])
def test_only_coordinators_record_actuals(request, par, role):
    user = request.getfixturevalue(role)
    with pytest.raises(PermissionDenied):
        record(par, user)
    assert not TargetActual.objects.exists()


def test_a_correction_based_on_an_older_version_is_refused(par, coordinator):
    actual = record(par, coordinator)
    record(par, coordinator, value=17, actual=actual, version=0)
    with pytest.raises(StaleError):
        record(par, coordinator, value=16, actual=actual, version=0)
    actual.refresh_from_db()
    assert (actual.value, actual.version) == (17, 1)


def test_recording_a_period_someone_just_recorded_is_refused(par, coordinator):
    record(par, coordinator, value=18)
    with pytest.raises(StaleError) as caught:
        record(par, coordinator, value=30)
    assert "vừa nhập số liệu thực hiện của kỳ này" in vi_messages(caught.value)[0]
    assert TargetActual.objects.get().value == 18


@pytest.mark.parametrize(
    "key, value, source, field, message",
    [
        ("2023-Y", 18, SOURCE, "period", "Chọn một kỳ của kế hoạch."),
        ("2022-Y", -1, SOURCE, "value", "Số liệu thực hiện không thể là số âm."),
        ("2022-Y", 0, SOURCE, "value", "Thứ hạng bắt đầu từ 1."),
        ("2022-Y", 18, "  ", "source", "Trường này không được để trắng."),
    ],
)
def test_bad_input_is_refused_in_vietnamese(par, coordinator, key, value, source, field, message):
    with pytest.raises(ValidationError) as caught:
        record(par, coordinator, key, value, source=source)
    with translation.override("vi"):
        assert caught.value.message_dict[field] == [message]
    assert not TargetActual.objects.exists()


def test_a_percentage_over_100_is_refused(yearly, coordinator):
    target = Target.objects.create(
        plan=yearly, indicator="SIPAS", unit="percent", description="Hài lòng", target_value=90
    )
    with pytest.raises(ValidationError) as caught:
        record(target, coordinator, value=Decimal("100.5"))
    assert vi_messages(caught.value) == ["Tỷ lệ phần trăm không thể vượt quá 100."]


def test_removing_an_actual_keeps_its_history(par, coordinator):
    actual = record(par, coordinator)
    targets.delete_target_actual(actual=actual, user=coordinator, version=actual.version)
    assert not TargetActual.objects.exists()
    assert [r.history_type for r in TargetActual.history.order_by("history_id")] == ["+", "-"]


# The pages -----------------------------------------------------------------------------------


def test_plan_page_links_to_the_actuals_page_and_shows_the_current_actual(client, coordinator, par):
    record(par, coordinator)
    client.force_login(coordinator)
    html = client.get(reverse("plans:detail", args=[par.plan_id])).text
    assert reverse("plans:targets", args=[par.plan_id]) in html
    assert "18" in html and "Năm 2022" in html


def test_coordinator_records_an_actual_from_the_page(client, coordinator, par):
    client.force_login(coordinator)
    targets_url = reverse("plans:targets", args=[par.plan_id])
    add_url = reverse("plans:target_actual_add", args=[par.plan_id, par.pk])
    assert add_url in client.get(targets_url).text
    response = client.post(
        add_url,
        {
            "period": "2022-Y",
            "value": "18",
            "source": SOURCE,
            "source_url": "https://chinhphu.vn/par-index-2022",
        },
    )
    assert response.status_code == 302
    actual = TargetActual.objects.get()
    assert (actual.value, actual.source_url) == (18, "https://chinhphu.vn/par-index-2022")
    html = client.get(targets_url).text
    assert SOURCE in html and "https://chinhphu.vn/par-index-2022" in html


def test_a_correction_posted_over_a_newer_one_is_refused_and_shown_back(client, coordinator, par):
    actual = record(par, coordinator)
    record(par, coordinator, value=17, actual=actual, version=0)
    client.force_login(coordinator)
    url = reverse("plans:target_actual_edit", args=[par.plan_id, actual.pk])
    response = client.post(
        url,
        {"version": "0", "period": "2022-Y", "value": "16", "source": SOURCE},
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert response.status_code == 409
    assert 'value="16"' in response.text
    actual.refresh_from_db()
    assert actual.value == 17


def test_bad_input_on_the_page_is_shown_in_vietnamese(client, coordinator, par):
    client.force_login(coordinator)
    url = reverse("plans:target_actual_add", args=[par.plan_id, par.pk])
    with translation.override("vi"):
        response = client.post(url, {"period": "2022-Y", "value": "-3", "source": SOURCE})
    assert response.status_code == 200
    assert "Số liệu thực hiện không thể là số âm." in response.text
    assert not TargetActual.objects.exists()


def test_officers_read_the_actuals_but_cannot_record_them(client, officer, par, coordinator):
    record(par, coordinator)
    par.plan.addressed_agencies.add(officer.agency)
    client.force_login(officer)
    html = client.get(reverse("plans:targets", args=[par.plan_id])).text
    assert SOURCE in html
    assert reverse("plans:target_actual_add", args=[par.plan_id, par.pk]) not in html
    response = client.get(reverse("plans:target_actual_add", args=[par.plan_id, par.pk]))
    assert response.status_code == 403


@pytest.mark.parametrize("size", [1, 10])
def test_actuals_page_query_count_does_not_grow(
    client, coordinator, yearly, size, django_assert_num_queries
):
    for index in range(size):
        target = Target.objects.create(
            plan=yearly,
            position=index,
            indicator=f"Chỉ số {index}",
            unit="score",
            description="Điểm",
            target_value=80,
        )
        record(target, coordinator, "2022-Q1", 70, source="Quý I")
        record(target, coordinator, "2022-Y", 81, source="Cả năm")
    client.force_login(coordinator)
    # session, user (with agency and permissions), the plan, its targets, their actuals
    # with who entered them
    with django_assert_num_queries(5):
        response = client.get(reverse("plans:targets", args=[yearly.pk]))
    assert response.text.count("Cả năm") == size


@pytest.mark.parametrize("size", [1, 10])
def test_plan_history_shows_the_actuals_in_a_fixed_number_of_queries(
    client, coordinator, yearly, size, django_assert_num_queries
):
    for index in range(size):
        target = Target.objects.create(
            plan=yearly,
            position=index,
            indicator=f"Chỉ số {index}",
            unit="score",
            description="Điểm",
            target_value=80,
        )
        record(target, coordinator, "2022-Y", 81, source="Cả năm")
    client.force_login(coordinator)
    # as in test_plan_edit's history page (13), with the targets' history
    with django_assert_num_queries(13):
        response = client.get(reverse("plans:history", args=[yearly.pk]))
    assert f"Chỉ số {size - 1} – Năm 2022: 81" in response.text
