"""What a benchmark module declares once: its options, its section of the results, its runner.

A module builds one `Benchmark` (title, options, notes) and an async
measuring function that returns its figures (`Results`). `Benchmark.main`
parses the command line (`--runs` and `--no-record` for every benchmark,
`--profile DIR` where it records the server, then the module's own options),
runs the measuring function, and `report()` prints the figures and merges
them into `bench/results.json` (so a benchmark run alone updates only its own
section), then rewrites `bench/results.md` from it.

Each option's help text is also the label of its value among the parameters
recorded in the results: what `--help` calls a number and what results.md
calls it are the same words, written once.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import sys
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.harness import BENCH_DIR, Figure, Spread, run_async

RESULTS_JSON = BENCH_DIR / "results.json"
RESULTS_MD = BENCH_DIR / "results.md"


@dataclass(frozen=True)
class Option:
    """A command-line option `--name` of one benchmark; its help also labels it in results.*.

    The default's type is the option's type; a default of False makes a flag,
    which is not recorded among the parameters.
    """

    flag: str
    default: Any
    help: str

    def add_to(self, parser: argparse.ArgumentParser) -> None:
        """Declare the option on an argument parser."""
        if self.default is False:
            parser.add_argument(self.flag, action="store_true", help=self.help)
        else:
            parser.add_argument(
                self.flag, type=type(self.default), default=self.default, help=self.help
            )

    def recorded(self, options: argparse.Namespace) -> dict[str, Any]:
        """Return {help: value} for results.*, or {} for a flag."""
        if self.default is False:
            return {}
        return {self.help: getattr(options, self.flag.removeprefix("--").replace("-", "_"))}


def wrk_load(seconds: float, connections: int) -> tuple[Option, Option]:
    """Return the options of a benchmark loaded by wrk: how long each load, how many connections."""
    return (
        Option("--seconds", seconds, "seconds per wrk load"),
        Option("--connections", connections, "wrk connections"),
    )


@dataclass(frozen=True)
class Results:
    """What one benchmark's measuring function returns: its figures, and parameters it found.

    `found` holds what the options do not say (page sizes, stories filed,
    fixed constants); the options' values are recorded beside them.
    """

    figures: Sequence[Figure]
    found: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Benchmark:
    """One benchmark module's title in results.*, its options and notes; `main` runs it.

    The module's file name names its section of results.* (`python -m
    bench.<name>` runs it alone), and its docstring's first paragraph heads `--help`.
    """

    title: str
    options: Sequence[Option] = ()
    notes: Sequence[str] = ()
    profile: bool = False  # takes --profile DIR: records the newswire server with py-spy

    def parser(self, description: str | None) -> argparse.ArgumentParser:
        """Return the argument parser: --runs, --no-record, --profile if any, then the options."""
        parsed = argparse.ArgumentParser(description=(description or "").strip().split("\n\n")[0])
        parsed.add_argument("--runs", type=int, default=3, help="runs of each side (default 3)")
        parsed.add_argument(
            "--no-record", action="store_true", help="print only; leave bench/results.* alone"
        )
        if self.profile:
            parsed.add_argument("--profile", type=Path, help="record newswire with py-spy into DIR")
        for option in self.options:
            option.add_to(parsed)
        return parsed

    def main(
        self, measure: Callable[[argparse.Namespace], Awaitable[Results]], argv: list[str] | None
    ) -> int:
        """Parse the options (argv, else the command line), measure, and report the figures."""
        module = sys.modules[measure.__module__]  # "__main__" under `python -m bench.<name>`
        options = self.parser(module.__doc__).parse_args(sys.argv[1:] if argv is None else argv)
        parameters: dict[str, Any] = {}
        for option in self.options:
            parameters |= option.recorded(options)
        print(f"  {_listed({**parameters, 'runs': options.runs})}", flush=True)
        measured: Results = run_async(lambda: measure(options))
        name = Path(str(module.__file__)).stem
        report(name, self, options, measured.figures, {**parameters, **measured.found})
        return 0


# Printing and the results files ------------------------------------------------------


def print_figure(figure: Figure) -> None:
    """Print one figure's median (min-max) for newswire, baseline and ratio."""
    if not figure.newswire:
        print(f"  {figure.name}: no runs", flush=True)
        return
    ours, floor, ratio = (
        Spread.of(figure.newswire),
        Spread.of(figure.baseline),
        Spread.of(figure.ratios()),
    )
    verdict = figure.verdict()
    print(
        f"  {figure.name:<44} newswire {_num(ours.median)} {figure.unit}"
        f"  baseline {_num(floor.median)}  ratio x{ratio.median:.2f}"
        f" ({ratio.min:.2f}-{ratio.max:.2f}){'  ' + verdict if verdict else ''}",
        flush=True,
    )


def _num(value: float) -> str:
    if value == float("inf"):
        return "inf"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def machine() -> dict[str, Any]:
    """Describe the machine the numbers come from."""
    cpu = "unknown"
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory_kib = 0
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_kib = int(line.split()[1])
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(memory_kib / 1024 / 1024, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "load_average_at_start": [round(load, 2) for load in os.getloadavg()],
    }


def report(
    name: str,
    bench: Benchmark,
    options: argparse.Namespace,
    figures: Sequence[Figure],
    parameters: dict[str, Any],
) -> None:
    """Print a benchmark's figures; unless --no-record, record them (and the runs) in results.*."""
    for figure in figures:
        print_figure(figure)
    if options.no_record:
        return
    data: dict[str, Any] = {"benchmarks": {}}
    if RESULTS_JSON.exists():
        try:
            data = json.loads(RESULTS_JSON.read_text())
        except ValueError:
            pass
    data.setdefault("benchmarks", {})[name] = {
        "title": bench.title,
        "when": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": machine(),
        "parameters": {**parameters, "runs": options.runs},
        "figures": [figure.as_dict() for figure in figures],
        "notes": list(bench.notes),
    }
    RESULTS_JSON.write_text(json.dumps(data, indent=1, sort_keys=False) + "\n")
    RESULTS_MD.write_text(results_markdown(data))


def results_markdown(data: dict[str, Any]) -> str:
    """Return results.md: a table per benchmark, every figure beside its baseline and ratio."""
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (`python -m bench`); each benchmark run alone rewrites its own",
        "section. Every figure is the median over the runs, with (min-max) beside it; the ratio",
        "is newswire / baseline computed within each run, then summarized. How to run each",
        "benchmark and what the figures mean: `docs/performance.md`.",
        "",
    ]
    for name, bench in sorted(data.get("benchmarks", {}).items()):
        box = bench.get("machine", {})
        lines += [
            f"## {bench['title']} (`python -m bench.{name}`)",
            "",
            f"{bench['when']} on {box.get('cpu')}, {box.get('cores')} cores,"
            f" {box.get('memory_gib')} GiB, Linux {box.get('kernel')}, Python {box.get('python')}"
            f" (load average at start {box.get('load_average_at_start')}).",
            "",
            f"Parameters: {_listed(bench.get('parameters', {}))}.",
            "",
            "| figure | newswire | baseline | ratio | target | verdict |",
            "| --- | ---: | ---: | ---: | --- | --- |",
        ]
        for figure in bench.get("figures", []):
            if "ratio" not in figure:
                lines.append(f"| {figure['name']} | no runs | | | | |")
                continue
            unit = figure["unit"]
            lines.append(
                f"| {figure['name']} | {_spread(figure['newswire'])} {unit}"
                f" | {_spread(figure['baseline'])} {unit}"
                f" | x{_spread(figure['ratio'], ratio=True)}"
                f" | {figure.get('target', '')} | {figure.get('verdict', '')} |"
            )
        notes = list(bench.get("notes", []))
        notes += [f"{f['name']}: {f['note']}" for f in bench.get("figures", []) if f.get("note")]
        if notes:
            lines.append("")
            lines += [f"- {note}" for note in notes]
        lines.append("")
    return "\n".join(lines)


def _listed(parameters: dict[str, Any]) -> str:
    """Return "label value, label value": how a run's header and results.md list parameters."""
    return ", ".join(f"{label} {value}" for label, value in parameters.items())


def _spread(spread: dict[str, float], ratio: bool = False) -> str:
    if ratio:
        return f"{spread['median']:.2f} ({spread['min']:.2f}-{spread['max']:.2f})"
    return f"{_num(spread['median'])} ({_num(spread['min'])}-{_num(spread['max'])})"
