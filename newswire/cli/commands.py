"""The commands: `newswire serve`, `worker`, `migrate`, `reproject`, `settings` and `tail`.

Every option defaults to its `NEWSWIRE_*` environment variable, then to the
default declared in `settings.py`.
"""

from __future__ import annotations

import asyncio
import dataclasses
import gc
import textwrap
from typing import Annotated, Any

import typer
import uvicorn
from rich.console import Console

from newswire.settings import SETTINGS, Settings

app = typer.Typer(help="newswire: a news agency's broadcasting system.", no_args_is_help=True)
console = Console(soft_wrap=True)  # keys must stay on one line to be copied

DbOption = Annotated[str | None, typer.Option("--db", help="Database URL (NEWSWIRE_DB)")]
BusOption = Annotated[str | None, typer.Option("--bus", help="Bus URL (NEWSWIRE_BUS)")]


def _settings(**overrides: Any) -> Settings:
    return Settings.load(**overrides)


@app.command()
def serve(
    db: DbOption = None,
    bus: BusOption = None,
    host: Annotated[str | None, typer.Option(help="Interface (NEWSWIRE_HOST)")] = None,
    port: Annotated[int | None, typer.Option(help="Port (NEWSWIRE_PORT)")] = None,
    demo: Annotated[
        bool | None, typer.Option("--demo/--no-demo", help="Load demo content and keys")
    ] = None,
    jobs: Annotated[
        bool,
        typer.Option(
            "--jobs/--no-jobs",
            help="Also run background jobs (webhooks, embargoes); off when workers run them",
        ),
    ] = True,
) -> None:
    """Run the HTTP server: API, streams and public site."""
    from newswire.app import create_app
    from newswire.cli.banner import print_demo
    from newswire.demo.loader import prepare_demo
    from newswire.runtime import Runtime

    settings = _settings(db=db, bus=bus, host=host, port=port, demo=demo)
    base = f"http://{settings.host}:{settings.port}"
    console.print(f"[bold]newswire[/bold] on {settings.db} with bus {settings.bus}")
    if settings.demo:
        keys = asyncio.run(prepare_demo(settings))
        settings = dataclasses.replace(settings, admin_token=keys.admin_token)
        print_demo(console, base, keys)
    runtime = Runtime.from_settings(settings, run_jobs=jobs)
    if not settings.admin_token:
        token = runtime.admin_token
        console.print(f"  admin token: [yellow]{token}[/yellow] (set NEWSWIRE_ADMIN_TOKEN)")
    console.print(f"  public site: {base}/")
    console.print(f"  API docs:    {base}/docs   (OpenAPI: {base}/openapi.json)")
    config = uvicorn.Config(
        create_app(runtime),
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level,
        timeout_graceful_shutdown=5,
    )
    tune_garbage_collector()
    _StoppingServer(config, runtime).run()


# Objects allocated, net of those freed, before the youngest generation is collected.
GC_YOUNG_THRESHOLD = 10_000


def tune_garbage_collector() -> None:
    """Make the cyclic garbage collector cheaper for a long-running server with many connections.

    Each open stream holds a few hundred objects that live as long as it does,
    and every event allocates a few dozen per connection. With Python's
    default threshold (700) a thousand connections trigger dozens of
    collections per event and a full one every few events, each scanning every
    connection's objects: in the fan-out benchmark that was a fifth of the
    server's CPU. Collecting the young generation every 10,000 allocations
    lets short-lived objects die by reference counting first, and the objects
    that exist once the app is built (modules, routes, templates) are frozen
    out of the scans. Memory held by cyclic garbage grows by a few MB at most.
    """
    gc.collect()
    gc.freeze()
    _young, middle, old = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, middle, old)


class _StoppingServer(uvicorn.Server):
    """A uvicorn server that tells the runtime it is stopping as soon as a signal arrives.

    Uvicorn waits for open connections before the app's lifespan shutdown runs;
    setting `runtime.stopping` first lets SSE and WebSocket streams end at once
    (clients resume elsewhere with their cursor) instead of holding shutdown up.
    """

    def __init__(self, config: uvicorn.Config, runtime: Any) -> None:
        super().__init__(config)
        self._runtime = runtime

    def handle_exit(self, sig: int, frame: Any) -> None:
        self._runtime.stopping.set()
        super().handle_exit(sig, frame)


@app.command()
def migrate(db: DbOption = None) -> None:
    """Apply pending database migrations and exit."""
    from newswire.storage import open_storage

    settings = _settings(db=db)

    async def run() -> list[int]:
        storage = open_storage(settings.db)
        try:
            return await storage.migrate()
        finally:
            await storage.close()

    applied = asyncio.run(run())
    console.print(f"applied migrations: {applied or 'none (up to date)'}")


@app.command()
def worker(
    db: DbOption = None,
    bus: BusOption = None,
    host: Annotated[str | None, typer.Option(help="Interface of --port (NEWSWIRE_HOST)")] = None,
    port: Annotated[
        int | None,
        typer.Option(help="Also answer /healthz, /livez and /metrics on this port"),
    ] = None,
) -> None:
    """Run background jobs (webhook delivery, embargo releases) without the HTTP API."""
    from newswire.app import create_worker_app
    from newswire.cli.worker import run_worker
    from newswire.runtime import Runtime

    settings = _settings(db=db, bus=bus, host=host)
    runtime = Runtime.from_settings(settings, run_jobs=True)
    console.print(f"[bold]newswire worker[/bold] on {settings.db} with bus {settings.bus}")
    if port is None:
        asyncio.run(run_worker(runtime))
        return
    console.print(f"  health and metrics: http://{settings.host}:{port}/metrics")
    uvicorn.run(
        create_worker_app(runtime),
        host=settings.host,
        port=port,
        log_level=settings.log_level,
        timeout_graceful_shutdown=5,
    )


@app.command("reproject")
def reproject(db: DbOption = None) -> None:
    """Re-apply the public site's rules (NEWSWIRE_PUBLIC_*) to every story already filed."""
    from newswire.runtime import Runtime

    settings = _settings(db=db)

    async def run() -> int:
        runtime = Runtime.from_settings(settings)
        await runtime.start()
        try:
            return await runtime.newsroom.reproject_public_portion()
        finally:
            await runtime.stop()

    console.print(f"public portion rebuilt for {asyncio.run(run())} stories")


@app.command("settings")
def show_settings(
    markdown: Annotated[bool, typer.Option("--markdown", help="Print docs/settings.md")] = False,
) -> None:
    """List every setting with its environment variable, default and meaning."""
    if markdown:
        from newswire.settings import settings_markdown

        typer.echo(settings_markdown(), nl=False)
        return
    typer.echo(settings_text(), nl=False)


def settings_text(width: int = 79) -> str:
    """Return every setting as plain lines: nothing is cut off, whatever the terminal's width.

    Each setting is its variable and default on one line (never wrapped, so it
    can be copied), then its meaning wrapped and indented below.
    """
    lines = []
    for setting in SETTINGS:
        lines.append(f"{setting.env_var}={setting.default!r}  ({setting.name})")
        lines.extend(
            textwrap.wrap(
                setting.help,
                width,
                initial_indent="    ",
                subsequent_indent="    ",
                break_long_words=False,  # a URL or a name stays whole
                break_on_hyphens=False,
            )
        )
    return "\n".join(lines) + "\n"


@app.command()
def tail(
    key: Annotated[str, typer.Option(help="Subscriber API key", envvar="NEWSWIRE_KEY")],
    url: Annotated[
        str, typer.Option(envvar="NEWSWIRE_URL", help="Base URL of the newswire server")
    ] = "http://127.0.0.1:8000",
    after: Annotated[
        str | None, typer.Option(help="Cursor to start after (default: from now on)")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print each event's JSON envelope")
    ] = False,
) -> None:
    """Follow the wire over SSE: one line per event; reconnects and resumes by itself."""
    from newswire.cli.tail import TailError, run_tail

    try:
        asyncio.run(run_tail(url, key, after, as_json))
    except KeyboardInterrupt:
        pass
    except TailError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from error


def _register_subcommands() -> None:
    from newswire.cli.newsroom import story_app
    from newswire.cli.users import users_app

    app.add_typer(story_app, name="story")
    app.add_typer(users_app, name="users")


_register_subcommands()


def main() -> None:
    """Run the command line."""
    app()
