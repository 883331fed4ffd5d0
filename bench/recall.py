#!/usr/bin/env python3
"""Trace recall as the corpus grows: does `trace` still find every planted copy at 50,000 letters?

    python bench/recall.py [--sizes 1000,5000,10000,50000] [--write bench/RESULTS.md]

The corpus is bench/phrases.py's (Markov letters from the real ones) with 100 planted formulations
(10 copies each, 60% mutated) and 10 "crowded" ones: real 12–16-word sentences from ../shared/corpus
whose opening (their first 60% of words) also opens a generated sentence in 5% of all letters — 50
letters at 1,000, 2,500 at 50,000. A mutated copy of such a sentence may share only those common
fingerprints with the query: the shape where capped posting lists lose copies as the corpus grows.

Named baseline in the same run, on the same index: the lookup before this change (every posting list
capped at the 64 oldest sentences, ``trace.DEPTH = 0``, and 200 candidates verified). Also printed:
the database's size next to its normalized text. A copy counts as found when `trace` lists its document
with its wording; copies that the segmenter joined to a neighbouring generated sentence (not a sentence
of their own in the letter) are counted apart, since no lookup can return them.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from phrases import make_corpus, store_letters  # noqa: E402
from results import header, publish  # noqa: E402

from docaudit.phrases import fingerprint as fp  # noqa: E402
from docaudit.phrases import trace as trace_mod  # noqa: E402
from docaudit.phrases.index import rebuild, text_size  # noqa: E402
from docaudit.store.database import Store  # noqa: E402

FORMULATIONS, CROWDED = 100, 10
DEPTH, CANDIDATES = trace_mod.DEPTH, trace_mod.CANDIDATES


def measure(store, planted, depth: int, candidates: int) -> dict:
    """Recall (all, ordinary, crowded, worst formulation) and trace times with ``trace.DEPTH = depth`` and
    ``trace.CANDIDATES = candidates``."""
    trace_mod.DEPTH, trace_mod.CANDIDATES = depth, candidates
    conn = store.conn
    found = {"ordinary": [0, 0], "crowded": [0, 0]}
    worst, times, unsegmented = 1.0, [], 0
    for f, (original, copies) in sorted(planted.items()):
        started = time.perf_counter()
        result = trace_mod.trace(store, original)
        times.append((time.perf_counter() - started) * 1000)
        got = {(o.doc, " ".join(fp.words(o.text))) for o in result.occurrences}
        hits = 0
        for doc, text in copies:
            words = fp.words(text)
            if (doc, " ".join(words)) in got:
                hits += 1
            elif not conn.execute(
                "SELECT 1 FROM phrase_sentences s JOIN phrase_occurrences o ON o.sentence_id = s.id "
                "WHERE s.key = ? AND o.doc_id = ?",
                (fp.key(words), doc),
            ).fetchone():
                unsegmented += 1
        kind = "crowded" if f >= FORMULATIONS else "ordinary"
        found[kind][0] += hits
        found[kind][1] += len(copies)
        worst = min(worst, hits / len(copies))
    total = sum(v[0] for v in found.values()) / sum(v[1] for v in found.values())
    return {
        "all": total,
        "ordinary": found["ordinary"][0] / found["ordinary"][1],
        "crowded": found["crowded"][0] / found["crowded"][1],
        "worst": worst,
        "unsegmented": unsegmented,
        "ms": statistics.median(times),
        "max_ms": max(times),
    }


def run_size(n: int, folder: Path, keep: bool) -> tuple[list[dict], dict]:
    """Build (or, with ``keep``, reuse from ``folder``) the corpus of ``n`` letters and its index; measure."""
    db, kept = folder / f"recall-{n}.db", folder / f"recall-{n}.json"
    seconds = None
    reused = keep and kept.exists() and db.exists()
    if reused:
        saved = json.loads(kept.read_text())
        saved = saved if "planted" in saved else {"planted": saved, "seconds": None}
        planted = {int(f): (o, [tuple(c) for c in cs]) for f, (o, cs) in saved["planted"].items()}
        seconds = saved["seconds"]
    else:
        letters, planted = make_corpus(n, seed=11, formulations=FORMULATIONS, copies=10, crowded=CROWDED)
        db.unlink(missing_ok=True)
        kept.unlink(missing_ok=True)
        store_letters(db, letters)
        del letters
    with Store(db) as store:
        if not reused:
            started = time.perf_counter()
            rebuild(store, workers=2)
            seconds = time.perf_counter() - started
        if keep and not reused:
            kept.write_text(json.dumps({"planted": planted, "seconds": seconds}))
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        warm = next(iter(planted.values()))[0]
        trace_mod.trace(store, warm)  # the first lookup reads the index from disk: not what is measured
        new = measure(store, planted, DEPTH, CANDIDATES)
        old = measure(store, planted, 0, 200)  # the lookup before: lists capped at 64, 200 candidates verified
        text = text_size(store.conn)
    sizes = {"db": db.stat().st_size, "text": text, "index_s": seconds}
    if not keep:
        db.unlink()
    return [old, new], sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,5000,10000,50000")
    parser.add_argument("--write", type=Path)
    parser.add_argument("--keep", type=Path, help="Keep the corpora and indexes in this folder and reuse them.")
    args = parser.parse_args()
    rows, size_rows = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for n in [int(x) for x in args.sizes.split(",")]:
            random.seed(n)
            if args.keep:
                args.keep.mkdir(parents=True, exist_ok=True)
            (old, new), sizes = run_size(n, args.keep or Path(tmp), args.keep is not None)
            deep = f"rarest first, depth {DEPTH:,}, {CANDIDATES:,} verified"
            for name, r in (("capped lists, 64 oldest, 200 verified (baseline)", old), (deep, new)):
                rows.append(
                    f"| {n:,} | {name} | {r['all']:.3f} | {r['ordinary']:.3f} | {r['crowded']:.3f} | "
                    f"{r['worst']:.2f} | {r['ms']:.0f} / {r['max_ms']:.0f} |"
                )
                print(rows[-1], flush=True)
            size_rows.append(
                f"| {n:,} | {sizes['text'] / 1e6:.0f} | {sizes['db'] / 1e6:.0f} | {sizes['db'] / sizes['text']:.2f} | "
                f"{'–' if sizes['index_s'] is None else format(sizes['index_s'], '.0f')} | {new['unsegmented']} |"
            )
            print(size_rows[-1], flush=True)
    table = "\n".join(
        [
            f"{FORMULATIONS} planted formulations and {CROWDED} crowded ones (their opening in 5% of all letters), "
            f"10 copies each; 2 cores, Python {sys.version.split()[0]}.",
            "",
            *header(
                "letters", "lookup", "recall, all", "ordinary", "crowded", "worst formulation", "trace ms median / max"
            ),
            *rows,
            "",
            *header(
                "letters", "text MB", "audit.db MB", "× text", "`index --rebuild` s", "copies joined to a neighbour"
            ),
            *size_rows,
        ]
    )
    publish(table, args.write, "trace recall at scale (bench/recall.py)")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
