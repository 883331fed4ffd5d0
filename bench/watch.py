#!/usr/bin/env python3
"""Watch benchmark: one ``docaudit run`` over 1,000 sources on a local server, and a flaky-server run.

    python bench/watch.py [--sources 1000] [--write bench/RESULTS.md]

The server runs in its own process (tests/localserver.py) so it does not share the run's GIL. Sources:
90% HTML pages with an ETag (the second run gets 304 Not Modified), 10% real letters as .docx and .pdf
(tests/fixtures) that change between the runs (each becomes its edited version from the diff set).

Measured, each in a fresh process (peak RSS from wait4):

* seed run: the first ``docaudit run`` (everything is new);
* measured run: the second run (90% 304, 10% changed and stored, with a semantic diff in nothing but the
  fetch record); target ≤ 20 s wall and ≤ 300 MB on 2 cores;
* baseline: what a cron script without docaudit's run would do for the same second round: fetch every
  URL in turn without validators and hand the bytes to ``Store.add_bytes`` (unchanged text is still
  recognised, but every body is downloaded and every letter extracted again);
* flaky: 20 sources against a server that answers 30% of all requests with a 500 (seeded), default
  retries (3) with a 0.2 s backoff: wall time, stored and failed counts, requests made.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from results import publish  # noqa: E402

FIX = ROOT / "tests" / "fixtures"
LETTERS = ["2024D46963", "2023Z08511", "kamerbrief-deens-voorstel", "nota-onderbouwing-standpunt"]


def serve(port_queue, n_sources: int, flaky: float, phase_file: str) -> None:
    """Child process: the local server. Phase 2 (a file exists) serves the changed letters."""
    from docaudit.testing.localserver import LocalServer, Reply, Request

    rng = random.Random(7)
    sentences = [
        s
        for name in LETTERS
        for s in (FIX / "letters" / f"{name}.txt").read_text(encoding="utf-8").replace("\n", " ").split(". ")
        if len(s) > 40
    ]
    server = LocalServer()
    n_changing = n_sources // 10
    for i in range(n_sources):
        path = f"/s/{i}"
        if i < n_changing:
            name, fmt = LETTERS[i % 4], ("docx" if i % 2 else "pdf")
            v1 = (FIX / f"{name}.{fmt}").read_bytes()
            v2 = (FIX / "diffset" / f"{name}_edited.{fmt}").read_bytes()

            def route(request: Request, v1=v1, v2=v2, i=i) -> Reply:
                if flaky and rng.random() < flaky:
                    return Reply(status=500)
                body = v2 if os.path.exists(phase_file) else v1
                return Reply(body=body, etag=f'"{i}-{len(body)}"')

            server.route(path, route)
        else:
            body = "".join(f"<p>{s}.</p>" for s in rng.sample(sentences, 12))
            page = f"<html><head><title>Pagina {i}</title></head><body><main>{body}</main></body></html>".encode()

            def route(request: Request, page=page, i=i) -> Reply:
                if flaky and rng.random() < flaky:
                    return Reply(status=500)
                return Reply(body=page, etag=f'"p{i}"', content_type="text/html; charset=utf-8")

            server.route(path, route)
    port_queue.put(server.port)
    while True:
        time.sleep(3600)


def timed(argv: list[str], cwd: Path) -> dict:
    """Run a command to the end (output to files: a full pipe would stall it); wall time and its peak RSS."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        return {
            "seconds": wall,
            "rss_mb": usage.ru_maxrss / 1024,
            "out": out.read(),
            "err": err.read(),
            "status": status,
        }


BASELINE = """
import sys, httpx
from docaudit.ingest import add_bytes
from docaudit.store.database import Store
from docaudit.errors import DocauditError
base, n = sys.argv[1], int(sys.argv[2])
with Store("audit.db") as store, httpx.Client() as client:
    for i in range(n):
        r = client.get(f"{base}/s/{i}")
        try:
            add_bytes(store, r.content, f"s{i}")
        except DocauditError:
            pass
"""


def track_all(folder: Path, base: str, n: int) -> None:
    lines = [f'[[source]]\nurl = "{base}/s/{i}"\ndoc = "s{i}"\n' for i in range(n)]
    (folder / "docaudit.toml").write_text("[run]\nbackoff = 0.2\n\n" + "\n".join(lines), encoding="utf-8")


def start_server(n: int, flaky: float, phase_file: str):
    q: mp.Queue = mp.Queue()
    proc = mp.get_context("fork").Process(target=serve, args=(q, n, flaky, phase_file), daemon=True)
    proc.start()
    return proc, f"http://127.0.0.1:{q.get(timeout=60)}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sources", type=int, default=1000)
    ap.add_argument("--write", type=Path)
    args = ap.parse_args()
    n = args.sources
    run = [sys.executable, "-m", "docaudit", "run"]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        phase = str(tmp / "phase2")
        server, base = start_server(n, 0.0, phase)
        try:
            watch, naive = tmp / "watch", tmp / "naive"
            watch.mkdir()
            naive.mkdir()
            track_all(watch, base, n)
            seed = timed(run, watch)
            seed_naive = timed([sys.executable, "-c", BASELINE, base, str(n)], naive)
            Path(phase).touch()
            second = timed(run + ["--json"], watch)
            baseline = timed([sys.executable, "-c", BASELINE, base, str(n)], naive)
        finally:
            server.kill()
        outcomes = [json.loads(line)["outcome"] for line in second["out"].splitlines()]
        counts = {k: outcomes.count(k) for k in ("changed", "unchanged", "new", "failed")}
        for label, r in (("seed run (all new)", seed), ("measured run", second)):
            rows.append((label, n, r["seconds"], r["rss_mb"], second["seconds"]))
        rows.append(
            (
                "baseline: sequential GET + add_bytes, 2nd round",
                n,
                baseline["seconds"],
                baseline["rss_mb"],
                second["seconds"],
            )
        )
        _ = seed_naive

        flaky_dir = tmp / "flaky"
        flaky_dir.mkdir()
        server, base = start_server(20, 0.3, str(tmp / "never"))
        try:
            track_all(flaky_dir, base, 20)
            flaky = timed(run + ["--json"], flaky_dir)
        finally:
            server.kill()
        f_out = [json.loads(line) for line in flaky["out"].splitlines()]
        f_counts = {k: sum(1 for o in f_out if o["outcome"] == k) for k in ("new", "failed")}
        attempts = sum(o["attempts"] for o in f_out)

    lines = [
        f"Watch benchmark: {n} sources on a local server (90% unchanged with ETag → 304, 10% changed .docx/.pdf), "
        f"{os.cpu_count()} cores, Python {platform.python_version()}. Measured run outcomes: "
        + ", ".join(f"{v} {k}" for k, v in counts.items() if v)
        + ".",
        "",
        "| run | sources | wall s | peak RSS MB | × docaudit measured run |",
        "|---|---|---|---|---|",
    ]
    for label, count, seconds, rss, ref in rows:
        lines.append(f"| {label} | {count} | {seconds:.2f} | {rss:.0f} | {seconds / ref:.2f} |")
    lines += [
        "",
        f"Flaky server (30% of requests answer 500, retries 3, backoff 0.2 s doubling): 20 sources in "
        f"{flaky['seconds']:.2f} s wall, {f_counts['new']} stored, {f_counts['failed']} failed after retries, "
        f"{attempts} requests, peak RSS {flaky['rss_mb']:.0f} MB, exit status {flaky['status'] >> 8}.",
    ]
    publish("\n".join(lines), args.write, "watch (bench/watch.py)")


if __name__ == "__main__":
    main()
