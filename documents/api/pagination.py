"""Pages of API results with their count: `page` (from 1) and `page_size` (at most 100)."""

from django.core.paginator import EmptyPage, Paginator
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination

from documents.views import CountedPaginator

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def _positive_number(request, name, default):
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    try:
        number = int(raw)
    except ValueError:
        number = 0
    if number < 1:
        raise ValidationError({name: [f"'{raw[:20]}' is not a page number: give 1 or more."]})
    return number


class ArchivePagination(PageNumberPagination):
    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        size = _positive_number(request, self.page_size_query_param, self.page_size)
        if size > self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        f"A page holds at most {self.max_page_size} results; ask for fewer."
                    ]
                }
            )
        return size

    def paginate(self, results, request, *, count=None):
        """One page of `results` (a queryset, or a sliceable whose `count` is known)."""
        self.request = request
        size = self.get_page_size(request)
        if count is None:
            paginator = Paginator(results, size)
        else:
            paginator = CountedPaginator(results, size, count=count)
        number = _positive_number(request, self.page_query_param, 1)
        try:
            self.page = paginator.page(number)
        except EmptyPage as error:
            raise NotFound(
                f"There is no page {number}: the results fill {paginator.num_pages}."
            ) from error
        return list(self.page)

    def paginate_queryset(self, queryset, request, view=None):
        return self.paginate(queryset, request)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
                parameter["description"] = f"Results per page, {self.page_size} unless given."
        return parameters
