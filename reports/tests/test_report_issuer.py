"""Who issues the leadership summary report: ``settings.SUMMARY_REPORT_ISSUER``, else the
province's Sở Nội vụ, else the plan's issuer."""

import logging

import pytest

from cchc_plans import settings as project_settings
from reports.summary import report_issuer
from tests.factories import AgencyFactory, PlanFactory

pytestmark = pytest.mark.django_db


def test_the_setting_is_declared_in_the_project_settings():
    assert isinstance(project_settings.SUMMARY_REPORT_ISSUER, str)


def test_empty_the_issuer_is_the_sở_nội_vụ_of_the_province(settings, province, home_affairs):
    settings.SUMMARY_REPORT_ISSUER = ""
    plan = PlanFactory(issuer=province)

    assert report_issuer(plan, province) == home_affairs


def test_a_code_names_the_issuer(settings, province, home_affairs):
    office = AgencyFactory(name="Văn phòng UBND tỉnh", code="VP", parent=province)
    settings.SUMMARY_REPORT_ISSUER = "VP"
    plan = PlanFactory(issuer=province)

    assert report_issuer(plan, province) == office


def test_an_unknown_code_is_logged_and_treated_as_empty(settings, caplog, province, home_affairs):
    settings.SUMMARY_REPORT_ISSUER = "NOPE"
    plan = PlanFactory(issuer=province)

    with caplog.at_level(logging.WARNING, logger="reports.summary"):
        assert report_issuer(plan, province) == home_affairs
    assert "NOPE" in caplog.text


def test_without_a_sở_nội_vụ_the_plan_issuer_issues(settings, province):
    settings.SUMMARY_REPORT_ISSUER = ""
    plan = PlanFactory(issuer=province)

    assert report_issuer(plan, province) == province
