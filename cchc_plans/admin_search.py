from .search import folded_filter


class FoldedSearchMixin:
    """Admin search that ignores diacritics, through the model's folded ``search_text``."""

    folded_search_field = "search_text"

    def get_search_results(self, request, queryset, search_term):
        if not search_term:
            return queryset, False
        return queryset.filter(folded_filter(self.folded_search_field, search_term)), False
