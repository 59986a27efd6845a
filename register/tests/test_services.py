import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from register.models import RegisterCounter, RegisterEntry
from register.services import next_number_symbol, register_document
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

APRIL = datetime.date(2022, 4, 5)


def register(issuer, number="", issued_on=APRIL, **kwargs):
    kwargs.setdefault("subject", "Kết quả thực hiện Kế hoạch tuyên truyền CCHC quý I năm 2022")
    return register_document(
        issuer=issuer, document_type="BC", issued_on=issued_on, number=number, **kwargs
    )


@pytest.fixture
def home_affairs():
    return AgencyFactory(name="Sở Nội vụ tỉnh Khánh Hòa", code="SNV")


def test_numbers_follow_each_other_from_01_with_the_issuer_symbol(home_affairs):
    first, second = register(home_affairs), register(home_affairs)
    assert (first.number_symbol, second.number_symbol) == ("01/BC-SNV", "02/BC-SNV")
    assert next_number_symbol(home_affairs, "KH", year=2022) == "03/KH-SNV"


def test_one_series_per_issuer_for_every_document_type(home_affairs):
    register(home_affairs)
    plan = register_document(issuer=home_affairs, document_type="KH", issued_on=APRIL,
                             subject="Kế hoạch tuyên truyền CCHC năm 2023")
    assert plan.number_symbol == "02/KH-SNV"


def test_numbers_start_again_on_1_january_and_per_issuer(home_affairs):
    register(home_affairs, issued_on=datetime.date(2022, 12, 31))
    register(home_affairs, issued_on=datetime.date(2022, 12, 31))
    new_year = register(home_affairs, issued_on=datetime.date(2023, 1, 1))
    other = register(AgencyFactory(code="STP"))
    assert new_year.number_symbol == "01/BC-SNV"
    assert (new_year.year, other.number_symbol) == (2023, "01/BC-STP")


def test_a_typed_number_is_recorded_and_the_counter_follows_it(home_affairs):
    typed = register(home_affairs, number="15/BC-SNV")
    after = register(home_affairs)
    assert (typed.number_symbol, typed.typed) == ("15/BC-SNV", True)
    assert after.number_symbol == "16/BC-SNV"
    # A free number below the counter (given on paper, say) can still be typed.
    assert register(home_affairs, number="3").number_symbol == "03/BC-SNV"


def test_a_typed_number_already_taken_is_refused_naming_its_document(home_affairs):
    register(home_affairs, subject="Báo cáo công tác CCHC quý I")
    with pytest.raises(ValidationError) as caught:
        register(home_affairs, number="01/BC-SNV")
    message = caught.value.message_dict["number"][0]
    assert "01/BC-SNV" in message and "Báo cáo công tác CCHC quý I" in message
    assert "05/04/2022" in message
    assert RegisterEntry.objects.count() == 1


def test_a_typed_number_that_is_no_number_is_refused(home_affairs):
    with pytest.raises(ValidationError) as caught:
        register(home_affairs, number="mười lăm")
    assert "number" in caught.value.message_dict
    assert not RegisterEntry.objects.exists()


def test_a_document_registered_before_keeps_its_entry(home_affairs):
    plan = AgencyFactory(code="X")  # any saved object stands for the document
    first = register(home_affairs, document=plan)
    again = register(home_affairs, document=plan)
    assert again.pk == first.pk
    assert RegisterCounter.objects.get(issuer=home_affairs, year=2022).last_number == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_get_consecutive_numbers_without_duplicates():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time (IMMEDIATE transactions): no race to test")
    issuer = AgencyFactory(code="SNV")
    workers = 8
    barrier = threading.Barrier(workers)
    numbers, errors = [], []

    def issue():
        try:
            barrier.wait()
            numbers.append(register(issuer).number)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers) == list(range(1, workers + 1))
    assert RegisterCounter.objects.get(issuer=issuer, year=2022).last_number == workers
