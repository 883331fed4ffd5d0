"""The labelled diff set (``tests/fixtures/diffset``, built by scripts/build_diffset.py): planted edits in
real letters, .docx and .pdf, and how a diff scores against them.

    python -m docaudit.testing.diffset     # the precision/recall table in docs/diff.md
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ..changes.compare import compare
from ..diff.model import SemanticDiff
from ..text.normalize import comparison_key
from .repo import FIXTURES


@cache
def labels() -> dict:
    """The set's labels: ``planted`` pairs (with their edits) and ``cosmetic`` pairs."""
    return json.loads((FIXTURES / "diffset" / "labels.json").read_text(encoding="utf-8"))


@cache
def semantic(old: str, new: str) -> SemanticDiff:
    """The semantic diff of two fixture files (paths relative to tests/fixtures), computed once."""
    result = compare(str(FIXTURES / old), str(FIXTURES / new))
    assert isinstance(result, SemanticDiff)
    return result


def _has(snippet: str | None, text: str | None) -> bool:
    return snippet is None or (text is not None and comparison_key(snippet) in comparison_key(text))


def matches(label: dict, change) -> bool:
    """Whether ``change`` is the change that ``label`` describes (same kind, snippets on both sides)."""
    return (
        change.kind == label["kind"]
        and _has(label.get("old"), change.old_text)
        and _has(label.get("new"), change.new_text)
    )


@dataclass
class Score:
    """Counts for precision and recall over a set of pairs."""

    planted: int = 0
    found: int = 0  # right kind, and for modified the exact flags
    found_kind: int = 0  # right kind, flags aside
    reported: int = 0  # substantive changes the diff reported
    true_reported: int = 0  # of those, ones a label accounts for
    flag_tp: int = 0
    flag_fp: int = 0
    flag_fn: int = 0
    misses: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)

    def add(self, pair: dict, diff: SemanticDiff) -> None:
        substantive = [c for c in diff.changes if c.substantive]
        self.reported += len(substantive)
        accounted: set[int] = set()
        for label in pair["edits"]:
            hits = [c for c in diff.changes if matches(label, c)]
            where = f"{pair['old']} → {pair['new']}"
            if label["kind"] == "cosmetic":
                # a planted cosmetic touch must not surface as a substantive change
                bad = [c for c in substantive if _has(label.get("new"), c.new_text) and c.kind != "modified"]
                if bad:
                    self.misses.append(f"{where}: cosmetic edit reported as {bad[0].kind}: {label['new']!r}")
                continue
            self.planted += 1
            if not hits:
                self.misses.append(f"{where}: {label['kind']} not found: {label.get('new') or label.get('old')!r}")
                continue
            change = hits[0]
            accounted.add(id(change))
            self.found_kind += 1
            if label["kind"] == "modified":
                want, got = set(label["flags"]), set(change.flags)
                self.flag_tp += len(want & got)
                self.flag_fp += len(got - want)
                self.flag_fn += len(want - got)
                if want != got:
                    self.misses.append(f"{where}: flags {sorted(got)} instead of {sorted(want)}: {label['new']!r}")
                    continue
            self.found += 1
        for c in substantive:
            if id(c) in accounted:
                self.true_reported += 1
            else:
                self.false.append(
                    f"{pair['old']} → {pair['new']}: extra {c.kind} {c.flags}: {c.new_text or c.old_text!r}"
                )

    @property
    def recall(self) -> float:
        return self.found / self.planted if self.planted else 1.0

    @property
    def precision(self) -> float:
        return self.true_reported / self.reported if self.reported else 1.0

    @property
    def flag_precision(self) -> float:
        return self.flag_tp / (self.flag_tp + self.flag_fp) if self.flag_tp + self.flag_fp else 1.0

    @property
    def flag_recall(self) -> float:
        return self.flag_tp / (self.flag_tp + self.flag_fn) if self.flag_tp + self.flag_fn else 1.0


def pair_id(pair: dict) -> str:
    """A test id for a pair."""
    return f"{pair['old']}→{pair['new'].removeprefix('diffset/')}"


def report() -> str:
    """The precision/recall table for the README."""
    rows = []
    total = Score()
    groups: dict[str, Score] = {}
    for pair in labels()["planted"]:
        kind = f"{Path(pair['old']).suffix[1:]} → {Path(pair['new']).suffix[1:]}"
        diff = semantic(pair["old"], pair["new"])
        for s in (total, groups.setdefault(kind, Score())):
            s.add(pair, diff)
    for name, s in [*groups.items(), ("all", total)]:
        rows.append(
            f"| {name} | {s.planted} | {s.found} | {s.recall:.2f} | {s.precision:.2f} | "
            f"{s.flag_precision:.2f} | {s.flag_recall:.2f} |"
        )
    cosmetic_ok = sum(
        1 for p in labels()["cosmetic"] if not any(c.substantive for c in semantic(p["old"], p["new"]).changes)
    )
    lines = [
        "| pairs | planted edits | found (kind and flags) | recall | precision | flag precision | flag recall |",
        "|---|---|---|---|---|---|---|",
        *rows,
        "",
        f"Cosmetic-only pairs with exit status 0: {cosmetic_ok} of {len(labels()['cosmetic'])}.",
    ]
    for miss in total.misses + total.false:
        lines.append(f"- {miss}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(report())
