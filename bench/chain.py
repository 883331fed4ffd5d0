#!/usr/bin/env python3
"""What the hash chain adds: ``add_file`` and ``run`` with every version, fetch record and edit chained,
against the same work with chaining switched off (the named baseline).

    python bench/chain.py [--n 60] [--sources 60] [--rounds 5] [--write bench/RESULTS.md]

* add: ``--n`` .txt letters (rotations of the letters in tests/fixtures/letters) into a fresh audit.db;
* run: ``docaudit run``'s library call over ``--sources`` URLs on a local HTTP server, all new (one version
  and one fetch record each), then again (304s: fetch records only).

The baseline replaces ``docaudit.store.chain.append`` with a no-op for its rounds; rounds alternate; medians.
The ratio of two wall times is noisy on a shared machine, so the time spent inside ``chain.append`` is
measured too, as a share of the "on" round: the chain's own cost, free of that noise. The .txt case is the
worst one for both, as extraction costs least there.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from results import header, publish  # noqa: E402  (bench/ is on sys.path when its scripts run)

from docaudit.ingest import add_file  # noqa: E402
from docaudit.store import chain  # noqa: E402
from docaudit.store.database import Store  # noqa: E402
from docaudit.testing.fixtures import rotations  # noqa: E402
from docaudit.testing.localserver import LocalServer, Reply  # noqa: E402
from docaudit.watch.run import RunSettings, run  # noqa: E402
from docaudit.watch.sources import track  # noqa: E402

LETTERS = sorted((ROOT / "tests" / "fixtures" / "letters").glob("*.txt"))


def texts(n: int) -> list[str]:
    return ["\n\n".join(paras) + "\n" for paras in rotations(LETTERS, n)]


def fresh(folder: Path) -> Store:
    for p in folder.glob("audit.db*"):
        p.unlink()
    return Store(folder / "audit.db", snapshots=folder / "snapshots")


def time_add(files: list[Path], folder: Path) -> float:
    with fresh(folder) as store:
        started = time.perf_counter()
        for i, f in enumerate(files):
            add_file(store, f, f"doc-{i:03d}")
        return time.perf_counter() - started


def time_run(server: LocalServer, n: int, folder: Path) -> float:
    with fresh(folder) as store:
        for i in range(n):
            track(store, server.url(f"/letter-{i:03d}.txt"), doc=f"doc-{i:03d}")
        settings = RunSettings(extract_workers=1)
        started = time.perf_counter()
        run(store, settings=settings)
        run(store, settings=settings)
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=60)
    parser.add_argument("--sources", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--write", type=Path, help="publish the figures into this markdown file")
    args = parser.parse_args()
    real = chain.append
    with tempfile.TemporaryDirectory() as tmp, LocalServer() as server:
        folder = Path(tmp)
        (folder / "in").mkdir()
        files = []
        for i, body in enumerate(texts(max(args.n, args.sources))):
            path = folder / "in" / f"letter-{i:03d}.txt"
            path.write_text(body, encoding="utf-8")
            files.append(path)
            server.route(f"/letter-{i:03d}.txt", Reply(body=body.encode(), etag=f'"{i}"', content_type="text/plain"))
        timings: dict[str, dict[str, list[float]]] = {"add": {"on": [], "off": []}, "run": {"on": [], "off": []}}
        inside = {"add": [], "run": []}  # seconds spent in chain.append itself, per "on" round
        spent = [0.0]

        def timed_append(*a, **k):
            started = time.perf_counter()
            try:
                return real(*a, **k)
            finally:
                spent[0] += time.perf_counter() - started

        for r in range(args.rounds):
            for state in ("on", "off") if r % 2 == 0 else ("off", "on"):  # neither always goes first
                chain.append = timed_append if state == "on" else (lambda *a, **k: "")  # type: ignore[assignment]
                try:
                    for what, go in (("add", lambda: time_add(files[: args.n], folder)),
                                     ("run", lambda: time_run(server, args.sources, folder))):  # fmt: skip
                        spent[0] = 0.0
                        total = go()
                        timings[what][state].append(total)
                        if state == "on":
                            inside[what].append(spent[0] / total)
                finally:
                    chain.append = real
    rows = []
    for what, label, count in (
        ("add", f"add {args.n} .txt letters", args.n),
        ("run", f"run × 2 over {args.sources} URLs", args.sources),
    ):
        on, off = statistics.median(timings[what]["on"]), statistics.median(timings[what]["off"])
        share = statistics.median(inside[what])
        rows.append(f"| {label} | {off * 1000 / count:.2f} | {on * 1000 / count:.2f} | {on / off:.3f} | {share:.1%} |")
    table = "\n".join(
        [
            f"Medians of {args.rounds} alternating rounds; ms per letter (add) or per source (run: two runs, the "
            "second all 304).",
            "",
            *header("work", "ms, chain off (baseline)", "ms, chain on", "× baseline", "time inside the chain"),
            *rows,
        ]
    )
    publish(table, args.write, "hash chain (bench/chain.py)")


if __name__ == "__main__":
    main()
