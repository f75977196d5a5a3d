"""The schema is generated without warnings, and the API keeps to it (schemathesis)."""

import io

import pytest
import schemathesis
from django.core.management import call_command
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)


def test_schema_generates_without_warnings(tmp_path):
    out = io.StringIO()
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"), stderr=out
    )
    assert (tmp_path / "schema.yaml").read_text().startswith("openapi: 3")


def _wsgi_application():
    from django.core.handlers.wsgi import WSGIHandler

    return WSGIHandler()


# The live schema, read in-process through the WSGI application: no server, no network.
schema = schemathesis.openapi.from_wsgi("/api/schema/", _wsgi_application())


@pytest.fixture
def keep_test_connection():
    """Django closes the database connection after each request; its test client stops that,
    and so must we, or the test's transaction is gone after the first call (PostgreSQL)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=10, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_api_keeps_to_its_schema(case, world, keep_test_connection):
    """Generated requests, valid and not: never a 5xx, every answer as documented."""
    case.call_and_validate(
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_headers_conformance,
            response_schema_conformance,
        ]
    )
