"""Request ids in answers and logs (also in queued tasks); security headers on every page."""

import json
import logging

from django.urls import reverse
from pythonjsonlogger.json import JsonFormatter

from geraportal.core import observability
from geraportal.core.observability import HEADER, RequestIdFilter, request_id_var


def test_every_answer_carries_a_request_id(client, db):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert len(first) == 32 and first != second


def test_a_request_id_from_the_proxy_is_kept_and_a_forged_one_replaced(client, db):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="proxy-abc-123456")["X-Request-ID"] == "proxy-abc-123456"
    forged = client.get("/healthz", HTTP_X_REQUEST_ID="x\r\nSet-Cookie: a=b")["X-Request-ID"]
    assert "\n" not in forged and len(forged) == 32


def test_log_lines_of_a_request_name_its_id_as_json(db):
    json_formatter = JsonFormatter(
        "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
        rename_fields={"levelname": "level"},
    )
    record = logging.LogRecord("geraportal", logging.WARNING, __file__, 1, "Hallo", None, None)
    token = request_id_var.set("req-1234567890")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id_var.reset(token)
    line = json.loads(json_formatter.format(record))
    assert line["request_id"] == "req-1234567890" and line["level"] == "WARNING"


class _TaskRequest:
    def __init__(self, headers):
        self.headers = headers
        for key, value in headers.items():
            setattr(self, key, value)


class _Task:
    def __init__(self, headers):
        self.request = _TaskRequest(headers)


def test_the_request_id_travels_with_a_queued_task():
    headers: dict = {}
    token = request_id_var.set("req-abcdef12")
    try:
        observability._send_request_id(headers=headers)
    finally:
        request_id_var.reset(token)
    assert headers == {HEADER: "req-abcdef12"}
    # In the worker: the task's log lines carry it while it runs, and not afterwards.
    observability._receive_request_id(task_id="t1", task=_Task(headers))
    assert request_id_var.get() == "req-abcdef12"
    observability._forget_request_id(task_id="t1")
    assert request_id_var.get() == "-"


def test_permissions_policy_on_every_page(client, db):
    assert "camera=()" in client.get(reverse("pages:home"))["Permissions-Policy"]


def test_pages_for_a_logged_in_person_are_not_stored(client, citizen):
    client.force_login(citizen)
    for url in (reverse("pages:home"), reverse("ideas:list")):
        cache_control = client.get(url)["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control
