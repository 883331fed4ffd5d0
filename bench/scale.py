#!/usr/bin/env python3
"""What the everyday jobs cost as the archive grows: 500, 2,000 and 10,000 generated letters.

    python bench/scale.py [--sizes 500,2000,10000] [--write bench/RESULTS.md]

Letters: the phrase benchmark's generator (bench/phrases.py: ~10 KB each, real vocabulary, planted re-use),
written as .txt files, a fifth of them later given a second version (three sentences edited). Measured at each
size, each job with its anchor in the same run:

* ``import``: ``docaudit import FOLDER`` (one process) against the per-file loop a user would write
  (``for f in *; do docaudit add "$f" --doc …; done``), the loop timed on a sample of 20 files and scaled;
* ``index``: ``docaudit index --rebuild`` against the index kept at import (the import's share is the anchor);
* ``commitments``: ``docaudit commitments --json`` (every promise, linked across letters): linked afresh, reading
  the threads the import kept, and after 1% of the letters got a version; against the same at the smallest size
  (growth: time ÷ letters ratio);
* ``report`` cold (empty folder), again with nothing new, and after 1% of the letters got a version; the anchor
  is the cold report;
* ``changes``: ``docaudit changes --json`` (the morning read of the new versions), and again: the second reads
  the changes the first kept in audit.db (anchor: the first);
* audit.db's size against the letters' text, table by table (SQLite's dbstat).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from phrases import CORPUS, Chain, make_corpus  # noqa: E402
from report import edited  # noqa: E402
from results import header, publish  # noqa: E402

DOCAUDIT = str(Path(sys.executable).parent / "docaudit")


def run(*args: str, cwd: Path) -> float:
    """Seconds one docaudit command takes as a whole process (it must succeed, or exit 1 for findings)."""
    started = time.perf_counter()
    done = subprocess.run([DOCAUDIT, *args], cwd=cwd, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(f"docaudit {' '.join(args)} failed: {done.stderr.strip()}")
    return time.perf_counter() - started


def one_size(n: int, root: Path, rows: dict[str, list[str]], anchors: dict[str, float]) -> None:
    letters, _ = make_corpus(n, formulations=max(20, n // 25), copies=min(25, max(2, n // 40)))
    folder, later = root / "letters", root / "later"
    folder.mkdir()
    later.mkdir()
    for doc, _date, text in letters:
        (folder / f"{doc}.txt").write_text(text, encoding="utf-8")
    work = root / "work"
    work.mkdir()
    imported = run("import", str(folder), "-q", cwd=work)
    sample = sorted(folder.glob("*.txt"))[:20]
    loop_dir = root / "loop"
    loop_dir.mkdir()
    started = time.perf_counter()
    for path in sample:
        run("add", str(path), "--doc", path.stem, cwd=loop_dir)
    loop = (time.perf_counter() - started) / len(sample) * n
    rows["import"].append(
        f"| {n:,} | {imported:.0f} | {imported / n * 1000:.1f} | {loop:.0f} (20 files × {n / 20:g}) | "
        f"× {loop / imported:.1f} |"
    )
    # a fifth get a second version, stored through the same import path
    rng = random.Random(5)
    vocab = Chain([p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]).vocab
    for doc, _date, text in rng.sample(letters, n // 5):
        (later / f"{doc}.txt").write_text(edited(rng, text, vocab), encoding="utf-8")
    run("import", str(later), "-q", cwd=work)
    rebuild = run("index", "--rebuild", "-q", cwd=work)
    rows["index"].append(f"| {n:,} | {rebuild:.0f} | {rebuild / n * 1000:.1f} | {imported:.0f} |")
    kept = run("commitments", "--json", cwd=work)  # the threads the imports linked and kept
    with sqlite3.connect(work / "audit.db") as conn:  # as if docaudit's linking code had changed
        conn.execute("DELETE FROM settings WHERE key = 'commitment_links'")
    afresh = run("commitments", "--json", cwd=work)
    anchors.setdefault("commitments", afresh / n)
    anchors.setdefault("kept", kept / n)
    cold = run("report", "-o", "site", "-q", cwd=work)
    again = run("report", "-o", "site", "-q", cwd=work)
    newer = root / "newer"
    newer.mkdir()
    for doc, _date, text in rng.sample(letters, max(1, n // 100)):
        (newer / f"{doc}.txt").write_text(text + "\n\nDe minister zal de Kamer voor de zomer informeren.\n")
    run("import", str(newer), "-q", cwd=work)
    newest = run("commitments", "--json", cwd=work)  # links the 1 % that got a version, and what came after
    rows["commitments"].append(
        f"| {n:,} | {afresh:.2f} | {afresh / n * 1000:.2f} | × {afresh / n / anchors['commitments']:.2f} | "
        f"{kept:.2f} | × {kept / n / anchors['kept']:.2f} | {newest:.2f} |"
    )
    one_percent = run("report", "-o", "site", "-q", cwd=work)
    changes = run("changes", "--json", cwd=work)
    changes_again = run("changes", "--json", cwd=work)
    rows["report"].append(
        f"| {n:,} | {cold:.1f} | {again:.2f} ({again / cold:.0%}) | {one_percent:.1f} ({one_percent / cold:.0%}) | "
        f"{changes:.1f} | {changes_again:.2f} ({changes_again / changes:.0%}) |"
    )
    db = work / "audit.db"
    with sqlite3.connect(db) as conn:
        stored_text = conn.execute("SELECT sum(length(CAST(text AS BLOB))) FROM versions").fetchone()[0]
        tables = conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC").fetchall()
    size = os.path.getsize(db)
    top = ", ".join(f"{name} {s / stored_text:.2f}" for name, s in tables[:5])
    rows["db"].append(f"| {n:,} | {stored_text / 1e6:.1f} | {size / 1e6:.0f} | × {size / stored_text:.2f} | {top} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="500,2000,10000")
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    rows: dict[str, list[str]] = {k: [] for k in ("import", "index", "commitments", "report", "db")}
    anchors: dict[str, float] = {}
    sizes = [int(s) for s in args.sizes.split(",")]
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            one_size(n, Path(tmp), rows, anchors)
            print(f"{n} letters done in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    lines = [
        f"Generated letters (bench/phrases.py, ~10 KB of text each), a fifth with a second version; {os.cpu_count()} "
        f"cores, Python {platform.python_version()}; each figure one run of the whole command.",
        "",
        "Import (all letters, one process) against one `docaudit add` process per file (the loop, on 20 files):",
        "",
        *header("letters", "import s", "ms per letter", "per-file loop s (scaled)", "import vs loop"),
        *rows["import"],
        "",
        "The phrase index rebuilt from scratch (`index --rebuild`), against the import that kept it up to date:",
        "",
        *header("letters", "rebuild s", "ms per letter", "import s"),
        *rows["index"],
        "",
        "`docaudit commitments --json`: linking every letter afresh (the kept threads removed, as when docaudit's "
        "linking code changed), per letter against the smallest size "
        f"({sizes[0]:,}); reading the threads the imports kept; after 1% of the letters got a version (their "
        "letters and every later one relinked; the report's 1% figure below comes after this):",
        "",
        *header(
            "letters",
            "afresh s",
            "ms per letter",
            "per letter vs smallest",
            "kept s",
            "per letter vs smallest",
            "1% new s",
        ),
        *rows["commitments"],
        "",
        "`docaudit report`: cold, again with nothing new, after 1% of the letters got a version (share of the cold"
        " report); `docaudit changes --json` after that, and again (its pairs kept in audit.db):",
        "",
        *header("letters", "cold s", "nothing new s", "1% new s", "changes s", "changes again s"),
        *rows["report"],
        "",
        "audit.db against the text of every stored version (the five largest tables, × text):",
        "",
        *header("letters", "text MB", "audit.db MB", "× text", "largest tables × text"),
        *rows["db"],
    ]
    publish("\n".join(lines), args.write, "Scale (bench/scale.py)")


if __name__ == "__main__":
    main()
