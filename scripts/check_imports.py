"""Check docaudit's import graph: no cycles, no import that runs back up a floor, no private name
imported from another module.

Every ``import`` counts, at module level or inside a function (a lazy import is still a dependency).
Each module sits on a floor (``FLOORS`` below, lowest first); a module may import modules on its own
floor or below, never above. Within a floor, the graph must still be free of cycles.

    python scripts/check_imports.py          # exit 1 and a list of problems, or a one-line "ok"
    python scripts/check_imports.py --graph  # print every edge, floor by floor

CI runs it (``.ci/run``), and so does the test suite (tests/test_layout.py).
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "docaudit"

# Lowest first. A module's floor is that of the longest prefix listed; every module must have one.
FLOORS: list[tuple[str, list[str]]] = [
    (
        "ground",
        [
            "docaudit",
            "docaudit.errors",
            "docaudit.values",
            "docaudit.version",
            "docaudit.settings",
            "docaudit.__main__",
        ],
    ),
    ("text", ["docaudit.text"]),
    ("reading", ["docaudit.read"]),
    ("storage", ["docaudit.store"]),
    ("meaning", ["docaudit.meaning"]),
    ("diffs", ["docaudit.diff"]),
    ("phrases", ["docaudit.phrases"]),
    ("commitments", ["docaudit.commitments"]),
    ("spark", ["docaudit.spark"]),
    ("ingest", ["docaudit.ingest"]),
    ("changes", ["docaudit.changes"]),
    ("evidence", ["docaudit.evidence"]),
    ("report", ["docaudit.report"]),
    ("watch", ["docaudit.watch"]),
    ("demo", ["docaudit.examples"]),
    ("command line", ["docaudit.cli"]),
    ("test helpers", ["docaudit.testing"]),
]

# Imports that sit where they are on purpose (importer, imported): the package __init__ hands out the
# public API by name and lazily, and the console entry point starts the CLI.
ALLOWED_UPWARD = {("docaudit", "*"), ("docaudit.__main__", "docaudit.cli.main")}


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def floor_of(module: str) -> int:
    best, best_len = None, -1
    for n, (_, prefixes) in enumerate(FLOORS):
        for prefix in prefixes:
            matches = module == prefix or module.startswith(prefix + ".")
            if matches and len(prefix) > best_len and (prefix != "docaudit" or module == "docaudit"):
                best, best_len = n, len(prefix)
    if best is None:
        raise SystemExit(f"{module}: on no floor; add it to FLOORS in scripts/check_imports.py")
    return best


def private_imports(path: Path, module: str) -> list[str]:
    """``from other_module import _private``: a name kept private by its module, used from outside."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("docaudit")):
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    out.append(f"{module} imports the private name {alias.name} from {'.' * node.level}{node.module}")
    return out


def imports_of(path: Path, module: str, known: set[str]) -> set[str]:
    """The docaudit modules ``path`` imports (a name imported from a package counts as its submodule
    when one exists by that name)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            targets = [f"{origin}.{a.name}" if f"{origin}.{a.name}" in known else origin for a in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target.startswith("docaudit") and target != module:
                found.add(target)
    return found


def graph() -> dict[str, set[str]]:
    files = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
    known = set(files)
    return {m: imports_of(p, m, known) for m, p in files.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(10_000)
    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def problems(edges: dict[str, set[str]]) -> list[str]:
    out = []
    for importer, targets in sorted(edges.items()):
        for target in sorted(targets):
            if (importer, "*") in ALLOWED_UPWARD or (importer, target) in ALLOWED_UPWARD:
                continue
            if floor_of(target) > floor_of(importer):
                out.append(
                    f"{importer} ({FLOORS[floor_of(importer)][0]}) imports {target} "
                    f"({FLOORS[floor_of(target)][0]}): an import back up a floor"
                )
    checked = {m: {t for t in ts if (m, "*") not in ALLOWED_UPWARD} for m, ts in edges.items()}
    for component in cycles(checked):
        out.append("import cycle: " + " ↔ ".join(component))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graph", action="store_true", help="print every edge, floor by floor")
    args = parser.parse_args(argv)
    edges = graph()
    if args.graph:
        for n, (name, _) in enumerate(FLOORS):
            print(f"# {name}")
            for module in sorted(m for m in edges if floor_of(m) == n):
                print(f"{module} -> {', '.join(sorted(edges[module])) or '-'}")
    found = problems(edges)
    found += [line for p in sorted(PACKAGE.rglob("*.py")) for line in private_imports(p, module_name(p))]
    for line in found:
        print(line)
    if found:
        print(f"{len(found)} problem(s) in the import graph", file=sys.stderr)
        return 1
    print(f"import graph ok: {len(edges)} modules, {sum(map(len, edges.values()))} imports, no cycle, none upward")
    return 0


if __name__ == "__main__":
    sys.exit(main())
