#!/usr/bin/env python3
"""The phrase index on Spark against the local build, on one machine: time and whether the tables agree.

    python bench/spark.py [--letters 2000] [--write bench/RESULTS.md]

The corpus is bench/phrases.py's (Markov letters from the real ones, planted formulations and variants).
The local build (`index --rebuild`, 2 worker processes) is the named baseline; Spark runs in local[1] and
local[2], session start-up included and listed apart. Every build's four phrase tables are compared row
for row with the baseline's.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from phrases import make_corpus, store_letters  # noqa: E402
from results import publish  # noqa: E402

from docaudit.phrases.index import TABLES, rebuild  # noqa: E402
from docaudit.spark import phrases as spark_phrases  # noqa: E402
from docaudit.store import Store  # noqa: E402


def tables(db: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(db) as conn:
        return {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall()) for t in TABLES}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--letters", type=int, default=2000)
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "corpus.db"
        letters, _ = make_corpus(args.letters, seed=11, formulations=100, copies=10)
        store_letters(base, letters)
        local_db = Path(tmp) / "local.db"
        shutil.copy(base, local_db)
        with Store(local_db, hooks=False) as store:
            started = time.perf_counter()
            rebuild(store, workers=2)
            local_s = time.perf_counter() - started
        expected = tables(local_db)
        rows.append(f"| local build, 2 processes (baseline) | {local_s:.1f} | – | 1.00 | yes |")
        for master in ("local[1]", "local[2]"):
            db = Path(tmp) / f"{master}.db"
            shutil.copy(base, db)
            started = time.perf_counter()
            spark = spark_phrases.session(master)
            boot = time.perf_counter() - started
            with Store(db, hooks=False) as store:
                build = spark_phrases.rebuild_on_spark(store, spark=spark)
            spark.stop()
            total = time.perf_counter() - started
            same = tables(db) == expected
            rows.append(
                f"| Spark {master} ({build.rounds} propagation rounds) | {total:.1f} | {boot:.1f} | "
                f"{total / local_s:.2f} | {'yes' if same else 'NO'} |"
            )
            print(rows[-1], flush=True)
    table = "\n".join(
        [
            f"{args.letters:,} generated letters on one 2-core machine; seconds, Spark session start-up included.",
            "",
            "| build | s | of which Spark start-up | × baseline | same tables as the local build |",
            "|---|---|---|---|---|",
            *rows,
        ]
    )
    publish(table, args.write, "phrase index on Spark (bench/spark.py)")


if __name__ == "__main__":
    main()
