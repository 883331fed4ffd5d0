#!/usr/bin/env python3
"""Report benchmark: how long `docaudit report` takes on a store of many letters, cold and nightly.

    python bench/report.py [--letters 1000] [--write bench/RESULTS.md]

The store: the phrase benchmark's synthetic letters (bench/phrases.py: ~10 KB each, real vocabulary,
planted re-use, so there are phrase families to draw), half of them with a second version (three
sentences edited — a word changed, dropped or inserted, a modal's tense — and a paragraph moved), a
tenth with a third. Stored with the phrase index on (set-up, not measured).

Measured, in one run: a cold report into an empty folder; the same report again with nothing new (the
nightly case when nothing changed); again after 1% of the documents gained a version. Named baselines
in the same run: what a user would script without the report — one standalone `diff --format html`
page per version pair through the library (`render_diff(compare_versions(...), "html")`, no index, no timeline,
no phrases) — and the same per pair through the command line (`docaudit diff A B --format html -o F`,
a process per pair, timed on a sample and scaled to all pairs).
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from phrases import make_corpus, mutate  # noqa: E402
from results import publish  # noqa: E402

from docaudit.ingest import add_bytes  # noqa: E402
from docaudit.store.database import Store  # noqa: E402


def edited(rng: random.Random, text: str, vocab: list[str]) -> str:
    """The letter with three sentences edited and one body paragraph moved to the end."""
    head, *paras = text.split("\n\n")
    body, tail = paras[:-1], paras[-1]
    for _ in range(3):
        k = rng.randrange(len(body))
        parts = body[k].split(". ")
        long = [j for j, part in enumerate(parts) if len(part.split()) >= 4]
        if not long:
            continue
        j = rng.choice(long)
        parts[j] = mutate(rng, parts[j], vocab)[0]
        body[k] = ". ".join(parts)
    if len(body) > 2:
        body.append(body.pop(rng.randrange(len(body) - 1)))
    return "\n\n".join([head, *body, tail])


def build_store(db: Path, n: int, seed: int = 11) -> tuple[int, int]:
    from phrases import CORPUS, Chain

    letters, _ = make_corpus(n, formulations=max(20, n // 25), copies=min(25, max(2, n // 40)))
    vocab = Chain([p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]).vocab
    rng = random.Random(seed)
    pairs = 0
    with Store(db) as store:
        for doc, date, text in letters:
            add_bytes(store, text.encode(), doc, filename=f"{doc}.txt", letter_date=date, title=f"Brief {doc}")
        for doc, date, text in letters:
            current = text
            for _ in range((rng.random() < 0.5) + (rng.random() < 0.1)):
                current = edited(rng, current, vocab)
                add_bytes(store, current.encode(), doc, filename=f"{doc}.txt", letter_date=date)
                pairs += 1
    return len(letters), pairs


def timed(fn) -> tuple[float, object]:
    t0 = time.perf_counter()
    value = fn()
    return time.perf_counter() - t0, value


def site_size(folder: Path) -> tuple[int, float]:
    pages = list(folder.rglob("*.html"))
    return len(pages), sum(p.stat().st_size for p in pages) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--letters", type=int, default=1000)
    parser.add_argument("--cli-sample", type=int, default=20)
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    from docaudit.changes.compare import compare_versions
    from docaudit.diff.render import render_diff
    from docaudit.report import build_report

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        db = root / "audit.db"
        t_store, (n, pairs) = timed(lambda: build_store(db, args.letters))
        print(f"stored {n} letters, {pairs} version pairs in {t_store:.0f} s", file=sys.stderr)
        with Store(db) as store:
            t_cold, cold = timed(lambda: build_report(store, root / "site"))
            pages, mb = site_size(root / "site")
            t_warm, warm = timed(lambda: build_report(store, root / "site"))
            docs = [d.id for d in store.documents()]
            rng = random.Random(3)
            for doc in rng.sample(docs, max(1, len(docs) // 100)):
                latest = store.versions(doc)[-1]
                add_bytes(store, (latest.normalized + "\n\nEen nieuwe alinea van vandaag.").encode(), doc)
            t_incr, incr = timed(lambda: build_report(store, root / "site"))
            refs = [
                (a.ref, b.ref) for d in docs for a, b in zip(store.versions(d), store.versions(d)[1:], strict=False)
            ]
            out = root / "naive"
            out.mkdir()

            def naive() -> None:
                for k, (a, b) in enumerate(refs):
                    (out / f"{k}.html").write_text(render_diff(compare_versions(store, a, b), "html"), encoding="utf-8")

            t_naive, _ = timed(naive)
        sample = random.Random(5).sample(refs, min(args.cli_sample, len(refs)))
        cli_ms = []
        for a, b in sample:
            t0 = time.perf_counter()
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "docaudit",
                    "--db",
                    str(db),
                    "diff",
                    a,
                    b,
                    "--format",
                    "html",
                    "-o",
                    str(root / "cli.html"),
                ],
                check=False,
                capture_output=True,
            )
            cli_ms.append((time.perf_counter() - t0) * 1000)
        t_cli = statistics.median(cli_ms) / 1000 * len(refs)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    per_pair = t_cold / max(cold.changes, 1) * 1000
    rows = [
        ("`docaudit report`, cold (empty folder)", t_cold, f"{cold.diffs} diffs, {pages} pages, {mb:.0f} MB of HTML"),
        ("`docaudit report`, again, nothing new", t_warm, f"{warm.diffs} diffs, files written: {warm.written}"),
        (
            "`docaudit report`, after 1% of documents changed",
            t_incr,
            f"{incr.diffs} diffs, files written: {incr.written}",
        ),
        ("baseline: one `diff --format html` page per pair (library)", t_naive, f"{len(refs)} pages, nothing else"),
        (
            "baseline: the same through the CLI, a process per pair",
            t_cli,
            f"median {statistics.median(cli_ms):.0f} ms × {len(refs)} pairs (sampled {len(sample)})",
        ),
    ]
    table = [
        f"Report benchmark: {n} synthetic letters (~10 KB), {cold.versions} versions, {cold.changes} version pairs, "
        f"{cold.families} formulation pages of {cold.families_total}; 2 cores, Python "
        f"{sys.version.split()[0]}. Peak memory {peak:.0f} MB (whole run). Cold: {per_pair:.1f} ms per version pair "
        "including its document's pages.",
        "",
        "| run | s | × library baseline | what |",
        "|---|---|---|---|",
    ]
    table += [f"| {name} | {s:.1f} | {s / t_naive:.2f} | {what} |" for name, s, what in rows]
    publish("\n".join(table), args.write, "report (bench/report.py)")


if __name__ == "__main__":
    main()
