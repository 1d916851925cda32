"""Run every benchmark module in bench/ that defines `main()`, one after the other.

`python -m bench` runs them all with their default (quick) parameters;
`python -m bench fanout feed` runs only the named ones.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main(names: list[str]) -> int:
    """Import bench/*.py in name order and call each module's main(); return 1 if any failed."""
    failed = 0
    program = sys.argv[0]
    for module in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]), key=lambda m: m.name):
        if module.name.startswith("_") or (names and module.name not in names):
            continue
        bench = importlib.import_module(f"bench.{module.name}")
        if not callable(getattr(bench, "main", None)):
            continue
        print(f"== bench.{module.name}", flush=True)
        sys.argv = [program]  # each benchmark parses its own options: use their defaults
        try:
            result = bench.main()
        except Exception as error:  # one broken bench must not hide the others' numbers
            print(f"bench.{module.name} failed: {error!r}", file=sys.stderr)
            failed = 1
        else:
            failed = failed or int(bool(result))
    return failed


# Guarded: benchmarks start client processes with multiprocessing's "spawn",
# which imports the main module again in each child.
if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
