"""The demo's secrets, kept in a file beside its SQLite database so a restart reuses them.

`make run` prints an admin token and demo keys; a newcomer pastes them into
a shell or a script. If the second `make run` made new ones, the pasted ones
would answer 401. Keys are stored hashed in the database, so the plain text
can only come from here: `<database>.demo-keys.json`, readable by its owner
only. A database that is not a SQLite file (PostgreSQL) has no such file:
the demo principals then get fresh keys at each start (never duplicates).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

SUFFIX = ".demo-keys.json"


def keys_path(db_url: str) -> Path | None:
    """Return the file beside a SQLite database's file, or None for other databases."""
    if not db_url.startswith("sqlite:///"):
        return None
    path = db_url.removeprefix("sqlite:///").split("?", 1)[0]
    if not path or path == ":memory:":
        return None
    return Path(path + SUFFIX)


def load_keys(path: Path | None) -> dict[str, str]:
    """Return the saved keys by name; empty when there is no file or it is unreadable."""
    if path is None or not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(name): str(value) for name, value in data.items() if isinstance(value, str)}


def save_keys(path: Path | None, keys: dict[str, str]) -> None:
    """Write the keys to the file (mode 0600), replacing it whole so it is never half-written."""
    if path is None:
        return
    partial = path.with_name(path.name + ".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        json.dump(keys, file, indent=2, sort_keys=True)
        file.write("\n")
    os.replace(partial, path)
