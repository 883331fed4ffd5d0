#!/usr/bin/env python3
"""What finding commitments adds to ingest: ``add_file`` with the commitments hook against without it.

    python bench/commitments.py [--n 60] [--rounds 5] [--write bench/RESULTS.md]

Stores ``--n`` letters (.txt and .docx, made from the letters in tests/fixtures/letters and the labelled
commitment letters, each a different rotation of its paragraphs so no two are equal) into a fresh
audit.db, once with every hook (phrase index and commitments) and once with the commitments hook
unregistered — the named baseline. Rounds alternate; medians. The .txt case is the worst one for the
ratio: its extraction costs least, so the hook's share is largest.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from results import publish  # noqa: E402  (bench/ is on sys.path when its scripts run)

from docaudit.ingest import add_file, ingest_writers  # noqa: E402
from docaudit.phrases.index import write_phrases  # noqa: E402
from docaudit.store.database import Store  # noqa: E402
from docaudit.testing import fixtures as bf  # noqa: E402

SOURCES = sorted((ROOT / "tests" / "fixtures" / "letters").glob("*.txt")) + sorted(
    (ROOT / "tests" / "fixtures" / "commitments").glob("*.txt")
)


def corpus(n: int, folder: Path) -> dict[str, list[Path]]:
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, list[Path]] = {"txt": [], "docx": []}
    for i, rotated in enumerate(bf.rotations(SOURCES, n)):
        txt = folder / f"letter-{i:03d}.txt"
        txt.write_text("\n\n".join(rotated) + "\n", encoding="utf-8")
        files["txt"].append(txt)
        docx = folder / f"letter-{i:03d}.docx"
        bf.write_docx(bf.Letter(txt.stem, rotated[0][:200], [bf.Block("p", p) for p in rotated]), docx)
        files["docx"].append(docx)
    return files


def ingest(files: list[Path], folder: Path, writers: list) -> float:
    db = folder / "audit.db"
    for p in folder.glob("audit.db*"):
        p.unlink()
    with Store(db, snapshots=folder / "snapshots") as store:
        started = time.perf_counter()
        for i, f in enumerate(files):
            add_file(store, f, f"doc-{i:03d}", writers=writers)
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--write", type=Path, help="publish the figures into this markdown file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = corpus(args.n, folder / "in")
        rows = []
        for fmt, paths in files.items():
            on, off = [], []
            for _ in range(args.rounds):
                on.append(ingest(paths, folder, ingest_writers()))
                off.append(ingest(paths, folder, [write_phrases]))  # the same without the commitment writer
            a, b = statistics.median(on), statistics.median(off)
            rows.append(
                f"| {fmt} | {len(paths)} | {b * 1000 / len(paths):.1f} | {a * 1000 / len(paths):.1f} | {a / b:.2f} |"
            )
    table = "\n".join(
        [
            f"Ingest of {args.n} letters per format with and without finding commitments; medians of "
            f"{args.rounds} alternating rounds.",
            "",
            "| format | letters | ms/letter, commitments off (baseline) | ms/letter, on | × baseline |",
            "|---|---|---|---|---|",
            *rows,
        ]
    )
    publish(table, args.write, "commitments at ingest (bench/commitments.py)")


if __name__ == "__main__":
    main()
