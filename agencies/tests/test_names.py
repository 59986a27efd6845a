import pytest

from agencies.names import name_key, without_locality


@pytest.mark.parametrize(("written", "full"), [
    ("Sở TT&TT", "Sở Thông tin và Truyền thông"),
    ("Sở KH&ĐT", "Sở Kế hoạch và Đầu tư"),
    ("BHXH tỉnh", "Bảo hiểm xã hội tỉnh"),
    ("UBND TP Nha Trang", "Ủy ban nhân dân thành phố Nha Trang"),
    ("HĐND tỉnh", "Hội đồng nhân dân tỉnh"),
    ("Đài PTTH Khánh Hòa", "Đài Phát thanh và Truyền hình Khánh Hòa"),
    ("so noi vu", "Sở Nội vụ"),
    ("Sở Lao động-Thương binh và Xã hội", "Sở Lao động - Thương binh và Xã hội"),
])
def test_a_name_matches_however_a_plan_writes_it(written, full):
    assert name_key(written) == name_key(full)


def test_the_province_after_a_name_may_be_left_out():
    localities = ["khanh hoa"]
    assert without_locality(name_key("Sở Tư pháp tỉnh Khánh Hòa"), localities) == name_key(
        "Sở Tư pháp")
    assert without_locality(name_key("BHXH tỉnh"), localities) == name_key("Bảo hiểm xã hội")
    assert without_locality(name_key("Khánh Hòa"), localities) == name_key("Khánh Hòa")
