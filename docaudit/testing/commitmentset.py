"""The labelled commitment set (``tests/fixtures/commitments``): letters with every commitment marked by
hand, versions and follow-up letters with planted events, and how the finder scores against them.

    python -m docaudit.testing.commitmentset     # the table in docs/commitments.md

Each letter is read as .txt, and — for the hand-written letters, built by scripts/build_commitments.py —
as .docx and .pdf through the real extractors. A found sentence is right when it contains a labelled
snippet; a labelled snippet is found when some found sentence contains it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from ..commitments.history import Found, Thread, histories
from ..meaning.promise import Commitment, find_commitments
from ..read.document import read_file
from ..text.normalize import comparison_key
from ..text.segment import sentences
from .repo import FIXTURES

SET = FIXTURES / "commitments"
FORMATS = (".txt", ".docx", ".pdf")


@cache
def labels() -> dict:
    return json.loads((SET / "labels.json").read_text(encoding="utf-8"))


def text_of(path: Path) -> str:
    """A letter's text as docaudit stores it: through the extractor of its format."""
    return read_file(path).prepared.normalized


def found_in(name: str, fmt: str = ".txt") -> list[Commitment]:
    path = (SET / name).with_suffix(fmt)
    when = date.fromisoformat(labels()["letters"][name]["date"])
    return find_commitments(sentences(text_of(path)), when)


def _has(snippet: str, text: str) -> bool:
    return comparison_key(snippet) in comparison_key(text)


@dataclass
class Score:
    true: int = 0
    false: list[str] = field(default_factory=list)  # found, not labelled
    missed: list[str] = field(default_factory=list)  # labelled, not found

    def add(self, name: str, labelled: list[str], found: list[Commitment]) -> None:
        for c in found:
            if any(_has(s, c.text) for s in labelled):
                self.true += 1
            else:
                self.false.append(f"{name}: {c.text}")
        for s in labelled:
            if not any(_has(s, c.text) for c in found):
                self.missed.append(f"{name}: {s}")

    @property
    def precision(self) -> float:
        return self.true / max(1, self.true + len(self.false))

    @property
    def recall(self) -> float:
        labelled = self.true + len(self.missed)
        return (labelled - len(self.missed)) / max(1, labelled)


def score(fmt: str = ".txt") -> Score:
    """Sentence-level precision and recall over the letters available in ``fmt``."""
    out = Score()
    for name, info in labels()["letters"].items():
        if fmt != ".txt" and not (SET / name).with_suffix(fmt).exists():
            continue
        out.add(name, info["commitments"], found_in(name, fmt))
    return out


def threads(fmt: str = ".txt") -> list[Thread]:
    """The histories of every labelled letter series."""
    letters = []
    for series in labels()["histories"]:
        versions = []
        for n, name in enumerate(series["versions"], 1):
            day = labels()["letters"][name]["date"]
            versions.append((n, day, [Found(series["doc"], n, day, c) for c in found_in(name, fmt)]))
        letters.append((series["doc"], versions))
    return histories(letters)


def event_misses(fmt: str = ".txt") -> tuple[int, list[str]]:
    """(planted events, the ones not found): each must be an event of the thread whose text carries the
    snippet, dated in the series' letter that planted it."""
    found = threads(fmt)
    planted, misses = 0, []
    for series in labels()["histories"]:
        for ev in series["events"]:
            planted += 1
            hit = any(
                e.event == ev["event"] and e.doc == series["doc"] and any(_has(ev["text"], h.text) for h in t.history)
                for t in found
                for e in t.history
            )
            if not hit:
                misses.append(f"{series['doc']}: {ev['event']} — {ev['text']}")
    return planted, misses


def report() -> str:
    lines = ["| format | letters | precision | recall | planted events right |", "|---|---|---|---|---|"]
    for fmt in FORMATS:
        s = score(fmt)
        planted, misses = event_misses(fmt)
        letters = sum(1 for n in labels()["letters"] if fmt == ".txt" or (SET / n).with_suffix(fmt).exists())
        lines.append(f"| {fmt} | {letters} | {s.precision:.2f} | {s.recall:.2f} | {planted - len(misses)}/{planted} |")
    txt = score(".txt")
    lines += ["", "Wrong (.txt):"] + [f"- found, not a commitment: {x}" for x in txt.false]
    lines += [f"- missed: {x}" for x in txt.missed] or ["- none"]
    return "\n".join(lines)


if __name__ == "__main__":
    print(report())
