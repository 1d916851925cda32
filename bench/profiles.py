"""Profiles of a server under load: py-spy in its own process, and a text summary of its stacks.

Benchmarks that take `--profile DIR` record the newswire server with
`py-spy record --format raw` (collapsed stacks, one line per distinct stack
with its sample count; flamegraph.pl and speedscope read it) while they
measure. `python -m bench.profiles FILE.txt` prints where the time went: the
functions that were on the CPU themselves ("self") and those with the
most samples anywhere in their stack ("inclusive"), as shares of all
samples. py-spy is not a dependency of newswire: `pip install py-spy`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path


async def record(pid: int, seconds: float, path: Path) -> asyncio.subprocess.Process | None:
    """Start py-spy recording a process for `seconds` into path (raw stacks); None without it."""
    spy = shutil.which("py-spy", path=f"{Path(sys.executable).parent}:{os.environ['PATH']}")
    if spy is None:
        print("  (py-spy not found: pip install py-spy; no profile recorded)")
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    return await asyncio.create_subprocess_exec(
        spy, "record", "--pid", str(pid), "--duration", str(max(1, round(seconds))),
        "--rate", "200", "--format", "raw", "--output", str(path), "--nonblocking",
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip


async def finish(process: asyncio.subprocess.Process | None, path: Path) -> None:
    """Wait for a recording to end and print its summary."""
    if process is None:
        return
    await process.wait()
    text = await asyncio.to_thread(summary, path) if path.exists() else "  (no profile)"  # noqa: ASYNC240
    print(f"  profile: {path}\n{text}", flush=True)


@asynccontextmanager
async def recording(path: Path | None, pid: int, seconds: float) -> AsyncIterator[None]:
    """Record a process with py-spy into path while the block runs (about `seconds`); None: don't.

    The summary is printed when the block ends.
    """
    if path is None:
        yield
        return
    spy = await record(pid, seconds, path)
    yield
    await finish(spy, path)


def _frame_name(frame: str) -> str:
    # py-spy raw frames look like "function (path/to/module.py:123)".
    name, _, where = frame.partition(" (")
    module = where.rsplit(":", 1)[0]
    for marker in ("site-packages/", "lib/python3", "/newswire/", "/bench/"):
        if marker in module:
            module = module.split(marker, 1)[1]
    return f"{name} ({module})"


def summary(path: Path, top: int = 25) -> str:
    """Return the top self and inclusive functions of a raw py-spy profile, in % of samples."""
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [_frame_name(frame) for frame in stack.split(";") if frame]
        total += count
        if frames:
            own[frames[-1]] += count
        for frame in set(frames):
            inclusive[frame] += count
    if not total:
        return "  (no samples)"
    lines = [f"  {total} samples; self (on the CPU):"]
    lines += [f"    {n / total:6.1%}  {name}" for name, n in own.most_common(top)]
    lines.append("  inclusive (anywhere in the stack):")
    lines += [f"    {n / total:6.1%}  {name}" for name, n in inclusive.most_common(top)]
    return "\n".join(lines)


if __name__ == "__main__":
    options = argparse.ArgumentParser(description="Summarize a raw py-spy profile.")
    options.add_argument("file", type=Path)
    options.add_argument("--top", type=int, default=25)
    arguments = options.parse_args()
    print(summary(arguments.file, arguments.top))
