"""Pages of a list that most often fits on one page (a task's progress history)."""

from django.core.paginator import Paginator


class FirstPageFirstPaginator(Paginator):
    """Reads the first page (and one row more) before counting anything: a list that fits
    on one page costs one query instead of a ``COUNT`` and a page. Any other page, or a
    first page with more behind it, counts as ``Paginator`` does.

    Given ``count_from``, the name of an annotation every row carries with the length of
    the whole list (``Window(Count("pk"))``), any page is read in one query and counted
    from its first row; only a page past the end counts apart, to show the last one."""

    def __init__(self, object_list, per_page, *, count_from=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count_from = count_from

    def get_page(self, number):
        try:
            wanted = int(number or 1)
        except (TypeError, ValueError):
            wanted = 1
        if "count" in self.__dict__ or self.orphans or wanted < 1:
            return super().get_page(number)
        if self.count_from:
            bottom = (wanted - 1) * self.per_page
            rows = list(self.object_list[bottom : bottom + self.per_page])
            if not rows and wanted > 1:
                return super().get_page(number)
            self.count = getattr(rows[0], self.count_from) if rows else 0
            return self._get_page(rows, wanted, self)
        if wanted != 1:
            return super().get_page(number)
        head = list(self.object_list[: self.per_page + 1])
        if len(head) <= self.per_page:
            self.count = len(head)  # the cached property, known without a query
        return self._get_page(head[: self.per_page], 1, self)
