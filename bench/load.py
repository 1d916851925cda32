"""The HTTP load generator: wrk in its own process, driven by a small Lua script.

Benchmarks that measure requests per second (feed, ingest, pages) load the
server and its baseline with the same wrk command, so the two figures differ
only in the server.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Load:
    """What one wrk run measured."""

    requests_per_second: float
    latency_p50_ms: float
    latency_p99_ms: float
    requests: int
    errors: int


_WRK_SCRIPT = """
local headers = {HEADERS}
local paths = {PATHS}
local bodies = {BODIES}
local counter = 0
for name, value in pairs(headers) do wrk.headers[name] = value end
request = function()
  counter = counter + 1
  if #bodies > 0 then
    return wrk.format("POST", paths[(counter % #paths) + 1], nil, bodies[(counter % #bodies) + 1])
  end
  return wrk.format("GET", paths[(counter % #paths) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("BENCH %d %d %.1f %.1f\\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


def _lua_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\n", "\\n").replace("\r", "\\r") + '"'


async def wrk(
    base_url: str,
    paths: Sequence[str],
    headers: dict[str, str] | None = None,
    seconds: float = 5.0,
    connections: int = 16,
    threads: int = 1,
    bodies: Sequence[str] = (),
) -> Load:
    """Load a server with wrk (its own process) for `seconds`; rotate through `paths`.

    With `bodies`, each request is a POST of the next body instead of a GET.
    """
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed (apt-get install wrk)")
    script = _WRK_SCRIPT.replace(
        "{HEADERS}",
        "{"
        + ", ".join(f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in (headers or {}).items())
        + "}",
    ).replace("{PATHS}", "{" + ", ".join(_lua_string(path) for path in paths) + "}")
    script = script.replace("{BODIES}", "{" + ", ".join(_lua_string(b) for b in bodies) + "}")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as file:
        file.write(script)
    try:
        process = await asyncio.create_subprocess_exec(
            "wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--latency",
            "-s", file.name, base_url,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        out, err = await process.communicate()
    finally:
        os.unlink(file.name)
    text = out.decode()
    match = re.search(r"^BENCH (\d+) (\d+) ([\d.]+) ([\d.]+)$", text, re.MULTILINE)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", text)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if match is None or rate is None:
        raise RuntimeError(f"wrk failed: {text}\n{err.decode()}")
    errors = int(match.group(2)) + (int(non_2xx.group(1)) if non_2xx else 0)
    return Load(
        requests_per_second=float(rate.group(1)),
        latency_p50_ms=float(match.group(3)) / 1000,
        latency_p99_ms=float(match.group(4)) / 1000,
        requests=int(match.group(1)),
        errors=errors,
    )
