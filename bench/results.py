"""Keep bench/RESULTS.md as one section per benchmark, each replaced only by its own script."""

from __future__ import annotations

import re
from pathlib import Path

HEADER = (
    "# Benchmark results\n\nWritten by the scripts in `bench/`; each section is replaced by the script named in it.\n"
)


def write_section(path: Path, name: str, body: str) -> None:
    """Replace (or append) the section ``name`` of the results file with ``body``."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    block = f"{start}\n## {name}\n\n{body.strip()}\n{end}"
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text)
    else:
        if not text.startswith("# Benchmark results"):
            text = HEADER
        text = text.rstrip("\n") + "\n\n" + block
    path.write_text(text + "\n" if not text.endswith("\n") else text, encoding="utf-8")


def header(*columns: str) -> list[str]:
    """A Markdown table's first two lines: the column names and the separator, as many as there are names."""
    return ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]


def publish(table: str, path: Path | None, name: str) -> None:
    """Print a benchmark's table and, when ``path`` is given, replace its section there."""
    print(table)
    if path:
        write_section(path, name, table)
