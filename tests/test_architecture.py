"""The shape of the code (docs/architecture.md): layers that import one way, Streamlit only in the glue, no
hidden imports, modules and functions short enough to read, and every cache listed with its key and bound."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from conftest import PROJECT

PACKAGE = PROJECT / "crisisboard"
# a layer may import its own and the layers below; charts and ingest sit side by side and ignore each other
RANKS = {"data": 0, "claims": 1, "charts": 2, "ingest": 2, "export": 3, "publish": 3, "app": 4, "cli": 5, "__main__": 5}
MODULES = sorted(PACKAGE.rglob("*.py"))
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def _layer(module: str) -> str:
    """The layer of a dotted module name inside crisisboard ("crisisboard.charts.maps" -> "charts")."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(PROJECT).with_suffix("").parts).removesuffix(".__init__")


def _imports(tree: ast.AST) -> list[tuple[int, str, bool]]:
    """(line, imported module, inside a function) for every import of the module, wherever it sits."""
    found = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            if isinstance(child, ast.Import):
                found.extend((child.lineno, alias.name, in_function) for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                if child.module in ("crisisboard", *(f"crisisboard.{layer}" for layer in RANKS)):
                    # "from crisisboard.data import schema": the modules named
                    found.extend((child.lineno, f"{child.module}.{alias.name}", in_function) for alias in child.names)
                else:
                    found.append((child.lineno, child.module, in_function))
            visit(child, inside)

    visit(tree, False)
    return found


def layering_problems(path: Path, source: str) -> list[str]:
    here = _layer(_module_name(path))
    problems = []
    for line, module, in_function in _imports(ast.parse(source)):
        where = f"{path.relative_to(PROJECT)}:{line}"
        if module.split(".")[0] == "streamlit" and here != "app":
            problems.append(f"{where}: imports {module}: only crisisboard.app may import streamlit")
        if not module.startswith("crisisboard.") or module.count(".") < 1:
            continue
        target = _layer(module)
        if target not in RANKS or here not in RANKS:
            continue
        if RANKS[target] > RANKS[here] or {here, target} == {"charts", "ingest"}:
            problems.append(f"{where}: {here} imports {module}: imports run from app through export and charts "
                            "(or ingest) to claims and data, never back")
        if in_function and here != "cli":
            problems.append(f"{where}: imports {module} inside a function: the dependency graph is the top of "
                            "the module")
    return problems


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(PROJECT)) for p in MODULES])
def test_imports_run_one_way(path: Path) -> None:
    assert layering_problems(path, path.read_text(encoding="utf-8")) == []


def test_the_layer_check_can_fail() -> None:
    probes = {
        PACKAGE / "data" / "probe.py": "from crisisboard.charts.views import build_view\n",
        PACKAGE / "claims" / "probe.py": "import streamlit as st\n",
        PACKAGE / "charts" / "probe.py": "from crisisboard.ingest import extract\n",
        PACKAGE / "export" / "probe.py": "def f():\n    from crisisboard.data import schema\n",
    }
    found = [problem for path, source in probes.items() for problem in layering_problems(path, source)]
    assert len(found) == 4, found
    assert "data imports crisisboard.charts.views" in found[0] and "only crisisboard.app" in found[1]
    assert "charts imports crisisboard.ingest" in found[2] and "inside a function" in found[3]


@pytest.mark.parametrize("path", [*MODULES, PROJECT / "dashboard.py", *sorted((PROJECT / "pages").glob("*.py"))],
                         ids=lambda p: str(p.relative_to(PROJECT)))
def test_modules_and_functions_are_short(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert source.count("\n") <= MAX_MODULE_LINES, f"{path.name}: split it by concern"
    long = [f"{node.name} ({node.end_lineno - node.lineno + 1} lines)" for node in ast.walk(ast.parse(source))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES]
    assert long == []


def test_dashboard_only_routes() -> None:
    tree = ast.parse((PROJECT / "dashboard.py").read_text(encoding="utf-8"))
    assert not [node for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.For, ast.If))]


def test_pages_are_thin() -> None:
    """Pages read widgets, call the domain and render: no function, class or Plotly of their own."""
    for path in sorted((PROJECT / "pages").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        assert not [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef))], path.name
        assert "import plotly" not in source and source.count("\n") < 130, path.name


# what keeps something per process: each must have a row in docs/architecture.md's table of caches
CACHE_PATTERNS = [
    (re.compile(r"@lru_cache[^\n]*\n(?:@[^\n]*\n)*def (\w+)"), "{module}.{name}"),
    (re.compile(r"@st\.cache_resource[^\n]*\n(?:@[^\n]*\n)*def (\w+)"), "{module}.{name}"),
    (re.compile(r"^(_[A-Z_]+): (?:dict\[|\"?weakref|\w+ \| None)", re.M), "{module}.{name}"),
    (re.compile(r"^(_[A-Z_]+) = (?:weakref\.WeakKeyDictionary|\{\})", re.M), "{module}.{name}"),
    (re.compile(r"def (derive)\(self"), "{module}.{name}"),
]


def caches_in_code() -> set[str]:
    found = set()
    for path in MODULES:
        source = path.read_text(encoding="utf-8")
        module = _module_name(path).removeprefix("crisisboard.")
        for pattern, name in CACHE_PATTERNS:
            found |= {name.format(module=module, name=match) for match in pattern.findall(source)}
    return found


def test_every_cache_is_listed_with_its_key_and_bound() -> None:
    text = (PROJECT / "docs" / "architecture.md").read_text(encoding="utf-8")
    table = text.split("## Caches", 1)[1].split("\n## ", 1)[0]
    listed = {match for match in re.findall(r"^\| `([\w.]+)` \|", table, re.M)}
    found = caches_in_code()
    assert len(found) >= 10, found
    assert found - listed == set(), "add these to the table of caches in docs/architecture.md"
    assert listed - found == set(), "these are listed but no longer in the code"
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    assert all(len([cell for cell in row.split("|")[1:-1] if cell.strip()]) == 4 for row in rows), \
        "each cache: name, what it holds, its key, its bound"
