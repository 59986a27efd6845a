"""Importing the seed plans: the tasks as transcribed, the plan printed back word for word."""

import re
import subprocess

import pytest
from django.core.management import CommandError, call_command

from importing.blocks import Table, UnreadableFile, words
from importing.reading import read_plan_file
from importing.services import save_import, understand
from plans.models import OutlineNode, Plan
from reports.generation import render_plan_document
from tasks.models import AssignmentRole, Task, TaskTable
from tests import wording

from .conftest import SEED_NAMES, seed

# The appendix of the Khánh Hòa 2022 plan as transcribed (fixtures/demo/khanh_hoa_2022.json
# from seeds/khanh-hoa-2022-provincial-plan.txt): leads, lead groups, coordinators,
# coordinating groups by code, and the timeline. Three cells name no agency the tree has:
# they are kept as text and listed for the coordinator ("các cơ quan, đơn vị, địa phương",
# "cơ quan thông tin, báo chí thuộc tỉnh", "địa phương").
KHANH_HOA_TASKS = {
    1: (["SNV"], [], [], [], "Quý I/2022"),
    2: (["STP"], [], [], ["departments", "district-committees"], "Theo tiến độ Kế hoạch"),
    3: (["SKHĐT"], [], ["VPUBND", "VCCI", "STNMT", "SDL", "CT-KH", "CHQ-KH", "BHXH-KH"], [],
        "Trong năm 2022"),
    4: (["SKHĐT"], [], [], [], "Trong năm 2022"),
    5: (["SKHCN"], [], [], [], "Trong năm 2022"),
    6: (["SNV"], [], ["PTTH-KH"], [], "Định kỳ hàng quý, bắt đầu từ quý I/2022"),
    7: ([], [], [], [], "Thường xuyên trong năm"),
    8: (["SNV"], [], [], [], "Theo tiến độ Kế hoạch được phê duyệt"),
    9: (["STTTT"], [], [], [], "Trong năm 2022"),
    10: (["SNV"], [], ["STTTT"], [], "Trong năm 2022"),
    11: (["SNV"], [], [], [], "Quý II/2022"),
    12: ([], ["departments"], [], [], "Theo tiến độ Kế hoạch"),
    13: ([], ["district-committees"], ["STTTT"], [], "Trong năm 2022"),
    14: (["SNV"], [], ["VPUBND"], ["departments", "district-committees", "commune-committees"],
         "Trong năm 2022"),
    15: ([], ["district-committees", "commune-committees"], [], [], "Thường xuyên trong năm"),
    16: (["SNV"], [], ["STTTT", "SKHĐT", "STP", "VPUBND"], [], "Quý II/2022"),
}
UNMATCHED = [
    (7, "coordinator", "các cơ quan, đơn vị, địa phương"),
    (9, "coordinator", "cơ quan thông tin, báo chí thuộc tỉnh"),
    (12, "lead", "địa phương"),
]


@pytest.mark.parametrize("extension", ["docx", "pdf"])
def test_the_khanh_hoa_appendix_gives_its_16_tasks_as_transcribed(agency_tree, extension):
    understood = understand(seed(f"khanh-hoa-2022-provincial-plan.{extension}"))
    assert understood.issuer.code == "UBND-KH"
    assert len(understood.tasks) == 16
    for task in understood.tasks:
        leads, lead_groups, coordinators, coordinator_groups, timeline = \
            KHANH_HOA_TASKS[task.number]
        assert [a.code for a in task.leads] == leads, task.number
        assert [g.code for g in task.lead_groups] == lead_groups, task.number
        assert [a.code for a in task.coordinators] == coordinators, task.number
        assert [g.code for g in task.coordinator_groups] == coordinator_groups, task.number
        assert task.timeline_text == timeline
    assert understood.unmatched == UNMATCHED
    dated = {task.number: task.schedule.due_date for task in understood.tasks}
    assert dated[1].isoformat() == "2022-03-31" and dated[11].isoformat() == "2022-06-30"


def test_the_header_decision_and_signature_are_understood(agency_tree):
    parsed = understand(seed("khanh-hoa-2022-provincial-plan.pdf")).parsed
    decision = parsed.decision
    assert decision.header.issuer == "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA"
    assert decision.header.number == "286/QĐ-UBND"
    assert decision.header.place_and_date == "Khánh Hòa, ngày 26 tháng 01 năm 2022"
    assert decision.header.date.isoformat() == "2022-01-26"
    assert decision.subject == ("Ban hành Kế hoạch tuyên truyền cải cách hành chính tỉnh "
                                "Khánh Hòa năm 2022")
    assert decision.authority == "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA"
    assert [basis[:40] for basis in decision.legal_bases] == [
        "Căn cứ Luật Tổ chức chính quyền địa phươ",
        "Căn cứ Quyết định số 4831/QĐ-UBND ngày 2",
        "Căn cứ Quyết định số 4782/QĐ-UBND ngày 2",
    ]
    articles = [node for node in parsed.nodes if node.attachment == "article"]
    assert [node.numbering for node in articles] == ["Điều 1.", "Điều 2.", "Điều 3."]
    assert decision.signature.authority == "TM. ỦY BAN NHÂN DÂN"
    assert decision.signature.title == "CHỦ TỊCH"
    assert decision.signature.name == "Nguyễn Tấn Tuấn"
    assert decision.recipients[0] == "- Như Điều 3 (VBĐT);"
    assert decision.recipients[-1] == "- Lưu: VT, DL."
    assert len(decision.recipients) == 10
    assert parsed.document_type == "KẾ HOẠCH"
    assert parsed.title == "Tuyên truyền cải cách hành chính tỉnh Khánh Hòa năm 2022"
    headings = [(n.numbering, n.heading) for n in parsed.nodes
                if n.part == "plan" and n.level == 0 and n.numbering]
    assert headings == [
        ("I.", "MỤC TIÊU, YÊU CẦU"), ("II.", "NỘI DUNG, HOẠT ĐỘNG TUYÊN TRUYỀN THỐNG NHẤT"),
        ("III.", "CÁC HOẠT ĐỘNG TUYÊN TRUYỀN TRỌNG ĐIỂM"), ("IV.", "TRÁCH NHIỆM TRIỂN KHAI"),
        ("V.", "TỔ CHỨC THỰC HIỆN"),
    ]
    table = parsed.tables[0]
    assert table.label == "Phụ lục"
    assert table.subtitle.startswith("(Kèm theo Quyết định số 286/QĐ-UBND")
    assert [c["heading"] for c in table.columns] == [
        "STT", "Nhiệm vụ, hoạt động tuyên truyền", "Hình thức tuyên truyền",
        "Phân công và cách thức thực hiện", "Tiến độ"]


def test_an_incomplete_date_and_a_stamp_are_kept_as_written(agency_tree):
    understood = understand(seed("ninh-thuan-2024-provincial-plan.docx"))
    assert understood.issuer.code == "UBND-NT"
    header = understood.parsed.header
    assert (header.number_text, header.date, header.date_text) == (
        "/KH-UBND", None, "ngày tháng 02 năm 2024")
    assert (header.number, header.symbol) == ("", "KH-UBND")
    text = ("Ký bởi: Ủy ban\nnhân dân tỉnh\nKhánh Hòa\nEmail:\nubnd@khanh\noa.gov.vn\nNgày ký:\n"
            "16.02.2022\n10:30:03\nKẾ HOẠCH\nThông tin tuyên truyền năm 2022\nI. MỤC TIÊU\n"
            "1. Mục tiêu:\n2. Yêu cầu:\n")
    parsed = understand(text.encode()).parsed
    assert parsed.stamp == ("Ký bởi: Ủy ban nhân dân tỉnh Khánh Hòa Email: ubnd@khanh "
                            "oa.gov.vn Ngày ký: 16.02.2022 10:30:03")


def number_lines(content, filename):
    """The "Số: …" lines of a file as the importer reads it (paragraphs, then each cell's
    lines), their spaces made single."""
    lines = []
    for block in read_plan_file(content, filename):
        texts = [cell for row in block.rows for cell in row] if isinstance(block, Table) \
            else [block.text]
        lines += [line for text in texts for line in text.splitlines()]
    return [" ".join(line.split()) for line in lines if line.strip().startswith("Số:")]


@pytest.mark.parametrize("extension", ["docx", "pdf"])
def test_a_blank_number_prints_back_with_its_symbol_as_written(agency_tree, settings, tmp_path,
                                                              extension):
    """The Ninh Thuận draft was printed before numbering: "Số:      /KH-UBND", not the
    symbol the issuer's code would give ("/KH-UBND-NT")."""
    settings.MEDIA_ROOT = tmp_path
    data = seed(f"ninh-thuan-2024-provincial-plan.{extension}")
    plan = save_import(understand(data, f"nt.{extension}"), data=data)
    plan.refresh_from_db()
    assert (plan.document_number, plan.document_symbol) == ("", "KH-UBND")
    assert number_lines(data, f"nt.{extension}") == ["Số: /KH-UBND"]
    pdf = render_plan_document(plan).content
    assert number_lines(pdf, "rendered.pdf") == ["Số: /KH-UBND"]
    # The blank is kept for the number to be written by hand.
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()
    assert re.search(r"Số:\s{3,}/KH-UBND\s", text), text[:400]
    assert "KH-UBND-NT" not in text
    word = render_plan_document(plan, "docx").content
    assert number_lines(word, "rendered.docx") == ["Số: /KH-UBND"]


def test_a_department_plan_without_a_header_finds_its_issuer_in_its_text(agency_tree):
    understood = understand(seed("khanh-hoa-dept-ict-2021-2030-plan.pdf"))
    assert understood.issuer.code == "STTTT"
    assert understood.period == (2021, 2030)
    assert understood.parsed.signature.title == "GIÁM ĐỐC"


def test_saving_keeps_the_plan_its_outline_tasks_and_original_file(agency_tree, settings,
                                                                   tmp_path):
    settings.MEDIA_ROOT = tmp_path
    data = seed("khanh-hoa-2022-provincial-plan.docx")
    plan = save_import(understand(data), data=data, filename="kh 2022.docx")
    plan.refresh_from_db()
    assert plan.issuer.code == "UBND-KH"
    assert plan.decision_number == "286/QĐ-UBND"
    assert plan.decision_date_text == "Khánh Hòa, ngày 26 tháng 01 năm 2022"
    assert plan.decision_authority == "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA"
    assert (plan.period_start_year, plan.period_end_year) == (2022, 2022)
    assert plan.legal_bases.count() == 3
    assert plan.document_file.read() == data
    assert plan.document_file.name.endswith(".docx")
    assert OutlineNode.objects.filter(plan=plan, part="decision", attachment="article").count() == 3
    tasks = Task.objects.filter(plan=plan).order_by("number")
    assert tasks.count() == 16
    task_3 = tasks.get(number=3)
    coordinators = set(task_3.assignments.filter(role=AssignmentRole.COORDINATOR)
                       .values_list("agency__code", flat=True))
    assert coordinators == {"VPUBND", "VCCI", "STNMT", "SDL", "CT-KH", "CHQ-KH", "BHXH-KH"}
    assert tasks.get(number=15).lead_groups.count() == 2
    table = TaskTable.objects.get(plan=plan)
    assert table.rows.count() == 16 and table.columns[3]["field"] == "assignment"


def test_a_failed_save_leaves_nothing_behind(agency_tree, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    data = seed("khanh-hoa-dept-ict-2021-2030-plan.docx")
    understood = understand(data)
    before = Plan.objects.count()

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("importing.services.create_with_history", broken)
    with pytest.raises(RuntimeError):
        save_import(understood, data=data, filename="ict.docx")
    assert Plan.objects.count() == before
    assert not any(path.is_file() for path in tmp_path.rglob("*"))


@pytest.mark.parametrize("name", SEED_NAMES)
@pytest.mark.parametrize("extension", ["docx", "pdf"])
def test_an_imported_plan_prints_back_its_own_words(agency_tree, settings, tmp_path, name,
                                                    extension):
    settings.MEDIA_ROOT = tmp_path
    data = seed(f"{name}.{extension}")
    plan = save_import(understand(data, f"{name}.{extension}"), data=data)
    rendered = render_plan_document(plan).content
    # Both read the same way: paragraphs in order, each ruled table cell by cell, row by row.
    source = wording.words(" ".join(words(read_plan_file(data, f"{name}.{extension}"))))
    printed = wording.words(" ".join(words(read_plan_file(rendered, "rendered.pdf"))))
    share = wording.word_share(source, printed)
    print(f"{name}.{extension}: {share:.2%} of its words printed back in order")
    assert share >= 0.98, wording.missing_words(source, printed)[:10]


def test_import_plan_prints_the_new_plan_id(agency_tree, settings, tmp_path, capsys):
    settings.MEDIA_ROOT = tmp_path
    path = tmp_path / "kh.docx"
    path.write_bytes(seed("khanh-hoa-2022-provincial-plan.docx"))
    call_command("import_plan", str(path))
    out = capsys.readouterr().out.strip().splitlines()
    assert Plan.objects.get(pk=int(out[-1])).tasks.count() == 16
    assert "Not matched (task 9, coordinator): cơ quan thông tin, báo chí thuộc tỉnh" in out


def test_import_plan_dry_run_saves_nothing_and_says_what_it_understood(agency_tree, tmp_path,
                                                                       capsys):
    path = tmp_path / "kh.pdf"
    path.write_bytes(seed("khanh-hoa-2022-provincial-plan.pdf"))
    before = Plan.objects.count()
    call_command("import_plan", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert Plan.objects.count() == before
    assert "Issuer: Ủy ban nhân dân tỉnh Khánh Hòa" in out
    assert "16. Xây dựng Đề án tăng cường công tác tuyên truyền CCHC" in out
    assert "Not matched (task 12, lead): địa phương" in out


def test_import_plan_creates_the_issuer_the_header_names(db, tmp_path, capsys, settings):
    settings.MEDIA_ROOT = tmp_path
    text = ("UBND TỈNH KHÁNH HÒA\nSỞ XÂY DỰNG\nSố: 15/KH-SXD\nKhánh Hòa, ngày 3 tháng 3 năm 2023\n"
            "KẾ HOẠCH\nTuyên truyền cải cách hành chính năm 2023\nI. MỤC TIÊU\n- Một\n"
            "II. NỘI DUNG\n- Hai\nIII. TỔ CHỨC THỰC HIỆN\n- Ba\n")
    path = tmp_path / "sxd.txt"
    path.write_text(text, encoding="utf-8")
    call_command("import_plan", str(path))
    out = capsys.readouterr().out
    plan = Plan.objects.get(pk=int(out.strip().splitlines()[-1]))
    assert plan.issuer.name == "Sở Xây dựng" and plan.issuer.kind == "department"
    assert plan.issuer.code == "SXD"
    assert plan.issuer.parent.name == "Ủy ban nhân dân tỉnh Khánh Hòa"
    assert plan.issuer.parent.kind == "province"
    assert "Agency created: Sở Xây dựng (SXD, department)" in out
    assert plan.document_number == "15/KH-SXD"


def test_import_plan_refuses_a_bad_file_with_a_message(db, tmp_path):
    path = tmp_path / "ke-hoach.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(CommandError, match="Tệp Word bị hỏng"):
        call_command("import_plan", str(path))
    path = tmp_path / "thu.txt"
    path.write_text("Kính gửi anh chị,\nxin cảm ơn.\n", encoding="utf-8")
    with pytest.raises(CommandError, match="không giống một kế hoạch"):
        call_command("import_plan", str(path))
    assert not Plan.objects.exists()


def test_understand_refuses_text_that_is_no_plan(db):
    with pytest.raises(UnreadableFile):
        understand(b"hello")
