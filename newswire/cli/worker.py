"""The worker process: background jobs (webhook delivery, embargo releases) without the API.

`newswire worker` runs any number of times beside `newswire serve --no-jobs`
nodes; the jobs coordinate through storage (leases), so workers share
nothing but the database and the bus. With `--port` a worker also answers
`/healthz`, `/livez` and `/metrics` for its orchestrator and Prometheus.
"""

from __future__ import annotations

import asyncio
import signal

from newswire.runtime import Runtime


async def run_worker(runtime: Runtime) -> None:
    """Run the runtime's jobs until SIGTERM or SIGINT, then stop them cleanly."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await runtime.start()
    try:
        await stop.wait()
    finally:
        await runtime.stop()
