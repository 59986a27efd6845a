import pytest
import tablib
from django.utils import translation
from import_export.formats.base_formats import XLSX

from agencies.models import Agency
from agencies.resources import AgencyResource
from cchc_plans.spreadsheets import read_dataset

pytestmark = pytest.mark.django_db


def dataset(*rows):
    resource = AgencyResource()
    headers = [resource.column(name) for name in resource._meta.fields]
    return tablib.Dataset(*rows, headers=headers)


def row(code, name, kind="department", parent=""):
    return [code, name, "", kind, parent, "", "", "", "", "", "", ""]


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
    assert set(invalid) == {2, 3, 4}  # the library counts data rows from 1
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


def problems(result):
    return {p.line: " ".join(p.messages) for p in AgencyResource().row_problems(result)}


def round_trip():
    return read_dataset(XLSX().export_data(AgencyResource().export()), "xlsx")


def test_a_parent_may_come_later_in_the_file(province):
    data = dataset(
        row("SYT-VP", "Văn phòng Sở Y tế", kind="internal_unit", parent="SYT"),
        row("SYT", "Sở Y tế", parent="UBND-KH"),
    )
    result = AgencyResource().import_data(data)
    assert problems(result) == {}
    assert Agency.objects.get(code="SYT-VP").parent == Agency.objects.get(code="SYT")


def test_parents_that_loop_through_rows_are_refused(province):
    data = dataset(row("A", "Đơn vị A", parent="B"), row("B", "Đơn vị B", parent="A"),
                   row("C", "Đơn vị C", parent="C"))
    with translation.override("vi"):
        found = problems(AgencyResource().import_data(data))
    assert set(found) == {2, 3, 4}
    assert "không thể trực thuộc chính nó" in found[2]
    assert not Agency.objects.filter(code__in=["A", "B", "C"]).exists()


def test_the_own_export_with_blank_cells_imports_again_unchanged(province, home_affairs):
    history = Agency.history.count()
    result = AgencyResource().import_data(round_trip())
    assert problems(result) == {}
    assert result.totals["skip"] == 2
    assert Agency.history.count() == history
    assert Agency.objects.get(code="SNV").short_name == ""


def test_a_changed_agency_is_updated_with_its_history(province, home_affairs, coordinator):
    data = round_trip()
    name = data.headers.index(AgencyResource().column("name"))
    index = data[AgencyResource().column("code")].index("SNV")
    data[index] = tuple("Sở Nội vụ tỉnh Khánh Hòa" if i == name else v
                        for i, v in enumerate(data[index]))
    result = AgencyResource().import_data(data, user=coordinator)
    assert (result.totals["update"], result.totals["skip"]) == (1, 1)
    home_affairs.refresh_from_db()
    assert home_affairs.name == "Sở Nội vụ tỉnh Khánh Hòa"
    assert Agency.objects.search("so noi vu khanh hoa").get() == home_affairs
    record = home_affairs.history.latest()
    assert (record.history_type, record.history_user, record.history_change_reason) == (
        "~", coordinator, "import")


def test_new_agencies_are_recorded_whole_in_the_history(province, coordinator):
    AgencyResource().import_data(dataset(row("SYT-VP", "Văn phòng", "internal_unit", "SYT"),
                                         row("SYT", "Sở Y tế", parent="UBND-KH")),
                                 user=coordinator)
    record = Agency.objects.get(code="SYT-VP").history.get()
    assert (record.history_type, record.parent.code, record.history_user) == (
        "+", "SYT", coordinator)


def test_a_bad_email_is_a_row_error(province):
    data = dataset(["SYT", "Sở Y tế", "", "department", "", "không phải thư", "", "", "", "",
                    "", ""])
    assert "thư điện tử: Nhập địa chỉ email" in problems(AgencyResource().import_data(data))[2]


def test_the_head_of_an_agency_is_imported(province):
    data = dataset(["SYT", "Sở Y tế", "", "department", "UBND-KH", "", "", "", "",
                    "Nguyễn Văn Y", "Giám đốc", "giamdoc@syt.example"])
    assert not AgencyResource().import_data(data).has_errors()
    agency = Agency.objects.get(code="SYT")
    assert (agency.head_name, agency.head_title, agency.head_email) == (
        "Nguyễn Văn Y", "Giám đốc", "giamdoc@syt.example"
    )


@pytest.mark.parametrize("count", [10, 100])
def test_import_queries_do_not_grow_with_the_rows(province, django_assert_num_queries, count):
    data = dataset(*(row(f"P{n}", f"Phòng {n}", "internal_unit",
                         "UBND-KH" if n % 5 == 0 else f"P{n - n % 5}") for n in range(count)))
    # The agencies the file names, the parent chains of every agency.
    with django_assert_num_queries(2):
        result = AgencyResource().import_data(data, dry_run=True)
    assert problems(result) == {}
    # The same check (2); then in one transaction (savepoint and release): the parent chains
    # again, agencies inserted, parents of the same file linked, the history.
    with django_assert_num_queries(8):
        AgencyResource().import_data(data)
    assert Agency.objects.filter(code__startswith="P").count() == count


@pytest.mark.parametrize("count", [10, 100])
def test_changed_rows_import_in_queries_that_do_not_grow_with_the_rows(
    province, django_assert_num_queries, count
):
    data = dataset(*(row(f"P{n}", f"Phòng {n}", "internal_unit", "UBND-KH")
                     for n in range(count)))
    AgencyResource().import_data(data)
    changed = dataset(*(row(f"P{n}", f"Phòng số {n}", "internal_unit",
                            "UBND-KH" if n % 5 == 0 else f"P{n - n % 5}")
                        for n in range(count)))
    # The agencies the file names with their parents, the parent chains of every agency.
    with django_assert_num_queries(2):
        result = AgencyResource().import_data(changed, dry_run=True)
    assert problems(result) == {} and result.totals["update"] == count
    # The same check (2); then in one transaction (savepoint and release): the parent chains
    # again, agencies updated, their history.
    with django_assert_num_queries(7):
        AgencyResource().import_data(changed)
    assert Agency.objects.get(code="P7").parent.code == "P5"
    assert Agency.history.filter(history_type="~").count() == count


def test_one_bad_row_among_many_saves_nothing_and_is_named_in_vietnamese(province):
    rows = [row(f"P{n}", f"Phòng {n}", "internal_unit", "UBND-KH") for n in range(100)]
    rows[41] = row("P41", "Phòng 41", "internal_unit", "KHONG-CO")
    before, history = Agency.objects.count(), Agency.history.count()
    with translation.override("vi"):
        found = problems(AgencyResource().import_data(dataset(*rows)))
    assert list(found) == [43]
    assert "KHONG-CO" in found[43] and "Không có đơn vị nào mang mã" in found[43]
    assert (Agency.objects.count(), Agency.history.count()) == (before, history)
