#!/usr/bin/env python3
"""Diff benchmark: docaudit's three diffs against difflib, git --word-diff and redlines on the same pairs.

    python bench/diff.py [--repeat 15] [--write bench/RESULTS.md]

Pairs (all text, so extraction is not measured):

* letter: a real ~12 KB letter (tests/fixtures/letters/2024D46963.txt) and the same letter with the
  planted edits of the labelled set (read from tests/fixtures/diffset/2024D46963_edited.docx);
* 1 MB: ~1 MB of real letter paragraphs (rotated and shuffled so they do not repeat) and a copy in which
  1% of the sentences are changed (a word replaced, a "niet" added, a number changed).

In-process figures are medians of ``--repeat`` runs. Baselines, on the same texts:
``difflib.unified_diff`` over the paragraph lines (the standard library's line diff), ``git diff
--no-index --word-diff`` (a process per run, as it would be used), and the ``redlines`` package (word
diff with Markdown output; ``pip install -e '.[bench]'``). "× docaudit" is the baseline's time divided by
docaudit's semantic diff (above 1: the baseline is slower).
The whole command ``docaudit diff a.txt b.txt`` is timed as a process, against ``python -c pass``.
"""

from __future__ import annotations

import argparse
import difflib
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from results import publish  # noqa: E402  (bench/ is on sys.path when its scripts run)

from docaudit.diff import line_diff, semantic_diff, word_diff  # noqa: E402
from docaudit.read.extract import extract_file  # noqa: E402
from docaudit.text.normalize import normalize_text  # noqa: E402
from docaudit.text.segment import split_sentences  # noqa: E402

LETTERS = ROOT / "tests" / "fixtures" / "letters"


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def letter_pair() -> tuple[str, str]:
    old = normalize_text((LETTERS / "2024D46963.txt").read_text(encoding="utf-8"))
    new = normalize_text(extract_file(ROOT / "tests/fixtures/diffset/2024D46963_edited.docx").text)
    return old, new


def megabyte_pair(seed: int = 1) -> tuple[str, str, int]:
    """~1 MB of real paragraphs and a copy with 1% of its sentences changed; also the number changed."""
    rng = random.Random(seed)
    paras = []
    for path in sorted(LETTERS.glob("*.txt")):
        paras += [p for p in normalize_text(path.read_text(encoding="utf-8")).split("\n\n") if len(p) > 80]
    out: list[str] = []
    size = 0
    n = 0
    while size < 1_000_000:
        p = paras[n % len(paras)]
        sentences = split_sentences(p)
        rng.shuffle(sentences)
        text = f"{n}. " + " ".join(sentences)
        out.append(text)
        size += len(text) + 2
        n += 1
    old = "\n\n".join(out)
    new_paras = []
    changed = 0
    total = 0
    for p in out:
        sentences = split_sentences(p)
        total += len(sentences)
        for i, s in enumerate(sentences):
            if rng.random() < 0.01:
                words = s.split()
                k = rng.randrange(1, len(words)) if len(words) > 1 else 0
                words.insert(k, rng.choice(["niet", "mogelijk", "2026", "ook", "Europese"]))
                sentences[i] = " ".join(words)
                changed += 1
        new_paras.append(" ".join(sentences))
    return old, "\n\n".join(new_paras), changed


def git_word_diff(a: Path, b: Path) -> None:
    subprocess.run(
        ["git", "diff", "--no-index", "--word-diff", "--no-color", str(a), str(b)], capture_output=True, check=False
    )


def command_time(args: list[str], repeat: int) -> float:
    return median_time(lambda: subprocess.run(args, capture_output=True, check=False), repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--write", type=Path, help="replace this benchmark's section in a Markdown file")
    args = parser.parse_args()
    try:
        from redlines import Redlines
    except ImportError:
        Redlines = None  # noqa: N806
    small = letter_pair()
    big_old, big_new, big_changed = megabyte_pair()
    rows = []
    tmp = Path(tempfile.mkdtemp())
    for name, (old, new), repeat in (
        ("letter, 12 KB", small, args.repeat),
        (f"1 MB, {big_changed} sentences (1%) changed", (big_old, big_new), max(3, args.repeat // 3)),
    ):
        a, b = tmp / "a.txt", tmp / "b.txt"
        a.write_text(old, encoding="utf-8")
        b.write_text(new, encoding="utf-8")
        ours = median_time(lambda o=old, n=new: semantic_diff(o, n), repeat)
        timings = {
            "docaudit semantic": ours,
            "docaudit line": median_time(lambda o=old, n=new: line_diff(o, n), repeat),
            "docaudit word": median_time(lambda o=old, n=new: word_diff(o, n), repeat),
            "difflib.unified_diff": median_time(
                lambda o=old, n=new: list(difflib.unified_diff(o.split("\n\n"), n.split("\n\n"), lineterm="")), repeat
            ),
            "git diff --no-index --word-diff": median_time(lambda a=a, b=b: git_word_diff(a, b), repeat),
        }
        if Redlines is not None:
            timings["redlines"] = median_time(lambda o=old, n=new: Redlines(o, n).output_markdown, max(1, repeat // 3))
        for what, seconds in timings.items():
            rows.append((name, what, seconds, seconds / ours))
        print(f"{name}: {semantic_diff(old, new).summary_line()}", file=sys.stderr)
    a, b = tmp / "a.txt", tmp / "b.txt"
    a.write_text(small[0], encoding="utf-8")
    b.write_text(small[1], encoding="utf-8")
    exe = [sys.executable, "-m", "docaudit"]
    env_cmd = command_time([*exe, "diff", str(a), str(b)], args.repeat)
    start_up = command_time([sys.executable, "-c", "pass"], args.repeat)
    lines = [
        f"Diff benchmark: {os.cpu_count()} cores, Python {sys.version.split()[0]}; medians.",
        "",
        "| pair | what | ms | × docaudit semantic |",
        "|---|---|---|---|",
    ]
    for name, what, seconds, ratio in rows:
        lines.append(f"| {name} | {what} | {seconds * 1000:.1f} | {ratio:.2f} |")
    lines += [
        "",
        "| command | ms | × `python -c pass` |",
        "|---|---|---|",
        f"| `docaudit diff a.txt b.txt` (12 KB letters) | {env_cmd * 1000:.0f} | {env_cmd / start_up:.1f} |",
        f"| `python -c pass` | {start_up * 1000:.0f} | 1.0 |",
    ]
    table = "\n".join(lines)
    publish(table, args.write, "diff (bench/diff.py)")


if __name__ == "__main__":
    main()
