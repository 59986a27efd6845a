"""Every plan gets the outline its sections give, and its key tasks a table of their own.

The outline is built by ``plans.outline_fields`` from the plan's fields and parts exactly as
the plan document printed them before outlines; a plan with key tasks gets one appendix
table with the five usual columns listing them in number order.
"""

from django.db import migrations

from plans.outline_fields import outline_from_fields, write_outline

DEFAULT_COLUMNS = [
    {"heading": "STT", "field": "number"},
    {"heading": "Nhiệm vụ, hoạt động tuyên truyền", "field": "title"},
    {"heading": "Hình thức tuyên truyền", "field": "forms"},
    {"heading": "Phân công chủ trì, phối hợp", "field": "assignment"},
    {"heading": "Tiến độ", "field": "timeline"},
]


def build_outlines(apps, schema_editor):
    Plan = apps.get_model("plans", "Plan")
    OutlineNode = apps.get_model("plans", "OutlineNode")
    Task = apps.get_model("tasks", "Task")
    TaskTable = apps.get_model("tasks", "TaskTable")
    TaskTableRow = apps.get_model("tasks", "TaskTableRow")
    plans = Plan.objects.prefetch_related(
        "legal_bases", "targets", "content_areas", "plan_channels", "duties"
    )
    for plan in plans:
        if OutlineNode.objects.filter(plan=plan).exists():
            continue
        tasks = list(Task.objects.filter(plan=plan).order_by("number"))
        specs = outline_from_fields(
            plan,
            legal_bases=[basis.text for basis in plan.legal_bases.order_by("position", "pk")],
            targets=plan.targets.exists(),
            content_areas=list(plan.content_areas.order_by("position", "pk")),
            channels=list(plan.plan_channels.order_by("position", "pk")),
            duties=list(plan.duties.order_by("position", "pk")),
            has_tasks=bool(tasks),
        )
        write_outline(plan, specs, OutlineNode)
        if tasks and not TaskTable.objects.filter(plan=plan).exists():
            node = OutlineNode.objects.filter(plan=plan, attachment="key_tasks").first()
            table = TaskTable.objects.create(
                plan=plan, node=node, placement="appendix", position=1, label="Phụ lục",
                title=plan.appendix_title, landscape=True, columns=DEFAULT_COLUMNS,
            )
            TaskTableRow.objects.bulk_create([
                TaskTableRow(table=table, position=position, task=task)
                for position, task in enumerate(tasks, 1)
            ])


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0005_outline_targets_table_and_header"),
        ("tasks", "0005_task_tables_and_written_cells"),
    ]

    operations = [migrations.RunPython(build_outlines, migrations.RunPython.noop)]
