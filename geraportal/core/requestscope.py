"""What one request has already read from the shared cache, kept for the rest of that request.

A page asks Redis for the same few values in several places (the content version for the page's
key, its counts and its reference data; a logged-in person's roles and unread count for the
header and the rules). `RequestScopeMiddleware` gives every request an empty dict, and the
modules that read such a value keep it there under their own key, so a request asks once. A
write the request commits makes its owner forget the kept value (`forget`), so the rest of the
request reads the new one. Outside a request (tasks, commands) nothing is kept.
"""

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest, HttpResponse

_scope: ContextVar[dict[str, Any] | None] = ContextVar("geraportal_request_scope", default=None)


def current() -> dict[str, Any] | None:
    """The running request's dict, or None outside a request."""
    return _scope.get()


def forget(key: str) -> None:
    scope = _scope.get()
    if scope is not None:
        scope.pop(key, None)


class RequestScopeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _scope.set({})
        try:
            return self.get_response(request)
        finally:
            _scope.reset(token)
