"""The data a diff is: plain dataclasses, rendered elsewhere (see :mod:`docaudit.diff.render`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from ..text.segment import Sentence
from .flags import FLAGS

KINDS = ("modified", "inserted", "deleted", "moved", "cosmetic")
LEVELS = ("substantive", "minor", "cosmetic")
SUBSTANTIVE = frozenset(KINDS) - {"cosmetic"}


@dataclass
class Side:
    """One side of a comparison: a stored version (``DOC@N``) or a file."""

    ref: str
    sha256: str | None = None
    title: str | None = None
    date: str | None = None
    announced: bool | None = None  # a stored version: False when its source announced no new version
    announced_by: str | None = None
    reverted_to: str | None = None  # a stored version whose text is again that of this earlier one (DOC@N)


@dataclass
class Change:
    """One change between two versions, in sentence positions (0-based) of each version.

    ``old_count``/``new_count`` say how many consecutive sentences it spans on each side (an inserted
    paragraph is one change of several sentences). ``words`` is the word diff (for modified changes and
    moved text that was also edited); ``reasons`` says why a cosmetic change is only cosmetic.
    """

    kind: str
    old_text: str | None
    new_text: str | None
    old_index: int | None
    new_index: int | None
    flags: list[str] = field(default_factory=list)
    words: list[tuple[int, str]] = field(default_factory=list)
    old_count: int = 0
    new_count: int = 0
    old_paragraph: int | None = None
    new_paragraph: int | None = None
    reasons: list[str] = field(default_factory=list)
    similarity: float | None = None
    level: str = "substantive"  # substantive | minor | cosmetic (see docaudit.diff.severity)
    severity: int = 0  # 0–100: what the change does to meaning
    summary: str = ""  # one plain line: "negation added", "commitment weakened: 'zal' → 'kan'", …
    signals: list[str] = field(default_factory=list)  # named reasons with direction, strongest first
    section: str | None = None  # where, in the letter's terms: nearest heading, "Vraag 5", "footnote 2"
    why: list[str] = field(default_factory=list)  # the severity explained: "95: negation removed", "+5: …"

    @property
    def substantive(self) -> bool:
        return self.kind in SUBSTANTIVE

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["words"] = [[op, text] for op, text in self.words]
        if self.similarity is not None:
            out["similarity"] = round(self.similarity, 3)
        return out


@dataclass
class SemanticDiff:
    """Sentences of two versions aligned; every difference classified and flagged."""

    old: Side
    new: Side
    changes: list[Change]
    old_sentences: int = 0
    new_sentences: int = 0
    mode: str = "semantic"
    # what happened to the promises the letter makes (docaudit.commitments.diffing), filled in by
    # docaudit.changes.compare: [{"event", "detail", "old_text", "new_text"}], most telling first
    commitments: list[dict[str, Any]] = field(default_factory=list)
    # the sentences both sides were split into (for showing changes in place; not serialized)
    texts: tuple[list[Sentence], list[Sentence]] | None = field(default=None, repr=False, compare=False)

    @property
    def summary(self) -> dict[str, int]:
        counts = dict.fromkeys(("inserted", "deleted", "modified", "moved", "cosmetic"), 0)
        for c in self.changes:
            counts[c.kind] += 1
        return counts

    @property
    def substantive(self) -> bool:
        """Whether a change alters meaning: substantive in kind and level."""
        return self.changed()

    def changed(self, *, strict: bool = False) -> bool:
        """Whether a change alters meaning; with ``strict`` a minor change (punctuation, numbering) counts too."""
        return any(c.substantive and (c.level == "substantive" or strict) for c in self.changes)

    @property
    def severity(self) -> int:
        """The most severe change's severity (0 without changes)."""
        return max((c.severity for c in self.changes), default=0)

    def ranked(self) -> list[Change]:
        """The changes, most severe first (text order among equals)."""
        return sorted(self.changes, key=lambda c: -c.severity)

    def flag_counts(self, kind: str) -> dict[str, int]:
        counts = dict.fromkeys(FLAGS, 0)
        for c in self.changes:
            if c.kind == kind:
                for f in c.flags:
                    counts[f] += 1
        return {f: n for f, n in counts.items() if n}

    def summary_line(self) -> str:
        """``3 modified (1 negation, 1 modality), 1 inserted, 1 deleted, 1 moved; 1 minor; 4 cosmetic``."""
        s = Counter(c.kind for c in self.changes if c.level != "minor")
        parts = []
        for kind in ("modified", "inserted", "deleted", "moved"):
            if s[kind]:
                flags = self.flag_counts(kind) if kind in ("modified", "moved") else {}
                detail = f" ({', '.join(f'{n} {f}' for f, n in flags.items())})" if flags else ""
                parts.append(f"{s[kind]} {kind}{detail}")
        minor = sum(1 for c in self.changes if c.level == "minor")
        line = ", ".join(parts) if parts else "no substantive changes"
        if minor:
            line += f"; {minor} minor"
        if s["cosmetic"]:
            line += f"; {s['cosmetic']} cosmetic"
        return line

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": asdict(self.old),
            "new": asdict(self.new),
            "mode": "semantic",
            "substantive": self.substantive,
            "summary": self.summary,
            "levels": {level: sum(1 for c in self.changes if c.level == level) for level in LEVELS},
            "severity": self.severity,
            "changes": [c.to_dict() for c in self.changes],
            "commitments": self.commitments,
        }


@dataclass
class Hunk:
    """A stretch of a line diff: 1-based start lines and counts, as in a unified diff header."""

    old_start: int
    old_count: int
    new_start: int
    new_count: int
    lines: list[tuple[str, str]]  # (" " | "-" | "+", line)


@dataclass
class LineDiff:
    """Unified diff of the normalized texts, one paragraph (or sentence) per line."""

    old: Side
    new: Side
    hunks: list[Hunk]
    by: str = "paragraph"
    context: int = 3
    substantive: bool = False
    mode: str = "line"

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": asdict(self.old),
            "new": asdict(self.new),
            "mode": "line",
            "by": self.by,
            "substantive": self.substantive,
            "hunks": [
                {**{k: v for k, v in asdict(h).items() if k != "lines"}, "lines": [list(x) for x in h.lines]}
                for h in self.hunks
            ],
        }


@dataclass
class WordDiff:
    """Word diff of the whole normalized texts; paragraphs are separated by a blank line."""

    old: Side
    new: Side
    words: list[tuple[int, str]]
    context: int = 1
    substantive: bool = False
    mode: str = "word"

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": asdict(self.old),
            "new": asdict(self.new),
            "mode": "word",
            "substantive": self.substantive,
            "words": [[op, text] for op, text in self.words],
        }
