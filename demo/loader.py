"""Demo data: the seed plans with their agencies, demo logins and a year of progress.

Everything is read from ``fixtures/demo/*.json`` and written through the ORM and the task
services, keyed on natural keys (agency code, group code, plan issuer and title, task plan
and number), so loading twice changes nothing. Rows are saved only when a value differs,
which keeps the history tables free of no-op versions.
"""

import datetime
import json
import random
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from agencies.models import Agency, AgencyGroup, Role, User
from plans.models import (
    AgencyDuty,
    Audience,
    Channel,
    ContentArea,
    LegalBasis,
    Measure,
    Plan,
    PlanChannel,
    PlanStatus,
    Target,
)
from tasks.models import AssignmentRole, ProgressUpdate, Status, Task
from tasks.services import post_update, schedule_task, set_task_agencies
from tasks.timeline import resolve_timeline

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "demo"
PLAN_FILES = ["khanh_hoa_2022.json", "ninh_thuan_2024.json", "khanh_hoa_ict_2021_2030.json"]
DEMO_PASSWORD = "demo12345"
LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")


# username, role, agency code, full name, job title, staff, superuser
DEMO_USERS = [
    ("dieuphoi", Role.COORDINATOR, "SNV", "Trần Thị Thu Hà",
     "Chuyên viên Phòng Cải cách hành chính", True, False),
    ("donvi", Role.AGENCY_OFFICER, "STP", "Lê Văn Minh", "Chuyên viên Văn phòng Sở", False, False),
    ("huyen", Role.AGENCY_OFFICER, "UBND-NHATRANG", "Phạm Thị Lan",
     "Chuyên viên Phòng Nội vụ", False, False),
    ("lanhdao", Role.LEADERSHIP, "UBND-KH", "Nguyễn Văn Hùng", "Phó Chủ tịch UBND tỉnh",
     False, False),
    ("quantri", Role.ADMIN, "SNV", "Võ Quốc Bảo", "Quản trị hệ thống", True, True),
]

# The agencies' own 2022 plans sent to the Sở Nội vụ (deadline: end of February 2022).
# issuer, title, number, issued on, submitted at (local time), place
AGENCY_PLANS = [
    ("STP", "Tuyên truyền cải cách hành chính năm 2022 của Sở Tư pháp", "25/KH-STP",
     "2022-02-14", "2022-02-16 09:20", "Khánh Hòa"),
    ("UBND-NHATRANG", "Tuyên truyền cải cách hành chính thành phố Nha Trang năm 2022",
     "112/KH-UBND", "2022-02-21", "2022-02-24 15:05", "Nha Trang"),
    ("SKHCN", "Tuyên truyền cải cách hành chính năm 2022 của Sở Khoa học và Công nghệ",
     "31/KH-SKHCN", "2022-03-04", "2022-03-09 10:40", "Khánh Hòa"),
    ("UBND-CAMLAM", "Tuyên truyền cải cách hành chính huyện Cam Lâm năm 2022", "58/KH-UBND",
     "2022-03-15", "2022-03-18 14:10", "Cam Lâm"),
]

IN, DONE = Status.IN_PROGRESS, Status.DONE
PORTAL = "https://cchc.khanhhoa.gov.vn/"

# Progress of the Khánh Hòa 2022 tasks, by (task number, agency code): dated steps of
# (date, status, percent, what was done, figures by measure code, evidence links).
# Figures are what the step itself achieved, not running totals.
STEPS = {
    (1, "SNV"): [
        ("2022-02-18", IN, 50, "Đã tham mưu UBND tỉnh ban hành kế hoạch tổ chức Hội nghị tổng kết "
         "công tác cải cách hành chính năm 2021, triển khai nhiệm vụ năm 2022.", {}, []),
        ("2022-03-22", DONE, 100, "Đã tổ chức Hội nghị tổng kết công tác cải cách hành chính năm "
         "2021, quán triệt Chương trình CCHC tỉnh giai đoạn 2021-2030 và Kế hoạch CCHC năm 2022; "
         "UBND tỉnh đã ban hành Thông báo kết luận.",
         {"conferences": 1, "conference-participants": 320, "portal-news": 2}, [PORTAL]),
    ],
    (2, "STP"): [
        ("2022-03-10", IN, 30, "Đã ban hành kế hoạch lồng ghép tuyên truyền CCHC trong công tác "
         "phổ biến, giáo dục pháp luật năm 2022.", {"portal-documents": 1}, []),
        ("2022-07-12", IN, 60, "Đã tổ chức hội nghị triển khai; đăng tải tin, bài về cải cách thể "
         "chế trên Trang phổ biến giáo dục pháp luật tỉnh.",
         {"conferences": 1, "conference-participants": 180, "portal-news": 12}, []),
        ("2022-11-25", IN, 85, "Tiếp tục lồng ghép nội dung CCHC trong các hội nghị phổ biến pháp "
         "luật tại các sở, ngành, địa phương.",
         {"conferences": 2, "conference-participants": 240, "portal-news": 9, "social-posts": 15},
         []),
    ],
    (3, "SKHĐT"): [
        ("2022-04-20", IN, 40, "Đã phối hợp Văn phòng UBND tỉnh, VCCI tổ chức Hội nghị đối thoại "
         "doanh nghiệp, nhà đầu tư quý I/2022.",
         {"conferences": 1, "conference-participants": 210}, []),
        ("2022-09-15", IN, 75, "Tổ chức Hội nghị đối thoại với doanh nghiệp lĩnh vực đầu tư, đất "
         "đai; tổng hợp, chuyển các sở, ngành giải quyết kiến nghị.",
         {"conferences": 1, "conference-participants": 180}, []),
        ("2022-12-12", DONE, 100, "Đã hoàn thành các hội nghị đối thoại năm 2022; kết quả giải "
         "quyết kiến nghị được công khai trên Cổng thông tin điện tử tỉnh.",
         {"conferences": 1, "conference-participants": 250, "portal-news": 4}, []),
    ],
    (3, "CT-KH"): [
        ("2022-06-28", IN, 50, "Cục Thuế tổ chức đối thoại với doanh nghiệp về thủ tục hành chính "
         "thuế, hóa đơn điện tử.", {"conferences": 2, "conference-participants": 340}, []),
        ("2022-11-18", DONE, 100, "Hoàn thành các buổi đối thoại theo kế hoạch của ngành.",
         {"conferences": 1, "conference-participants": 150}, []),
    ],
    (4, "SKHĐT"): [
        ("2022-05-16", IN, 45, "Đã tổ chức hội nghị phổ biến Chương trình hành động nâng cao Chỉ "
         "số PCI giai đoạn 2021-2025.", {"conferences": 1, "conference-participants": 160,
                                          "portal-news": 3}, []),
        ("2022-11-30", DONE, 100, "Đã phổ biến Chương trình Xúc tiến đầu tư tỉnh năm 2022; đăng "
         "tải tin, bài trên website của Sở.", {"portal-news": 8, "leaflets": 1500}, []),
    ],
    (5, "SKHCN"): [
        ("2022-05-10", IN, 30, "Đã xây dựng chuyên mục khởi nghiệp đổi mới sáng tạo trên website "
         "của Sở.", {"portal-news": 6}, []),
        ("2022-10-21", IN, 60, "Tổ chức hội thảo phổ biến Chương trình phát triển tài sản trí tuệ; "
         "đang hoàn thiện bộ tài liệu tuyên truyền.",
         {"conferences": 1, "conference-participants": 120, "portal-news": 5}, []),
    ],
    (6, "SNV"): [
        ("2022-03-30", IN, 25, "Đã phối hợp Đài xây dựng format mới của chuyên mục; phát sóng số "
         "đầu tiên quý I.", {"radio-tv-programmes": 3, "radio-tv-pieces": 6}, []),
        ("2022-06-29", IN, 50, "Phát sóng chuyên mục quý II, mời lãnh đạo Sở Tư pháp trả lời trực "
         "tiếp khán giả.", {"radio-tv-programmes": 3, "radio-tv-pieces": 5}, []),
        ("2022-09-29", IN, 75, "Phát sóng chuyên mục quý III về dịch vụ công trực tuyến.",
         {"radio-tv-programmes": 3, "radio-tv-pieces": 4}, []),
        ("2022-12-22", DONE, 100, "Hoàn thành chuyên mục quý IV; tổng kết chương trình tương tác "
         "trực tiếp năm 2022.", {"radio-tv-programmes": 3, "radio-tv-pieces": 6}, [PORTAL]),
    ],
    (6, "PTTH-KH"): [
        ("2022-06-30", IN, 50, "Sản xuất, phát sóng chuyên mục CCHC quý I, II.",
         {"radio-tv-pieces": 14, "social-videos": 4}, []),
        ("2022-12-23", DONE, 100, "Sản xuất, phát sóng chuyên mục CCHC quý III, IV; đăng lại trên "
         "kênh YouTube của Đài.", {"radio-tv-pieces": 12, "social-videos": 6}, []),
    ],
    (7, "BHXH-KH"): [
        ("2022-03-25", IN, 25, "Tổ chức hội nghị tuyên truyền chính sách BHXH tự nguyện, BHYT hộ "
         "gia đình.", {"conferences": 6, "conference-participants": 900, "leaflets": 5000}, []),
        ("2022-06-24", IN, 50, "Phát hành tờ gấp, đồ họa về chính sách bảo hiểm; đăng tin trên "
         "website BHXH Việt Nam.", {"leaflets": 8000, "portal-news": 14, "social-posts": 30}, []),
        ("2022-09-23", IN, 75, "Phối hợp Bưu điện tỉnh tổ chức hội nghị khách hàng tại các xã.",
         {"conferences": 9, "conference-participants": 1200}, []),
        ("2022-12-16", IN, 95, "Tiếp tục tuyên truyền qua hệ thống truyền thanh cơ sở và mạng xã "
         "hội.", {"loudspeaker-broadcasts": 160, "social-posts": 25}, []),
    ],
    (7, "SYT"): [
        ("2022-08-12", IN, 60, "Lồng ghép tuyên truyền BHYT trong các cơ sở khám chữa bệnh; niêm "
         "yết tại Bộ phận một cửa.", {"posters": 120, "screen-items": 4}, []),
    ],
    (7, "UBND-NHATRANG"): [
        ("2022-10-05", IN, 70, "Phát trên hệ thống truyền thanh phường, xã về BHXH tự nguyện, "
         "BHYT.", {"loudspeaker-broadcasts": 96}, []),
    ],
    (8, "SNV"): [
        ("2022-04-15", IN, 30, "Đã đăng tải thông báo tuyển dụng công chức, viên chức năm 2022 "
         "trên Cổng thông tin điện tử tỉnh và website Sở Nội vụ.", {"portal-news": 6}, []),
        ("2022-09-09", IN, 70, "Thông tin kết quả sắp xếp tổ chức bộ máy; tổ chức hội nghị triển "
         "khai kỳ thi tuyển.", {"portal-news": 5, "conferences": 1,
                                "conference-participants": 140}, []),
    ],
    (9, "STTTT"): [
        ("2022-04-08", IN, 35, "Ban hành văn bản hướng dẫn các cơ quan báo chí tuyên truyền về "
         "Chính quyền điện tử, Đề án Khu dân cư điện tử.", {"portal-documents": 2}, []),
        ("2022-08-19", IN, 70, "Tổ chức hội thảo chuyển đổi số; sản xuất video giới thiệu "
         "Trung tâm Dịch vụ hành chính công trực tuyến.",
         {"conferences": 1, "conference-participants": 200, "social-videos": 3}, []),
        ("2022-12-08", DONE, 100, "Hoàn thành truyền thông năm 2022 về Chính quyền điện tử và khu "
         "dân cư điện tử.", {"portal-news": 20, "social-posts": 40}, []),
    ],
    (9, "BKH"): [
        ("2022-12-05", DONE, 100, "Báo Khánh Hòa đăng chuyên trang Chính quyền điện tử.",
         {"press-articles": 24, "press-columns": 6}, []),
    ],
    (10, "SNV"): [
        ("2022-06-10", IN, 40, "Đã ban hành văn bản triển khai khảo sát sự hài lòng năm 2022.",
         {"portal-documents": 1}, []),
        ("2022-10-28", DONE, 100, "Hoàn thành khảo sát; công bố kết quả trên Cổng thông tin CCHC "
         "tỉnh.", {"surveys": 1, "survey-forms": 3600, "portal-news": 3}, [PORTAL]),
    ],
    (10, "STTTT"): [
        ("2022-07-15", DONE, 100, "Đăng tải thông tin về đợt khảo sát trên Cổng thông tin điện tử "
         "tỉnh và các trang mạng xã hội.", {"portal-news": 4, "social-posts": 6}, []),
    ],
    (11, "SNV"): [
        ("2022-04-29", IN, 40, "Ban hành kế hoạch tập huấn nghiệp vụ CCHC năm 2022.",
         {"portal-documents": 1}, []),
        ("2022-06-24", DONE, 100, "Đã tổ chức 03 lớp tập huấn nghiệp vụ CCHC cho công chức, viên "
         "chức tham mưu công tác CCHC.", {"training-sessions": 3, "trainees": 420}, [PORTAL]),
    ],
    (14, "SNV"): [
        ("2022-05-20", IN, 40, "Phối hợp lấy ý kiến, trả lời phiếu khảo sát Chỉ số CCHC năm 2021.",
         {"survey-forms": 450}, []),
        ("2022-12-15", DONE, 100, "Hoàn thành tham gia giám sát, khảo sát theo đề nghị của cơ quan "
         "có thẩm quyền.", {"surveys": 2, "survey-forms": 380}, []),
    ],
    (16, "SNV"): [
        ("2022-05-27", IN, 30, "Đã xây dựng đề cương Đề án, tổ chức hội thảo chuyên gia.",
         {"conferences": 1, "conference-participants": 60}, []),
        ("2022-11-10", IN, 70, "Đã hoàn thiện dự thảo Đề án, đang lấy ý kiến các sở, ngành; chưa "
         "trình phê duyệt.", {}, []),
    ],
}

# Tasks whose many leads come from a group: each agency's outcome is drawn at random with
# these weights (done, in progress, not started), the figures from these measures.
GROUP_TASKS = {
    12: ((3, 5, 2), {"training-sessions": (1, 4), "trainees": (30, 160)},
         ["Đã xây dựng kế hoạch đào tạo, bồi dưỡng chuyên ngành năm 2022.",
          "Đã tổ chức lớp bồi dưỡng nghiệp vụ giải quyết thủ tục hành chính chuyên ngành."],
         "Đã hoàn thành các lớp đào tạo, bồi dưỡng theo kế hoạch."),
    13: ((4, 4, 1), {"training-sessions": (2, 8), "trainees": (80, 400), "leaflets": (300, 2000)},
         ["Đã ban hành kế hoạch hướng dẫn người dân nộp hồ sơ trực tuyến; lựa chọn địa bàn, đối "
          "tượng thực hiện.",
          "Đã tổ chức các buổi hướng dẫn thực nghiệm tại chỗ tại Bộ phận một cửa cấp xã, có sự hỗ "
          "trợ của Sở Thông tin và Truyền thông."],
         "Đã hoàn thành các buổi giới thiệu, hướng dẫn nộp hồ sơ trực tuyến trên Cổng Dịch vụ công "
         "Quốc gia và Trung tâm Dịch vụ hành chính công trực tuyến tỉnh."),
    15: ((1, 8, 1), {"oral-sessions": (2, 12), "oral-listeners": (40, 600),
                     "loudspeaker-broadcasts": (10, 80)},
         ["Duy trì tiếp công dân định kỳ; tiếp nhận, giải quyết kiến nghị của người dân.",
          "Tổ chức tiếp xúc cử tri, đối thoại với người dân về giải quyết thủ tục hành chính."],
         "Đã giải quyết dứt điểm các kiến nghị tiếp nhận trong năm."),
}
# Fixed outcomes where the demo needs them (the logins' own agencies, the island district).
GROUP_OUTCOMES = {
    (13, "UBND-NHATRANG"): DONE,
    (13, "UBND-CAMRANH"): DONE,
    (13, "UBND-CAMLAM"): IN,
    (13, "UBND-TRUONGSA"): Status.NOT_STARTED,
    (12, "STP"): IN,
}


def read_fixture(name):
    with open(FIXTURES / name, encoding="utf-8") as handle:
        return json.load(handle)


def upsert(model, lookup, values):
    """``update_or_create`` that saves only when a value differs; returns (obj, created)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.save()
        return obj, True
    changed = [field for field, value in values.items() if getattr(obj, field) != value]
    if changed:
        for field in changed:
            setattr(obj, field, values[field])
        obj.save()
    return obj, False


def set_m2m(manager, objects):
    """Set a many-to-many relation only when it differs (no empty history versions)."""
    wanted = {obj.pk for obj in objects}
    if set(manager.values_list("pk", flat=True)) != wanted:
        manager.set(wanted)


def local_datetime(text):
    return datetime.datetime.fromisoformat(text).replace(tzinfo=LOCAL)


def parse_date(text):
    return datetime.date.fromisoformat(text) if text else None


class Catalogue:
    """What the loader looked up, by natural key."""

    def __init__(self):
        self.agencies = {}
        self.groups = {}
        self.audiences = {}
        self.channels = {}
        self.measures = {}
        self.by_pk = {}
        self.children = {}

    def province_of(self, agency):
        while agency.parent_id:
            agency = self.by_pk[agency.parent_id]
        return agency

    def within(self, root, agencies):
        """The given agencies that sit under ``root``, in the fixture's order."""
        inside = set()
        stack = [root.pk]
        while stack:
            pk = stack.pop()
            inside.add(pk)
            stack.extend(self.children.get(pk, ()))
        wanted = {agency.pk for agency in agencies}
        return [a for a in self.agencies.values() if a.pk in wanted and a.pk in inside]

    def group_members(self, root, codes):
        members = []
        for code in codes:
            members.extend(self.within(root, self.groups[code].member_agencies()))
        return members

    def of_kinds(self, root, kinds):
        return self.within(root, Agency.objects.active().filter(kind__in=kinds))

    def index(self):
        self.by_pk = {a.pk: a for a in self.agencies.values()}
        self.children = {}
        for agency in self.agencies.values():
            if agency.parent_id:
                self.children.setdefault(agency.parent_id, []).append(agency.pk)


def load_catalogues(cat, data):
    for row in data["audiences"]:
        cat.audiences[row["code"]], _ = upsert(
            Audience, {"code": row["code"]}, {"name": row["name"], "position": row["position"]}
        )
    for row in data["channels"]:
        channel, _ = upsert(
            Channel,
            {"code": row["code"]},
            {"name": row["name"], "is_online": row["is_online"], "position": row["position"]},
        )
        cat.channels[row["code"]] = channel
        for measure in row["measures"]:
            cat.measures[measure["code"]], _ = upsert(
                Measure,
                {"code": measure["code"]},
                {"name": measure["name"], "unit": measure["unit"], "channel_id": channel.pk,
                 "position": measure["position"]},
            )


def load_agencies(cat, data):
    for row in data["agencies"]:
        parent = cat.agencies[row["parent"]] if row["parent"] else None
        cat.agencies[row["code"]], _ = upsert(
            Agency,
            {"code": row["code"]},
            {"name": row["name"], "short_name": row["short_name"], "kind": row["kind"],
             "parent_id": parent.pk if parent else None, "email": row["email"]},
        )
    cat.index()


def load_groups(cat, data):
    for row in data["agency_groups"]:
        group, _ = upsert(
            AgencyGroup,
            {"code": row["code"]},
            {
                "name": row["name"],
                "kind": row["kind"],
                "scope": cat.agencies[row["scope"]] if row.get("scope") else None,
                "aliases": "\n".join(row["aliases"]),
            },
        )
        set_m2m(group.members, [cat.agencies[code] for code in row["members"]])
        cat.groups[row["code"]] = group


def joined(lines):
    return "\n".join(lines)


def sync_parts(model, plan, rows, m2m=None):
    """Make the plan's ordered parts of one kind match ``rows`` (position = order)."""
    for position, values in enumerate(rows, start=1):
        values = dict(values)
        related = values.pop("_m2m", None)
        part, _ = upsert(model, {"plan": plan, "position": position}, values)
        if m2m and related is not None:
            set_m2m(getattr(part, m2m), related)
    model.objects.filter(plan=plan, position__gt=len(rows)).delete()


def load_plan(cat, data):
    issuer = cat.agencies[data["issuer"]]
    province = cat.province_of(issuer)
    decision = data.get("decision") or {}
    reporting = data["reporting"]
    submission = data.get("submission") or {}
    plan, _ = upsert(
        Plan,
        {"issuer": issuer, "title": data["title"]},
        {
            "document_number": data["document_number"],
            "decision_number": decision.get("number", ""),
            "decision_date": parse_date(decision.get("date")),
            "decision_title": decision.get("title", ""),
            "decision_text": joined(decision.get("articles", [])),
            "issued_on": parse_date(data["issued_on"]),
            "place": data["place"],
            "period_start_year": data["period"][0],
            "period_end_year": data["period"][1],
            "status": data["status"],
            "preamble": joined(data["preamble"]),
            "objectives": joined(data["objectives"]),
            "requirements": joined(data["requirements"]),
            "implementation": joined(data["implementation"]),
            "budget_text": joined(data["budget"]["text"]),
            "budget_amount": data["budget"]["amount"],
            "reporting_regime": joined(reporting["regime"]),
            "reporting_periods": reporting["periods"],
            "report_due_day": reporting["due_day"],
            "report_recipient": reporting["recipient"],
            "submission_deadline": parse_date(submission.get("deadline")),
            "submission_deadline_text": submission.get("deadline_text", ""),
            "signer_authority": data["signature"]["authority"],
            "signer_title": data["signature"]["title"],
            "signer_name": data["signature"]["name"],
            "recipients": joined(data["recipients"]),
            "audience_text": data.get("audience_text", ""),
            "channels_intro": data.get("channels_intro", ""),
            "key_activities": data.get("key_activities", ""),
            "appendix_title": data.get("appendix_title", ""),
            "issued_on_text": data.get("issued_on_text", ""),
            "electronic_signature": data.get("electronic_signature", ""),
        },
    )
    set_m2m(plan.audiences, [cat.audiences[code] for code in data["audiences"]])
    addressed = [cat.agencies[code] for code in submission.get("addressed", [])]
    addressed += cat.group_members(province, submission.get("addressed_groups", []))
    set_m2m(plan.addressed_agencies, addressed)

    sync_parts(LegalBasis, plan, [{"text": text} for text in data["legal_bases"]])
    sync_parts(Target, plan, [
        {"indicator": t["indicator"], "description": t["description"], "unit": t["unit"],
         "target_value": Decimal(t["target_value"]),
         "baseline": Decimal(t["baseline"]) if t["baseline"] is not None else None,
         "baseline_label": t["baseline_label"]}
        for t in data["targets"]
    ])
    sync_parts(ContentArea, plan, [
        {"heading": a["heading"],
         "audience_id": cat.audiences[a["audience"]].pk if a["audience"] else None,
         "pillar": a["pillar"], "body": joined(a["body"])}
        for a in data["content_areas"]
    ])
    sync_parts(PlanChannel, plan, [
        {"channel_id": cat.channels[c["channel"]].pk, "label": c["label"],
         "heading": c["heading"], "body": joined(c["body"])}
        for c in data["channels"]
    ])
    sync_parts(AgencyDuty, plan, [
        {"heading": d["heading"], "body": joined(d["body"]),
         "_m2m": [cat.agencies[code] for code in d["agencies"]]
         + cat.group_members(province, d["agency_groups"])}
        for d in data["duties"]
    ], m2m="agencies")
    for row in data["tasks"]:
        load_task(cat, plan, province, row)
    return plan


def needs_scheduling(task):
    plan = task.plan
    schedule = resolve_timeline(
        task.timeline_text, year=plan.period_start_year, end_year=plan.period_end_year
    )
    due_date = task.due_date if task.due_date_set_by_hand else schedule.due_date
    checkpoints = sorted(task.checkpoints.values_list("due_date", flat=True))
    return (task.schedule_kind, task.recurrence, task.due_date, checkpoints) != (
        schedule.kind, schedule.recurrence, due_date, sorted(schedule.checkpoints)
    )


def unique(agencies, excluding=()):
    seen = {agency.pk for agency in excluding}
    out = []
    for agency in agencies:
        if agency.pk not in seen:
            seen.add(agency.pk)
            out.append(agency)
    return out


def load_task(cat, plan, province, row):
    task, created = upsert(
        Task,
        {"plan": plan, "number": row["number"]},
        {"title": row["title"], "forms": joined(row["forms"]),
         "assignment_text": row["assignment_text"], "timeline_text": row["timeline"]},
    )
    if created or needs_scheduling(task):
        schedule_task(task=task)
    lead_groups = [cat.groups[code] for code in row["lead_groups"]]
    leads = unique(
        [cat.agencies[code] for code in row["leads"]]
        + cat.group_members(province, row["leads_from_groups"])
    )
    via_groups = [a for group in lead_groups for a in group.member_agencies()]
    coordinators = unique(
        [cat.agencies[code] for code in row["coordinators"]]
        + cat.group_members(province, row["coordinators_from_groups"])
        + cat.of_kinds(province, row["coordinators_of_kinds"]),
        excluding=leads + via_groups,
    )
    set_task_agencies(task=task, leads=leads, lead_groups=lead_groups, coordinators=coordinators)
    return task


def load_users(cat):
    logins = []
    for username, role, code, full_name, job_title, staff, superuser in DEMO_USERS:
        agency = cat.agencies[code]
        values = {"role": role, "agency_id": agency.pk, "is_staff": staff,
                  "is_superuser": superuser, "is_active": True}
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name=full_name, job_title=job_title,
                        email=f"{username}@{agency.email.partition('@')[2] or 'example.org'}",
                        **values)
            user.set_password(DEMO_PASSWORD)
            user.save()
        else:
            upsert(User, {"pk": user.pk}, values)
        logins.append((username, str(role), agency.display_name, DEMO_PASSWORD))
    return logins


def load_agency_plans(cat, parent):
    """The agencies' own plans under the provincial plan: two on time, two late."""
    audiences = list(Audience.objects.all())
    for code, title, number, issued_on, submitted_at, place in AGENCY_PLANS:
        issuer = cat.agencies[code]
        plan, _ = upsert(
            Plan,
            {"issuer": issuer, "title": title},
            {
                "document_number": number,
                "issued_on": parse_date(issued_on),
                "place": place,
                "period_start_year": 2022,
                "period_end_year": 2022,
                "status": PlanStatus.ISSUED,
                "parent_id": parent.pk,
                "submitted_at": local_datetime(submitted_at),
                "preamble": f"Thực hiện Kế hoạch tuyên truyền cải cách hành chính tỉnh Khánh Hòa "
                            f"năm 2022 ban hành kèm theo Quyết định số {parent.decision_number} "
                            f"ngày 26/01/2022 của UBND tỉnh Khánh Hòa, {issuer.name} ban hành "
                            f"Kế hoạch tuyên truyền cải cách hành chính năm 2022 như sau:",
                "objectives": "Cụ thể hóa các nội dung, nhiệm vụ tuyên truyền cải cách hành "
                              "chính năm 2022 của tỉnh phù hợp với chức năng, nhiệm vụ của "
                              "cơ quan, địa phương.",
                "reporting_periods": ["Q1", "H1", "M9", "Y"],
                "report_recipient": "Sở Nội vụ tỉnh Khánh Hòa",
            },
        )
        set_m2m(plan.audiences, audiences)
        sync_parts(LegalBasis, plan, [{
            "text": f"Căn cứ Quyết định số {parent.decision_number} ngày 26/01/2022 của UBND tỉnh "
                    f"Khánh Hòa ban hành Kế hoạch tuyên truyền cải cách hành chính tỉnh Khánh "
                    f"Hòa năm 2022;"
        }])
    return len(AGENCY_PLANS)


def spread_dates(rng, count, start, end):
    """``count`` distinct working days between ``start`` and ``end``, in order."""
    days = [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]
    return sorted(rng.sample([day for day in days if day.weekday() < 5], count))


def group_steps(rng, number, agency_code):
    weights, measures, progress_texts, done_text = GROUP_TASKS[number]
    outcome = GROUP_OUTCOMES.get((number, agency_code)) or rng.choices(
        [DONE, IN, Status.NOT_STARTED], weights=weights
    )[0]
    if outcome == Status.NOT_STARTED:
        return []
    count = rng.randint(2, 3)
    dates = spread_dates(rng, count, datetime.date(2022, 3, 1), datetime.date(2022, 12, 16))
    steps = []
    percent = 0
    for index, day in enumerate(dates):
        last = index == count - 1
        figures = {code: rng.randint(low, high) // count for code, (low, high) in measures.items()}
        if last and outcome == DONE:
            steps.append((day.isoformat(), DONE, 100, done_text, figures, []))
        else:
            percent = min(95, percent + rng.randint(15, 35))
            text = progress_texts[min(index, len(progress_texts) - 1)]
            steps.append((day.isoformat(), IN, percent, text, figures, []))
    return steps


def load_progress(cat, plan, users):
    """A year of updates on the Khánh Hòa plan; assignments that have any are left alone."""
    coordinator = users["dieuphoi"]
    authors = {
        user.agency_id: user
        for user in users.values()
        if user.role in (Role.COORDINATOR, Role.AGENCY_OFFICER)
    }
    created = 0
    for task in plan.tasks.prefetch_related("assignments__agency").order_by("number"):
        for assignment in task.assignments.all():
            code = assignment.agency.code
            if (task.number, code) in STEPS:
                steps = STEPS[(task.number, code)]
            elif task.number in GROUP_TASKS and assignment.role == AssignmentRole.LEAD:
                rng = random.Random(f"2022/{task.number}/{code}")
                steps = group_steps(rng, task.number, code)
            else:
                continue
            if not steps or assignment.updates.exists():
                continue
            rng = random.Random(f"2022/{task.number}/{code}/time")
            author = authors.get(assignment.agency_id, coordinator)
            last = None
            for day, status, percent, narrative, figures, links in steps:
                when = datetime.datetime.combine(
                    datetime.date.fromisoformat(day),
                    datetime.time(rng.randint(8, 16), rng.randrange(0, 60, 5)),
                    tzinfo=LOCAL,
                )
                update = post_update(
                    assignment=assignment, author=author, status=status, percent=percent,
                    narrative=narrative,
                    figures={cat.measures[m]: value for m, value in figures.items()},
                    links=links,
                )
                ProgressUpdate.objects.filter(pk=update.pk).update(created_at=when)
                last = when
                created += 1
            assignment.last_update_at = last
            assignment.save(update_fields=["last_update_at"])
    return created


@dataclass
class DemoResult:
    logins: list  # (username, role, agency, password)
    plans: list  # the seed plans
    agency_plans: int
    agencies: int
    tasks: int
    updates: int


@transaction.atomic
def load_demo():
    """Load the whole demo, or bring an earlier load up to date; nothing is duplicated."""
    cat = Catalogue()
    catalogues = read_fixture("catalogues.json")
    load_catalogues(cat, catalogues)
    load_agencies(cat, read_fixture("agencies.json"))
    load_groups(cat, catalogues)
    plans = [load_plan(cat, read_fixture(name)) for name in PLAN_FILES]
    logins = load_users(cat)
    agency_plans = load_agency_plans(cat, plans[0])
    users = {user.username: user for user in User.objects.filter(
        username__in=[username for username, *_ in logins])}
    updates = load_progress(cat, plans[0], users)
    return DemoResult(
        logins=logins,
        plans=plans,
        agency_plans=agency_plans,
        agencies=len(cat.agencies),
        tasks=Task.objects.filter(plan__in=plans).count(),
        updates=updates,
    )
