"""Rendition downloads: throughput of a picture's renditions against a static file of the same size.

One server process (`bench/servers.py newswire-static`: newswire assembled as
`newswire serve` assembles it, plus a Starlette StaticFiles mount) serves a
filed picture's renditions (`GET /v1/media/{id}/renditions/{name}` with a
subscriber's key: key check, entitlement from the item's log entries, blob
streamed from the filesystem store) and a static file of exactly each
rendition's size. wrk, in its own process, loads each for `--seconds`:

* the preview (a typical web size) and the base (2,048 px), as requests per
  second and MB/s, against the static file of the same size;
* the original of the 24-megapixel picture, as MB/s, against its static twin.

Run alone: `python -m bench.media_downloads --seconds 5 --runs 3`.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from bench import harness
from bench.benchmarks import Benchmark, Results, wrk_load
from bench.harness import ADMIN_TOKEN, Figure
from bench.load import wrk
from bench.media import PICTURE_DETAILS, photo_like_jpeg
from bench.servers import newswire_static

RENDITIONS = ("preview", "base", "original")

MEDIA_DOWNLOADS = Benchmark(
    "Rendition downloads against a static file of the same size",
    wrk_load(seconds=5.0, connections=8),
    [
        "newswire: GET /v1/media/{id}/renditions/{name} with a subscriber key (key,"
        " entitlement from the item's log entries, blob streamed from the filesystem"
        " store). Baseline: a static file of the same size, StaticFiles in the same"
        " server process."
    ],
)


async def _main(options: Any) -> Results:
    figures = {name: Figure(f"{name} rendition download", "MB/s") for name in RENDITIONS}
    sizes: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="newswire-media-") as tmp:
        static = Path(tmp) / "static"
        static.mkdir()
        async with newswire_static(tmp, static, timeout=120) as (base, api, editor):
            admin = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
            subscribed = await api.post(
                "/v1/subscribers",
                json={"name": "cms", "entitlements": {"media": ["pictures"]}},
                headers=admin,
            )
            subscriber = {"Authorization": f"Bearer {subscribed.json()['api_key']}"}
            filed = await api.post(
                "/v1/media",
                files={"file": ("bench.jpg", photo_like_jpeg(), "image/jpeg")},
                data=PICTURE_DETAILS,
                headers=editor,
            )
            harness.check(filed.status_code == 201, f"upload answered {filed.status_code}")
            paths = {}
            for rendition in filed.json()["renditions"]:
                name = rendition["name"]
                if name not in RENDITIONS:
                    continue
                paths[name] = rendition["href"]
                sizes[name] = rendition["size"]
                (static / f"{name}.jpg").write_bytes(b"x" * rendition["size"])
                check = await api.get(rendition["href"], headers=subscriber)
                harness.check(check.status_code == 200, f"{name}: {check.status_code}")
            for run in range(options.runs):
                line = []
                for name in RENDITIONS:
                    ours = await wrk(
                        base, [paths[name]], subscriber, options.seconds, options.connections
                    )
                    floor = await wrk(
                        base, [f"/bench-static/{name}.jpg"], {}, options.seconds,
                        options.connections,
                    )  # fmt: skip
                    harness.check(ours.errors == 0 and floor.errors == 0, f"{name}: errors")
                    megabytes = sizes[name] / 1e6
                    figures[name].add(
                        ours.requests_per_second * megabytes, floor.requests_per_second * megabytes
                    )
                    ours_rps, floor_rps = ours.requests_per_second, floor.requests_per_second
                    line.append(f"{name} {ours_rps:,.0f} vs {floor_rps:,.0f} req/s")
                print(f"  run {run + 1}: " + "; ".join(line), flush=True)
    return Results(list(figures.values()), {f"{name} bytes": size for name, size in sizes.items()})


def main(argv: list[str] | None = None) -> int:
    """Run the rendition download benchmark (see the module's docstring); options: --help."""
    return MEDIA_DOWNLOADS.main(_main, argv)


if __name__ == "__main__":
    raise SystemExit(main())
