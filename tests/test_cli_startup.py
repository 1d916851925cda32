"""The command line starts fast: a client command never imports the server's machinery.

`newswire story ...` and `newswire tail` talk to a server over HTTP; importing
the runtime (storage, SQLAlchemy, Pillow, the formats) costs them about a second
of CPU at every start, and the test suite runs the CLI many times.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow  # starts a Python process

HEAVY = ("newswire.runtime", "newswire.storage", "sqlalchemy", "PIL", "lxml", "fastapi")


def test_loading_the_whole_command_line_imports_none_of_the_server() -> None:
    probe = (
        "import sys, newswire.cli.commands\n"
        f"print(','.join(name for name in {HEAVY!r} if name in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "", f"imported at start: {result.stdout.strip()}"
