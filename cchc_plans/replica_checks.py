"""Reads routed to the replica, writes to the primary: run by ``test_routers.py`` in a pytest
of its own with ``DATABASE_REPLICA_URL`` set (the "replica" alias mirrors the test database),
as its queries must be seen on each connection."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc_plans.routers import PIN_COOKIE, replica_configured
from plans.models import Plan
from tests.factories import PlanFactory

pytestmark = [
    pytest.mark.skipif(not replica_configured(), reason="needs DATABASE_REPLICA_URL"),
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
]


def _sql(context):
    return [query["sql"] for query in context.captured_queries]


@pytest.fixture
def on_both():
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        yield primary, replica


def test_a_page_reads_from_the_replica_and_the_session_from_the_primary(
    client, coordinator, plan, on_both
):
    client.force_login(coordinator)
    primary, replica = on_both
    response = client.get(reverse("plans:list"))
    assert response.status_code == 200
    assert plan.title in response.text
    assert any('"plans_plan"' in sql for sql in _sql(replica))
    assert not any('"plans_plan"' in sql for sql in _sql(primary))
    assert any('"django_session"' in sql for sql in _sql(primary))
    assert not any('"django_session"' in sql or '"agencies_user"' in sql
                   for sql in _sql(replica))


def test_a_form_posted_reads_and_writes_on_the_primary_and_the_next_page_too(
    client, coordinator, province, on_both
):
    client.force_login(coordinator)
    primary, replica = on_both
    response = client.post(reverse("plans:create"), {
        "title": "Kế hoạch tuyên truyền cải cách hành chính năm 2027",
        "issuer": province.pk, "period_start_year": 2027, "period_end_year": 2027,
    })
    assert response.status_code == 302, response.text[:2000]
    assert Plan.objects.using("default").filter(period_start_year=2027).exists()
    assert _sql(replica) == []
    assert response.cookies[PIN_COOKIE].value
    # Within the pin the browser reads what it has just written from the primary.
    client.get(response.url)
    assert _sql(replica) == []


def _in_a_thread_of_its_own(province_pk):
    """Where a thread (the worker, a command) reads: before, in and after a transaction, then
    after a write."""
    try:
        seen = [Plan.objects.all().db, len(Plan.objects.all())]
        with transaction.atomic():
            seen.append(Plan.objects.all().db)
        seen.append(Plan.objects.all().db)
        PlanFactory(issuer_id=province_pk)
        seen.append(Plan.objects.all().db)
        return seen
    finally:
        connections.close_all()


def test_reads_in_a_transaction_or_after_a_write_stay_on_the_primary(province, plan):
    # This thread's fixtures wrote: it reads from the primary from then on.
    assert Plan.objects.all().db == "default"
    with ThreadPoolExecutor(1) as pool:
        seen = pool.submit(_in_a_thread_of_its_own, province.pk).result()
    assert seen == ["replica", 1, "default", "replica", "default"]
