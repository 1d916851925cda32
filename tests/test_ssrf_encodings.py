"""The webhook SSRF guard refuses every encoding of a private address (issue 15), table-driven."""

from __future__ import annotations

import ipaddress

import pytest

from newswire.delivery.webhooks.endpoints import UnsafeURL, check_url, forbidden_address

pytestmark = pytest.mark.anyio

REFUSED = [
    ("2002:7f00:1::", "6to4 of 127.0.0.1"),
    ("2002:a00:1::1", "6to4 of 10.0.0.1"),
    ("2002:a9fe:a9fe::", "6to4 of the metadata address"),
    ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo"),
    ("2001::1", "Teredo prefix"),
    ("64:ff9b::7f00:1", "NAT64 of 127.0.0.1"),
    ("64:ff9b::a9fe:a9fe", "NAT64 of 169.254.169.254"),
    ("64:ff9b::c0a8:101", "NAT64 of 192.168.1.1"),
    ("64:ff9b:1::808:808", "local-use NAT64"),
    ("::ffff:127.0.0.1", "IPv4-mapped loopback"),
    ("::ffff:10.1.2.3", "IPv4-mapped private"),
    ("::ffff:0:127.0.0.1", "IPv4-translated loopback"),
    ("::127.0.0.1", "IPv4-compatible loopback"),
    ("2a00:1450::5efe:7f00:1", "ISATAP of 127.0.0.1"),
    ("::1", "IPv6 loopback"),
    ("fe80::1", "link-local"),
    ("fc00::1", "unique local"),
    ("fd00:ec2::254", "EC2 metadata over IPv6"),
    ("ff02::1", "multicast"),
    ("::", "unspecified"),
    ("127.0.0.1", "loopback"),
    ("10.0.0.1", "private"),
    ("100.64.0.1", "carrier-grade NAT"),
    ("169.254.169.254", "metadata"),
    ("100.100.100.200", "Alibaba metadata"),
    ("0.0.0.0", "this network"),
    ("224.0.0.1", "multicast"),
    ("255.255.255.255", "broadcast"),
]
ALLOWED = [
    ("8.8.8.8", "public IPv4"),
    ("2606:4700:4700::1111", "public IPv6"),
    ("2002:808:808::1", "6to4 of a public address"),
    ("64:ff9b::808:808", "NAT64 of a public address"),
    ("::ffff:8.8.8.8", "IPv4-mapped public"),
]


@pytest.mark.parametrize(("address", "what"), REFUSED)
def test_a_private_address_in_any_encoding_is_refused(address: str, what: str) -> None:
    assert forbidden_address(ipaddress.ip_address(address)), what


@pytest.mark.parametrize(("address", "what"), ALLOWED)
def test_a_public_address_in_any_encoding_is_allowed(address: str, what: str) -> None:
    assert not forbidden_address(ipaddress.ip_address(address)), what


@pytest.mark.parametrize(
    "url",
    [
        "http://[2002:7f00:1::]/",
        "http://[64:ff9b::7f00:1]/hook",
        "http://[::ffff:7f00:1]/",
        "http://2130706433/",  # 127.0.0.1 as one decimal number
        "http://0x7f.1/",  # hexadecimal, shortened
        "http://0177.0.0.1/",  # octal
        "http://127.1/",
    ],
)
async def test_urls_with_encoded_private_hosts_are_refused(url: str) -> None:
    with pytest.raises(UnsafeURL):
        await check_url(url, allow_private=False)
