"""What reading untrusted bytes in a limited worker costs: ``ingest.prepare`` (a worker process under memory,
CPU and wall-clock limits) against ``prepare.prepare_here`` (the same work in this process, the baseline),
on the committed fixture letters, interleaved, medians.

    python bench/isolation.py [--n 30] [--write bench/RESULTS.md]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

from results import publish  # bench/ is on sys.path when its scripts run

from docaudit.ingest import prepare
from docaudit.read.limits import Limits
from docaudit.read.prepare import prepare_here
from docaudit.testing.repo import FIXTURES

LETTERS = {
    "docx": FIXTURES / "2024D46963.docx",
    "pdf": FIXTURES / "2024D46963.pdf",
    "html": FIXTURES / "2024D46963.html",
    "txt": FIXTURES / "letters" / "2024D46963.txt",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=30, help="runs per format and mode")
    parser.add_argument("--write", type=Path, help="replace this benchmark's section of a results file")
    args = parser.parse_args(argv)
    limits = Limits()
    prepare(LETTERS["txt"].read_bytes(), limits)  # start the worker (once per process)
    rows = []
    for fmt, path in LETTERS.items():
        data = path.read_bytes()
        here, isolated = [], []
        for _ in range(args.n):
            started = time.perf_counter()
            prepare_here(data, limits)
            here.append(time.perf_counter() - started)
            started = time.perf_counter()
            prepare(data, limits)
            isolated.append(time.perf_counter() - started)
        a, b = statistics.median(isolated), statistics.median(here)
        rows.append(f"| {fmt} | {len(data) / 1024:.0f} KB | {b * 1000:.1f} | {a * 1000:.1f} | {a / b:.2f} |")
    from docaudit.read import isolation

    isolation.shutdown()
    cold = time.perf_counter()
    prepare(LETTERS["txt"].read_bytes(), limits)
    cold = time.perf_counter() - cold
    table = "\n".join(
        [
            f"Isolation benchmark: {args.n} runs per format, interleaved, medians, Python {platform.python_version()}; "
            "baseline: the same extraction in the calling process.",
            "",
            "| format | size | in process (ms) | in the limited worker (ms) | × in process |",
            "|---|---|---|---|---|",
            *rows,
            "",
            f"Starting a worker (once per process, then reused): {cold * 1000:.0f} ms.",
        ]
    )
    publish(table, args.write, "isolation (bench/isolation.py)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
