"""What `newswire serve` prints at start-up: where it listens, the keys, how to use the CLI.

A newcomer reads this once after `make run`, so it says everything needed
for the next step: URLs to open, keys to paste, and the exact commands
(the `newswire` program lives in the virtualenv, which is not on PATH).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from rich.console import Console

from newswire.demo.loader import DemoKeys


def cli_program() -> str:
    """Return how to call `newswire` from the current directory (`.venv/bin/newswire`, say)."""
    program = Path(sys.executable).parent / "newswire"
    if not program.exists():
        return "newswire"
    try:
        return str(Path(os.path.relpath(program)))
    except ValueError:  # another drive (Windows)
        return str(program)


def print_demo(console: Console, base: str, keys: DemoKeys) -> None:
    """Print the demo keys and logins, where they are kept, and the CLI commands to try."""
    console.print(f"  admin token:         [yellow]{keys.admin_token}[/yellow]")
    console.print(f"  demo editor key:     [green]{keys.editor}[/green]")
    console.print(f"  demo subscriber key: [green]{keys.subscriber}[/green] (all sections)")
    console.print(f"  demo subscriber key: [green]{keys.turkish_subscriber}[/green] (Turkish only)")
    if keys.saved_in is not None:
        console.print(f"  (kept in {keys.saved_in}: the next start on this database reuses them)")
    for login in keys.logins:
        where = f"{base}{login.area}/sign-in"
        company = f", {login.company}" if login.company else ""
        console.print(
            f"  demo {login.role + company}: [green]{login.email}[/green]"
            f" / [green]{login.password}[/green] at {where}"
        )
    console.print(
        "  for the README tour:  "
        f"export ADMIN={keys.admin_token} EDITOR={keys.editor} SUB={keys.subscriber} NW={base}"
    )
    program = cli_program()
    activate = Path(sys.executable).parent / "activate"
    console.print("  command line (in another terminal):")
    if activate.exists():
        console.print(f"    source {os.path.relpath(activate)}   # then `newswire` is on PATH")
    console.print(f"    export NEWSWIRE_URL={base} NEWSWIRE_KEY={keys.editor}")
    console.print(f"    {program} story file story.json --public")
    console.print(f"    {program} tail --key {keys.subscriber}")
    console.print(f"    {program} --help")
