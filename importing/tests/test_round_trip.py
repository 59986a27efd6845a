"""A plan imported, printed as a Word file and imported again is the same plan."""

import pytest

from importing.services import save_import, understand
from plans.models import Plan
from reports.generation import render_plan_document
from tasks.models import AssignmentRole

from .conftest import seed, synthetic_plan


def _text(value):
    return " ".join(value.split())


def what_was_read(understood):
    """Everything the import understood of a file, as plain values to compare."""
    parsed = understood.parsed
    decision = parsed.decision
    return {
        "issuer": _code(understood.issuer),
        "created": [(a.name, a.kind) for a in understood.created_agencies],
        # A date is printed as Decree 30 writes it ("ngày 03 tháng 3"), an incomplete one as
        # written; a plan that had none prints the blank date line of a draft.
        "header": (parsed.header.number, parsed.header.place, parsed.header.date),
        "title": (parsed.document_type, parsed.title, parsed.subtitle),
        "decision": decision and (
            decision.header.number, decision.header.date, decision.subject, decision.authority,
            decision.legal_bases, decision.recipients, decision.signature,
        ),
        "legal bases": parsed.legal_bases,
        "outline": [
            (node.part, node.level, node.numbering, node.heading, node.run_in,
             [_text(p) for p in node.paragraphs], node.attachment)
            for node in parsed.nodes
        ],
        "tables": [
            (table.label, table.title, table.subtitle, table.placement, table.after_node,
             [(c["heading"], c["field"]) for c in table.columns],
             [(row.number_text, row.heading, [_text(c) for c in row.cells]) for row in table.rows])
            for table in parsed.tables
        ],
        "tasks": [
            (task.number_text, task.title, task.forms, task.assignment_text, task.lead_text,
             task.coordinators_text, task.timeline_text, task.expected_output, task.notes,
             [a.code for a in task.leads], [g.code for g in task.lead_groups],
             [a.code for a in task.coordinators], [g.code for g in task.coordinator_groups],
             task.unmatched_leads, task.unmatched_coordinators,
             task.schedule.kind, task.schedule.due_date)
            for task in understood.tasks
        ],
        "recipients": parsed.recipients,
        "signature": parsed.signature,
        "stamp": parsed.stamp,
    }


def _code(agency):
    return getattr(agency, "code", None)


def saved(plan):
    """The saved plan's outline, tasks and their agencies."""
    plan = Plan.objects.get(pk=plan.pk)
    tasks = []
    for task in plan.tasks.order_by("number"):
        assignments = sorted(
            (a.agency.code, a.role, a.via_group.code if a.via_group else "")
            for a in task.assignments.select_related("agency", "via_group")
        )
        tasks.append((task.number, task.title, task.timeline_text, task.due_date,
                      task.schedule_kind, assignments,
                      sorted(g.code for g in task.lead_groups.all()),
                      sorted(g.code for g in task.coordinator_groups.all())))
    return {
        "issuer": plan.issuer.code,
        "fields": (plan.title, plan.document_number, plan.document_symbol, plan.issued_on,
                   plan.decision_number, plan.decision_symbol,
                   plan.decision_date, plan.decision_title, plan.signer_name,
                   " ".join(plan.issued_on_text.split()), plan.place,
                   plan.period_start_year, plan.period_end_year),
        "outline": list(plan.outline_nodes.order_by("position").values_list(
            "part", "level", "numbering", "heading", "text", "attachment")),
        "legal bases": list(plan.legal_bases.order_by("position").values_list("text", flat=True)),
        "tables": [
            (table.label, table.title, table.placement, table.columns,
             list(table.rows.order_by("position").values_list("number_text", "text", "cells")))
            for table in plan.task_tables.order_by("position")
        ],
        "tasks": tasks,
    }


def round_trip(data, filename):
    first = understand(data, filename)
    plan = save_import(first)
    printed = render_plan_document(plan, "docx").content
    second = understand(printed, "printed.docx")
    return first, plan, second, save_import(second)


@pytest.mark.parametrize("name", [
    "khanh-hoa-2022-provincial-plan",
    "ninh-thuan-2024-provincial-plan",
    "khanh-hoa-dept-ict-2021-2030-plan",
])
def test_a_seed_plan_printed_to_word_and_imported_again_is_the_same_plan(agency_tree, name):
    first, plan, second, again = round_trip(seed(f"{name}.docx"), f"{name}.docx")
    assert what_was_read(second) == what_was_read(first)
    assert saved(again) == saved(plan)


def test_the_khanh_hoa_round_trip_keeps_its_16_tasks_and_their_agencies(agency_tree):
    first, plan, second, again = round_trip(seed("khanh-hoa-2022-provincial-plan.docx"), "a.docx")
    assert again.tasks.count() == 16
    task_3 = again.tasks.get(number=3)
    assert set(task_3.assignments.filter(role=AssignmentRole.COORDINATOR)
               .values_list("agency__code", flat=True)) == {
        "VPUBND", "VCCI", "STNMT", "SDL", "CT-KH", "CHQ-KH", "BHXH-KH"}


def test_a_plan_with_its_seven_column_table_inside_a_section_comes_back_the_same(agency_tree):
    first, plan, second, again = round_trip(synthetic_plan(rows=6), "sxd.docx")
    assert [c["field"] for c in first.parsed.tables[0].columns] == [
        "number", "title", "forms", "lead", "coordinators", "timeline", "notes"]
    assert first.parsed.tables[0].placement == "inline"
    assert what_was_read(second) == what_was_read(first)
    assert saved(again) == saved(plan)
