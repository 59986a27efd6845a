"""Admin change lists over tables of millions of rows: no exact count where none is needed."""

from django.contrib import admin
from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

# Below this many rows (by the planner's estimate) the exact count is cheap: it is shown.
EXACT_BELOW = 100_000


def estimated_rows(queryset):
    """PostgreSQL's estimate of the rows of ``queryset``'s table, or None (another database,
    or a table never analysed). Only meaningful for an unfiltered queryset."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = %s::regclass",
            [queryset.model._meta.db_table],
        )
        row = cursor.fetchone()
    if row is None or row[0] < 0:
        return None
    return int(row[0])


class EstimatedCountPaginator(Paginator):
    """The whole table's size from the planner's statistics when it is large and nothing
    filters it; an exact count otherwise."""

    @cached_property
    def count(self):
        queryset = self.object_list
        if not queryset.query.where:
            estimate = estimated_rows(queryset)
            if estimate is not None and estimate >= EXACT_BELOW:
                return estimate
        return super().count


class LargeListMixin:
    """For the ModelAdmin of a large table: the paginator above, no second count of the
    unfiltered table next to a filtered one ("5 of 1,000,000"), and pages of 50 rows (of
    Django's 100, the page's rendering was most of its time)."""

    paginator = EstimatedCountPaginator
    show_full_result_count = False
    list_per_page = 50


class BoundedRelatedFilter(admin.RelatedFieldListFilter):
    """A filter by a related object listing at most ``limit`` of them (``offered``, in its
    order) and the one chosen. ``RelatedOnlyFieldListFilter`` would list every plan or agency
    of a national installation; any other is reached by the list's search or a link with
    its ``…__id__exact`` parameter."""

    limit = 50
    title = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if type(self).title is not None:
            self.title = type(self).title

    def offered(self, model):
        raise NotImplementedError

    def field_choices(self, field, request, model_admin):
        model = field.related_model
        objects = list(self.offered(model)[: self.limit])
        chosen = {value for value in self.lookup_val or () if str(value).isdigit()}
        missing = chosen - {str(obj.pk) for obj in objects}
        if missing:
            objects += model._default_manager.filter(pk__in=missing)
        return [(obj.pk, str(obj)) for obj in objects]
