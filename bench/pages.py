"""Public story page: requests per second, cold and with If-None-Match, beside a static file.

One server process (`bench/servers.py newswire-static`: newswire assembled
as `newswire serve` assembles it, plus a Starlette StaticFiles mount) serves
both a public story page (`/{language}/stories/{slug}`: read the public
projection, compute the ETag, render the template with its JSON-LD) and a
static HTML file of exactly the page's size. wrk, in its own process, loads
each for `--seconds`:

* cold: a plain GET, so the page is rendered every time, against the static
  file sent whole;
* revalidated: `If-None-Match` with the page's current ETag, so newswire
  answers 304 after reading the story and hashing it, against StaticFiles
  answering 304 to its own ETag.

Run alone: `python -m bench.pages --seconds 5 --runs 3`.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from bench import harness
from bench.benchmarks import Benchmark, Results, wrk_load
from bench.harness import Figure
from bench.load import wrk
from bench.servers import newswire_static

PAGES = Benchmark(
    "Public story page",
    wrk_load(seconds=4.0, connections=16),
    [
        "Baseline: a static file of the page's size, StaticFiles in the same server"
        " process (its own ETag for the If-None-Match case)."
    ],
)


async def _main(options: Any) -> Results:
    cold = Figure("story page, cold (200)", "req/s")
    revalidated = Figure("story page, If-None-Match (304)", "req/s")
    size = 0
    with tempfile.TemporaryDirectory(prefix="newswire-pages-") as tmp:
        static = Path(tmp) / "static"
        static.mkdir()
        async with newswire_static(tmp, static, timeout=30) as (base, api, editor):
            for number in range(20):
                filed = await api.post("/v1/stories", json=harness.story(number), headers=editor)
                filed.raise_for_status()
            story_id = filed.json()["id"]
            page_path = (await api.get(f"/stories/{story_id}")).headers["location"]
            page = await api.get(page_path)
            harness.check(page.status_code == 200, f"story page answered {page.status_code}")
            size, etag = len(page.content), page.headers["etag"]
            (static / "page.html").write_bytes(b"x" * size)
            static_etag = (await api.get("/bench-static/page.html")).headers["etag"]
            for run in range(options.runs):
                loads = []
                for path, headers in (
                    (page_path, {}),
                    ("/bench-static/page.html", {}),
                    (page_path, {"If-None-Match": etag}),
                    ("/bench-static/page.html", {"If-None-Match": static_etag}),
                ):
                    load = await wrk(base, [path], headers, options.seconds, options.connections)
                    harness.check(load.errors == 0, f"{path}: {load.errors} errors")
                    loads.append(load.requests_per_second)
                print(
                    f"  run {run + 1}: cold {loads[0]:7,.0f} req/s vs static {loads[1]:7,.0f};"
                    f" If-None-Match {loads[2]:7,.0f} req/s vs static {loads[3]:7,.0f}",
                    flush=True,
                )
                cold.add(loads[0], loads[1])
                revalidated.add(loads[2], loads[3])
    return Results([cold, revalidated], {"page bytes": size})


def main(argv: list[str] | None = None) -> int:
    """Run the story page benchmark (see the module's docstring); options: --help."""
    return PAGES.main(_main, argv)


if __name__ == "__main__":
    raise SystemExit(main())
