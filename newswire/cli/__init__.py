"""The command line: `newswire serve`, `worker`, `migrate`, `settings`, `story ...`, `tail`."""

from newswire.cli.commands import main

__all__ = ["main"]
