"""`newswire story ...`: the newsroom's operations from a terminal, through the HTTP API.

The CLI is an API client like any other: it sends the editor's key and shows
the API's answer, so what works here works for every editorial system.
"""

from __future__ import annotations

import json
import sys
import time
import uuid
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer
from rich.console import Console
from rich.text import Text

story_app = typer.Typer(help="File, update, correct, embargo, kill and inspect stories.")
console = Console(soft_wrap=True)

UrlOption = Annotated[
    str, typer.Option("--url", envvar="NEWSWIRE_URL", help="Base URL of the newswire API")
]
KeyOption = Annotated[
    str, typer.Option("--key", envvar="NEWSWIRE_KEY", help="Editor key (NEWSWIRE_KEY)")
]
FileArgument = Annotated[
    Path,
    typer.Argument(
        exists=True,
        dir_okay=False,
        help="Story file: .json (story fields), .xml (NewsML-G2) or text layout (anything else)",
    ),
]

_CONTENT_TYPES = {".json": "application/json", ".xml": "application/vnd.iptc.g2.newsitem+xml"}


def _client(url: str, key: str) -> httpx.Client:
    return httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=30)


def _show(response: httpx.Response, fields: tuple[str, ...] = ()) -> None:
    """Print a successful answer (or the chosen fields of it); exit 1 with the error otherwise."""
    if response.is_error:
        try:
            error = response.json()["error"]
            where = f" [{error['field']}]" if error.get("field") else ""
            console.print(f"[red]error {error['status']}{where}:[/red] {error['message']}")
        except (ValueError, KeyError):
            console.print(f"[red]error {response.status_code}:[/red] {response.text[:500]}")
        raise typer.Exit(1)
    if "json" not in response.headers.get("content-type", ""):
        sys.stdout.write(response.text)
        return
    body = response.json()
    if fields:
        body = {name: body.get(name) for name in fields}
    console.print_json(json.dumps(body, ensure_ascii=False))


# A write whose answer was lost is sent again with the same Idempotency-Key, so the
# retry gets the original answer instead of filing twice (docs/api.md).
_WRITE_ATTEMPTS = 3


def _write(client: httpx.Client, method: str, path: str, **request: Any) -> httpx.Response:
    """Send a write with a fresh Idempotency-Key; retry it with that key if the answer is lost."""
    headers = {**request.pop("headers", {}), "Idempotency-Key": str(uuid.uuid4())}
    for attempt in range(1, _WRITE_ATTEMPTS + 1):
        try:
            return client.request(method, path, headers=headers, **request)
        except httpx.TransportError as error:
            if attempt == _WRITE_ATTEMPTS:
                console.print(f"[red]no answer from {client.base_url}:[/red] {error}")
                raise typer.Exit(1) from error
            time.sleep(attempt)
    raise AssertionError("unreachable")  # pragma: no cover


def _send_file(
    client: httpx.Client, method: str, path: str, story_file: Path, extra: dict[str, Any] | None
) -> httpx.Response:
    content_type = _CONTENT_TYPES.get(story_file.suffix.lower(), "text/plain")
    content = story_file.read_bytes()
    if extra and content_type == "application/json":
        content = json.dumps({**json.loads(content), **extra}).encode()
    return _write(client, method, path, content=content, headers={"Content-Type": content_type})


_FILED = ("id", "version", "seq", "event", "pubstatus", "headline", "slug", "embargoed_until")


def _file_from(
    url: str, key: str, method: str, path: str, story_file: Path, extra: dict[str, Any] | None
) -> None:
    """Send a story file as an editor and show the story as it was filed."""
    with _client(url, key) as client:
        _show(_send_file(client, method, path, story_file, extra), _FILED)


def _act_on(url: str, key: str, path: str, body: dict[str, Any]) -> None:
    """Post an editor's action on a story (kill, embargo) and show the story it left."""
    with _client(url, key) as client:
        _show(_write(client, "POST", path, json=body), _FILED)


@story_app.command("file")
def file_story(
    story_file: FileArgument,
    url: UrlOption = "http://127.0.0.1:8000",
    key: KeyOption = "",
    public: Annotated[bool, typer.Option("--public", help="Show it on the public site")] = False,
) -> None:
    """File a new story from a file."""
    path = "/v1/stories" + ("?public=true" if public else "")
    _file_from(url, key, "POST", path, story_file, None)


@story_app.command("update")
def update_story(
    story_id: str,
    story_file: FileArgument,
    url: UrlOption = "http://127.0.0.1:8000",
    key: KeyOption = "",
) -> None:
    """File a new version of a story from a file."""
    _file_from(url, key, "PUT", f"/v1/stories/{story_id}", story_file, None)


@story_app.command("correct")
def correct_story(
    story_id: str,
    story_file: FileArgument,
    note: Annotated[str, typer.Option("--note", help="What was wrong (the editor's note)")],
    url: UrlOption = "http://127.0.0.1:8000",
    key: KeyOption = "",
) -> None:
    """File a corrected version of a story (JSON file) with an editor's note."""
    path = f"/v1/stories/{story_id}/correct"
    _file_from(url, key, "POST", path, story_file, {"ednote": note})


@story_app.command("kill")
def kill_story(
    story_id: str,
    reason: Annotated[str, typer.Option("--reason", help="Why it is withdrawn")],
    url: UrlOption = "http://127.0.0.1:8000",
    key: KeyOption = "",
) -> None:
    """Withdraw a story; every subscriber that received it is told."""
    _act_on(url, key, f"/v1/stories/{story_id}/kill", {"reason": reason})


@story_app.command("embargo")
def change_embargo(
    story_id: str,
    until: Annotated[
        str | None, typer.Option("--until", help="New release time, e.g. 2026-11-28T06:00:00Z")
    ] = None,
    lift: Annotated[bool, typer.Option("--lift", help="Release the story now")] = False,
    url: UrlOption = "http://127.0.0.1:8000",
    key: KeyOption = "",
) -> None:
    """Move a story's embargo (--until) or lift it now (--lift)."""
    if lift == (until is not None):
        console.print("[red]give exactly one of --until or --lift[/red]")
        raise typer.Exit(2)
    path = f"/v1/stories/{story_id}/embargo"
    _act_on(url, key, path, {"embargoed_until": until})


@story_app.command("versions")
def list_versions(
    story_id: str, url: UrlOption = "http://127.0.0.1:8000", key: KeyOption = ""
) -> None:
    """List a story's versions."""
    with _client(url, key) as client:
        _show(client.get(f"/v1/stories/{story_id}/versions"))


@story_app.command("show")
def show_story(
    story_id: str,
    version: Annotated[int | None, typer.Option("--version", help="A past version")] = None,
    format: Annotated[
        str, typer.Option("--format", help="ninjs2, ninjs3, newsml-g2, nitf, text")
    ] = "text",
    url: UrlOption = "http://127.0.0.1:8000",
    key: KeyOption = "",
) -> None:
    """Print a story (current or a given version) in a format."""
    path = f"/v1/stories/{story_id}" + (f"/versions/{version}" if version else "")
    with _client(url, key) as client:
        _show(client.get(path, params={"format": format}))


@story_app.command("diff")
def diff_versions(
    story_id: str,
    old: Annotated[int, typer.Argument(help="Older version")],
    new: Annotated[int, typer.Argument(help="Newer version")],
    url: UrlOption = "http://127.0.0.1:8000",
    key: KeyOption = "",
) -> None:
    """Show what changed between two versions of a story."""
    with _client(url, key) as client:
        response = client.get(f"/v1/stories/{story_id}/diff", params={"from": old, "to": new})
    if response.is_error:
        _show(response)
    body = response.json()
    for name, change in body["fields"].items():
        console.print(Text(f"{name}: {change['from']!r} -> {change['to']!r}"))
    for line in body["body_diff"]:
        style = "green" if line.startswith("+") else "red" if line.startswith("-") else ""
        console.print(Text(line, style=style))
