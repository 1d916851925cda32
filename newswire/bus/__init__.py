"""How nodes learn that the log has grown."""

from __future__ import annotations

from newswire.bus.base import Bus
from newswire.bus.memory import MemoryBus


def open_bus(url: str) -> Bus:
    """Return the bus for a URL: memory:// (in-process) or nats://HOST:PORT."""
    if url in ("memory://", "memory", ""):
        return MemoryBus()
    if url.startswith(("nats://", "tls://")):
        from newswire.bus.nats import NatsBus

        return NatsBus(url)
    raise ValueError(f"unsupported bus URL {url!r}: use memory:// or nats://HOST:PORT")


__all__ = ["Bus", "MemoryBus", "open_bus"]
