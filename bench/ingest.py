#!/usr/bin/env python3
"""Ingest benchmark: docs/s, MB/s and peak memory per format; the PDF path against pdfminer and poppler.

    python bench/ingest.py [--n 200] [--write bench/RESULTS.md]

Builds ``--n`` letters per format (docx, pdf, html, txt) from the real letters in tests/fixtures/letters:
each is a different rotation of a letter's paragraphs with the sentence order of one paragraph shuffled, so
no two files are equal. PDFs come from one batched LibreOffice run and are cached in bench/out/.

Each measurement runs in its own process so its peak RSS (from wait4) is its own:

* ingest <fmt>: ``ingest.add_file`` for every file into a fresh audit.db (read, sniff, extract, normalize,
  find metadata, write the snapshot, insert the row, update the FTS index);
* extract pdf: docaudit's PDF extractor alone on the same PDFs;
* baseline pdfminer: ``pdfminer.high_level.extract_text`` on the same PDFs (the named baseline: ratio);
* baseline pdftotext: poppler's ``pdftotext -layout`` per file (speed-of-light reference; process start-up
  included, as that is how it would be used).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"

from results import publish  # noqa: E402  (bench/ is on sys.path when its scripts run)


def build_corpus(n: int) -> dict[str, list[Path]]:
    from docaudit.testing import fixtures as bf

    corpus = ROOT / "tests" / "fixtures" / "letters"
    letters = [
        bf.letter_2024d46963(corpus),
        bf.letter_2023z08511(corpus),
        bf.letter_deens(corpus),
        bf.letter_nota(corpus),
    ]
    rng = random.Random(2024)
    files: dict[str, list[Path]] = {"docx": [], "pdf": [], "html": [], "txt": []}
    for fmt in files:
        (OUT / fmt).mkdir(parents=True, exist_ok=True)
    todo_pdf = []
    for i in range(n):
        base = letters[i % len(letters)]
        letter = bf.copy.deepcopy(base)
        k = (i // len(letters)) % max(1, len(letter.blocks))
        letter.blocks = letter.blocks[k:] + letter.blocks[:k]
        para = letter.blocks[rng.randrange(len(letter.blocks))]
        parts = para.text.split(". ")
        rng.shuffle(parts)
        para.text = ". ".join(parts)
        name = f"{base.name}-{i:04d}"
        docx = OUT / "docx" / f"{name}.docx"
        if not docx.exists():
            bf.write_docx(letter, docx)
        files["docx"].append(docx)
        html = OUT / "html" / f"{name}.html"
        if not html.exists():
            bf.write_html(letter, html, f"Nummer: {name}")
        files["html"].append(html)
        txt = OUT / "txt" / f"{name}.txt"
        if not txt.exists():
            txt.write_text(letter.source_text(), encoding="utf-8")
        files["txt"].append(txt)
        pdf = OUT / "pdf" / f"{name}.pdf"
        if not pdf.exists():
            todo_pdf.append(docx)
        files["pdf"].append(pdf)
    if todo_pdf:
        soffice = shutil.which("soffice")
        if not soffice:
            raise SystemExit("LibreOffice is needed once to build the PDFs: apt-get install libreoffice-writer")
        with tempfile.TemporaryDirectory() as profile:
            for start in range(0, len(todo_pdf), 50):
                subprocess.run(
                    [
                        soffice,
                        f"-env:UserInstallation=file://{profile}/p",
                        "--headless",
                        "--convert-to",
                        "pdf",
                        "--outdir",
                        str(OUT / "pdf"),
                        *map(str, todo_pdf[start : start + 50]),
                    ],
                    check=True,
                    capture_output=True,
                    timeout=900,
                )
    return files


# --- workers (each runs in a child process) ----------------------------------------------------


def work(kind: str, fmt: str, paths: list[str]) -> dict:
    start = time.perf_counter()
    if kind == "ingest":
        from docaudit.ingest import add_file
        from docaudit.store.database import Store

        with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "audit.db") as store:
            for i, p in enumerate(paths):
                add_file(store, p, f"doc-{i}")
            start_end = time.perf_counter()
    elif kind == "extract":
        from docaudit.read.extract import extract

        for p in paths:
            extract(Path(p).read_bytes())
        start_end = time.perf_counter()
    elif kind == "pdfminer":
        from pdfminer.high_level import extract_text

        for p in paths:
            extract_text(p)
        start_end = time.perf_counter()
    elif kind == "pdftotext":
        for p in paths:
            subprocess.run(["pdftotext", "-layout", p, "-"], check=True, capture_output=True)
        start_end = time.perf_counter()
    else:
        raise ValueError(kind)
    return {"seconds": start_end - start}


def measure(kind: str, fmt: str, paths: list[Path]) -> dict:
    """Run a worker in a child process; return its time and peak RSS."""
    proc = subprocess.Popen(
        [sys.executable, __file__, "--worker", kind, fmt], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    proc.stdin.write(json.dumps([str(p) for p in paths]))
    proc.stdin.close()
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"worker {kind} {fmt} failed")
    result = json.loads(out)
    size = sum(p.stat().st_size for p in paths)
    result.update(kind=kind, fmt=fmt, files=len(paths), mb=size / 1e6, peak_mb=usage.ru_maxrss / 1024)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description="docaudit ingest benchmark")
    parser.add_argument("--n", type=int, default=200, help="letters per format")
    parser.add_argument("--write", type=Path, help="write the results table to this Markdown file")
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(work(args.worker[0], args.worker[1], json.loads(sys.stdin.read()))))
        return
    files = build_corpus(args.n)
    rows = []
    for fmt in ("docx", "pdf", "html", "txt"):
        rows.append(measure("ingest", fmt, files[fmt]))
    rows.append(measure("extract", "pdf", files["pdf"]))
    rows.append(measure("pdfminer", "pdf", files["pdf"]))
    if shutil.which("pdftotext"):
        rows.append(measure("pdftotext", "pdf", files["pdf"]))
    by = {(r["kind"], r["fmt"]): r for r in rows}
    base = by[("pdfminer", "pdf")]["seconds"]
    lines = [
        f"Ingest benchmark: {args.n} letters per format, {os.cpu_count()} cores, Python {sys.version.split()[0]}",
        "",
        "| what | files | MB | seconds | docs/s | MB/s | peak RSS MB | × pdfminer extract_text |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        ratio = f"{r['seconds'] / base:.2f}" if r["fmt"] == "pdf" else ""
        lines.append(
            f"| {r['kind']} {r['fmt']} | {r['files']} | {r['mb']:.1f} | {r['seconds']:.2f} | "
            f"{r['files'] / r['seconds']:.1f} | {r['mb'] / r['seconds']:.2f} | {r['peak_mb']:.0f} | {ratio} |"
        )
    table = "\n".join(lines)
    publish(table, args.write, "ingest (bench/ingest.py)")


if __name__ == "__main__":
    main()
