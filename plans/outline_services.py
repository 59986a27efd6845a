"""Editing a plan's outline node by node: add, move, re-level, remove, edit in place.

Each edit is made on the plan version the page was loaded from (``StaleError`` otherwise),
on a draft plan only (``FrozenError``), raises the plan's version and records the plan's
history ("outline") beside each node's own. The first edit of an outline built from the
plan's sections stores that outline and makes it the plan's own (``written``): from then on
the section forms no longer rebuild it.
"""

from django.db import transaction

from .models import OutlineNode, OutlineSource
from .services import _lock_for_edit, _save, rebuild_outline

OUTLINE_REASON = "outline"
MAX_LEVEL = 5
EDITABLE_FIELDS = [
    "numbering", "heading", "text", "level", "emphasis", "centered", "run_in", "attachment",
    "content_area", "plan_channel", "duty",
]


def _start(plan, version):
    """The plan locked for an outline edit, its outline stored and made its own."""
    current = _lock_for_edit(plan, version)
    if current.outline_source != OutlineSource.WRITTEN:
        rebuild_outline(plan=current)
        current.outline_source = OutlineSource.WRITTEN
    return current


def _finish(plan):
    plan.version += 1
    _save(plan, OUTLINE_REASON)
    return plan


def _siblings(plan, part):
    return list(OutlineNode.objects.filter(plan=plan, part=part).order_by("position", "pk"))


def _renumber(nodes):
    """Positions 1, 2, 3… in the given order, saving only the nodes that move."""
    for position, node in enumerate(nodes, start=1):
        if node.position != position:
            node.position = position
            node.save()


def _node_of(plan, node):
    return OutlineNode.objects.get(plan=plan, pk=node.pk)


@transaction.atomic
def edit_node(*, plan, version, node, fields):
    """Save a node's heading, numbering, paragraphs, style and attached part."""
    plan = _start(plan, version)
    node = _node_of(plan, node)
    for name, value in fields.items():
        if name in EDITABLE_FIELDS:
            setattr(node, name, value)
    node.level = min(node.level, MAX_LEVEL)
    node.full_clean()
    node.save()
    return _finish(plan), node


@transaction.atomic
def add_node(*, plan, version, part, after=None, fields):
    """A new node after ``after`` (at the start of ``part`` when None)."""
    plan = _start(plan, version)
    nodes = _siblings(plan, part)
    index = 0
    if after is not None:
        after = _node_of(plan, after)
        index = next(i for i, n in enumerate(nodes) if n.pk == after.pk) + 1
    node = OutlineNode(plan=plan, part=part, position=0,
                       level=after.level if after is not None else 0)
    for name, value in fields.items():
        if name in EDITABLE_FIELDS:
            setattr(node, name, value)
    node.level = min(node.level, MAX_LEVEL)
    node.full_clean(exclude=["position"])
    # Room first, so that the new node's history shows it where it belongs.
    later = nodes[index:]
    for position, other in reversed(list(enumerate(later, start=index + 2))):
        if other.position != position:
            other.position = position
            other.save()
    _renumber(nodes[:index])
    node.position = index + 1
    node.save()
    return _finish(plan), node


@transaction.atomic
def move_node(*, plan, version, node, direction):
    """Move a node one place up (-1) or down (+1) within its document."""
    plan = _start(plan, version)
    node = _node_of(plan, node)
    nodes = _siblings(plan, node.part)
    index = next(i for i, n in enumerate(nodes) if n.pk == node.pk)
    other = index + (1 if direction > 0 else -1)
    if 0 <= other < len(nodes):
        nodes[index], nodes[other] = nodes[other], nodes[index]
        _renumber(nodes)
    return _finish(plan)


@transaction.atomic
def relevel_node(*, plan, version, node, by):
    """One level deeper (+1) or higher (-1): 0 for the sections, down to ``MAX_LEVEL``."""
    plan = _start(plan, version)
    node = _node_of(plan, node)
    level = max(0, min(MAX_LEVEL, node.level + by))
    if level != node.level:
        node.level = level
        node.save()
    return _finish(plan)


@transaction.atomic
def remove_node(*, plan, version, node):
    """Remove a node; a key-task table attached to it moves to an appendix."""
    plan = _start(plan, version)
    node = _node_of(plan, node)
    part = node.part
    node.delete()
    _renumber(_siblings(plan, part))
    return _finish(plan)
