"""Every error under /api/ is JSON of one shape: {"status": ..., "code": ..., "detail": ...}."""

from http import HTTPStatus

from django.http import JsonResponse
from django.utils.translation import gettext as _
from rest_framework.views import exception_handler as drf_exception_handler


def error_body(status: int, detail, *, code: str = "", fields: dict | None = None) -> dict:
    try:
        default_code = HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        default_code = "error"
    body = {"status": status, "code": code or default_code, "detail": str(detail)}
    if fields:
        body["fields"] = fields
    return body


def error_response(status: int, detail, **kwargs) -> JsonResponse:
    return JsonResponse(error_body(status, detail, **kwargs), status=status)


def exception_handler(exc, context):
    """DRF's handler, with its varying shapes (a string, a list, a dict of fields) made one."""
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # not an API exception: Django answers 500, the middleware makes it JSON
    data = response.data
    code = getattr(exc, "default_code", "")
    if isinstance(data, dict) and set(data) == {"detail"}:
        detail, fields = data["detail"], None
        code = getattr(data["detail"], "code", code)
    else:
        detail, fields = (
            _("The request is not valid."),
            data if isinstance(data, dict) else {"non_field_errors": data},
        )
    response.data = error_body(response.status_code, detail, code=code, fields=fields)
    return response
