"""The guard against server-side request forgery: no delivery into internal networks."""

import ipaddress
import socket

import pytest

from api.webhooks import addresses, services
from api.webhooks.models import Delivery, Failure
from tests.notifications.delivery import fan_out_events

from .conftest import make_endpoint
from .test_delivery import submit_idea

INTERNAL = [
    "127.0.0.1",
    "127.8.9.10",
    "169.254.169.254",
    "10.0.0.1",
    "172.16.5.4",
    "192.168.178.1",
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "255.255.255.255",
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "fd12:3456::1",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:169.254.169.254",
    "2002:7f00:1::1",  # 6to4 around 127.0.0.1
    "64:ff9b::a00:1",  # NAT64 around 10.0.0.1
]


@pytest.mark.parametrize("address", INTERNAL)
def test_internal_addresses_are_not_public(address):
    assert not addresses.is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.215.14", "2a00:1450:4001:80b::200e", "194.25.2.129"])
def test_public_addresses_are(address):
    assert addresses.is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/hook",
        "https://10.0.0.1/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://localhost/hook",
    ],
)
def test_refused_unless_allowed(url, settings):
    settings.WEBHOOK_ALLOWED_HOSTS = []
    with pytest.raises(addresses.AddressRefused):
        addresses.resolve(url)


def test_a_name_resolving_to_loopback_is_refused(settings, monkeypatch):
    """Checked after resolving: an innocent-looking name on an internal address is refused."""
    settings.WEBHOOK_ALLOWED_HOSTS = []

    def fake(host, port, *args, **kwargs):
        assert host == "hooks.example.org"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    with pytest.raises(addresses.AddressRefused, match="127.0.0.1"):
        addresses.resolve("https://hooks.example.org/x")


def test_every_resolved_address_must_be_public(settings, monkeypatch):
    settings.WEBHOOK_ALLOWED_HOSTS = []
    answers = [
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", 443)),
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", 443)),
    ]
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: answers)
    with pytest.raises(addresses.AddressRefused, match="10.1.2.3"):
        addresses.resolve("https://hooks.example.org/x")


def test_the_checked_address_is_the_one_connected_to(settings, monkeypatch):
    """Resolved once: the connection goes to this address, with the name as Host and SNI."""
    settings.WEBHOOK_ALLOWED_HOSTS = []
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda *a, **k: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", 8443))],
    )
    target = addresses.resolve("https://hooks.example.org:8443/a/b?c=1")
    assert (target.address, target.host, target.port, target.path) == (
        "93.184.215.14",
        "hooks.example.org",
        8443,
        "/a/b?c=1",
    )
    assert target.host_header == "hooks.example.org:8443"


def test_an_allowed_host_skips_the_check(settings):
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1", "[::1]"]
    assert addresses.resolve("https://127.0.0.1/hook").address == "127.0.0.1"
    assert addresses.resolve("https://[::1]/hook").address == "::1"


def test_localhost_is_refused_after_resolving_unless_allowed(settings):
    settings.WEBHOOK_ALLOWED_HOSTS = []
    with pytest.raises(addresses.AddressRefused):
        addresses.resolve("https://localhost:8443/hook")
    settings.WEBHOOK_ALLOWED_HOSTS = ["localhost"]
    assert ipaddress.ip_address(addresses.resolve("https://localhost:8443/hook").address).is_loopback


@pytest.mark.parametrize(
    "url",
    ["http://example.org/hook", "ftp://example.org/x", "https://user:pw@example.org/", "https://", "hooks"],
)
def test_only_https_urls_without_credentials(url, settings):
    settings.WEBHOOK_ALLOW_HTTP = False
    with pytest.raises(addresses.AddressRefused):
        addresses.check_url(url)


def test_plain_http_only_to_an_allowed_host_and_only_when_switched_on(settings):
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.WEBHOOK_ALLOW_HTTP = False
    with pytest.raises(addresses.AddressRefused):
        addresses.check_url("http://127.0.0.1/hook")
    settings.WEBHOOK_ALLOW_HTTP = True
    assert addresses.check_url("http://127.0.0.1/hook")[0] == "http"
    with pytest.raises(addresses.AddressRefused):
        addresses.check_url("http://example.org/hook")


@pytest.mark.django_db
@pytest.mark.usefixtures("clock")
@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]"])
def test_a_delivery_to_a_refused_address_never_connects(receiver, settings, host):
    """The receiver listens on loopback: without the host in the list, nothing reaches it."""
    settings.WEBHOOK_ALLOWED_HOSTS = ["other.example"]
    settings.WEBHOOK_ALLOW_HTTP = False
    make_endpoint(f"https://{host}:{receiver.port}/hooks/portal")
    submit_idea()
    fan_out_events()
    delivery = Delivery.objects.get()
    assert services.delivery_send(delivery_id=delivery.pk) == "pending"
    delivery.refresh_from_db()
    assert delivery.failure == Failure.REFUSED_ADDRESS
    assert receiver.requests == []
