import pytest

from agencies.models import Agency
from cchc_plans.search import fold
from tests.factories import AgencyFactory


def test_fold_strips_vietnamese_diacritics():
    assert fold("Sở Nội vụ") == "so noi vu"
    assert fold("ĐÀI PHÁT THANH  và Truyền hình") == "dai phat thanh va truyen hinh"


@pytest.mark.django_db
def test_agency_search_ignores_diacritics_and_case():
    agency = AgencyFactory(name="Sở Nội vụ", code="SNV")
    AgencyFactory(name="Sở Tư pháp", code="STP")
    assert list(Agency.objects.search("so noi vu")) == [agency]
    assert list(Agency.objects.search("SỞ NỘI")) == [agency]
    assert list(Agency.objects.search("noi vu so")) == [agency]
