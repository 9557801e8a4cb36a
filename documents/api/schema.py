"""The API's error answers, added to every operation of the OpenAPI description.

drf-spectacular describes the successful answer of each view; the errors are the same for all
of them, so they are written once here (a postprocessing hook named in SPECTACULAR_SETTINGS).
"""

DETAIL = {"$ref": "#/components/schemas/ErrorDetail"}
FIELD_ERRORS = {"$ref": "#/components/schemas/FieldErrors"}

SCHEMAS = {
    "ErrorDetail": {
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    "FieldErrors": {
        "type": "object",
        "description": "For each query parameter that could not be read, why, as sentences.",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
    },
}


def _answer(description, schema):
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def error_responses(result, generator, request, public):
    """Add 400, 404, 410 and 429 where an operation can answer them."""
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            if "{" in path:
                responses.setdefault("404", _answer("No published record here.", DETAIL))
            else:
                responses.setdefault(
                    "400", _answer("A query parameter could not be read.", FIELD_ERRORS)
                )
                responses.setdefault("404", _answer("No such page of results.", DETAIL))
            if "{record_id}" in path:
                responses.setdefault("410", _answer("The record was withdrawn.", DETAIL))
            responses.setdefault("429", _answer("Too many requests: wait and retry.", DETAIL))
    result.setdefault("components", {}).setdefault("schemas", {}).update(SCHEMAS)
    return result
