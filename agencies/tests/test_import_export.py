import pytest
import tablib

from agencies.models import Agency
from agencies.resources import AgencyResource

pytestmark = pytest.mark.django_db


def dataset(*rows):
    resource = AgencyResource()
    headers = [str(resource.fields[name].column_name) for name in resource.Meta.fields]
    return tablib.Dataset(*rows, headers=headers)


def row(code, name, kind="department", parent=""):
    return [code, name, "", kind, parent, "", "", "", ""]


def test_agencies_import_with_parent_from_same_file(province):
    data = dataset(
        row("SYT", "Sở Y tế", parent="UBND-KH"),
        row("SYT-VP", "Văn phòng Sở Y tế", kind="internal_unit", parent="SYT"),
    )
    result = AgencyResource().import_data(data)
    assert not result.has_errors() and not result.has_validation_errors()
    assert Agency.objects.get(code="SYT-VP").parent.code == "SYT"


def test_agency_file_with_one_bad_row_imports_nothing(province):
    before = Agency.objects.count()
    data = dataset(
        row("SYT", "Sở Y tế", parent="UBND-KH"),
        row("SGD", "", parent="UBND-KH"),
        row("SXD", "Sở Xây dựng", parent="KHONG-CO"),
        row("SCT", "Sở Công Thương", kind="hành tinh"),
    )
    result = AgencyResource().import_data(data)
    assert Agency.objects.count() == before
    invalid = {r.number: r.error_dict for r in result.invalid_rows}
    assert set(invalid) == {2, 3, 4}
    messages = " ".join(str(m) for errors in invalid.values() for m in errors.values())
    assert "KHONG-CO" in messages
    assert "hành tinh" in messages


def test_agency_export_cannot_carry_formulas(province):
    Agency.objects.create(name='=HYPERLINK("http://evil")', code="EVIL", kind="other")
    exported = AgencyResource().export()
    names = exported.get_col(1)
    assert '\'=HYPERLINK("http://evil")' in names
    csv_text = exported.csv
    assert "\n=HYPERLINK" not in csv_text and ",=HYPERLINK" not in csv_text
