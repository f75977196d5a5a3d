"""Additions to the generated OpenAPI schema."""

ERROR_SCHEMA = {
    "type": "object",
    "description": "Every error under /api/ has this shape.",
    "properties": {
        "status": {"type": "integer", "description": "The HTTP status code."},
        "code": {"type": "string", "description": "A stable machine-readable code, e.g. `not_found`."},
        "detail": {"type": "string", "description": "What went wrong, in the requested language."},
        "fields": {"type": "object", "description": "Per query parameter, what is wrong with it."},
    },
    "required": ["status", "code", "detail"],
}
ERRORS = {
    "400": "A query parameter is unknown or its value is not valid.",
    "404": "There is no such public record.",
    "405": "The API is read-only: only GET, HEAD and OPTIONS.",
    "429": "Too many requests from this address; see `Retry-After`.",
}


def add_error_responses(result, generator, request, public):
    """Document the JSON errors every operation can answer with (one schema, referenced)."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path in result.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            for status, description in ERRORS.items():
                responses.setdefault(status, {"description": description, "content": reference})
            ok = responses.get("200")
            if ok is not None:
                ok.setdefault("headers", {}).update(
                    {
                        "ETag": {
                            "schema": {"type": "string"},
                            "description": "Send it back in If-None-Match.",
                        },
                        "Last-Modified": {
                            "schema": {"type": "string"},
                            "description": "Send it back in If-Modified-Since.",
                        },
                    }
                )
                responses.setdefault("304", {"description": "Not modified since the ETag or date you sent."})
    return result
