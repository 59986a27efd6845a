"""A national data set for measuring pages: provinces, agencies, plans, tasks and their progress.

``generate(provinces=34, tasks=1_000_000)`` writes, province by province (one transaction
each), what the services would have left after some years of use:

- each province: its People's Committee, ~20 departments (Sở Nội vụ first, two merged into
  another in March 2025), internal units of some departments, districts dissolved on
  1 July 2025 into their seat commune, communes, press, mass organisations, central agencies
  and public service units (``agencies`` per province in all, 150 by default); three agency
  groups (the press, the mass organisations with listed members, every commune by kind);
- users: three coordinators at the Sở Nội vụ, two leaders at the People's Committee, one
  officer per agency (two per department), all with the demo password;
- each year: the province's plan (issued, closed when two years old or more; reporting
  periods Q1, H1, M9, Y; addressed to every agency that existed that year; agency plans due
  at the end of February) with 30–50 key tasks, and the agencies' own plans implementing it
  with 5–50 tasks each, submitted on time, late or not at all; the years go back from this
  one as far as the number of tasks asks;
- each task: its timeline phrase resolved as ``schedule_task`` does (checkpoints of the
  recurring ones), a lead (or a group's members) and one or two coordinating agencies,
  the open assignments of an agency dissolved that year moved to its successor
  (``transferred_from``); status and percent rolled up from the assignments (``roll_up``);
- progress: 0–3 updates per assignment over the plan's year by an officer of the agency,
  the last one giving the assignment its status, percent and ``last_update_at``; a figure on
  one update in five;
- each province plan's reports: one per agency and past period, accepted, submitted,
  returned or still a draft, some late, some never started (the completeness matrix's gaps).

Left empty: the history tables (the rows are as created, with no edits to show), evidence
files, task tables (plans print their tasks in the default table), reminders, cancellation
proposals, the report's per-task states, the register. Outline nodes are the ones
``rebuild_outline`` makes for such a plan.
"""

import datetime
import itertools
import math
import random
import time
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from agencies.models import Agency, AgencyGroup, AgencyKind, Role, User
from cchc_plans.search import fold
from demo.loader import DEMO_PASSWORD, Catalogue, load_catalogues, read_fixture
from periodic.models import AgencyReport, AgencyReportFigure, ReportStatus
from plans.models import Measure, OutlineNode, Plan, PlanStatus
from plans.outline_fields import outline_from_fields
from plans.periods import make_period
from tasks.models import (
    Assignment,
    AssignmentRole,
    Checkpoint,
    ProgressUpdate,
    Status,
    Task,
    UpdateFigure,
)
from tasks.services import roll_up
from tasks.timeline import resolve_timeline

from .sink import Sink

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
PROVINCE_PLAN_TASKS = (30, 50)
AGENCY_PLAN_TASKS = (5, 50)
REPORT_PERIODS = ["Q1", "H1", "M9", "Y"]
DISTRICT_DISSOLUTION = datetime.date(2025, 7, 1)
DEPARTMENT_MERGER = datetime.date(2025, 3, 1)
MAX_YEARS = 20

PROVINCES = [
    "Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh", "Thanh Hóa",
    "Nghệ An", "Hà Tĩnh", "Cao Bằng", "Tuyên Quang", "Lào Cai", "Thái Nguyên", "Phú Thọ",
    "Bắc Ninh", "Hưng Yên", "Hải Phòng", "Ninh Bình", "Quảng Trị", "Đà Nẵng", "Quảng Ngãi",
    "Gia Lai", "Khánh Hòa", "Lâm Đồng", "Đắk Lắk", "Hồ Chí Minh", "Đồng Nai", "Tây Ninh",
    "Cần Thơ", "Vĩnh Long", "Đồng Tháp", "Cà Mau", "An Giang",
]
DEPARTMENTS = [
    ("Sở Nội vụ", "SNV"), ("Sở Tư pháp", "STP"), ("Sở Tài chính", "STC"),
    ("Sở Khoa học và Công nghệ", "SKHCN"), ("Sở Công Thương", "SCT"), ("Sở Xây dựng", "SXD"),
    ("Sở Nông nghiệp và Môi trường", "SNNMT"), ("Sở Giáo dục và Đào tạo", "SGDĐT"),
    ("Sở Y tế", "SYT"), ("Sở Văn hóa, Thể thao và Du lịch", "SVHTTDL"),
    ("Sở Dân tộc và Tôn giáo", "SDTTG"), ("Sở Ngoại vụ", "SNgV"),
    ("Văn phòng Ủy ban nhân dân tỉnh", "VPUBND"), ("Thanh tra tỉnh", "TTT"),
    ("Ban Quản lý các khu công nghiệp", "BQLKCN"), ("Sở Thông tin và Truyền thông", "STTTT"),
    ("Sở Kế hoạch và Đầu tư", "SKHĐT"), ("Sở Lao động - Thương binh và Xã hội", "SLĐTBXH"),
    ("Sở Giao thông vận tải", "SGTVT"), ("Sở Tài nguyên và Môi trường", "STNMT"),
]
# Merged into another department on DEPARTMENT_MERGER: (code, successor code).
MERGED = [("STTTT", "SKHCN"), ("SKHĐT", "STC"), ("SLĐTBXH", "SNV")]
UNITS = ["Văn phòng Sở", "Phòng Cải cách hành chính", "Phòng Tổ chức - Hành chính"]
PRESS = ["Báo {p}", "Đài Phát thanh và Truyền hình {p}", "Tạp chí Văn hóa {p}"]
MASS = [
    "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh {p}", "Tỉnh Đoàn {p}", "Hội Liên hiệp Phụ nữ tỉnh {p}",
    "Hội Nông dân tỉnh {p}", "Hội Cựu chiến binh tỉnh {p}", "Liên đoàn Lao động tỉnh {p}",
]
CENTRAL = [
    "Thuế tỉnh {p}", "Bảo hiểm xã hội tỉnh {p}", "Công an tỉnh {p}", "Kho bạc Nhà nước khu vực {p}",
    "Hải quan {p}",
]
SERVICES = [
    "Trung tâm Phục vụ hành chính công tỉnh {p}", "Trung tâm Chuyển đổi số tỉnh {p}",
    "Trường Chính trị tỉnh {p}", "Trung tâm Xúc tiến đầu tư tỉnh {p}",
    "Cổng thông tin điện tử tỉnh {p}",
]
COMMUNE_NAMES = [
    "An", "Bình", "Hòa", "Phú", "Tân", "Long", "Thạnh", "Mỹ", "Phước", "Đông", "Tây", "Nam",
    "Bắc", "Trung", "Vĩnh", "Hưng", "Thuận", "Lộc", "Quang", "Minh",
]
COMMUNE_SUFFIX = ["Hải", "Sơn", "Lợi", "Thành", "Hiệp", "Xuân", "Đức", "Khánh", "Lâm", "Điền"]

TOPICS = [
    "Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021-2030",
    "kết quả thực hiện cơ chế một cửa, một cửa liên thông",
    "Chỉ số PAR INDEX, SIPAS của tỉnh",
    "dịch vụ công trực tuyến toàn trình và thanh toán trực tuyến",
    "sắp xếp tổ chức bộ máy theo mô hình chính quyền địa phương hai cấp",
    "Đề án 06 về phát triển ứng dụng dữ liệu dân cư, định danh và xác thực điện tử",
    "chuyển đổi số trong cơ quan nhà nước",
    "cải cách chế độ công vụ, kỷ luật, kỷ cương hành chính",
    "quy định mới về thủ tục hành chính thuộc thẩm quyền giải quyết của tỉnh",
    "Chỉ số năng lực cạnh tranh cấp tỉnh (PCI)",
    "cơ chế tự chủ tài chính của đơn vị sự nghiệp công lập",
    "gương điển hình tiên tiến trong cải cách hành chính",
]
ACTIONS = [
    "Tuyên truyền về {t}", "Xây dựng chuyên mục về {t}", "Tổ chức hội nghị phổ biến {t}",
    "Đăng tải tin, bài về {t}", "Tập huấn cho cán bộ, công chức về {t}",
    "Phát hành tờ rơi, áp phích về {t}", "Tổ chức cuộc thi tìm hiểu {t}",
]
FORMS = [
    "Tin, bài trên Cổng thông tin điện tử", "Chuyên mục trên Báo và Đài PT-TH",
    "Hội nghị, tập huấn", "Tờ rơi, áp phích, pa-nô", "Mạng xã hội (Facebook, Zalo)",
    "Hệ thống loa truyền thanh cơ sở", "Màn hình LED tại Trung tâm Phục vụ hành chính công",
]
TIMELINES = [
    "Quý I/{y}", "Quý II/{y}", "Quý III/{y}", "Quý IV/{y}", "Trong tháng 02/{y}",
    "Trước ngày 30/6/{y}", "6 tháng đầu năm {y}", "Năm {y}", "Trong năm {y}", "Thường xuyên",
    "Hằng quý",
]
NARRATIVES = [
    "Đã đăng tải tin, bài trên Cổng thông tin điện tử của đơn vị.",
    "Đã tổ chức hội nghị quán triệt cho cán bộ, công chức, viên chức.",
    "Đã xây dựng và phát sóng chuyên mục định kỳ.",
    "Đang triển khai theo kế hoạch, dự kiến hoàn thành đúng tiến độ.",
    "Đã phát hành tờ rơi tại bộ phận một cửa.",
]
OBJECTIVES = (
    "Nâng cao nhận thức của cán bộ, công chức, viên chức và người dân về cải cách hành chính.\n"
    "Tạo sự đồng thuận của xã hội trong triển khai công tác cải cách hành chính."
)
REQUIREMENTS = (
    "Công tác tuyên truyền phải bám sát Chương trình cải cách hành chính của tỉnh.\n"
    "Nội dung tuyên truyền thiết thực, hình thức đa dạng, phù hợp với từng đối tượng."
)


@dataclass
class Place:
    """A generated agency, as the generator needs it (no model instances: memory)."""

    id: int
    name: str
    kind: str
    code: str
    dissolved_on: datetime.date | None = None
    successor: int | None = None
    units: list = field(default_factory=list)
    officers: list = field(default_factory=list)

    def exists_in(self, year):
        return self.dissolved_on is None or self.dissolved_on.year >= year


@dataclass
class Result:
    counts: dict
    seconds: float
    years: list


def _aware(day, rng):
    return datetime.datetime.combine(
        day, datetime.time(rng.randint(7, 17), rng.randint(0, 59)), tzinfo=LOCAL
    )


class Generator:
    def __init__(self, *, provinces, tasks, agencies=150, seed=1, today=None, out=None):
        if provinces < 1 or tasks < 1 or agencies < 40:
            raise ValueError("at least 1 province, 1 task and 40 agencies a province")
        self.provinces = provinces
        self.tasks = tasks
        self.agencies = agencies
        self.rng = random.Random(seed)
        self.today = today or timezone.localdate()
        self.now = timezone.now()
        self.out = out or (lambda line: None)
        self.sink = Sink()
        self.password = make_password(DEMO_PASSWORD)
        self.fold_cache = {}
        self.schedule_cache = {}
        # Tasks of a province-year: one province plan and about this many agency plans.
        per_year = PROVINCE_PLAN_TASKS[1] + sum(AGENCY_PLAN_TASKS) / 2 * (agencies - 10)
        years = min(MAX_YEARS, max(1, math.ceil(tasks / (provinces * per_year))))
        self.years = list(range(self.today.year - years + 1, self.today.year + 1))
        self.measures = []
        self.outline_cache = {}
        self.place_by_id = {}
        self.province_id = None  # the top agency of the province being written
        self.coordinators = []

    # -----------------------------------------------------------------------------------------
    def fold(self, text):
        value = self.fold_cache.get(text)
        if value is None:
            value = self.fold_cache[text] = fold(text)
        return value

    def schedule(self, text, year):
        key = (text, year)
        value = self.schedule_cache.get(key)
        if value is None:
            value = self.schedule_cache[key] = resolve_timeline(text, year=year, end_year=year)
        return value

    def run(self):
        started = time.monotonic()
        with transaction.atomic():
            load_catalogues(Catalogue(), read_fixture("catalogues.json"))
        self.measures = list(Measure.objects.values_list("pk", flat=True))
        budget = self._split(self.tasks, self.provinces)
        for number in range(self.provinces):
            with transaction.atomic():
                self.sink.skip_foreign_key_checks()
                self.province(number, budget[number])
                self.sink.flush()
            self.out(
                f"province {number + 1}/{self.provinces}: "
                f"{self.sink[Task].written} tasks so far, {time.monotonic() - started:.0f} s"
            )
        with transaction.atomic():
            self.sink.reset_sequences()
        self.sink.analyze()
        return Result(self.sink.counts(), time.monotonic() - started, self.years)

    @staticmethod
    def _split(total, parts):
        base, extra = divmod(total, parts)
        return [base + (1 if n < extra else 0) for n in range(parts)]

    # -----------------------------------------------------------------------------------------
    # Agencies, groups and users of one province

    def province(self, number, tasks):
        name = PROVINCES[number % len(PROVINCES)]
        if number >= len(PROVINCES):
            name = f"{name} {number // len(PROVINCES) + 1}"
        prefix = f"T{number + 1:02d}"
        if Agency.objects.filter(code=f"{prefix}-UBND").exists():
            raise ValueError(f"the database already holds generated province {prefix}")
        places = self.agencies_of(name, prefix)
        self.users_of(prefix, places)
        groups = self.groups_of(prefix, name, places)
        budget = self._split(tasks, len(self.years))
        for year, year_tasks in zip(self.years, budget, strict=True):
            self.year_of(prefix, name, places, groups, year, year_tasks)

    def agency(self, places, name, code, kind, parent, **extra):
        table = self.sink[Agency]
        short = extra.pop("short_name", "")
        pk = table.new_id()
        if parent is None:
            self.province_id = pk  # the top agency: the province of every row that follows
        table.add(
            id=pk, name=name, short_name=short, code=code, kind=kind, parent_id=parent,
            search_text=self.fold(f"{name} {short} {code}"), province_id=self.province_id,
            **extra,
        )
        place = Place(pk, name, kind, code.split("-", 1)[1], extra.get("dissolved_on"),
                      extra.get("successor_id"))
        self.place_by_id[pk] = place
        places.setdefault(kind, []).append(place)
        return place

    def agencies_of(self, name, prefix):
        places = {}
        province = self.agency(places, f"Ủy ban nhân dân tỉnh {name}", f"{prefix}-UBND",
                               AgencyKind.PROVINCE, None, short_name=f"UBND tỉnh {name}")
        departments = {}
        for title, code in DEPARTMENTS:
            merged = dict(MERGED).get(code)
            extra = {}
            if merged:
                extra = {"dissolved_on": DEPARTMENT_MERGER,
                         "successor_id": departments[merged].id}
            departments[code] = self.agency(
                places, title, f"{prefix}-{code}", AgencyKind.DEPARTMENT, province.id,
                short_name=code, **extra,
            )
        for code in list(departments)[:4]:
            department = departments[code]
            for n, unit in enumerate(UNITS[: 2 + (code == "SNV")], 1):
                department.units.append(self.agency(
                    places, f"{unit} - {department.name}", f"{prefix}-{code}-P{n}",
                    AgencyKind.INTERNAL_UNIT, department.id,
                ))
        for template, kind in itertools.chain(
            ((t, AgencyKind.PRESS) for t in PRESS),
            ((t, AgencyKind.MASS_ORGANISATION) for t in MASS),
            ((t, AgencyKind.CENTRAL) for t in CENTRAL),
            ((t, AgencyKind.PUBLIC_SERVICE) for t in SERVICES),
        ):
            count = len(places.get(kind, ()))
            self.agency(places, template.format(p=name), f"{prefix}-{kind[:3].upper()}{count + 1}",
                        kind, province.id)
        used = sum(len(v) for v in places.values())
        districts = 8
        communes = max(10, self.agencies - used - districts)
        names = [f"{a} {b}" for a, b in itertools.product(COMMUNE_NAMES, COMMUNE_SUFFIX)]
        self.rng.shuffle(names)
        commune_places = [
            self.agency(places, f"Ủy ban nhân dân xã {names[n % len(names)]}"
                        + (f" {n // len(names) + 1}" if n >= len(names) else ""),
                        f"{prefix}-X{n + 1:03d}", AgencyKind.COMMUNE, province.id)
            for n in range(communes)
        ]
        for n in range(districts):
            self.agency(places, f"Ủy ban nhân dân huyện {COMMUNE_NAMES[n]} {COMMUNE_SUFFIX[n]}",
                        f"{prefix}-H{n + 1:02d}", AgencyKind.DISTRICT, province.id,
                        dissolved_on=DISTRICT_DISSOLUTION,
                        successor_id=commune_places[n * 7 % communes].id)
        return places

    def users_of(self, prefix, places):
        table = self.sink[User]
        login = prefix.lower()

        def user(username, place, role, title=""):
            pk = table.add(
                username=username, password=self.password, first_name="", last_name=username,
                email=f"{username}@example.gov.vn", is_staff=role == Role.ADMIN, is_active=True,
                is_superuser=role == Role.ADMIN, date_joined=self.now, agency_id=place.id,
                role=role, job_title=title,
            )
            place.officers.append(pk)
            return pk

        province = places[AgencyKind.PROVINCE][0]
        home_affairs = places[AgencyKind.DEPARTMENT][0]
        self.coordinators = [
            user(f"{login}_coordinator{n}", home_affairs, Role.COORDINATOR, "Chuyên viên")
            for n in range(1, 4)
        ]
        home_affairs.officers.clear()  # coordinators do not post the department's progress
        for n in range(1, 3):
            user(f"{login}_leader{n}", province, Role.LEADERSHIP, "Phó Chủ tịch")
        province.officers.clear()
        user(f"{login}_admin", home_affairs, Role.ADMIN, "Quản trị hệ thống")
        home_affairs.officers.clear()
        for kind, kind_places in places.items():
            for place in kind_places:
                code = f"{kind[:3]}{place.id}"
                for n in range(1, 3 if kind == AgencyKind.DEPARTMENT else 2):
                    user(f"{login}_{code}_{n}", place, Role.AGENCY_OFFICER, "Chuyên viên")

    def groups_of(self, prefix, name, places):
        table = self.sink[AgencyGroup]
        members = self.sink[AgencyGroup.members.through]
        province = places[AgencyKind.PROVINCE][0]
        slug = prefix.lower()
        groups = []
        for code, title, kind in (
            ("bao-chi", f"Các cơ quan báo chí tỉnh {name}", AgencyKind.PRESS),
            ("doan-the", "Ủy ban MTTQ Việt Nam tỉnh và các tổ chức chính trị - xã hội",
             AgencyKind.MASS_ORGANISATION),
        ):
            pk = table.add(name=title, code=f"{slug}-{code}", province_id=province.id, kind="")
            for place in places[kind]:
                members.add(agencygroup_id=pk, agency_id=place.id)
            groups.append((pk, title, places[kind]))
        table.add(name="Ủy ban nhân dân các xã, phường", code=f"{slug}-ubnd-xa",
                  province_id=province.id, kind=AgencyKind.COMMUNE, scope_id=province.id,
                  aliases="UBND các xã, phường\nUBND cấp xã")
        return groups

    # -----------------------------------------------------------------------------------------
    # One year of one province

    def year_of(self, prefix, name, places, groups, year, tasks):
        rng = self.rng
        province = places[AgencyKind.PROVINCE][0]
        coordinator = places[AgencyKind.DEPARTMENT][0]
        addressed = [
            p for kind, kind_places in places.items()
            if kind not in (AgencyKind.PROVINCE, AgencyKind.INTERNAL_UNIT)
            for p in kind_places if p.exists_in(year)
        ]
        departments = [p for p in places[AgencyKind.DEPARTMENT] if p.exists_in(year)]
        # Busy agencies: the first departments lead far more tasks than the rest.
        weights = [1 / (n + 1) for n in range(len(departments))]
        closed = year <= self.today.year - 2
        status = PlanStatus.CLOSED if closed else PlanStatus.ISSUED
        deadline = datetime.date(year, 2, 28)
        first = rng.randint(*PROVINCE_PLAN_TASKS)
        sizes = [min(first, tasks)]
        authors = rng.sample(addressed, len(addressed))
        while sum(sizes) < tasks and len(sizes) <= len(authors):
            sizes.append(min(rng.randint(*AGENCY_PLAN_TASKS), tasks - sum(sizes)))
        for n in range(tasks - sum(sizes)):  # more tasks than plans hold: spread them out
            sizes[n % len(sizes)] += 1
        number = rng.randint(100, 400)
        plan_id = self.plan(
            issuer=province, title=f"Kế hoạch thông tin, tuyên truyền cải cách hành chính năm "
            f"{year} của tỉnh {name}", number=f"{number}/KH-UBND", year=year, status=status,
            issued_on=datetime.date(year, 1, rng.randint(5, 25)), parent=None,
            submission_deadline=deadline, coordinator=coordinator,
        )
        through = self.sink[Plan.addressed_agencies.through]
        for place in addressed:
            through.add(plan_id=plan_id, agency_id=place.id)

        def pick_lead():
            return rng.choices(departments, weights)[0]

        self.tasks_of(plan_id, year, sizes[0], addressed, pick_lead, groups)
        for author, size in zip(authors, sizes[1:], strict=False):
            plan_status = status
            if year == self.today.year and rng.random() < 0.05:
                plan_status = PlanStatus.DRAFT
            submitted = None
            if plan_status != PlanStatus.DRAFT and rng.random() < 0.92:
                submitted = _aware(deadline + datetime.timedelta(days=rng.randint(-25, 12)), rng)
            own = self.plan(
                issuer=author, title=f"Kế hoạch tuyên truyền cải cách hành chính năm {year} "
                f"của {author.name}", number=f"{rng.randint(1, 300)}/KH-{author.code}",
                year=year, status=plan_status, parent=plan_id, coordinator=coordinator,
                issued_on=datetime.date(year, 2, rng.randint(1, 28)), submitted_at=submitted,
            )
            leads = author.units or [author]
            self.tasks_of(own, year, size, addressed, lambda leads=leads: rng.choice(leads), ())
        self.reports_of(plan_id, year, addressed, coordinator)

    def plan(self, *, issuer, title, number, year, status, issued_on, parent, coordinator,
             submission_deadline=None, submitted_at=None):
        table = self.sink[Plan]
        is_province = parent is None
        pk = table.add(
            issuer_id=issuer.id, title=title, document_number=number, issued_on=issued_on,
            place="", period_start_year=year, period_end_year=year, status=status,
            parent_id=parent, objectives=OBJECTIVES, requirements=REQUIREMENTS,
            reporting_periods=REPORT_PERIODS if is_province else [],
            submission_deadline=submission_deadline,
            submission_deadline_text=f"trong tháng 02/{year}" if is_province else "",
            submitted_at=submitted_at, signer_authority="TM. ỦY BAN NHÂN DÂN" if is_province
            else "", signer_title="CHỦ TỊCH" if is_province else "GIÁM ĐỐC",
            created_by_id=self.coordinators[0],
            updated_at=self.now, version=1, province_id=self.province_id,
            search_text=self.fold(f"{title} {number}  {issuer.name}"),
        )
        nodes = self.sink[OutlineNode]
        for spec in self.outline(is_province):
            nodes.add(plan_id=pk, **spec)
        return pk

    def outline(self, is_province):
        specs = self.outline_cache.get(is_province)
        if specs is None:
            sample = Plan(title="", objectives=OBJECTIVES, requirements=REQUIREMENTS,
                          reporting_periods=REPORT_PERIODS if is_province else [],
                          period_start_year=self.today.year, period_end_year=self.today.year)
            names = {f.name: f.attname for f in OutlineNode._meta.concrete_fields}
            names.update({f.attname: f.attname for f in OutlineNode._meta.concrete_fields})
            specs = self.outline_cache[is_province] = [
                {names[key]: value for key, value in spec.items()}
                for spec in outline_from_fields(
                    sample, legal_bases=[], targets=False, content_areas=[], channels=[],
                    duties=[], has_tasks=True,
                )
            ]
        return specs

    # -----------------------------------------------------------------------------------------
    # Tasks, assignments and progress

    def outcome(self, year, due, role):
        """An assignment's (status, percent) by how far its year has gone."""
        rng = self.rng
        if year < self.today.year:
            elapsed = 1.0
        else:
            elapsed = (self.today - datetime.date(year, 1, 1)).days / 365
        if due and due < self.today:
            elapsed = min(1.0, elapsed + 0.3)
        draw = rng.random()
        if role == AssignmentRole.COORDINATOR:
            draw = draw * 0.6 + 0.4 if rng.random() < 0.4 else draw
        done = 0.8 * elapsed
        if draw < 0.01:
            return Status.CANCELLED, 0
        if draw < done:
            return Status.DONE, 100
        if draw < done + 0.6 * elapsed + 0.05:
            return Status.IN_PROGRESS, rng.randrange(10, 95, 5)
        return Status.NOT_STARTED, 0

    def tasks_of(self, plan_id, year, count, agencies, pick_lead, groups):
        rng = self.rng
        tasks = self.sink[Task]
        assignments = self.sink[Assignment]
        checkpoints = self.sink[Checkpoint]
        lead_groups = self.sink[Task.lead_groups.through]
        for number in range(1, count + 1):
            title = rng.choice(ACTIONS).format(t=rng.choice(TOPICS)) + f" năm {year}"
            forms = "\n".join(rng.sample(FORMS, rng.randint(1, 3)))
            timeline = rng.choice(TIMELINES).format(y=year)
            schedule = self.schedule(timeline, year)
            task_id = tasks.new_id()
            group = group_name = None
            if groups and rng.random() < 0.08:
                group, group_name, members = rng.choice(groups)
                leads = [m for m in members if m.exists_in(year)]
                lead_groups.add(task_id=task_id, agencygroup_id=group)
            else:
                leads = [pick_lead()]
            others = [a for a in rng.sample(agencies, min(len(agencies), 3)) if a not in leads]
            coordinators = others[: rng.randint(1, 2)]
            states = []
            taken = set()
            for role, places in ((AssignmentRole.LEAD, leads),
                                 (AssignmentRole.COORDINATOR, coordinators)):
                for place in places:
                    status, percent = self.outcome(year, schedule.due_date, role)
                    agency, transferred = place, None
                    if (
                        place.dissolved_on and place.dissolved_on.year == year
                        and status not in (Status.DONE, Status.CANCELLED)
                    ):
                        agency, transferred = self.place_by_id[place.successor], place
                    if (agency.id, role) in taken:
                        continue
                    taken.add((agency.id, role))
                    assignment_id = assignments.new_id()
                    last = self.updates(assignment_id, year, status, percent, agency)
                    assignments.add(
                        id=assignment_id, task_id=task_id, plan_id=plan_id,
                        agency_id=agency.id, role=role,
                        via_group_id=group if role == AssignmentRole.LEAD else None,
                        transferred_from_id=transferred.id if transferred else None,
                        status=status, percent=percent, last_update_at=last,
                        province_id=self.province_id,
                    )
                    states.append((role, status, percent))
            task_status, task_percent = roll_up(states)
            tasks.add(
                id=task_id, plan_id=plan_id, number=number, title=title, forms=forms,
                lead_text=group_name if group else leads[0].name,
                coordinators_text="; ".join(p.name for p in coordinators),
                timeline_text=timeline, schedule_kind=schedule.kind.value,
                due_date=schedule.due_date, recurrence=schedule.recurrence,
                status=task_status, percent=task_percent,
                search_text=f"{self.fold(title)} {self.fold(forms)}",
                province_id=self.province_id,
            )
            for day in schedule.checkpoints:
                checkpoints.add(task_id=task_id, due_date=day)

    def updates(self, assignment_id, year, status, percent, agency):
        """The progress updates of one assignment; the time of the last one, or None."""
        if status == Status.NOT_STARTED or not agency.officers:
            return None
        rng = self.rng
        count = rng.choice((1, 1, 1, 2, 2, 3)) if status != Status.CANCELLED else 1
        end = min(self.today, datetime.date(year, 12, 31))
        start = datetime.date(year, 1, 15)
        span = max(1, (end - start).days)
        days = sorted(rng.randrange(span) for _ in range(count))
        table = self.sink[ProgressUpdate]
        created = None
        for n, day in enumerate(days, 1):
            final = n == count
            step_status = status if final else Status.IN_PROGRESS
            step_percent = percent if final else max(5, percent * n // (count + 1) // 5 * 5)
            moment = _aware(start + datetime.timedelta(days=day), rng)
            # Two updates the same day: the later one is the last (it gives the state).
            created = max(moment, created + datetime.timedelta(minutes=1)) if created else moment
            author, narrative = rng.choice(agency.officers), rng.choice(NARRATIVES)
            with_figure = bool(final and self.measures and rng.random() < 0.2)
            update_id = table.add(
                assignment_id=assignment_id, author_id=author, created_at=created,
                status=step_status, percent=step_percent, narrative=narrative,
                province_id=self.province_id, has_figures=with_figure,
            )
            if with_figure:
                self.sink[UpdateFigure].add(
                    update_id=update_id, measure_id=rng.choice(self.measures),
                    value=rng.randint(1, 40),
                )
        return created

    # -----------------------------------------------------------------------------------------
    # Periodic reports on the province's plan

    def reports_of(self, plan_id, year, agencies, coordinator):
        rng = self.rng
        reports = self.sink[AgencyReport]
        figures = self.sink[AgencyReportFigure]
        reviewer = self.coordinators[0]
        for code in REPORT_PERIODS:
            period = make_period(year, code)
            if period.end > self.today:
                continue
            for place in agencies:
                if not place.officers or not place.exists_in(year):
                    continue
                if place.dissolved_on and place.dissolved_on <= period.end:
                    continue
                draw = rng.random()
                if draw < 0.08:
                    continue  # never started: a gap in the matrix
                author = rng.choice(place.officers)
                created = _aware(period.due - datetime.timedelta(days=rng.randint(5, 20)), rng)
                values = {"status": ReportStatus.DRAFT, "submitted_at": None}
                if draw >= 0.13:
                    submitted = _aware(period.due + datetime.timedelta(
                        days=rng.randint(-10, 3 if draw < 0.9 else 25)), rng)
                    values = {"status": ReportStatus.SUBMITTED, "submitted_at": submitted,
                              "submitted_by_id": author}
                    if draw >= 0.25 and submitted < self.now:
                        values.update(status=ReportStatus.ACCEPTED, reviewed_by_id=reviewer,
                                      reviewed_at=submitted + datetime.timedelta(days=3))
                    elif draw >= 0.2:
                        values.update(status=ReportStatus.RETURNED, reviewed_by_id=reviewer,
                                      reviewed_at=submitted + datetime.timedelta(days=2),
                                      return_comment="Đề nghị bổ sung số liệu.")
                report_id = reports.add(
                    plan_id=plan_id, agency_id=place.id, year=year, period_code=code,
                    results="Đã triển khai các nhiệm vụ tuyên truyền theo kế hoạch.",
                    created_by_id=author, created_at=created, updated_at=created,
                    version=2 if values["status"] != ReportStatus.DRAFT else 1,
                    province_id=self.province_id, **values,
                )
                for measure in rng.sample(self.measures, min(2, len(self.measures))):
                    figures.add(report_id=report_id, measure_id=measure,
                                value=rng.randint(1, 60))


def generate(**options):
    return Generator(**options).run()
