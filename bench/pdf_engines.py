#!/usr/bin/env python3
"""The PDFium engine (``--pdf-engine pdfium``) against pdfminer.six: the same words out, and how fast?

    python bench/pdf_engines.py [--rounds 3] [--chromium] [--fpdf] [--write bench/RESULTS.md]

Both engines feed docaudit's own layout rules (docaudit/read/extract/pdf.py: page furniture, margin column,
footnotes, paragraphs, hyphenation); only the line source differs. Named baseline: pdfminer.six, what
docaudit reads PDFs with by default. Two sets of PDFs:

* **fixtures**: every .pdf of the labelled sets (tests/fixtures, its diffset and commitments folders),
  made by LibreOffice from the corpus letters (scripts/build_fixtures.py);
* **chromium** (``--chromium``, needs Debian's chromium): the shared corpus's letters as another producer
  writes them — each publication of ``../shared/corpus`` laid out as HTML (justified with hyphenation, or
  with a letterhead column) and printed to PDF by headless chromium. Used while the engine was written
  (it showed chromium's scaled fonts and its glyph-by-glyph lines), so it is not held out;
* **fpdf2** (``--fpdf``, the ``[bench]`` extra): the same letters written by fpdf2 with a letterhead column
  and a page footer; frozen — built and run once, after the engine was done.

Measured: extraction time in this process (median of ``--rounds``), the words of pdfminer's text that
PDFium's text has too (difflib, word for word), listed where they differ; and ``docaudit import`` of the
fixture PDFs as whole processes with each engine (the isolation worker included).
"""

from __future__ import annotations

import argparse
import difflib
import html
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from results import header, publish  # noqa: E402

from docaudit.read.extract import extract  # noqa: E402
from docaudit.read.limits import Limits  # noqa: E402

CID = re.compile(r"\(cid:\d+\)")
SAME, FASTER = 0.99, 5  # the bar: at least 99 % of the words on every PDF, at least 5× the speed
ENGINES = {"pdfminer": Limits(isolate=False), "pdfium": Limits(isolate=False, pdf_engine="pdfium")}
STYLES = {
    "justified": "body{font:11pt 'DejaVu Serif';text-align:justify;hyphens:auto;margin:2.5cm}",
    "letterhead": "body{font:10pt 'DejaVu Sans';margin:2cm}"
    " aside{float:right;width:4.5cm;font-size:8pt;margin-left:1.2cm} main{width:11.5cm}",
}


def fixture_pdfs() -> list[Path]:
    fixtures = ROOT / "tests" / "fixtures"
    return sorted(
        p
        for folder in (fixtures, fixtures / "diffset", fixtures / "commitments")
        for p in folder.glob("*.pdf")
        if p.name != "encrypted.pdf"
    )


def chromium_pdfs(folder: Path) -> list[Path]:
    """The shared corpus's letters printed to PDF by headless chromium, in each style."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise SystemExit("--chromium needs Debian's chromium (apt-get install chromium)")
    corpus = ROOT.parent / "shared" / "corpus"
    texts = sorted(corpus.glob("*.txt")) + sorted((corpus / "publications").glob("*.txt"))
    out = []
    for path in texts:
        paragraphs = [p.strip() for p in path.read_text(encoding="utf-8", errors="replace").split("\n\n") if p.strip()]
        body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
        for style, css in STYLES.items():
            aside = "<aside>Directie Wetgeving<br>Datum<br>12 maart 2024<br>Ons kenmerk<br>5123456</aside>"
            page = (
                f"<!doctype html><html lang=nl><meta charset=utf-8><style>{css}</style>"
                f"<body>{aside if style == 'letterhead' else ''}<main>{body}</main></body></html>"
            )
            source = folder / f"{path.stem}.{style}.html"
            source.write_text(page, encoding="utf-8")
            target = source.with_suffix(".pdf")
            subprocess.run(
                [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                 f"--print-to-pdf={target}", source.as_uri()],
                capture_output=True, timeout=120, check=True,
            )  # fmt: skip
            out.append(target)
    return out


def fpdf_pdfs(folder: Path) -> list[Path]:
    """The shared corpus's letters written by fpdf2 (a third producer: its own TrueType subsets and word
    spacing): DejaVu Sans, a bold title, justified paragraphs, a letterhead column on the first page and a
    "pagina N van M" footer. The frozen set: built once, its output not looked at while the engine was written."""
    from fpdf import FPDF  # the [bench] extra

    fonts = Path("/usr/share/fonts/truetype/dejavu")
    corpus = ROOT.parent / "shared" / "corpus"
    texts = sorted(corpus.glob("*.txt")) + sorted((corpus / "publications").glob("*.txt"))
    out = []
    for path in texts:
        paragraphs = [" ".join(p.split()) for p in path.read_text(encoding="utf-8", errors="replace").split("\n\n")]
        paragraphs = [p for p in paragraphs if p]

        class Letter(FPDF):
            def footer(self) -> None:
                self.set_y(-15)
                self.set_font("dejavu", size=8)
                self.cell(0, 10, f"pagina {self.page_no()} van {{nb}}", align="C")

        pdf = Letter(format="A4")
        pdf.add_font("dejavu", "", str(fonts / "DejaVuSans.ttf"))
        pdf.add_font("dejavu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
        pdf.set_margins(25, 25, 75)
        pdf.add_page()
        pdf.set_font("dejavu", size=8)
        for k, label in enumerate(("Directie Wetgeving", "Datum", "12 maart 2024", "Ons kenmerk", "5123456")):
            pdf.text(150, 30 + 4 * k, label)
        pdf.set_font("dejavu", "B", 12)
        pdf.multi_cell(110, 6, paragraphs[0][:200])
        pdf.ln(3)
        pdf.set_font("dejavu", size=10)
        for paragraph in paragraphs[1:]:
            pdf.multi_cell(110, 5, paragraph, align="J")
            pdf.ln(3)
        target = folder / f"{path.stem}.fpdf.pdf"
        pdf.output(str(target))
        out.append(target)
    return out


def compare(files: list[Path], rounds: int) -> tuple[dict[str, float], list[tuple[str, int, int, list[str]]]]:
    """Seconds per engine over ``files``, and per file: name, words, words differing, what differs."""
    spent = {name: 0.0 for name in ENGINES}
    rows = []
    for path in files:
        data = path.read_bytes()
        texts = {}
        for name, limits in ENGINES.items():
            times = []
            for _ in range(rounds):
                started = time.perf_counter()
                texts[name] = extract(data, "pdf", limits=limits)
                times.append(time.perf_counter() - started)
            spent[name] += statistics.median(times)
        raw_words, raw_differ, _ = word_diff(texts["pdfminer"].text.split(), texts["pdfium"].text.split())
        a, b = words(texts["pdfminer"].text), words(texts["pdfium"].text)
        _, differ, said = word_diff(a, b)
        everywhere = [Counter(words(" ".join([x.text, *x.margin, *x.headers, *x.footers]))) for x in texts.values()]
        anywhere = sum((everywhere[0] - everywhere[1]).values())
        rows.append((path.name, len(a), differ, said, raw_words, raw_differ, sum(everywhere[0].values()), anywhere))
    return spent, rows


def words(text: str) -> list[str]:
    """The words of a text as compared: NFKC (a ligature "ﬁ", which pdfminer.six keeps and PDFium splits, is
    "fi"), without pdfminer.six's "(cid:N)" placeholders for glyphs it cannot map to a character."""
    return CID.sub("", unicodedata.normalize("NFKC", text)).split()


def word_diff(a: list[str], b: list[str]) -> tuple[int, int, list[str]]:
    """Words of ``a``, how many of them ``b`` lacks (difflib, word for word), and what differs."""
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    differ = len(a) - sum(m.size for m in matcher.get_matching_blocks())
    said = [
        f"{' '.join(a[i1:i2])[:60] or '—'} → {' '.join(b[j1:j2])[:60] or '—'}"
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]
    return len(a), differ, said


def import_seconds(files: list[Path], engine: str, rounds: int) -> float:
    """Median wall time of one ``docaudit import`` of ``files`` (a fresh database each time)."""
    times = []
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "in"
            folder.mkdir()
            for k, path in enumerate(files):
                shutil.copy(path, folder / f"{k:03d}-{path.name}")
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "docaudit", "--db", str(Path(tmp) / "audit.db"), "import", str(folder),
                 "--quiet", "--pdf-engine", engine],
                check=True, capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
            )  # fmt: skip
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def section(title: str, files: list[Path], rounds: int) -> tuple[list[str], list[str]]:
    spent, rows = compare(files, rounds)
    total = sum(r[1] for r in rows)
    differ = sum(r[2] for r in rows)
    raw_total, raw_differ = sum(r[4] for r in rows), sum(r[5] for r in rows)
    worst = min(rows, key=lambda r: 1 - r[2] / max(r[1], 1))
    all_total, all_missing = sum(r[6] for r in rows), sum(r[7] for r in rows)
    speed = spent["pdfminer"] / spent["pdfium"]
    met = speed >= FASTER and all(r[2] <= (1 - SAME) * r[1] for r in rows)
    table = [
        f"**{title}**: {len(files)} PDFs; median of {rounds} rounds.",
        "",
        *header(
            "engine",
            "ms per PDF",
            "speed vs pdfminer.six",
            "pdfminer's words it gives, as extracted",
            "… NFKC, (cid:N) left out",
            "lowest file",
            "… read anywhere (body, margin, furniture)",
        ),
        f"| pdfminer.six (baseline) | {1000 * spent['pdfminer'] / len(files):.1f} | × 1.0 | — | — | — | — |",
        f"| PDFium | {1000 * spent['pdfium'] / len(files):.1f} | × {speed:.1f} | "
        f"{raw_total - raw_differ:,}/{raw_total:,} ({1 - raw_differ / raw_total:.2%}) | "
        f"{total - differ:,}/{total:,} ({1 - differ / total:.2%}) | {1 - worst[2] / max(worst[1], 1):.2%} "
        f"({worst[0]}) | {all_total - all_missing:,}/{all_total:,} ({1 - all_missing / all_total:.2%}) |",
        "",
        f"PDFium {'meets' if met else 'does not meet'} the bar (≥ {FASTER}× and ≥ {SAME:.0%} of the words on every "
        "PDF, words compared NFKC and without pdfminer.six's (cid:N) placeholders).",
    ]
    listed = [f"- {name}: {', '.join(said[:4])}{' …' if len(said) > 4 else ''}" for name, _, d, said, *_ in rows if d]
    return table, listed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--chromium", action="store_true", help="also the corpus printed to PDF by chromium")
    parser.add_argument("--fpdf", action="store_true", help="also the corpus written by fpdf2 (the frozen set)")
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    lines = [f"Python {sys.version.split()[0]}, 2 cores; extraction in this process, the isolation worker off.", ""]
    table, listed = section("fixtures (LibreOffice)", fixture_pdfs(), args.rounds)
    lines += table
    differences = [*listed]
    if args.chromium:
        with tempfile.TemporaryDirectory() as tmp:
            title = "chromium (the shared corpus; looked at while writing the engine)"
            table, listed = section(title, chromium_pdfs(Path(tmp)), args.rounds)
        lines += ["", *table]
        differences += listed
    if args.fpdf:
        with tempfile.TemporaryDirectory() as tmp:
            table, listed = section("fpdf2 (the shared corpus, frozen)", fpdf_pdfs(Path(tmp)), args.rounds)
        lines += ["", *table]
        differences += listed
    lines += ["", "Words that differ, NFKC, (cid:N) left out (pdfminer.six → PDFium):", ""]
    lines += differences or ["- none"]
    files = fixture_pdfs()
    whole = {engine: import_seconds(files, engine, max(1, args.rounds - 1)) for engine in ENGINES}
    lines += [
        "",
        f"`docaudit import` of the {len(files)} fixture PDFs (whole process, extraction in workers): "
        f"pdfminer.six {whole['pdfminer']:.2f} s, PDFium {whole['pdfium']:.2f} s "
        f"(× {whole['pdfminer'] / whole['pdfium']:.1f}).",
    ]
    publish("\n".join(lines), args.write, "PDF engines (bench/pdf_engines.py)")


if __name__ == "__main__":
    main()
