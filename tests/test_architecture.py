"""The layout stays as docs/architecture.md draws it: no cycles, small modules, thin layers.

These read the source, not the running app: each rule is a property of the
tree that a change could break without any behaviour test noticing.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from newswire.storage import desk_interfaces, identity_interfaces, interfaces

PACKAGE = Path(__file__).resolve().parents[1] / "newswire"
MAX_MODULE_LINES = 600
MAX_INTERFACE_METHODS = 15
ASSEMBLY = {"__init__.py", "__main__.py", "app.py", "runtime.py", "settings.py"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _imports(path: Path, name: str, modules: set[str]) -> set[str]:
    """Every newswire module a module imports, wherever the import is (type-only ones too).

    `from package import submodule` imports the submodule (the package's
    `__init__` runs too, but importing its own children is what it is for).
    """
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in modules else base)
    return {module for module in found if module.startswith("newswire")}


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    names = set(modules)
    return {
        name: {
            target for target in _imports(path, name, names) if target in names and target != name
        }
        for name, path in modules.items()
    }


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_imports_itself_back_through_others_type_only_imports_included() -> None:
    assert _cycles(_graph()) == []


def test_the_top_of_the_package_holds_only_the_assembly() -> None:
    loose = {path.name for path in PACKAGE.glob("*.py")} - ASSEMBLY
    assert loose == set(), "domain code belongs in a package named for what it is about"


def test_every_module_stays_small() -> None:
    sizes = {
        name: len(path.read_text(encoding="utf-8").splitlines())
        for name, path in _modules().items()
    }
    assert {name: size for name, size in sizes.items() if size > MAX_MODULE_LINES} == {}


def _protocols() -> list[type]:
    return [
        value
        for module in (interfaces, identity_interfaces, desk_interfaces)
        for value in vars(module).values()
        if inspect.isclass(value)
        and getattr(value, "_is_protocol", False)
        and value.__module__ == module.__name__
    ]


def test_no_storage_interface_is_wider_than_one_concept() -> None:
    widths = {
        protocol.__name__: [
            name for name, value in vars(protocol).items()
            if callable(value) and not name.startswith("_")
        ]
        for protocol in _protocols()
    }  # fmt: skip
    assert len(widths) >= 8
    assert {name: len(methods) for name, methods in widths.items()
            if len(methods) > MAX_INTERFACE_METHODS} == {}  # fmt: skip


@pytest.mark.parametrize(
    ("layer", "may_import"),
    [
        # Storage knows the nouns and the pure text helpers, never a service.
        (
            "newswire.storage",
            ("newswire.models", "newswire.storage", "newswire.search", "newswire.newsroom.bodies",
             "newswire.newsroom.vocab"),
        ),
        ("newswire.models", ("newswire.models",)),
        ("newswire.bus", ("newswire.bus", "newswire.storage.interfaces", "newswire.monitoring")),
    ],
)  # fmt: skip
def test_lower_layers_import_nothing_above_them(layer: str, may_import: tuple[str, ...]) -> None:
    graph = _graph()
    wrong = {
        (name, target)
        for name, targets in graph.items()
        if name == layer or name.startswith(layer + ".")
        for target in targets
        if not any(target == allowed or target.startswith(allowed + ".") for allowed in may_import)
    }
    assert wrong == set()


def _routers() -> set[str]:
    """Return the modules that hold request handlers (each defines its own `router`)."""
    return {
        name
        for name, path in _modules().items()
        if name.startswith(
            ("newswire.api.", "newswire.site.", "newswire.desk.", "newswire.portal.")
        )
        and "@router." in path.read_text(encoding="utf-8")
    }


def test_no_handler_module_imports_another() -> None:
    graph, routers = _graph(), _routers()
    assert len(routers) >= 10
    assert {
        (name, target) for name in routers for target in graph[name] if target in routers
    } == set()


def test_handlers_hold_no_sql() -> None:
    offenders = set()
    for name in _routers():
        path = _modules()[name]
        text = path.read_text(encoding="utf-8")
        if "sqlalchemy" in text or "storage.tables" in text:
            offenders.add(name)
    assert offenders == set()
