"""The document list's filters in the API: the public filter set, strictly validated.

The pages ignore a filter value they cannot read (the form shows why); a program gets a 400
naming the parameter instead, so a typing error never passes for an empty result. The OpenAPI
parameters are read from the same filter set, so a newly declared filter appears in the API
and its description without an edit here.
"""

from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend

from documents.browse import filters as browse_filters
from documents.browse import index
from documents.browse.declarations import SORT
from documents.browse.filters import DocumentFilter
from documents.models import Document
from documents.views import ordered_results


def _schema(filter_):
    """The OpenAPI schema of one filter's values, by the kind of its form field."""
    field_class = getattr(filter_, "field_class", None)
    if filter_.field_name == SORT.name or isinstance(filter_, browse_filters.SortFilter):
        return {"type": "string", "enum": [value for value, _label in SORT.labels.items()]}
    if field_class is browse_filters.ValueListField:
        item = {"type": "string", "pattern": r"^[-\w.]+$", "maxLength": 200}
        return {"type": "array", "items": item}
    if field_class is browse_filters.PartialDateField:
        return {"type": "string", "pattern": r"^\d{1,4}(-\d{1,2}(-\d{1,2})?)?$"}
    return {"type": "string"}


class PublicDocumentFilter(BaseFilterBackend):
    """The public filters of /documents/, over the in-memory index of published documents."""

    def filterset(self, request):
        filterset = DocumentFilter(
            request.query_params, queryset=Document.objects.published(), request=request
        )
        if not filterset.is_valid():
            raise ValidationError(
                {
                    name: [str(message) for message in errors]
                    for name, errors in filterset.errors.items()
                }
            )
        return filterset

    def find(self, request):
        """(the documents found, sliceable in the chosen order, and their number)."""
        filterset = self.filterset(request)
        found = index.find(filterset)
        return ordered_results(filterset, found), found.count

    def get_schema_operation_parameters(self, view):
        parameters = []
        for name, filter_ in DocumentFilter.base_filters.items():
            schema = _schema(filter_)
            parameter = {
                "name": name,
                "in": "query",
                "required": False,
                "description": str(filter_.label or name),
                "schema": schema,
            }
            if schema["type"] == "array":
                parameter.update(style="form", explode=True)
            parameters.append(parameter)
        return parameters
