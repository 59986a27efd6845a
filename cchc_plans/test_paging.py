import pytest
from django.db.models import Count, Window

from agencies.models import Agency
from cchc_plans.paging import FirstPageFirstPaginator
from tests.factories import AgencyFactory


def agencies(count):
    for number in range(count):
        AgencyFactory(name=f"Đơn vị {number:02d}", code=f"DV{number:02d}")
    return Agency.objects.order_by("code")


@pytest.mark.django_db
def test_a_list_that_fits_on_one_page_is_read_without_a_count(django_assert_num_queries):
    rows = agencies(3)
    with django_assert_num_queries(1):
        page = FirstPageFirstPaginator(rows, 5).get_page(None)
        assert [a.code for a in page] == ["DV00", "DV01", "DV02"]
        assert page.paginator.count == 3 and page.paginator.num_pages == 1
        assert not page.has_other_pages()


@pytest.mark.django_db
def test_a_longer_list_is_counted_and_paged_as_usual(django_assert_num_queries):
    rows = agencies(7)
    with django_assert_num_queries(2):  # the first page and one row more, then the count
        page = FirstPageFirstPaginator(rows, 5).get_page("1")
        assert [a.code for a in page] == ["DV00", "DV01", "DV02", "DV03", "DV04"]
        assert page.has_next() and page.paginator.num_pages == 2
    second = FirstPageFirstPaginator(rows, 5).get_page("2")
    assert [a.code for a in second] == ["DV05", "DV06"] and not second.has_next()


@pytest.mark.django_db
@pytest.mark.parametrize("number, shown", [("abc", 1), ("", 1), ("9", 2), ("0", 2)])
def test_an_unusable_page_number_shows_the_first_or_the_last_page(number, shown):
    page = FirstPageFirstPaginator(agencies(7), 5).get_page(number)
    assert page.number == shown


@pytest.mark.django_db
def test_an_empty_list_is_one_empty_page(django_assert_num_queries):
    with django_assert_num_queries(1):
        paginator = FirstPageFirstPaginator(Agency.objects.order_by("code"), 5)
        assert list(paginator.get_page(1)) == [] and paginator.num_pages == 1


def counted(rows):
    return rows.annotate(total=Window(Count("pk")))


@pytest.mark.django_db
@pytest.mark.parametrize("number, codes", [
    (None, ["DV00", "DV01", "DV02", "DV03", "DV04"]), ("2", ["DV05", "DV06"]),
])
def test_a_list_counted_by_its_rows_reads_any_page_in_one_query(
    django_assert_num_queries, number, codes
):
    rows = counted(agencies(7))
    with django_assert_num_queries(1):
        page = FirstPageFirstPaginator(rows, 5, count_from="total").get_page(number)
        assert [a.code for a in page] == codes
        assert page.paginator.count == 7 and page.paginator.num_pages == 2
        assert page.has_next() == (codes[0] == "DV00")


@pytest.mark.django_db
@pytest.mark.parametrize("number, shown", [("abc", 1), ("9", 2), ("0", 2)])
def test_a_counted_list_past_its_end_shows_the_last_page(number, shown):
    page = FirstPageFirstPaginator(counted(agencies(7)), 5, count_from="total").get_page(number)
    assert page.number == shown and page.paginator.count == 7


@pytest.mark.django_db
def test_an_empty_counted_list_is_one_empty_page(django_assert_num_queries):
    with django_assert_num_queries(1):
        paginator = FirstPageFirstPaginator(
            counted(Agency.objects.order_by("code")), 5, count_from="total"
        )
        assert list(paginator.get_page(1)) == [] and paginator.num_pages == 1
