"""What every page handler takes from its request: the runtime the app was assembled with."""

from __future__ import annotations

from fastapi import Request

from newswire.runtime import Runtime


def runtime_of(request: Request) -> Runtime:
    """Return the runtime the app was assembled with."""
    runtime: Runtime = request.app.state.runtime
    return runtime
