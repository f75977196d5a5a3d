"""Where a webhook may go: the guard against server-side request forgery.

A staff member types a URL; the worker must not become a way into the city's internal
network (a router's admin page, the cloud's metadata service at 169.254.169.254, Redis on
loopback). So the host is resolved here, every address it resolves to is checked, and the
connection goes to the checked address itself (`transport.py`): a DNS answer that changes
between check and connect (DNS rebinding) cannot move the request elsewhere.

Refused: every address that is not globally routable (private, loopback, link-local,
shared, reserved, unspecified, documentation) and multicast, in IPv4 and IPv6, also when
wrapped in IPv6 (IPv4-mapped `::ffff:127.0.0.1`, 6to4, Teredo, NAT64). Hosts named in
`WEBHOOK_ALLOWED_HOSTS` (tests, the city's own internal systems) skip the check.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

NAT64 = ipaddress.ip_network("64:ff9b::/96")


class AddressRefused(Exception):
    """The URL or its host's addresses are not allowed; the message is technical detail."""


class NameNotResolved(Exception):
    pass


@dataclass(frozen=True)
class Target:
    """A checked destination: connect to `address`, speak to `host` (Host header, SNI)."""

    scheme: str
    host: str
    port: int
    address: str
    path: str

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"


def allowed_hosts() -> set[str]:
    return {host.strip().lower().strip("[]") for host in settings.WEBHOOK_ALLOWED_HOSTS if host.strip()}


def is_allowed_host(host: str) -> bool:
    return host.lower().strip("[]") in allowed_hosts()


def _embedded(ip: IPAddress) -> list[IPAddress]:
    """The IPv4 addresses an IPv6 address carries, which the network may route to."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return []
    found: list[IPAddress] = []
    if ip.ipv4_mapped is not None:
        found.append(ip.ipv4_mapped)
    if ip.sixtofour is not None:
        found.append(ip.sixtofour)
    if ip.teredo is not None:
        found.extend(ip.teredo)
    if ip in NAT64:
        found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return found


def is_public_address(ip: IPAddress) -> bool:
    """Globally routable unicast, and so is every IPv4 address it wraps."""
    if not ip.is_global or ip.is_multicast or ip.is_unspecified or ip.is_reserved:
        return False
    return all(is_public_address(inner) for inner in _embedded(ip))


def check_url(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path) of a URL a webhook may use, or AddressRefused.

    HTTPS only; plain HTTP only for an allowed host when `WEBHOOK_ALLOW_HTTP` is set.
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise AddressRefused(f"invalid URL: {error}") from None
    scheme, host = parts.scheme.lower(), (parts.hostname or "")
    if scheme not in ("https", "http") or not host:
        raise AddressRefused("not an http(s) URL with a host")
    if parts.username is not None or parts.password is not None:
        raise AddressRefused("user name or password in the URL")
    if scheme == "http" and not (settings.WEBHOOK_ALLOW_HTTP and is_allowed_host(host)):
        raise AddressRefused("plain HTTP is not allowed")
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return scheme, host, port or (443 if scheme == "https" else 80), path


def resolve(url: str) -> Target:
    """Check the URL, resolve its host and check every address; the first one is used.

    Every address must pass, not only one: a host that answers with a public and a private
    address could otherwise be steered to the private one by whoever controls its DNS.
    """
    scheme, host, port, path = check_url(url)
    allowed = is_allowed_host(host)
    try:
        literal: IPAddress | None = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        addresses = [literal]
    else:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as error:
            raise NameNotResolved(f"{host}: {error}") from None
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]
        if not addresses:
            raise NameNotResolved(host)
    if not allowed:
        refused = sorted({str(ip) for ip in addresses if not is_public_address(ip)})
        if refused:
            raise AddressRefused(f"{host} → {', '.join(refused)}")
    return Target(scheme=scheme, host=host, port=port, address=str(addresses[0]), path=path)
