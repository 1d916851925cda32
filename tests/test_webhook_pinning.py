"""The SSRF guard sends to the address it checked, so DNS rebinding cannot redirect a webhook."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import pytest

from newswire.delivery.webhooks.endpoints import UnsafeURL, check_url, pin

pytestmark = pytest.mark.anyio


def test_pin_keeps_host_header_and_tls_name_of_the_original_host() -> None:
    plain = pin("http://hooks.example.org:8080/in?x=1", "203.0.113.7")
    assert plain.url == "http://203.0.113.7:8080/in?x=1"
    assert plain.headers == {"Host": "hooks.example.org:8080"}
    assert plain.extensions == {}
    tls = pin("https://hooks.example.org/in", "2001:db8::5")
    assert tls.url == "https://[2001:db8::5]/in"
    assert tls.headers == {"Host": "hooks.example.org"}
    assert tls.extensions == {"sni_hostname": "hooks.example.org"}
    assert pin("https://hooks.example.org/in", None).url == "https://hooks.example.org/in"


async def test_check_url_returns_the_address_it_checked_and_refuses_a_rebound_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A resolver that answers a public address first and loopback afterwards, as a
    # rebinding attacker's DNS would. No packet is sent anywhere.
    answers = iter(["93.184.216.34", "127.0.0.1"])

    async def fake_getaddrinfo(host: str, port: int, **_: Any) -> list[Any]:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))]

    loop = asyncio.get_running_loop()
    monkeypatch.setattr(loop, "getaddrinfo", fake_getaddrinfo)
    checked = await check_url("https://hooks.example.org/in", allow_private=False)
    assert checked == "93.184.216.34", "the request goes to the address that passed the check"
    with pytest.raises(UnsafeURL, match="127.0.0.1"):
        await check_url("https://hooks.example.org/in", allow_private=False)
