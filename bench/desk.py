"""The newsroom desk: the monitoring view and the autosave round-trip, beside the public home.

One `newswire serve` process over a SQLite archive of `--stories` stories
(filed in-process through the newsroom before the server starts, so the
setup does not dominate the run) and `--drafts` drafts on the desk's stages.
An editor signed in through the real sign-in form then, one request at a
time (what one editor's browser does):

* opens the monitoring view (`GET /desk/`: the drafts per stage, the latest
  stories on the wire, lock marks) against the public home page (`GET /en/`)
  in the same run;
* autosaves a draft (`POST /desk/drafts/{id}/autosave`: the session and
  CSRF checks, the version check, the write, the lock renewal) against the
  same public home page.

Figures are median latencies in milliseconds; the ratio is desk / home.
Run alone: `python -m bench.desk --stories 10000 --runs 3`.
"""

from __future__ import annotations

import re
import statistics
import tempfile
from typing import Any

import httpx

from bench import harness
from bench.benchmarks import Benchmark, Option, Results
from bench.harness import Figure

DESK = Benchmark(
    "Newsroom desk",
    [
        Option("--stories", 10_000, "stories in the archive"),
        Option("--drafts", 60, "drafts on the desk"),
        Option("--requests", 100, "requests per figure and run"),
    ],
    [
        "Baseline: the public home page (GET /en/) of the same server, in the same run.",
        "One editor's browser: requests one at a time over one keep-alive connection.",
    ],
)


async def _prepare(db: str, stories: int, drafts: int) -> None:
    """File the archive and put drafts on the desk, in-process, before the server starts."""
    from newswire.models.drafts import Staff
    from newswire.models.people import PersonRole
    from newswire.newsroom.drafts import StoryDraft
    from newswire.runtime import Runtime
    from newswire.settings import Settings

    runtime = Runtime.from_settings(Settings.load(db=db))
    await runtime.start()
    try:
        for number in range(stories):
            await runtime.newsroom.file_story(StoryDraft(**harness.story(number)))
        invitation = await runtime.people.create_staff(
            "bench-editor@newswire.example", "Bench Editor", PersonRole.EDITOR
        )
        token = invitation.link.rsplit("/", 1)[1]
        await runtime.password_links.set_password(token, PASSWORD, PASSWORD)
        reporter = Staff("bench-reporter", "Bench Reporter", may_publish=False)
        for number in range(drafts):
            draft = await runtime.desk.create(reporter, harness.story(number))
            await runtime.desk.submit(draft.id, draft.version, reporter)
            await runtime.desk.unlock(draft.id, reporter)
    finally:
        await runtime.stop()


PASSWORD = "bench editor password"


async def _sign_in(api: httpx.AsyncClient) -> str:
    form = await api.get("/desk/sign-in")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert token is not None
    answer = await api.post(
        "/desk/sign-in",
        data={"csrf_token": token.group(1), "email": "bench-editor@newswire.example",
              "password": PASSWORD},
    )  # fmt: skip
    harness.check(answer.status_code == 303, f"sign-in answered {answer.status_code}")
    page = await api.get("/desk/", headers={"Accept": "text/html"})
    csrf = re.search(r'<meta name="csrf-token" content="([^"]+)">', page.text)
    assert csrf is not None
    return csrf.group(1)


async def _median_ms(requests: int, send: Any) -> float:
    times = []
    for _ in range(requests):
        started = harness.now()
        response = await send()
        times.append((harness.now() - started) * 1000)
        harness.check(response.status_code == 200, f"answered {response.status_code}")
    return statistics.median(times)


async def _main(options: Any) -> Results:
    monitoring = Figure(
        "monitoring view vs public home", "ms", target=("<=", 3.0), note="median latency"
    )
    autosave = Figure(
        "autosave round-trip vs public home", "ms", target=("<=", 3.0), note="median latency"
    )
    with tempfile.TemporaryDirectory(prefix="newswire-desk-") as tmp:
        db = f"sqlite:///{tmp}/desk.db"
        started = harness.now()
        await _prepare(db, options.stories, options.drafts)
        print(f"  archive filed in {harness.now() - started:.0f} s", flush=True)
        async with harness.newswire_server(db=db) as server:
            async with httpx.AsyncClient(base_url=server.url, timeout=60) as api:
                csrf = await _sign_in(api)
                page = await api.get("/desk/")
                draft_id = re.findall(r'href="/desk/drafts/(\w+)"', page.text)[0]
                draft = await api.get(f"/desk/drafts/{draft_id}")  # takes the lock
                version = int(re.findall(r'name="version" value="(\d+)"', draft.text)[0])
                counter = 0

                async def save() -> httpx.Response:
                    nonlocal version, counter
                    counter += 1
                    fields = {"headline": f"Bench draft, revision {counter}"}
                    answer = await api.post(
                        f"/desk/drafts/{draft_id}/autosave",
                        json={"version": version, "fields": fields},
                        headers={"X-CSRF-Token": csrf},
                    )
                    if answer.status_code == 200:
                        version = int(answer.json()["version"])
                    return answer

                async def home() -> httpx.Response:
                    return await api.get("/en/")

                async def board() -> httpx.Response:
                    return await api.get("/desk/")

                for run in range(options.runs):
                    desk_ms = await _median_ms(options.requests, board)
                    home_ms = await _median_ms(options.requests, home)
                    save_ms = await _median_ms(options.requests, save)
                    home_again = await _median_ms(options.requests, home)
                    print(
                        f"  run {run + 1}: monitoring {desk_ms:6.1f} ms vs home {home_ms:6.1f};"
                        f" autosave {save_ms:6.1f} ms vs home {home_again:6.1f}",
                        flush=True,
                    )
                    monitoring.add(desk_ms, home_ms)
                    autosave.add(save_ms, home_again)
    return Results([monitoring, autosave])


def main(argv: list[str] | None = None) -> int:
    """Run the desk benchmark (see the module's docstring); options: --help."""
    return DESK.main(_main, argv)


if __name__ == "__main__":
    raise SystemExit(main())
