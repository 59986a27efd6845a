"""The province a row belongs to: the top of its agency's tree, copied onto the large tables.

An agency's province is found by walking ``Agency.parent`` up to the top agency (the
province's People's Committee); plans, tasks, assignments, progress updates and periodic
reports carry it as an indexed column (``province``), so that every page's main query is
bounded by one province without walking the tree or joining up to the plan. Each model names
the foreign key it takes its province from (``province_source``): an agency its parent (the
top agency is its own province), a plan its issuer, a task and a periodic report their plan,
an assignment its task, a progress update its assignment.

``set_provinces`` gives new objects their province before they are written, one by one
(``save``) or in bulk; ``copy_provinces`` writes it in SQL, ``UPDATE … FROM`` a table's
source, for rows already written (the data migration, an agency moved under another
province).
"""

from django.db import connection as default_connection
from django.db import models
from django.utils.translation import gettext_lazy as _

# Levels of agencies under a province (department → internal unit; district → commune → unit).
MAX_DEPTH = 8


def province_field(*, indexed=True):
    """The denormalised ``province`` column of a model (never edited in a form); a model
    whose composite index starts with it needs no index of its own."""
    return models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("province"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=indexed,
    )


def _source(obj):
    return type(obj)._meta.get_field(type(obj).province_source)


def _cached_province(obj, field):
    """The province of ``obj``'s source when it is at hand (loaded), else None."""
    if not field.is_cached(obj):
        return None
    source = getattr(obj, field.name)
    if source is None:
        return None
    if source.province_id is None and getattr(type(source), "province_source", None):
        set_provinces([source])
    return source.province_id


def set_provinces(objs):
    """Give each of ``objs`` (instances of one model) the province of its source: from the
    source objects when loaded, else the one already given, else from one query. A top
    agency is its own province (when it has no id yet, ``save`` sets it after the insert)."""
    objs = list(objs)
    if not objs:
        return
    field = _source(objs[0])
    missing = {}
    for obj in objs:
        source_id = getattr(obj, field.attname)
        if source_id is None:
            # Only an agency has no source: the top of its tree.
            obj.province_id = obj.pk
            continue
        province = _cached_province(obj, field)
        if province is None and obj.province_id is not None:
            continue  # given by the caller, from the source it holds
        if province is None:
            missing.setdefault(source_id, []).append(obj)
        else:
            obj.province_id = province
    if missing:
        found = dict(
            field.related_model._base_manager.filter(pk__in=list(missing))
            .values_list("pk", "province_id")
        )
        for source_id, waiting in missing.items():
            for obj in waiting:
                obj.province_id = found.get(source_id)


def save_with_province(obj, save, *args, **kwargs):
    """``Model.save`` of a model with a province: the province set when the object is new
    (or has none), and when the source foreign key is loaded (so a changed issuer or parent
    is followed at no query)."""
    field = _source(obj)
    if obj._state.adding or obj.province_id is None or field.is_cached(obj):
        before = obj.province_id
        set_provinces([obj])
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and obj.province_id != before:
            kwargs["update_fields"] = {*update_fields, "province"}
    save(*args, **kwargs)
    if obj.province_id is None and getattr(obj, field.attname) is None:
        # A new top agency: its own province, known once it has an id.
        obj.province_id = obj.pk
        type(obj)._base_manager.filter(pk=obj.pk).update(province_id=obj.pk)


class ProvinceQuerySet(models.QuerySet):
    """``bulk_create`` gives the objects their province first, as ``save`` does."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        set_provinces(objs)
        created = super().bulk_create(objs, *args, **kwargs)
        tops = [obj.pk for obj in objs if obj.province_id is None and obj.pk is not None
                and getattr(obj, _source(obj).attname) is None]
        if tops:
            # New top agencies: their own province, known once they have ids.
            self.model._base_manager.filter(pk__in=tops).update(province_id=models.F("pk"))
            for obj in objs:
                if obj.pk in tops:
                    obj.province_id = obj.pk
        return created


# The tables with a province and where each takes it from, in the order they are filled:
# (table, column referring to the source, source table).
TABLES = [
    ("plans_plan", "issuer_id", "agencies_agency"),
    ("tasks_task", "plan_id", "plans_plan"),
    ("reports_agencyreport", "plan_id", "plans_plan"),
    ("tasks_assignment", "task_id", "tasks_task"),
    ("tasks_progressupdate", "assignment_id", "tasks_assignment"),
]
AGENCY_TABLE = "agencies_agency"
BATCH = 200_000


def _update_from(cursor, table, column, source, where="", params=()):
    """One ``UPDATE … FROM``: ``table``'s province from its ``source`` row, where it differs."""
    cursor.execute(
        f'UPDATE "{table}" SET "province_id" = s."province_id" FROM "{source}" AS s '
        f'WHERE "{table}"."{column}" = s."id" AND s."province_id" IS NOT NULL '
        f'AND ("{table}"."province_id" IS NULL '
        f'OR "{table}"."province_id" <> s."province_id"){where}',
        params,
    )
    return cursor.rowcount


def copy_agency_provinces(cursor):
    """Every agency's province from its parent, level by level from the top agencies."""
    cursor.execute(
        f'UPDATE "{AGENCY_TABLE}" SET "province_id" = "id" '
        f'WHERE "parent_id" IS NULL AND ("province_id" IS NULL OR "province_id" <> "id")'
    )
    for _level in range(MAX_DEPTH):
        if not _update_from(cursor, AGENCY_TABLE, "parent_id", AGENCY_TABLE):
            break


# Where each table's rows of one plan are, for copy_plan_provinces().
_OF_PLAN = {
    "tasks_task": '"tasks_task"."plan_id" = %s',
    "reports_agencyreport": '"reports_agencyreport"."plan_id" = %s',
    "tasks_assignment": (
        '"tasks_assignment"."task_id" IN (SELECT "id" FROM "tasks_task" WHERE "plan_id" = %s)'
    ),
    "tasks_progressupdate": (
        '"tasks_progressupdate"."assignment_id" IN (SELECT a."id" FROM "tasks_assignment" a '
        'JOIN "tasks_task" t ON t."id" = a."task_id" WHERE t."plan_id" = %s)'
    ),
}


def copy_plan_provinces(plan_id, connection=None):
    """The province of one plan's tasks, reports, assignments and progress updates written
    again from the plan's (a plan given to another province's issuer takes its work
    along); one ``UPDATE`` a table. Returns the number of rows changed."""
    connection = connection or default_connection
    changed = 0
    with connection.cursor() as cursor:
        for table, column, source in TABLES[1:]:
            changed += _update_from(
                cursor, table, column, source, f" AND {_OF_PLAN[table]}", [plan_id]
            )
    return changed


def copy_provinces(connection=None, *, province=None, batch=BATCH, tables=TABLES):
    """Write the province of every row of ``tables`` from its source row, in batches of ids
    (a short transaction each on a large table); only rows whose source is in ``province``
    when given (an agency moved under another province takes its work along). Agencies
    first. Returns the number of rows changed."""
    connection = connection or default_connection
    changed = 0
    with connection.cursor() as cursor:
        copy_agency_provinces(cursor)
        for table, column, source in tables:
            if province is not None:
                changed += _update_from(
                    cursor, table, column, source, ' AND s."province_id" = %s', [province]
                )
                continue
            cursor.execute(f'SELECT MIN("id"), MAX("id") FROM "{table}"')
            low, high = cursor.fetchone()
            if low is None:
                continue
            for start in range(low, high + 1, batch):
                changed += _update_from(
                    cursor, table, column, source,
                    f' AND "{table}"."id" >= %s AND "{table}"."id" < %s', [start, start + batch],
                )
    return changed


def users_province(user):
    """The province whose rows ``user``'s pages show: their agency's (as a value when the
    agency is loaded, else as a subquery of the same statement: no query of its own); None
    for a national user (an administrator, a superuser, a user without an agency), who
    sees every province."""
    from .models import Agency, Role  # the models are built with this module

    if (
        not user.is_authenticated
        or user.is_superuser
        or user.role == Role.ADMIN
        or user.agency_id is None
    ):
        return None
    if user._meta.get_field("agency").is_cached(user) and user.agency.province_id:
        return user.agency.province_id
    return models.Subquery(Agency.objects.filter(pk=user.agency_id).values("province")[:1])


def in_users_province(queryset, user):
    """``queryset`` (of a model with a province) bounded by ``user``'s province."""
    province = users_province(user)
    return queryset if province is None else queryset.filter(province=province)
