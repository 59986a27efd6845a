"""A number left blank before the symbols had their own fields was stored as its symbol alone
("/KH-UBND"): the migration moves it into the symbol, and the plan prints as it did."""

import importlib

import pytest
from django.apps import apps

from plans.models import Plan
from tests.factories import PlanFactory

migration = importlib.import_module("plans.migrations.0009_plan_number_symbols")
pytestmark = pytest.mark.django_db


def test_a_stored_blank_number_becomes_the_symbol_as_written(province):
    draft = PlanFactory(issuer=province, status="draft", document_number="/KH-UBND")
    numbered = PlanFactory(issuer=province, status="issued", document_number="12/KH-UBND",
                           decision_number="/QĐ-UBND")
    migration.move_blank_numbers(apps, None)
    draft, numbered = Plan.objects.get(pk=draft.pk), Plan.objects.get(pk=numbered.pk)
    assert (draft.document_number, draft.document_symbol) == ("", "KH-UBND")
    assert (numbered.document_number, numbered.document_symbol) == ("12/KH-UBND", "")
    assert (numbered.decision_number, numbered.decision_symbol) == ("", "QĐ-UBND")
    migration.keep_blank_numbers(apps, None)
    assert Plan.objects.get(pk=draft.pk).document_number == "/KH-UBND"
