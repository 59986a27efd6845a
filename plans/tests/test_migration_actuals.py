"""Migration 0006: an actual typed on a target before becomes the actual of the year of the
plan's last year, with a source saying so; going back puts it on the target again."""

import pytest

from tests.factories.migrations import migrate

BEFORE = ("plans", "0005_outline_targets_table_and_header")
AFTER = ("plans", "0006_target_actuals_and_budget_lines")

pytestmark = pytest.mark.usefixtures("latest_schema_after")


@pytest.mark.django_db(transaction=True)
def test_typed_actuals_become_the_actual_of_the_plans_last_year():
    old = migrate(BEFORE)
    agency = old.get_model("agencies", "Agency").objects.create(name="UBND tỉnh", code="KH")
    plan = old.get_model("plans", "Plan").objects.create(
        issuer=agency, title="Kế hoạch 2021–2025", period_start_year=2021, period_end_year=2025
    )
    Target = old.get_model("plans", "Target")
    Target.objects.create(
        plan=plan,
        indicator="PAR INDEX",
        description="Xếp hạng",
        unit="rank",
        target_value=20,
        actual_value=18,
    )
    Target.objects.create(
        plan=plan, indicator="PCI", description="Điểm", unit="score", target_value=66
    )

    new = migrate(AFTER)
    actuals = new.get_model("plans", "TargetActual").objects.values_list(
        "target__indicator", "year", "period_code", "value", "source"
    )
    assert list(actuals) == [
        ("PAR INDEX", 2025, "Y", 18, "Số liệu nhập tay trước khi theo dõi theo kỳ")
    ]

    back = migrate(BEFORE)
    assert sorted(
        back.get_model("plans", "Target").objects.values_list("indicator", "actual_value")
    ) == [("PAR INDEX", 18), ("PCI", None)]
    migrate(AFTER)
