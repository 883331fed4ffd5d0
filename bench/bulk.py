"""``docaudit import`` of a folder of letters against the baseline a user had: one ``docaudit add`` process per
file (``for f in *; do docaudit add "$f" --doc "${f%.*}"; done``), on the same letters, each into a fresh
audit.db. Letters are variants of the committed fixture letters (.docx, .pdf, .txt), a few words changed each.

    python bench/bulk.py [--letters 300] [--write bench/RESULTS.md]
"""

from __future__ import annotations

import argparse
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from results import publish  # bench/ is on sys.path when its scripts run

from docaudit.testing.repo import FIXTURES

DOCAUDIT = str(Path(sys.executable).parent / "docaudit")


def make_letters(folder: Path, n: int, pdf: bool) -> list[Path]:
    """``n`` letters: every third a copy of a fixture .docx (or, with ``pdf``, .docx and .pdf in turn), the rest
    text variants of real letters."""
    rnd = random.Random(1)
    texts = [p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "letters").glob("*.txt"))]
    names = ("2024D46963.docx", "2023Z08511.pdf", "nota-onderbouwing-standpunt.pdf") if pdf else ("2024D46963.docx",)
    binaries = [FIXTURES / name for name in names]
    out = []
    for i in range(n):
        if i % 3 == 0:
            source = binaries[(i // 3) % len(binaries)]
            path = folder / f"brief-{i:05d}{source.suffix}"
            path.write_bytes(source.read_bytes())
        else:
            words = texts[i % len(texts)].split(" ")
            for _ in range(5):
                words[rnd.randrange(len(words))] = rnd.choice(["niet", "wel", "zal", "kan", "2025", "Kamer"])
            path = folder / f"brief-{i:05d}.txt"
            path.write_text(" ".join(words), encoding="utf-8")
        out.append(path)
    return out


def measure(n: int, pdf: bool) -> tuple[float, float]:
    """Seconds for ``docaudit import`` and for the loop, on the same ``n`` letters."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "brieven"
        folder.mkdir()
        letters = make_letters(folder, n, pdf)
        started = time.perf_counter()
        subprocess.run([DOCAUDIT, "--db", str(Path(tmp) / "bulk.db"), "import", str(folder), "-q"], check=True)
        bulk = time.perf_counter() - started
        started = time.perf_counter()
        for path in letters:
            subprocess.run(
                [DOCAUDIT, "--db", str(Path(tmp) / "loop.db"), "add", str(path), "--doc", path.stem],
                check=True,
                stdout=subprocess.DEVNULL,
            )
        return bulk, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=300)
    parser.add_argument("--write", type=Path, help="replace this benchmark's section of a results file")
    args = parser.parse_args(argv)
    rows = []
    for label, pdf in (("text and .docx", False), ("with PDFs (2 in 9 letters)", True)):
        bulk, loop = measure(args.letters, pdf)
        rows.append(f"| {label} | one `docaudit add` per file | {loop:.1f} | {args.letters / loop:.1f} | 1.00 |")
        rows.append(
            f"| {label} | `docaudit import FOLDER` | {bulk:.1f} | {args.letters / bulk:.1f} "
            f"| {loop / bulk:.1f}× faster |"
        )
    table = "\n".join(
        [
            f"Bulk import benchmark: {args.letters} letters each (a third .docx or .pdf copies, the rest text), "
            "2 cores, "
            f"Python {platform.python_version()}; baseline: one `docaudit add` process per file.",
            "",
            "| letters | what | seconds | letters/s | × one process per file |",
            "|---|---|---|---|---|",
            *rows,
            "",
            "PDF extraction (pdfminer.six, ~165 ms a letter) is the same work either way, so the more PDFs, the",
            "smaller the gain: `import` saves the start-up of a process per file and reads files in parallel.",
        ]
    )
    publish(table, args.write, "bulk import (bench/bulk.py)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
