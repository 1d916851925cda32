"""Run every benchmark module in bench/ that defines `main()`, one after the other."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main() -> int:
    """Import bench/*.py in name order and call each module's main(); return 1 if any failed."""
    failed = 0
    for module in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]), key=lambda m: m.name):
        if module.name.startswith("_"):
            continue
        bench = importlib.import_module(f"bench.{module.name}")
        if not callable(getattr(bench, "main", None)):
            continue
        print(f"== bench.{module.name}", flush=True)
        try:
            result = bench.main()
        except Exception as error:  # one broken bench must not hide the others' numbers
            print(f"bench.{module.name} failed: {error!r}", file=sys.stderr)
            failed = 1
        else:
            failed = failed or int(bool(result))
    return failed


sys.exit(main())
