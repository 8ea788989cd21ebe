"""OpenAPI post-processing: every operation documents the problem responses it can give."""

from accounts.http.problems import PROBLEM_CONTENT_TYPE

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details.",
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": True,
                   "description": "Per-field messages of a validation problem."},
        "retry_after": {"type": "integer", "description": "Seconds, on 429."},
    },
    "required": ["type", "title", "status", "detail"],
}

# Answers any operation can give: bad query parameters, unknown resources, an
# unknown ?format= or Accept, and the rate limiter.
COMMON_PROBLEMS = {
    "400": "A query parameter or field is invalid; `errors` names it.",
    "404": "No such resource.",
    "406": "The requested format is not offered by this endpoint.",
}


def add_problem_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    reference = {"$ref": "#/components/schemas/Problem"}
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            for status, description in COMMON_PROBLEMS.items():
                responses.setdefault(
                    status,
                    {"description": description,
                     "content": {PROBLEM_CONTENT_TYPE: {"schema": reference}}},
                )
    return result
