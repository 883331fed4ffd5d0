#!/usr/bin/env python3
"""The phrase index on Spark against the local build, on one machine: time, memory, shuffle, same tables?

    python bench/spark.py [--letters 10000] [--masters local[1],local[2]] [--write bench/RESULTS.md]

The corpus is bench/phrases.py's (Markov letters from the real ones, 100 planted formulations and 10
crowded ones, see bench/recall.py). The local build (`index --rebuild`, 2 worker processes) is the named
baseline; Spark runs in each master given, session start-up included and listed apart. Every build's
four phrase tables are compared row for row with the baseline's. Peak memory is the resident size of
this process and everything it started (worker processes; Spark's JVM and its Python workers), sampled
every 0.2 s. Shuffle is what Spark's own metrics say its stages wrote (REST API of the session's UI,
switched on for the benchmark). From those figures the script prints a paper estimate for a million
letters on a small cluster, with its assumptions.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from phrases import make_corpus, store_letters  # noqa: E402
from results import header, publish  # noqa: E402

from docaudit.phrases.index import TABLES, rebuild  # noqa: E402
from docaudit.spark import phrases as spark_phrases  # noqa: E402
from docaudit.spark.session import session  # noqa: E402
from docaudit.store.database import Store  # noqa: E402

PAGE = os.sysconf("SC_PAGE_SIZE")


def tables(db: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(db) as conn:
        return {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall()) for t in TABLES}


def tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and all its descendants (from /proc)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                    parents[int(entry)] = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    members, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in members:
                members.add(child)
                frontier.append(child)
    total = 0
    for pid in members:
        try:
            with open(f"/proc/{pid}/statm", encoding="ascii") as fh:
                total += int(fh.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            continue
    return total


class Peak:
    """The largest :func:`tree_rss` of this process seen while the block runs."""

    def __enter__(self) -> Peak:
        self.value = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()
        return self

    def _watch(self) -> None:
        while not self.stop.is_set():
            self.value = max(self.value, tree_rss(os.getpid()))
            self.stop.wait(0.2)

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()


def measured_session(master: str):
    """docaudit's session, with the UI on (a free port) so its REST API reports stage metrics."""
    return session(master, "docaudit-bench", {"spark.ui.enabled": "true", "spark.ui.port": "0"})


def shuffle_bytes(spark) -> tuple[int, int]:
    """(written, read) shuffle bytes over the application's stages."""
    sc = spark.sparkContext
    url = f"{sc.uiWebUrl}/api/v1/applications/{sc.applicationId}/stages"
    with urllib.request.urlopen(url, timeout=30) as reply:
        stages = json.load(reply)
    return sum(s.get("shuffleWriteBytes", 0) for s in stages), sum(s.get("shuffleReadBytes", 0) for s in stages)


def estimate(n: int, text_mb: float, spark_row: dict, local_s: float) -> list[str]:
    """A paper estimate for 1,000,000 letters from one measured Spark run (assumptions spelled out)."""
    scale = 1_000_000 / n
    cores = spark_row["cores"]
    core_s = (spark_row["seconds"] - spark_row["boot"]) * cores * scale  # core-seconds, if work scales linearly
    shuffle_gb = spark_row["shuffle_written"] * scale / 1e9
    executors, per = 8, 4  # a small cluster: 8 executors × 4 cores
    wall_min = core_s / (executors * per) / 60
    mem_gb = max(4.0, spark_row["peak"] / 1e9 / max(cores, 1) * per * 1.5)
    return [
        f"Paper estimate for 1,000,000 letters (≈ {text_mb * scale / 1000:.0f} GB of text), from the Spark "
        f"{spark_row['master']} run above: {core_s / 3600:.0f} core-hours of work and {shuffle_gb:.0f} GB "
        f"shuffled; on {executors} executors × {per} cores ({mem_gb:.0f} GB each) about {wall_min:.0f} minutes. "
        "Then the four tables go into audit.db: on the driver (`index --rebuild --engine spark`) or from "
        "Parquet (`index --from`), at SQLite's insert rate on one machine. For comparison, the local build "
        f"took {local_s:.0f} s for {n:,} letters here: ≈ {local_s * scale / 3600:.0f} h at 1M if it scaled "
        "linearly.",
        "",
        "Assumptions: all Spark time after start-up is counted as work growing linearly with letters (its "
        "fixed per-stage overhead too, so the figure is an upper bound); candidate pairs grow linearly "
        "(fingerprint groups are capped at 64 sentences) and families stay small; executors are as fast per "
        "core as this machine; executor memory is this run's peak per core × 1.5 (at least 4 GB); texts are "
        "read from the Parquet export on shared storage (HDFS, S3), not from one SQLite file.",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--letters", type=int, default=10_000)
    parser.add_argument("--masters", default="local[1],local[2]")
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    rows, runs = [], []
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "corpus.db"
        letters, _ = make_corpus(args.letters, seed=11, formulations=100, copies=10, crowded=10)
        text_mb = sum(len(t.encode()) for _, _, t in letters) / 1e6
        store_letters(base, letters)
        del letters
        local_db = Path(tmp) / "local.db"
        shutil.copy(base, local_db)
        with Peak() as peak, Store(local_db) as store:
            started = time.perf_counter()
            rebuild(store, workers=2)
            local_s = time.perf_counter() - started
        expected = tables(local_db)
        mb = peak.value / 1e6
        rows.append(f"| local build, 2 processes (baseline) | {local_s:.0f} | – | 1.00 | {mb:.0f} | – | – |")
        print(rows[-1], flush=True)
        for master in args.masters.split(","):
            db = Path(tmp) / f"{master}.db"
            shutil.copy(base, db)
            with Peak() as peak:
                started = time.perf_counter()
                spark = measured_session(master)
                boot = time.perf_counter() - started
                with Store(db) as store:
                    build = spark_phrases.rebuild_on_spark(store, spark=spark)
                total = time.perf_counter() - started
                written, _ = shuffle_bytes(spark)
                spark.stop()
            same = tables(db) == expected
            cores = int(master.removeprefix("local[").removesuffix("]")) if master.startswith("local[") else 1
            runs.append(
                {
                    "master": master,
                    "seconds": total,
                    "boot": boot,
                    "peak": peak.value,
                    "shuffle_written": written,
                    "rounds": build.rounds,
                    "cores": cores,
                }  # fmt: skip
            )
            rows.append(
                f"| Spark {master} ({build.rounds} large-star/small-star rounds) | {total:.0f} | {boot:.0f} | "
                f"{total / local_s:.2f} | {peak.value / 1e6:.0f} | {written / 1e6:.0f} | {'yes' if same else 'NO'} |"
            )
            print(rows[-1], flush=True)
            db.unlink()
    widest = max(runs, key=lambda r: r["cores"])
    table = "\n".join(
        [
            f"{args.letters:,} generated letters ({text_mb:.0f} MB of text) on one 2-core machine; seconds, Spark "
            "session start-up included; peak resident memory of the whole process tree.",
            "",
            *header(
                "build",
                "s",
                "of which Spark start-up",
                "× baseline",
                "peak memory MB",
                "shuffle written MB",
                "same tables",
            ),
            *rows,
            "",
            *estimate(args.letters, text_mb, widest, local_s),
        ]
    )
    publish(table, args.write, "phrase index on Spark (bench/spark.py)")


if __name__ == "__main__":
    main()
