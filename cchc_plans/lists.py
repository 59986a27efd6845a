"""Several short lists of a page read in one query.

A page that shows an object with many short lists (a plan's legal bases, targets, budget
lines…; a task's checkpoints, groups, proposals, reminders) would make one query a list with
``prefetch_related``. Here each list's rows become JSON objects in one ``UNION ALL``, and
come back as model instances, each list in its own order.
"""

import datetime
import json
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DateTimeField, DecimalField, F, JSONField, Value, Window
from django.db.models.functions import JSONObject, RowNumber
from django.utils import timezone


class _DecimalDecoder(json.JSONDecoder):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, parse_float=Decimal, **kwargs)


class _Row(JSONObject):
    """One row as a JSON object, its decimals read exactly."""

    output_field = JSONField(decoder=_DecimalDecoder)


@dataclass(frozen=True)
class ShortList:
    model: type
    rows: object  # the queryset of the list's rows
    fields: tuple  # attribute names loaded; the others are read if ever asked
    order: tuple  # the order of the list as a prefetch would give it
    extra: tuple = ()  # (name, expression) loaded beside the fields


def every_field(model):
    """The names of all of ``model``'s columns, for a list read whole."""
    return tuple(f.attname for f in model._meta.concrete_fields)


def _value(field, value):
    if value is None:
        return None
    if isinstance(field, DecimalField):
        return Decimal(value).quantize(Decimal(1).scaleb(-field.decimal_places))
    if isinstance(field, DateTimeField):
        # SQLite writes a stored time as it is kept, in UTC without an offset.
        moment = field.to_python(value)
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, datetime.UTC)
        return moment
    return field.to_python(value)


def _instance(short_list, row, db):
    meta = short_list.model._meta
    values = [_value(meta.get_field(name), row[name]) for name in short_list.fields]
    instance = short_list.model.from_db(db, list(short_list.fields), values)
    for name, _expression in short_list.extra:
        setattr(instance, name, row[name])
    return instance


def read_lists(lists, db):
    """{name: [instances]} of ``lists`` ({name: ``ShortList``}), in one query."""
    names = list(lists)
    selects = [
        short_list.rows.order_by().values(
            part_index=Value(index),
            rank=Window(RowNumber(), order_by=[_order(name) for name in short_list.order]),
            row=_Row(**{name: F(name) for name in short_list.fields}, **dict(short_list.extra)),
        )
        for index, short_list in enumerate(lists.values())
    ]
    loaded = {name: [] for name in names}
    if not selects:
        return loaded
    union = selects[0].union(*selects[1:], all=True) if len(selects) > 1 else selects[0]
    rows = union.order_by("part_index", "rank")
    for item in rows:
        name = names[item["part_index"]]
        loaded[name].append(_instance(lists[name], item["row"], db))
    return loaded


def _order(name):
    return F(name[1:]).desc() if name.startswith("-") else F(name)


def attach(objects, name, related):
    """Set each of ``objects``' foreign key ``name`` to its object among ``related`` (None
    when it is not there), as ``select_related`` would have."""
    by_pk = {item.pk: item for item in related}
    for item in objects:
        setattr(item, name, by_pk.get(getattr(item, f"{name}_id")))


def prefetch_into(owners, name, items, key):
    """Give each of ``owners`` the ``items`` whose attribute ``key`` is its pk, as the
    prefetched list ``name``."""
    grouped = defaultdict(list)
    for item in items:
        grouped[getattr(item, key)].append(item)
    for owner in owners:
        set_prefetched(owner, name, grouped[owner.pk])


def set_prefetched(owner, name, objects):
    """What ``prefetch_related(name)`` would leave on ``owner``."""
    if not hasattr(owner, "_prefetched_objects_cache"):
        owner._prefetched_objects_cache = {}
    queryset = getattr(owner, name).all()
    queryset._result_cache = list(objects)
    queryset._prefetch_done = True
    owner._prefetched_objects_cache[name] = queryset
