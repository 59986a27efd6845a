"""Rows made in the models of a past state of the schema, for the tests of a migration."""

from types import SimpleNamespace


def assigned_task(apps):
    """An agency, its plan of 2022 with a measure of a channel, and one task of the plan
    assigned to the agency, made with the models ``apps`` of a migration state."""
    agency = apps.get_model("agencies", "Agency").objects.create(name="Sở Tư pháp", code="STP")
    plan = apps.get_model("plans", "Plan").objects.create(
        issuer=agency, title="Kế hoạch năm 2022", period_start_year=2022, period_end_year=2022
    )
    channel = apps.get_model("plans", "Channel").objects.create(code="portal", name="Cổng")
    measure = apps.get_model("plans", "Measure").objects.create(
        code="news", name="Tin", unit="tin", channel=channel
    )
    task = apps.get_model("tasks", "Task").objects.create(plan=plan, number=1, title="Đăng tin")
    assignment = apps.get_model("tasks", "Assignment").objects.create(task=task, agency=agency)
    return SimpleNamespace(agency=agency, plan=plan, measure=measure, task=task,
                           assignment=assignment)
