"""A semantic diff shown in place: the new version, paragraph by paragraph, with every change where it is.

Deleted text stands where it used to be (inside the paragraph it left when that paragraph survives,
else as a paragraph of its own); moved text stands where it went, and a marker where it came from, each
linking to the other. Data first: :func:`in_place` returns blocks of pieces that templates render.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from .model import Change, SemanticDiff

# piece kinds: "same", "modified", "inserted", "deleted", "moved" (where it went), "moved-from", "cosmetic"


@dataclass
class Piece:
    """A stretch of text: one or more sentences that share a fate."""

    kind: str
    text: str
    change: Change | None = None
    number: int | None = None  # the change's number among the substantive changes, 1-based

    @property
    def words(self) -> list[tuple[int, str]]:
        if self.change is not None and self.change.words and self.kind in ("modified", "moved"):
            return self.change.words
        return []


@dataclass
class Block:
    """A paragraph of the new version (``side="new"``) or one only the old version had (``"old"``)."""

    side: str
    paragraph: int
    pieces: list[Piece] = field(default_factory=list)

    @property
    def moved_away(self) -> bool:
        """An old paragraph whose text all went elsewhere (nothing of it was removed)."""
        return self.side == "old" and all(p.kind == "moved-from" for p in self.pieces)


def numbers(diff: SemanticDiff) -> dict[int, int]:
    """``id(change)`` → its 1-based number among the substantive changes, in the order of ``diff.changes``."""
    out: dict[int, int] = {}
    for c in diff.changes:
        if c.substantive:
            out[id(c)] = len(out) + 1
    return out


def in_place(diff: SemanticDiff) -> list[Block]:
    """The new version's paragraphs with the diff's changes placed in them (see the module docstring)."""
    if diff.texts is None:
        raise ValueError("this diff does not carry its sentences (make it with semantic_diff)")
    old, new = diff.texts
    number = numbers(diff)
    at_new: dict[int, Change] = {}  # first new sentence of a change → the change
    covered_new: set[int] = set()
    covered_old: set[int] = set()
    new_of_old: dict[int, tuple[int, int]] = {}  # old sentence → the first and last new sentence it became
    old_only: list[tuple[int, Piece]] = []  # (old sentence, piece) with nothing on the new side there
    for c in diff.changes:
        new_span = range(c.new_index, c.new_index + c.new_count) if c.new_index is not None else range(0)
        old_span = range(c.old_index, c.old_index + c.old_count) if c.old_index is not None else range(0)
        covered_new.update(new_span)
        covered_old.update(old_span)
        if new_span:
            at_new[new_span[0]] = c
        if c.kind in ("modified", "cosmetic") and new_span:  # a one-sided cosmetic change is page furniture
            for i in old_span:
                new_of_old[i] = (new_span[0], new_span[-1])
        elif c.kind == "deleted":
            old_only.append((old_span[0], Piece("deleted", c.old_text or "", c, number.get(id(c)))))
        elif c.kind == "moved":
            old_only.append((old_span[0], Piece("moved-from", c.old_text or "", c, number.get(id(c)))))
    same_old = [s.index for s in old if s.index not in covered_old]
    same_new = [s.index for s in new if s.index not in covered_new]
    new_of_old.update((i, (j, j)) for i, j in zip(same_old, same_new, strict=False))

    sequence: list[tuple[tuple[str, int], Piece]] = []
    placed: dict[int, list[tuple[tuple[str, int], Piece]]] = {}  # after new sentence (-1: before all)
    paired = sorted(new_of_old)
    last_of = {s.paragraph: s.index for s in new}  # paragraph → its last sentence
    for i, piece in sorted(old_only, key=lambda x: x[0]):
        before = _last_below(paired, i)
        after = _first_above(paired, i)
        para = old[i].paragraph
        anchor = new_of_old[before][1] if before is not None else -1
        if before is not None and old[before].paragraph == para:
            key = ("new", new[anchor].paragraph)
        elif after is not None and old[after].paragraph == para:
            anchor = new_of_old[after][0] - 1  # at the head of the paragraph it stayed in
            key = ("new", new[anchor + 1].paragraph)
        else:
            key = ("old", para)
            if anchor >= 0:  # a paragraph of its own goes after the whole paragraph it followed
                anchor = last_of[new[anchor].paragraph]
        placed.setdefault(anchor, []).append((key, piece))

    # before everything: paragraphs only the old version had, then what stays at the head of the first one
    sequence.extend(sorted(placed.get(-1, []), key=lambda item: item[0][0] != "old"))
    j = 0
    while j < len(new):
        s = new[j]
        c = at_new.get(j)
        if c is not None:
            sequence.append((("new", s.paragraph), Piece(c.kind, c.new_text or "", c, number.get(id(c)))))
            last = j + max(c.new_count, 1) - 1
        else:
            sequence.append((("new", s.paragraph), Piece("same", s.text)))
            last = j
        for k in range(j, last + 1):
            # what stays inside this paragraph first, then old paragraphs that followed it: never split it
            sequence.extend(sorted(placed.get(k, []), key=lambda item: item[0][0] != "new"))
        j = last + 1
    return _blocks(sequence)


def _blocks(sequence: list[tuple[tuple[str, int], Piece]]) -> list[Block]:
    blocks: list[Block] = []
    for (side, para), piece in sequence:
        if not blocks or (blocks[-1].side, blocks[-1].paragraph) != (side, para):
            blocks.append(Block(side, para))
        blocks[-1].pieces.append(piece)
    return blocks


def _last_below(sorted_ids: list[int], i: int) -> int | None:
    k = bisect_left(sorted_ids, i)
    return sorted_ids[k - 1] if k else None


def _first_above(sorted_ids: list[int], i: int) -> int | None:
    k = bisect_right(sorted_ids, i)
    return sorted_ids[k] if k < len(sorted_ids) else None
