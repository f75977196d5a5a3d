"""A request with a Host header the portal does not serve is refused with 400, not 500."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/ideas/", "/participation/", "/healthz"])
def test_a_foreign_host_gets_a_400_page(client, settings, path):
    settings.ALLOWED_HOSTS = ["testserver", "gera.example"]
    response = client.get(path, HTTP_HOST="evil.example")
    assert response.status_code == 400
