"""The subscriber portal: wire page, portal search and live publish-to-screen, beside the API's.

One `newswire serve` runs on an archive of `--stories` generated stories
(10,000 by default; `--stories 100000` for the issue's figure), written
through the storage layer as `bench.search` writes its corpus. A company
with one member is made before the server starts; the member signs in over
HTTP, and in the same run, one request at a time, the client measures:

* the live wire page `GET /portal/` (a signed-in session, the newest 30
  stories the company may see, rendered) against the public home page
  `GET /en/` (the site's newest stories, rendered); the newest 30 stories
  are filed public through the API, so both pages show the same stories;
* a portal search `GET /portal/search?q=...` (the same archive query as the
  API, then highlights, the page) against `GET /v1/search?q=...&limit=30`
  with the company's API key (JSON);
* publish-to-screen: `--clients` live portal pages (`GET /portal/live`, the
  session's cookie) held by client processes (`bench/clients.py`), while an
  editor files `--live-stories` stories at `--rate` per second; latency is
  from just before the POST to the arrival of the event's `id:` line at each
  page's socket (the browser's drawing is not in it). Against the same
  number of API SSE connections (`GET /v1/stream`) on the same server.

Run alone: `python -m bench.portal --stories 100000 --clients 500 --runs 3`.
"""

from __future__ import annotations

import re
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench import harness
from bench.benchmarks import Benchmark, Option, Results
from bench.clients import ClientPool, Target
from bench.fanout import _steady
from bench.harness import Figure
from bench.search import _build_corpus, _queries

PAGE = 30
CHEAP_HASHING = {
    "NEWSWIRE_PASSWORD_TIME_COST": "1",
    "NEWSWIRE_PASSWORD_MEMORY_KIB": "1024",
    "NEWSWIRE_PASSWORD_PARALLELISM": "1",
}
EMAIL = "bench@portal.example"
PASSWORD = "bench portal password"

PORTAL = Benchmark(
    "Subscriber portal: wire page, search, live pages",
    [
        Option("--stories", 10_000, "stories in the archive"),
        Option("--repeat", 40, "page requests per run"),
        Option("--clients", 200, "live portal pages"),
        Option("--processes", 2, "client processes"),
        Option("--live-stories", 30, "live stories per run"),
        Option("--rate", 10.0, "live stories per second"),
    ],
    [
        "Baselines, same server and run: the public home page /en/ for the wire page;"
        " GET /v1/search (JSON, same page size) for the portal search; as many API SSE"
        " connections (/v1/stream) for the live portal pages.",
        "Live latency ends when the event's id line reaches the page's socket.",
    ],
)


async def _company(db: str) -> str:
    """Make a company entitled to everything, with one active member; return its id."""
    from newswire.models.principals import Entitlements
    from newswire.runtime import Runtime
    from newswire.settings import Settings

    settings = Settings.load(
        environ={}, db=db, password_time_cost=1, password_memory_kib=1024, password_parallelism=1
    )
    runtime = Runtime.from_settings(settings)
    await runtime.start()
    try:
        company = await runtime.accounts.create_subscriber("Bench Daily", Entitlements())
        invited = await runtime.people.create_company_user(company.id, EMAIL, "Bench")
        token = invited.link.rsplit("/", 1)[1]
        await runtime.password_links.set_password(token, PASSWORD, PASSWORD)
        return str(company.id)
    finally:
        await runtime.stop()


async def _sign_in(client: httpx.AsyncClient) -> str:
    form = await client.get("/portal/sign-in")
    found = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    harness.check(found is not None, "no sign-in form")
    assert found is not None
    data = {"csrf_token": found.group(1), "email": EMAIL, "password": PASSWORD}
    answer = await client.post("/portal/sign-in", data=data)
    harness.check(answer.status_code == 303, f"sign-in answered {answer.status_code}")
    return str(client.cookies["nw_portal_session"])


async def _latencies(
    client: httpx.AsyncClient, requests: list[tuple[str, dict[str, str]]], repeat: int
) -> list[float]:
    times = []
    for _ in range(repeat):
        for path, headers in requests:
            started = time.perf_counter()
            answer = await client.get(path, headers=headers)
            times.append(time.perf_counter() - started)
            harness.check(answer.status_code == 200, f"{path}: {answer.status_code}")
    return times


def _pair(figures: tuple[Figure, Figure], ours: list[float], floor: list[float]) -> str:
    p50, p95 = figures
    a50, a95 = harness.percentile(ours, 0.5) * 1000, harness.percentile(ours, 0.95) * 1000
    b50, b95 = harness.percentile(floor, 0.5) * 1000, harness.percentile(floor, 0.95) * 1000
    p50.add(a50, b50)
    p95.add(a95, b95)
    return f"p50 {a50:6.1f} ms p95 {a95:6.1f} ms vs p50 {b50:6.1f} ms p95 {b95:6.1f} ms"


async def _live(server: harness.Newswire, cookie: str, key: str, options: Any) -> list[float]:
    """Return p50, p99 of publish-to-socket latency: portal pages, then API streams."""
    editor = await server.key("editors")

    async def publish(number: int) -> int:
        return await server.file(editor, harness.story(number))

    results = []
    for target in (
        Target(server.port, "/portal/live", (("Cookie", f"nw_portal_session={cookie}"),)),
        Target(server.port, "/v1/stream", (("Authorization", f"Bearer {key}"),)),
    ):
        async with ClientPool([target], options.clients, options.processes) as pool:
            warm = await publish(-1)
            harness.check(await pool.wait_for(warm, timeout=60), "the warm-up did not arrive")
            await pool.report(reset=True)
            p50, p99, _cpu, _publish = await _steady(
                pool, publish, [server.pid], options.live_stories, options.rate, None
            )
            results += [p50, p99]
    return results


async def _main(options: Any) -> Results:
    wire = (Figure("wire page p50", "ms"), Figure("wire page p95", "ms", target=("<=", 3.0)))
    search = (Figure("portal search p50", "ms"), Figure("portal search p95", "ms"))
    live = (
        Figure(f"live to {options.clients} portal pages p50", "ms"),
        Figure(f"live to {options.clients} portal pages p99", "ms", target=("<=", 1.5)),
    )
    queries = _queries()
    with tempfile.TemporaryDirectory(prefix="newswire-portal-") as tmp:
        path = Path(tmp) / "archive.db"
        db = f"sqlite:///{path}"
        print(f"  writing {options.stories:,} stories through the storage layer...", flush=True)
        await _build_corpus(path, options.stories)
        company_id = await _company(db)
        env = {**CHEAP_HASHING, "NEWSWIRE_PUBLIC_DELAY_SECONDS": "0"}
        async with (
            harness.newswire_server(db=db, env=env) as server,
            httpx.AsyncClient(base_url=server.url, timeout=60) as browser,
        ):
            cookie = await _sign_in(browser)
            # The newest page of both: 30 public stories, so the home page has as many to show.
            await harness.file_stories(server, await server.key("editors"), PAGE)
            rotated = await server.api.post(
                f"/v1/subscribers/{company_id}/rotate-key",
                headers={"Authorization": f"Bearer {harness.ADMIN_TOKEN}"},
            )
            harness.check(rotated.status_code == 200, f"rotate-key: {rotated.text}")
            key = rotated.json()["api_key"]
            api_headers = {"Authorization": f"Bearer {key}"}
            page = {"Accept": "text/html"}
            for run in range(options.runs):
                ours = await _latencies(browser, [("/portal/", page)], options.repeat)
                floor = await _latencies(browser, [("/en/", page)], options.repeat)
                print(f"  run {run + 1}: wire {_pair(wire, ours, floor)} (home)", flush=True)
                ours = await _latencies(
                    browser, [(f"/portal/search?q={q}", page) for q in queries], 1
                )
                floor = await _latencies(
                    browser, [(f"/v1/search?q={q}&limit={PAGE}", api_headers) for q in queries], 1
                )
                print(f"  run {run + 1}: search {_pair(search, ours, floor)} (API)", flush=True)
                p50, p99, b50, b99 = await _live(server, cookie, key, options)
                live[0].add(p50, b50)
                live[1].add(p99, b99)
                print(
                    f"  run {run + 1}: live p50 {p50:6.1f} ms p99 {p99:6.1f} ms"
                    f" vs SSE p50 {b50:6.1f} ms p99 {b99:6.1f} ms",
                    flush=True,
                )
    return Results([*wire, *search, *live], {"search queries per run": len(queries)})


def main(argv: list[str] | None = None) -> int:
    """Run the portal benchmark (see the module's docstring); options: --help."""
    return PORTAL.main(_main, argv)


if __name__ == "__main__":
    raise SystemExit(main())
