"""The package's shape: no module imports one that imports it back, and the core never
imports MkDocs. The import graph is read from the source, so imports inside functions and
under `TYPE_CHECKING` count as much as those at the top of a module."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import REPO

PACKAGE = REPO / "build_scripts" / "casepress"
# Only these may import MkDocs or Material: the plugin and the commands that run MkDocs.
MKDOCS_ALLOWED = ("casepress.adapters", "casepress.commands")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(path: Path, name: str) -> Iterator[str]:
    """Every module name an import statement anywhere in the file names."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def import_graph() -> dict[str, set[str]]:
    """casepress module -> the casepress modules it imports (itself left out)."""
    files = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {name: {m for m in _imported(path, name) if m in files and m != name}
            for name, path in files.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each import cycle once, as the path that closes it (depth-first search)."""
    found: list[list[str]] = []
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        if module in path:
            found.append([*path[path.index(module):], module])
            return
        if module in done:
            return
        for imported in sorted(graph[module]):
            visit(imported, [*path, module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])
    return found


def test_no_module_imports_one_that_imports_it_back() -> None:
    found = cycles(import_graph())
    assert not found, "import cycles:\n" + "\n".join(" -> ".join(c) for c in found)


def test_the_core_never_imports_mkdocs() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        name = _module_name(path)
        if name.startswith(MKDOCS_ALLOWED):
            continue
        offenders += [f"{name} imports {m}" for m in _imported(path, name)
                      if m.split(".")[0] in ("mkdocs", "material")]
    assert not offenders


@pytest.mark.parametrize(("graph", "expected"), [
    pytest.param({"a": {"b"}, "b": {"a"}}, [["a", "b", "a"]], id="two"),
    pytest.param({"a": {"b"}, "b": {"c"}, "c": {"a"}}, [["a", "b", "c", "a"]], id="three"),
    pytest.param({"a": {"b", "c"}, "b": {"c"}, "c": set()}, [], id="diamond"),
])
def test_cycles_are_found(graph: dict[str, set[str]], expected: list[list[str]]) -> None:
    assert cycles(graph) == expected


def test_imports_inside_functions_and_type_checking_count(tmp_path: Path) -> None:
    source = tmp_path / "x.py"
    source.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                      "    from casepress.project import Project\n"
                      "def f():\n    from casepress.site import build\n", encoding="utf-8")
    found = set(_imported(source, "casepress.x"))
    assert {"casepress.project", "casepress.site.build"} <= found
