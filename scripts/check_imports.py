"""Check docaudit's import graph: no cycles, no import that runs back up a floor, no private name
imported from another module.

Every ``import`` counts, at module level or inside a function (a lazy import is still a dependency).
Each module sits on a floor (``FLOORS`` below, lowest first); a module may import modules on its own
floor or below, never above. Within a floor, the graph must still be free of cycles.

    python scripts/check_imports.py               # exit 1 and a list of problems, or a one-line "ok"
    python scripts/check_imports.py --graph       # print every edge, floor by floor
    python scripts/check_imports.py --write-docs  # rewrite the floor table of docs/architecture.md

The floor table in docs/architecture.md is generated from the same graph (each package and loose module, what its
docstring says it holds, and the floors it imports from); a stale table is one of the problems CI fails on.

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


DOC = ROOT / "docs" / "architecture.md"
START, END = "<!-- floors:start -->", "<!-- floors:end -->"


def unit_of(module: str) -> str:
    """The package or loose module a module belongs to: ``text/``, ``errors``, ``__init__``."""
    parts = module.split(".")
    if len(parts) == 1:
        return "__init__"
    return parts[1] + "/" if (PACKAGE / parts[1]).is_dir() else parts[1]


def summary(unit: str) -> str:
    """The first sentence of a unit's docstring, without Sphinx roles."""
    import re

    path = PACKAGE / unit / "__init__.py" if unit.endswith("/") else PACKAGE / f"{unit}.py"
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    text = " ".join(doc.split("\n\n")[0].split())
    text = re.sub(r":\w+:`~?\.?([^`]+)`", r"`\1`", text).replace("``", "`")
    first = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    return first.replace("|", "\\|")


def floor_table(edges: dict[str, set[str]]) -> str:
    """The floor table of docs/architecture.md: each floor's packages and modules, what they hold, and the
    floors their imports reach (from the graph, lazy imports included)."""
    rows = ["| floor | package or module | what it holds | imports from |", "|---|---|---|---|"]
    for n, (name, _) in enumerate(FLOORS):
        modules = sorted(m for m in edges if floor_of(m) == n)
        units = sorted({unit_of(m) for m in modules}, key=lambda u: (u.endswith("/"), u))
        below = sorted({floor_of(t) for m in modules for t in edges[m] if floor_of(t) < n})
        reach = ", ".join(FLOORS[f][0] for f in below) or "—"
        for i, unit in enumerate(units):
            count = sum(1 for m in modules if unit_of(m) == unit)
            label = f"`{unit}` ({count} modules)" if unit.endswith("/") else f"`{unit}`"
            rows.append(f"| {name if i == 0 else ''} | {label} | {summary(unit)} | {reach if i == 0 else ''} |")
    return "\n".join(rows)


def architecture_doc(edges: dict[str, set[str]]) -> str:
    """docs/architecture.md with its floor table as the graph gives it today."""
    import re

    current = DOC.read_text(encoding="utf-8")
    table = floor_table(edges)
    return re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: f"{START}\n{table}\n{END}", current, flags=re.S)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graph", action="store_true", help="print every edge, floor by floor")
    parser.add_argument("--write-docs", action="store_true", help="rewrite the floor table of docs/architecture.md")
    args = parser.parse_args(argv)
    edges = graph()
    if args.write_docs:
        DOC.write_text(architecture_doc(edges), encoding="utf-8")
        print(f"wrote the floor table of {DOC.relative_to(ROOT)}")
    if args.graph:
        for n, (name, _) in enumerate(FLOORS):
            print(f"# {name}")
            for module in sorted(m for m in edges if floor_of(m) == n):
                print(f"{module} -> {', '.join(sorted(edges[module])) or '-'}")
    found = problems(edges)
    found += [line for p in sorted(PACKAGE.rglob("*.py")) for line in private_imports(p, module_name(p))]
    if START not in DOC.read_text(encoding="utf-8"):
        found.append(f"{DOC.relative_to(ROOT)} has no {START} … {END} block for the floor table")
    elif architecture_doc(edges) != DOC.read_text(encoding="utf-8"):
        found.append(
            f"{DOC.relative_to(ROOT)}: the floor table is stale; run python scripts/check_imports.py --write-docs"
        )
    for line in found:
        print(line)
    if found:
        print(f"{len(found)} problem(s) in the import graph", file=sys.stderr)
        return 1
    print(f"import graph ok: {len(edges)} modules, {sum(map(len, edges.values()))} imports, no cycle, none upward")
    return 0


if __name__ == "__main__":
    sys.exit(main())
