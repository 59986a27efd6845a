"""Pages of a list that most often fits on one page (a task's progress history)."""

from django.core.paginator import Paginator


class FirstPageFirstPaginator(Paginator):
    """Reads the first page (and one row more) before counting anything: a list that fits
    on one page costs one query instead of a ``COUNT`` and a page. Any other page, or a
    first page with more behind it, counts as ``Paginator`` does."""

    def get_page(self, number):
        try:
            first = int(number or 1) == 1
        except (TypeError, ValueError):
            first = True
        if not first or "count" in self.__dict__ or self.orphans:
            return super().get_page(number)
        head = list(self.object_list[: self.per_page + 1])
        if len(head) <= self.per_page:
            self.count = len(head)  # the cached property, known without a query
        return self._get_page(head[: self.per_page], 1, self)
