"""OpenAPI post-processing: every operation documents the problem responses it can give."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema

from accounts.http.problems import PROBLEM_CONTENT_TYPE
from accounts.plans import ANONYMOUS_FEATURES

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
    "401": "No key, or a key that is unknown, revoked or expired.",
    "403": "The plan, key scope or member role does not allow this; the plan is named.",
    "429": "Rate limit reached; see Retry-After.",
    "404": "No such resource.",
    "406": "The requested format is not offered by this endpoint.",
}


# Answers of POSTs that create things: the Idempotency-Key's replay conflicts.
CREATE_PROBLEMS = {
    "409": "A request with this Idempotency-Key is still in progress.",
    "422": "This Idempotency-Key was used for a different request.",
}


def add_problem_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    reference = {"$ref": "#/components/schemas/Problem"}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            responses = operation.setdefault("responses", {})
            problems = COMMON_PROBLEMS | (CREATE_PROBLEMS if method == "post" else {})
            for status, description in problems.items():
                responses.setdefault(
                    status,
                    {"description": description,
                     "content": {PROBLEM_CONTENT_TYPE: {"schema": reference}}},
                )
    return result


class ApiKeyScheme(OpenApiAuthenticationExtension):
    """Documents `Authorization: Bearer <key>` for drf-spectacular."""

    target_class = "accounts.http.authentication.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "cw_live_<id>_<secret>",
            "description": "An organisation's API key; anonymous callers see the catalogue.",
        }


class ClausewatchAutoSchema(AutoSchema):
    """Marks authentication optional where anonymous callers are served (the catalogue)."""

    def get_auth(self):
        auth = super().get_auth()
        feature_for_action = getattr(self.view, "feature_for_action", None)
        if feature_for_action and feature_for_action() in ANONYMOUS_FEATURES and {} not in auth:
            auth.append({})
        return auth
