"""The check of an in-place view (:func:`docaudit.diff.inplace.in_place`): what is wrong with it, if anything."""

from __future__ import annotations

from collections import Counter


def placement_problems(diff, blocks) -> list[str]:
    """What is wrong with ``blocks`` as the in-place view of ``diff``; nothing when the new text comes back
    whole, each paragraph once in reading order, every change placed once (moved text twice) and old-only
    blocks hold only what left. Used by the tests and bench/diff_heldout.py."""
    problems = []
    kept = [p.text for b in blocks for p in b.pieces if p.kind not in ("deleted", "moved-from")]
    if " ".join(kept).split() != " ".join(s.text for s in diff.texts[1]).split():
        problems.append("the new text does not come back whole")
    new_paragraphs = [b.paragraph for b in blocks if b.side == "new"]
    if new_paragraphs != sorted(set(new_paragraphs)):
        problems.append(f"paragraphs not once each, in order: {new_paragraphs}")
    placed = Counter((p.number, p.kind) for b in blocks for p in b.pieces if p.number is not None)
    expected: Counter = Counter()
    for n, c in enumerate((c for c in diff.changes if c.substantive), start=1):
        expected[(n, c.kind)] += 1
        if c.kind == "moved":
            expected[(n, "moved-from")] += 1
    if placed != expected:
        problems.append(f"changes placed {dict(placed)}, expected {dict(expected)}")
    for b in blocks:
        if b.side == "old" and not {p.kind for p in b.pieces} <= {"deleted", "moved-from"}:
            problems.append(f"old paragraph {b.paragraph} holds {[p.kind for p in b.pieces]}")
    return problems
