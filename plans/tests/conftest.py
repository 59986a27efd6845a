"""Fixtures of the plans tests (the province, users and plan fixtures are in the root)."""

import datetime

import pytest

from tests.factories import AgencyFactory, PlanFactory, UserFactory


@pytest.fixture
def leadership(province):
    return UserFactory(username="lanhdao", agency=province, role="leadership")


@pytest.fixture
def health(province):
    return AgencyFactory(name="Sở Y tế", code="SYT", kind="department", parent=province)


@pytest.fixture
def outsider(health):
    return UserFactory(username="charlie", agency=health, role="agency_officer")


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
