"""Request ids in every log line, also in the Celery tasks a request queues; response headers
that every page needs.

A request id comes from the reverse proxy (`X-Request-ID`, when it looks like one) or is made
here; it is answered in `X-Request-ID`, attached to each log record of the request, carried
as a message header to the tasks the request queues, and attached to their log records too,
so one search in the logs finds a comment's request and the e-mails it caused.
"""

import contextvars
import logging
import re
import uuid

from celery.signals import before_task_publish, task_postrun, task_prerun
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
HEADER = "request_id"


def new_request_id(incoming: str | None = None) -> str:
    if incoming and _VALID_ID.match(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every log record (for the formatter, text or JSON)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = new_request_id(request.headers.get("X-Request-ID"))
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        return response


class SecurityHeadersMiddleware:
    """`Permissions-Policy` on every answer; pages for a logged-in person, and answers that
    set a cookie, are never stored.

    A page rendered for a logged-in person carries their name, their bell and their forms:
    no shared cache and no browser history may keep it (`private, no-store`), unless the
    view chose its own caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        personal = (user is not None and user.is_authenticated) or bool(response.cookies)
        if personal and not response.has_header("Cache-Control"):
            # An answer that sets a cookie (a CSRF token, a session) is for this browser only.
            patch_cache_control(response, private=True, no_store=True)
        return response


@before_task_publish.connect
def _send_request_id(headers: dict | None = None, **kwargs) -> None:
    if headers is not None and request_id_var.get() != "-":
        headers.setdefault(HEADER, request_id_var.get())


_task_tokens: dict[str, contextvars.Token] = {}


@task_prerun.connect
def _receive_request_id(task_id: str | None = None, task=None, **kwargs) -> None:
    incoming = getattr(task.request, HEADER, None) if task is not None else None
    if incoming is None and task is not None:
        incoming = (task.request.headers or {}).get(HEADER) if task.request.headers else None
    if incoming and task_id:
        _task_tokens[task_id] = request_id_var.set(incoming)


@task_postrun.connect
def _forget_request_id(task_id: str | None = None, **kwargs) -> None:
    token = _task_tokens.pop(task_id, None) if task_id else None
    if token is not None:
        request_id_var.reset(token)
