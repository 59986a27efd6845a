"""Fixtures of the plans tests (the province, users and plan fixtures are in the root)."""

import datetime

import pytest

from tests.factories import PlanFactory


@pytest.fixture
def issued_plan(province, justice):
    plan = PlanFactory(
        issuer=province,
        status="issued",
        title="Kế hoạch tuyên truyền cải cách hành chính năm 2022",
        submission_deadline=datetime.date(2022, 2, 28),
    )
    plan.addressed_agencies.add(justice)
    return plan
