"""The demo data: `load_demo` is idempotent and the Khánh Hòa plan equals its seed."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from agencies.models import Agency, User
from plans.models import Plan
from tasks.models import AssignmentRole, Status

END_OF_2022 = datetime.date(2022, 12, 31)

DISTRICTS = {
    "UBND TP Nha Trang", "UBND TP Cam Ranh", "UBND TX Ninh Hòa", "UBND huyện Vạn Ninh",
    "UBND huyện Diên Khánh", "UBND huyện Khánh Vĩnh", "UBND huyện Cam Lâm",
    "UBND huyện Khánh Sơn", "UBND huyện Trường Sa",
}
COMMUNES = {
    "UBND phường Vĩnh Hải", "UBND phường Lộc Thọ", "UBND xã Vĩnh Lương", "UBND phường Cam Linh",
    "UBND thị trấn Cam Đức", "UBND xã Suối Tân", "UBND xã Diên Phú", "UBND thị trấn Tô Hạp",
}
DEPARTMENTS = {
    "Văn phòng UBND tỉnh", "Sở Nội vụ", "Sở Tư pháp", "Sở Kế hoạch và Đầu tư",
    "Sở Khoa học và Công nghệ", "Sở Thông tin và Truyền thông", "Sở Tài nguyên và Môi trường",
    "Sở Du lịch", "Sở Công Thương", "Sở Văn hóa và Thể thao", "Sở Xây dựng",
    "Sở Giao thông vận tải", "Sở Lao động - Thương binh và Xã hội", "Sở Y tế", "Sở Ngoại vụ",
    "Sở Tài chính", "Sở Giáo dục và Đào tạo", "Sở Nông nghiệp và Phát triển nông thôn",
    "Thanh tra tỉnh", "Ban Quản lý Khu kinh tế Vân Phong",
}
CENTRAL = {
    "Cục Thuế", "Cục Hải quan", "BHXH tỉnh", "Kho bạc Nhà nước tỉnh", "Ngân hàng Nhà nước tỉnh",
    "Công an tỉnh", "Bưu điện tỉnh",
}
DISTRICT_GROUP = "UBND các huyện, thị xã, thành phố"
COMMUNE_GROUP = "UBND các xã, phường, thị trấn"

# The appendix of Quyết định 286/QĐ-UBND, as the "Phân công" and "Tiến độ" cells say:
# number: (lead agencies, lead groups, coordinating agencies, timeline as written).
APPENDIX = {
    1: ({"Sở Nội vụ"}, set(), set(), "Quý I/2022"),
    2: ({"Sở Tư pháp"}, set(), (DEPARTMENTS - {"Sở Tư pháp"}) | DISTRICTS,
        "Theo tiến độ Kế hoạch"),
    3: ({"Sở Kế hoạch và Đầu tư"}, set(),
        {"Văn phòng UBND tỉnh", "VCCI", "Sở Tài nguyên và Môi trường", "Sở Du lịch", "Cục Thuế",
         "Cục Hải quan", "BHXH tỉnh"},
        "Trong năm 2022"),
    4: ({"Sở Kế hoạch và Đầu tư"}, set(), set(), "Trong năm 2022"),
    5: ({"Sở Khoa học và Công nghệ"}, set(), set(), "Trong năm 2022"),
    6: ({"Sở Nội vụ"}, set(), {"Đài PTTH Khánh Hòa"}, "Định kỳ hàng quý, bắt đầu từ quý I/2022"),
    7: (set(), set(), DEPARTMENTS | CENTRAL | DISTRICTS, "Thường xuyên trong năm"),
    8: ({"Sở Nội vụ"}, set(), set(), "Theo tiến độ Kế hoạch được phê duyệt"),
    9: ({"Sở Thông tin và Truyền thông"}, set(), {"Đài PTTH Khánh Hòa", "Báo Khánh Hòa"},
        "Trong năm 2022"),
    10: ({"Sở Nội vụ"}, set(), {"Sở Thông tin và Truyền thông"}, "Trong năm 2022"),
    11: ({"Sở Nội vụ"}, set(), set(), "Quý II/2022"),
    12: (DEPARTMENTS | DISTRICTS, {DISTRICT_GROUP}, set(), "Theo tiến độ Kế hoạch"),
    13: (DISTRICTS, {DISTRICT_GROUP}, {"Sở Thông tin và Truyền thông"}, "Trong năm 2022"),
    14: ({"Sở Nội vụ"}, set(), (DEPARTMENTS - {"Sở Nội vụ"}) | DISTRICTS | COMMUNES,
         "Trong năm 2022"),
    15: (DISTRICTS | COMMUNES, {DISTRICT_GROUP, COMMUNE_GROUP}, set(), "Thường xuyên trong năm"),
    16: ({"Sở Nội vụ"},
         set(),
         {"Sở Thông tin và Truyền thông", "Sở Kế hoạch và Đầu tư", "Sở Tư pháp",
          "Văn phòng UBND tỉnh"},
         "Quý II/2022"),
}


def row_counts():
    """Rows of every model of the three apps, history tables included."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in ("agencies", "plans", "tasks")
    }


def load(*args):
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo loaded once for the read-only tests of this module, rolled back after them."""
    fast_hasher = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    )
    with fast_hasher, django_db_blocker.unblock(), transaction.atomic():
        load()
        yield
        transaction.set_rollback(True)


def khanh_hoa_plan():
    return Plan.objects.get(issuer__code="UBND-KH", decision_number="286/QĐ-UBND")


def names(assignments):
    return {a.agency.short_name for a in assignments}


@pytest.mark.django_db
def test_load_demo_twice_duplicates_nothing():
    first_output = load()
    after_first = row_counts()
    second_output = load()
    assert row_counts() == after_first
    assert after_first["tasks.ProgressUpdate"] > 0
    assert "0 new progress updates" in second_output
    assert "dieuphoi" in first_output and "demo12345" in first_output


@pytest.mark.django_db
def test_dry_run_rolls_back():
    output = load("--dry-run")
    assert "rolled back" in output.lower()
    assert not Agency.objects.exists()
    assert not Plan.objects.exists()


@pytest.mark.django_db
def test_khanh_hoa_plan_equals_its_seed(demo):
    plan = khanh_hoa_plan()
    assert plan.title == "Tuyên truyền cải cách hành chính tỉnh Khánh Hòa năm 2022"
    assert plan.decision_date == datetime.date(2022, 1, 26)
    assert plan.status == "issued"
    assert (plan.period_start_year, plan.period_end_year) == (2022, 2022)
    assert (plan.signer_authority, plan.signer_title, plan.signer_name) == (
        "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Tấn Tuấn"
    )
    assert plan.submission_deadline == datetime.date(2022, 2, 28)
    assert plan.submission_deadline_text == "trong tháng 02/2022"
    assert plan.decision_text.splitlines()[0].startswith("Điều 1.")
    assert plan.legal_bases.first().text.startswith("Căn cứ Luật Tổ chức chính quyền địa phương")
    assert [c.label for c in plan.plan_channels.all()] == [
        "a)", "b)", "c)", "d)", "đ)", "e)", "g)", "h)"
    ]
    assert plan.duties.count() == 16
    assert plan.recipient_lines()[-1] == "Lưu: VT, DL."
    addressed = {a.short_name for a in plan.addressed_agencies.all()}
    assert addressed == DEPARTMENTS | DISTRICTS

    tasks = list(plan.tasks.prefetch_related("assignments__agency", "lead_groups"))
    assert [t.number for t in tasks] == list(range(1, 17))
    for task in tasks:
        leads, lead_groups, coordinators, timeline = APPENDIX[task.number]
        assignments = task.assignments.all()
        assert names(a for a in assignments if a.role == AssignmentRole.LEAD) == leads, task
        assert {g.name for g in task.lead_groups.all()} == lead_groups, task
        assert names(a for a in assignments if a.role == AssignmentRole.COORDINATOR) == (
            coordinators
        ), task
        assert task.timeline_text == timeline, task


@pytest.mark.django_db
def test_task_7_has_no_lead_and_task_13_fans_out_per_district(demo):
    plan = khanh_hoa_plan()
    task_7 = plan.tasks.get(number=7)
    assert not task_7.assignments.filter(role=AssignmentRole.LEAD).exists()
    assert task_7.assignments.filter(role=AssignmentRole.COORDINATOR).exists()

    task_13 = plan.tasks.get(number=13)
    leads = task_13.assignments.filter(role=AssignmentRole.LEAD)
    districts = Agency.objects.filter(kind="district", parent__code="UBND-KH")
    assert districts.count() == 9
    assert sorted(a.agency_id for a in leads) == sorted(d.pk for d in districts)
    assert all(a.via_group.name == DISTRICT_GROUP for a in leads)


@pytest.mark.django_db
def test_timelines_resolve(demo):
    tasks = {t.number: t for t in khanh_hoa_plan().tasks.all()}
    assert tasks[1].due_date == datetime.date(2022, 3, 31)
    assert tasks[11].due_date == datetime.date(2022, 6, 30)
    assert tasks[3].due_date == END_OF_2022
    assert tasks[6].schedule_kind == "recurring" and tasks[6].checkpoints.count() == 4
    assert tasks[7].schedule_kind == "ongoing"
    assert tasks[2].schedule_kind == "follows" and tasks[2].due_date is None


@pytest.mark.django_db
def test_progress_at_the_end_of_2022_has_every_state(demo):
    plan = khanh_hoa_plan()
    statuses = set(plan.tasks.values_list("status", flat=True))
    assert {Status.DONE, Status.IN_PROGRESS} <= statuses
    assert any(task.is_overdue(END_OF_2022) for task in plan.tasks.all())
    updates = [u for t in plan.tasks.all() for a in t.assignments.all() for u in a.updates.all()]
    assert all(u.created_at.year == 2022 for u in updates)
    assert any(u.figures.exists() for u in updates)


@pytest.mark.django_db
def test_agency_plans_submitted_on_time_late_or_missing(demo):
    plan = khanh_hoa_plan()
    states = {child.issuer.code: child.submission_state() for child in plan.children.all()}
    assert states == {
        "STP": "on_time", "UBND-NHATRANG": "on_time", "SKHCN": "late", "UBND-CAMLAM": "late"
    }


@pytest.mark.django_db
def test_ninh_thuan_plan_targets_and_reporting_periods(demo):
    plan = Plan.objects.get(issuer__code="UBND-NT")
    targets = {t.indicator: t for t in plan.targets.all()}
    assert targets["PAR INDEX"].unit == "rank"
    assert targets["PAR INDEX"].target_value == Decimal("20")
    assert targets["PCI"].unit == "score"
    assert targets["PCI"].target_value == Decimal("69.5")
    assert targets["SIPAS"].target_value == Decimal("20")
    assert plan.reporting_periods == ["Q1", "H1", "M9", "Y"]
    assert {a.pillar for a in plan.content_areas.all()} >= {
        "direction", "institutions", "procedures", "organisation", "civil_service",
        "public_finance", "digital_government",
    }
    assert plan.budget_text.startswith("1. Nguồn kinh phí:")


@pytest.mark.django_db
def test_ict_plan_reports_on_request(demo):
    plan = Plan.objects.get(issuer__code="STTTT")
    assert (plan.period_start_year, plan.period_end_year) == (2021, 2030)
    assert plan.reporting_periods == ["on_request"]
    assert plan.report_recipient == "bcxb.stttt@khanhhoa.gov.vn"


@pytest.mark.django_db
def test_demo_logins_have_their_roles(demo):
    expected = {
        "dieuphoi": ("coordinator", "SNV"),
        "donvi": ("agency_officer", "STP"),
        "huyen": ("agency_officer", "UBND-NHATRANG"),
        "lanhdao": ("leadership", "UBND-KH"),
        "quantri": ("admin", "SNV"),
    }
    users = {u.username: u for u in User.objects.select_related("agency")}
    for username, (role, agency) in expected.items():
        user = users[username]
        assert (user.role, user.agency.code) == (role, agency)
        assert user.check_password("demo12345")
    assert users["dieuphoi"].is_staff
    assert users["quantri"].is_superuser


@pytest.mark.django_db
def test_parts_of_the_seeds_outside_the_usual_sections_are_kept(demo):
    plan = khanh_hoa_plan()
    assert plan.channels_intro.startswith("Căn cứ theo nhóm đối tượng tại khoản 1 và khoản 2")
    assert plan.key_activities.startswith("Bên cạnh thực hiện thống nhất các nội dung")
    assert plan.appendix_title.endswith("TRỌNG ĐIỂM TỈNH KHÁNH HÒA NĂM 2022")
    assert "16.02.2022 10:30:03" in plan.electronic_signature
    ninh_thuan = Plan.objects.get(issuer__code="UBND-NT")
    assert ninh_thuan.issued_on is None
    assert ninh_thuan.issued_on_text == "Ninh Thuận, ngày tháng 02 năm 2024"
    assert ninh_thuan.audience_text.startswith("Toàn thể đội ngũ cán bộ, công chức, viên chức")
