"""The demo plans' outlines: headings as the seeds write them; built by the data migration,
printed word for word."""

import importlib
import re
import unicodedata
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from pypdf import PdfReader

from plans.models import Attachment, OutlineNode, OutlinePart, OutlineSource, Plan
from reports.generation import render_plan_document
from tasks.models import TaskTable
from tests.wording import docx_words, pdf_words, word_share, words

# The seed plans sit beside the project (../shared/seeds), or beside its worktrees.
SEEDS = next(
    (path for path in (Path(settings.BASE_DIR).parent / "shared" / "seeds",
                       Path(settings.BASE_DIR).parent.parent / "shared" / "seeds")
     if path.is_dir()),
    Path(settings.BASE_DIR).parent / "shared" / "seeds",
)
DEMO_PLANS = {
    "khanh-hoa-2022-provincial-plan": {"decision_number": "286/QĐ-UBND"},
    "ninh-thuan-2024-provincial-plan": {"title__contains": "Ninh Thuận năm 2024"},
    "khanh-hoa-dept-ict-2021-2030-plan": {"issuer__code": "STTTT", "period_end_year": 2030},
}
migration = importlib.import_module("tasks.migrations.0006_build_outlines")


def own_words(plan):
    """The plan's own text as it holds it, in order: header, decision, outline, tasks."""
    text = [plan.decision_title, plan.decision_authority]
    text += [f"{n.numbering} {n.heading} {n.text}"
             for n in plan.outline_nodes.filter(part=OutlinePart.DECISION).order_by("position")]
    text += [plan.decision_recipients, plan.title, plan.subtitle_text]
    text += [f"{n.numbering} {n.heading} {n.text}"
             for n in plan.outline_nodes.filter(part=OutlinePart.PLAN).order_by("position")]
    text += [plan.recipients, plan.signer_authority, plan.signer_title, plan.signer_name]
    for table in plan.task_tables.order_by("position"):
        text.append(table.title)
        for row in table.rows.select_related("task").order_by("position"):
            task = row.task
            text += [row.text] if task is None else [
                str(task.number), task.title, task.forms, task.assignment_text, task.timeline_text,
            ]
    return [word for chunk in text for word in words(chunk)]


def rendered_demo():
    """The demo plans as loaded (their outlines as the originals write them), then printed
    from their sections, then with their outlines dropped and built again by the data
    migration (before and after)."""
    call_command("load_demo", stdout=StringIO())
    plans = {seed: Plan.objects.get(**lookup) for seed, lookup in DEMO_PLANS.items()}
    loaded = {seed: (render_plan_document(plan).content,
                     list(plan.outline_nodes.order_by("part", "position")))
              for seed, plan in plans.items()}
    Plan.objects.update(outline_source=OutlineSource.GENERATED)
    before = {seed: render_plan_document(plan).content for seed, plan in plans.items()}
    OutlineNode.objects.all().delete()
    TaskTable.objects.all().delete()
    migration.build_outlines(apps, None)
    # Printed from the stored outline, as a plan edited node by node would be.
    Plan.objects.update(outline_source=OutlineSource.WRITTEN)
    result = {}
    for seed, plan in plans.items():
        plan.refresh_from_db()
        result[seed] = {
            "pdf": render_plan_document(plan).content,
            "before": before[seed],
            "loaded": loaded[seed][0],
            "loaded_nodes": loaded[seed][1],
            "own": own_words(plan),
            "nodes": list(plan.outline_nodes.order_by("part", "position")),
            "tables": list(plan.task_tables.all()),
        }
    return result


def check_khanh_hoa_outline(demo):
    nodes = demo["khanh-hoa-2022-provincial-plan"]["nodes"]
    decision = [n for n in nodes if n.part == OutlinePart.DECISION]
    assert [n.numbering for n in decision] == ["", "Điều 1.", "Điều 2.", "Điều 3."]
    assert decision[0].attachment == Attachment.LEGAL_BASES
    sections = [(n.numbering, n.heading) for n in nodes if n.part == OutlinePart.PLAN
                and n.level == 0 and n.numbering]
    assert sections[:3] == [("I.", "MỤC TIÊU, YÊU CẦU"),
                            ("II.", "NỘI DUNG, HÌNH THỨC TUYÊN TRUYỀN"),
                            ("III.", "NHIỆM VỤ TRỌNG ĐIỂM")]
    channels = [n for n in nodes if n.attachment == Attachment.CHANNEL]
    assert [n.numbering for n in channels] == ["a)", "b)", "c)", "d)", "đ)", "e)", "g)", "h)"]
    assert all(n.plan_channel_id for n in channels)
    duties = [n for n in nodes if n.attachment == Attachment.DUTY]
    assert len(duties) == 16 and all(n.duty_id for n in duties)
    [table] = demo["khanh-hoa-2022-provincial-plan"]["tables"]
    assert table.node.attachment == Attachment.KEY_TASKS
    assert table.rows.count() == 16


MARKUP = re.compile(r"[*#_]+")
ROMAN_HEADING = re.compile(r"^([IVX]+)\.\s+\S")
# A numbered heading of a seed: "1. Mục tiêu:", "2. Sở Nội vụ:", "a) Tuyên truyền …:".
NUMBERED_HEADING = re.compile(r"^(?:\d+\.|[a-zđ]\))\s.{2,120}:$")


def flat(text):
    return " ".join(unicodedata.normalize("NFC", text).split())


def seed_lines(seed):
    text = (SEEDS / f"{seed}.txt").read_text(encoding="utf-8")
    return [flat(MARKUP.sub("", line)) for line in text.splitlines() if line.strip()]


def sections(lines):
    """The section headings (I., II., …) among lines: numbered in Roman, in capitals."""
    return [line for line in lines if ROMAN_HEADING.match(line) and line == line.upper()]


def check_headings_as_written(seed, pdf, nodes):
    """The demo plan prints the seed's section headings, in order and as written, every
    numbered heading the seed writes, and no heading the seed does not have."""
    lines = seed_lines(seed)
    reader = PdfReader(BytesIO(pdf))
    printed = [flat(line) for page in reader.pages for line in page.extract_text().splitlines()]
    assert sections(printed) == sections(lines), seed
    text = flat(" ".join(printed))
    for line in lines:
        if NUMBERED_HEADING.match(line):
            assert line in text, (seed, line)
    written = flat(" ".join(lines))
    for node in nodes:
        if node.heading:
            assert flat(f"{node.numbering} {node.heading}") in written, (seed, node.heading)


# One test: the demo is loaded and nine PDFs are rendered once (a module-scoped database
# fixture is not reliable on a fresh test database).
@pytest.mark.django_db
def test_demo_outlines_are_migrated_and_print_their_words_in_order():
    demo = rendered_demo()
    check_khanh_hoa_outline(demo)
    for seed, result in demo.items():
        if SEEDS.is_dir():
            check_headings_as_written(seed, result["loaded"], result["loaded_nodes"])
            share = word_share(docx_words(SEEDS / f"{seed}.docx"), pdf_words(result["loaded"]))
            print(f"{seed}: {share:.1%} of the original .docx's words in order, as loaded")
            assert share >= 0.98, seed
        rendered = pdf_words(result["pdf"])
        # The outline the migration stored prints as the plan printed before it.
        assert rendered == pdf_words(result["before"]), seed
        share = word_share(result["own"], rendered)
        print(f"{seed}: {share:.1%} of the plan's own words in order")
        assert share >= 0.98, seed
        if SEEDS.is_dir():
            share = word_share(docx_words(SEEDS / f"{seed}.docx"), rendered)
            print(f"{seed}: {share:.1%} of the original .docx's words in order")
            assert share >= 0.98, seed
