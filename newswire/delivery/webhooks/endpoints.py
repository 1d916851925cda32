"""Which webhook URLs we may call: the SSRF guard, checked at registration and at every send.

A URL must be http(s) and every address its host resolves to must be a
public one. Loopback, private, link-local (which includes the cloud metadata
address 169.254.169.254), carrier-grade NAT, multicast and reserved ranges are
refused unless the operator sets NEWSWIRE_WEBHOOK_ALLOW_PRIVATE=true. The
check runs again before each request because DNS answers change, and the
request then goes to the address that was checked (`pin`), so a second DNS
answer cannot point it somewhere else (DNS rebinding).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

# Metadata services that are not all in link-local space.
METADATA_ADDRESSES = {
    ipaddress.ip_address("169.254.169.254"),
    ipaddress.ip_address("fd00:ec2::254"),
    ipaddress.ip_address("100.100.100.200"),
}


class UnsafeURL(ValueError):
    """A webhook URL we refuse to call."""


class Unresolvable(UnsafeURL):
    """A webhook host that does not resolve (now): a network error, worth a retry at send time."""


# IPv6 ranges that carry an IPv4 address in their last 32 bits: the IPv4 one decides.
_EMBEDDING_V4 = (
    ipaddress.ip_network("64:ff9b::/96"),  # NAT64, the well-known prefix (RFC 6052)
    ipaddress.ip_network("::ffff:0:0:0/96"),  # IPv4-translated (RFC 2765)
    ipaddress.ip_network("::/96"),  # IPv4-compatible (deprecated)
)
# IPv6 ranges refused outright: they reach IPv4 space in ways we cannot check.
_REFUSED_V6 = (
    ipaddress.ip_network("2001::/32"),  # Teredo: the client address is obfuscated
    ipaddress.ip_network("64:ff9b:1::/48"),  # NAT64 for local use (RFC 8215)
)
_ISATAP_IDS = (0x00005EFE, 0x02005EFE)  # ::0:5efe:a.b.c.d and ::200:5efe:a.b.c.d


def _embedded_v4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """Return the IPv4 address an IPv6 one carries (mapped, 6to4, NAT64, ISATAP...), if any."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if any(address in network for network in _EMBEDDING_V4):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if (int(address) >> 32) & 0xFFFFFFFF in _ISATAP_IDS:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def forbidden_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Tell whether an address is not a public unicast one (or is a metadata service).

    An IPv6 address that embeds an IPv4 one (IPv4-mapped, 6to4, NAT64, IPv4-
    translated or -compatible, ISATAP) is judged by that IPv4 address, so
    `[2002:7f00:1::]` is loopback; Teredo and local-use NAT64 are refused.
    """
    if isinstance(address, ipaddress.IPv6Address):
        if any(address in network for network in _REFUSED_V6):
            return True
        embedded = _embedded_v4(address)
        if embedded is not None:
            return forbidden_address(embedded)
    return (
        not address.is_global
        or address.is_multicast
        or address.is_reserved
        or address in METADATA_ADDRESSES
    )


def check_url_shape(url: str) -> tuple[str, int]:
    """Return host and port of an http(s) URL without credentials, or raise UnsafeURL."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeURL("use an absolute http:// or https:// URL")
    if parts.username or parts.password:
        raise UnsafeURL("credentials in the URL are not allowed; put a token in the path")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise UnsafeURL(f"invalid port: {error}") from error
    return parts.hostname, port


@dataclass(frozen=True)
class Pinned:
    """A request target fixed to a checked address: URL, Host header and TLS server name."""

    url: str
    headers: dict[str, str]
    extensions: dict[str, Any]


def pin(url: str, address: str | None) -> Pinned:
    """Point a URL at a checked address, keeping Host and the TLS name of the original host."""
    if address is None:
        return Pinned(url, {}, {})
    parts = urlsplit(url)
    host = parts.hostname or ""
    literal = f"[{address}]" if ":" in address else address
    netloc = literal if parts.port is None else f"{literal}:{parts.port}"
    host_header = host if parts.port is None else f"{host}:{parts.port}"
    extensions = {"sni_hostname": host} if parts.scheme == "https" else {}
    return Pinned(urlunsplit(parts._replace(netloc=netloc)), {"Host": host_header}, extensions)


async def check_url(url: str, allow_private: bool) -> str | None:
    """Raise UnsafeURL unless the URL is http(s) and (unless allowed) resolves only publicly.

    Returns the checked address to send to, or None when private addresses are
    allowed (then the client resolves the name itself).
    """
    host, port = check_url_shape(url)
    if allow_private:
        return None
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as error:
        raise Unresolvable(f"cannot resolve {host}: {error}") from error
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    for address in addresses:
        if forbidden_address(address):
            raise UnsafeURL(
                f"{host} resolves to {address}, a loopback, private, link-local or reserved "
                "address; the operator can allow these with NEWSWIRE_WEBHOOK_ALLOW_PRIVATE=true"
            )
    if not addresses:
        raise Unresolvable(f"{host} has no address")
    return str(addresses[0])
