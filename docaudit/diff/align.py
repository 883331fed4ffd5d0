"""Sentence alignment: the heart of the semantic diff.

1. Sentences of both versions are compared under the comparison key (case, quotes, dashes, number
   spacing, hyphenation and list numbers folded) and aligned with diff-match-patch (Myers), so equal
   stretches cost nothing and a key-equal pair whose text differs is *cosmetic*.
2. Each stretch that differs is aligned again by word similarity (rapidfuzz's Indel ratio on word
   tokens) with dynamic programming that also allows one sentence to become two and two to become one:
   pairs above :data:`MODIFIED` are *modified*; a pair equal but for spaces is cosmetic (re-segmented).
   Very large stretches use an inverted word index to find candidate pairs instead.
3. Letterhead lines (:mod:`docaudit.text.letterparts`) only one version carries in its body are cosmetic.
   What is left over is matched across the whole text: the same sentence (or nearly, above
   :data:`MOVED`) elsewhere is *moved*; the rest is *inserted* or *deleted*. Consecutive sentences of
   one paragraph that were inserted, deleted or moved together become one change.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz.distance import Indel

from ..text.letterparts import is_frame, label
from ..text.normalize import comparison_key, repair_encoding
from ..text.segment import Sentence
from .cosmetic import reasons as cosmetic_reasons
from .flags import compute_flags
from .model import Change
from .sequence import opcodes
from .words import changed, word_diff

MODIFIED = 0.5  # word similarity for a rephrased sentence to count as the same sentence, modified
MOVED = 0.75  # word similarity for a sentence found elsewhere to count as moved (and edited)
DP_LIMIT = 20_000  # largest stretch (old × new sentences) aligned exactly; larger ones use the index
_MULTI_PENALTY = 0.15
_WORD = re.compile(r"\w+")


@dataclass(slots=True)
class Unit:
    """A sentence with its comparison key and word tokens.

    ``text`` is what the diff reads (encoding repaired when a version is mojibake), ``raw`` what the
    version holds, when that differs: changes show ``raw``, signals and word diffs read ``text``.
    """

    text: str
    index: int
    paragraph: int
    key: str
    _tokens: list[str] | None = field(default=None, repr=False)
    raw: str | None = None

    @property
    def shown(self) -> str:
        return self.text if self.raw is None else self.raw

    @property
    def tokens(self) -> list[str]:
        if self._tokens is None:
            self._tokens = _WORD.findall(self.key)
        return self._tokens

    @property
    def compact(self) -> str:
        return "".join(self.key.split())


def units(sentences: Sequence[Sentence], *, repair: bool = False) -> list[Unit]:
    """Sentences ready to align; ``repair``: read them with mojibake undone (see ``normalize.repair_encoding``)."""
    out = []
    for s in sentences:
        text = repair_encoding(s.text) if repair else s.text
        out.append(Unit(text, s.index, s.paragraph, comparison_key(text), raw=None if text == s.text else s.text))
    return out


def similarity(a: Sequence[str], b: Sequence[str], cutoff: float = 0.0) -> float:
    """Word-level similarity in [0, 1]: 2 × common words in order / total words."""
    if not a and not b:
        return 1.0
    return Indel.normalized_similarity(a, b, score_cutoff=cutoff)


@dataclass
class _Pair:
    old: list[Unit]
    new: list[Unit]
    score: float


def align(
    old: Sequence[Unit],
    new: Sequence[Unit],
    *,
    old_furniture: Sequence[str] = (),
    new_furniture: Sequence[str] = (),
) -> list[Change]:
    """All changes between two sentence lists, in the order of the new version.

    ``old_furniture``/``new_furniture`` are the page headers, footers and margin text each version's
    extractor kept apart: body text of one version that is furniture in the other (a one-page PDF's
    letterhead, which no repetition reveals) is cosmetic, not inserted or deleted.
    """
    changes: list[tuple[tuple[int, int], Change]] = []
    left_old: list[tuple[Unit, int]] = []  # unpaired old sentence, and where it would sit in the new text
    left_new: list[Unit] = []
    for tag, i1, i2, j1, j2 in opcodes([u.key for u in old], [u.key for u in new]):
        if tag == "equal":
            for a, b in zip(old[i1:i2], new[j1:j2], strict=True):
                if a.shown != b.shown:
                    changes.append(((b.index, a.index), _cosmetic([a], [b])))
            continue
        paired_old: set[int] = set()
        paired_new: set[int] = set()
        for pair in _pair_stretch(old[i1:i2], new[j1:j2]):
            paired_old.update(u.index for u in pair.old)
            paired_new.update(u.index for u in pair.new)
            if "".join(u.compact for u in pair.old) == "".join(u.compact for u in pair.new):
                change = _cosmetic(pair.old, pair.new)
            else:
                change = _modified(pair.old, pair.new, pair.score)
            changes.append(((pair.new[0].index, pair.old[0].index), change))
        rest_old = [u for u in old[i1:i2] if u.index not in paired_old]
        rest_new = [u for u in new[j1:j2] if u.index not in paired_new]
        if _short_lines(rest_old, rest_new):  # "D.M. van Weel" → "I. Coenradie" under the signature: one change
            for a, b in zip(rest_old, rest_new, strict=True):
                changes.append(((b.index, a.index), _modified([a], [b], similarity(a.tokens, b.tokens))))
            continue
        left_old.extend((u, j1) for u in rest_old)
        left_new.extend(rest_new)

    furniture_new = {comparison_key(x) for x in new_furniture}
    furniture_old = {comparison_key(x) for x in old_furniture}
    for u, anchor in [x for x in left_old if x[0].key in furniture_new]:
        changes.append(((anchor, u.index), _furniture(u, "deleted")))
    for u in [x for x in left_new if x.key in furniture_old]:
        changes.append(((u.index, -1), _furniture(u, "inserted")))
    left_old = [x for x in left_old if x[0].key not in furniture_new]
    left_new = [x for x in left_new if x.key not in furniture_old]
    frame_old, frame_new = _frame_lines(left_old, left_new)
    # a frame field both versions carry with another value ("Den Haag, 29 november" → "2 december", a running
    # header rewritten): one change of that field, which the severity names as letter furniture
    fields_new = {label(u.text): u for u in left_new if is_frame(u.text) and u.index not in frame_new}
    fields_paired: set[int] = set()  # new indexes of the fields paired here
    for u, anchor in left_old:
        if u.index in frame_old:
            changes.append(((anchor, u.index), _furniture(u, "deleted", "letterhead")))
        elif is_frame(u.text) and (match := fields_new.pop(label(u.text), None)):
            changes.append(((match.index, u.index), _modified([u], [match], similarity(u.tokens, match.tokens))))
            frame_old.add(u.index)
            fields_paired.add(match.index)
    for u in left_new:
        if u.index in frame_new:
            changes.append(((u.index, -1), _furniture(u, "inserted", "letterhead")))
    frame_new |= fields_paired
    left_old = [x for x in left_old if x[0].index not in frame_old]
    left_new = [x for x in left_new if x.index not in frame_new]

    moves, left_old, left_new = _find_moves(left_old, left_new)
    for group in _runs(moves):
        a, b = [p[0] for p in group], [p[1] for p in group]
        changes.append(((b[0].index, a[0].index), _moved(a, b)))
    anchors = {u.index: j for u, j in left_old}
    for run in _unit_runs([u for u, _ in left_old]):
        changes.append(((anchors[run[0].index], run[0].index), _one_sided("deleted", run)))
    for run in _unit_runs(left_new):
        changes.append(((run[0].index, -1), _one_sided("inserted", run)))
    changes.sort(key=lambda item: item[0])
    return [c for _, c in changes]


SHORT_LINE = 6  # words: a name, a signature line, an "Aan:" line


def _short_lines(old: Sequence[Unit], new: Sequence[Unit]) -> bool:
    """Whether what is left of a stretch is the same number of short lines, each a paragraph of its own,
    on both sides: a name or title replaced in place, not text deleted here and written anew."""
    if not old or len(old) != len(new):
        return False
    lines = [*old, *new]
    paragraphs = [u.paragraph for u in old], [u.paragraph for u in new]
    return (
        all(len(u.tokens) <= SHORT_LINE for u in lines)
        and all(len(set(p)) == len(p) for p in paragraphs)
        and all(
            label(a.text) == label(b.text)
            for a, b in zip(old, new, strict=True)
            if is_frame(a.text) or is_frame(b.text)
        )
    )


def _frame_lines(left_old: list[tuple[Unit, int]], left_new: list[Unit]) -> tuple[set[int], set[int]]:
    """Unpaired letterhead lines that only one version carries in its body (by index, old and new).

    A field both versions carry with different values ("Kenmerk 59…" → "Kenmerk 60…") is a change, so a
    label found among the other side's unpaired lines keeps its line substantive.
    """
    old = {u.index: label(u.text) for u, _ in left_old if is_frame(u.text)}
    new = {u.index: label(u.text) for u in left_new if is_frame(u.text)}
    old_labels, new_labels = set(old.values()), set(new.values())
    return (
        {i for i, name in old.items() if name not in new_labels},
        {i for i, name in new.items() if name not in old_labels},
    )


# --- pairing inside a stretch ------------------------------------------------------------------


def _pair_stretch(old: Sequence[Unit], new: Sequence[Unit]) -> list[_Pair]:
    if not old or not new:
        return []
    if len(old) * len(new) <= DP_LIMIT:
        return _pair_dp(old, new)
    return _pair_indexed(old, new)


def _join_tokens(units_: Sequence[Unit]) -> list[str]:
    out: list[str] = []
    for u in units_:
        out.extend(u.tokens)
    return out


def _pair_dp(old: Sequence[Unit], new: Sequence[Unit]) -> list[_Pair]:
    """Monotone alignment maximising summed similarity; steps 1:1, 1:0, 0:1, 2:1 and 1:2."""
    n, m = len(old), len(new)
    # a letterhead line never merges with its neighbour into one "sentence that became two"
    frame_old = [len(u.tokens) <= 16 and is_frame(u.text) for u in old]
    frame_new = [len(u.tokens) <= 16 and is_frame(u.text) for u in new]
    neg = float("-inf")
    score = [[neg] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int, float] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    score[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            best, step = score[i][j], back[i][j]
            candidates = []
            if i:
                candidates.append((score[i - 1][j], (1, 0, 0.0)))
            if j:
                candidates.append((score[i][j - 1], (0, 1, 0.0)))
            for di, dj in ((1, 1), (2, 1), (1, 2)):
                if i >= di and j >= dj and score[i - di][j - dj] > neg:
                    if (di == 2 and any(frame_old[i - 2 : i])) or (dj == 2 and any(frame_new[j - 2 : j])):
                        continue
                    a, b = old[i - di : i], new[j - dj : j]
                    ta = a[0].tokens if di == 1 else _join_tokens(a)
                    tb = b[0].tokens if dj == 1 else _join_tokens(b)
                    sim = similarity(ta, tb, MODIFIED)
                    if sim >= MODIFIED:
                        gain = sim * (di + dj) / 2 - (_MULTI_PENALTY if di + dj > 2 else 0.0)
                        candidates.append((score[i - di][j - dj] + gain, (di, dj, sim)))
            for value, how in candidates:
                if value > best:
                    best, step = value, how
            score[i][j], back[i][j] = best, step
    pairs: list[_Pair] = []
    i, j = n, m
    while i or j:
        step = back[i][j]
        assert step is not None
        di, dj, sim = step
        if di and dj:
            pairs.append(_Pair(list(old[i - di : i]), list(new[j - dj : j]), sim))
        i, j = i - di, j - dj
    pairs.reverse()
    return pairs


def _index(units_: Sequence[Unit]) -> dict[str, list[int]]:
    """Word → positions of the units that contain it (words in more than 50 units are left out)."""
    index: dict[str, list[int]] = defaultdict(list)
    for pos, u in enumerate(units_):
        for w in set(u.tokens):
            if len(w) > 2:
                index[w].append(pos)
    return {w: p for w, p in index.items() if len(p) <= 50}


def _candidates(units_: Sequence[Unit], targets: Sequence[Unit], cutoff: float) -> list[tuple[float, int, int]]:
    """(similarity, unit position, target position) for pairs sharing rare words, best first."""
    index = _index(targets)
    found: list[tuple[float, int, int]] = []
    for pos, u in enumerate(units_):
        shared: dict[int, int] = defaultdict(int)
        for w in set(u.tokens):
            for t in index.get(w, ()):
                shared[t] += 1
        for t, _ in sorted(shared.items(), key=lambda kv: -kv[1])[:10]:
            sim = similarity(u.tokens, targets[t].tokens, cutoff)
            if sim >= cutoff:
                found.append((sim, pos, t))
    found.sort(key=lambda x: (-x[0], x[1], x[2]))
    return found


def _greedy(found: list[tuple[float, int, int]]) -> list[tuple[float, int, int]]:
    used_a: set[int] = set()
    used_b: set[int] = set()
    out = []
    for sim, a, b in found:
        if a not in used_a and b not in used_b:
            used_a.add(a)
            used_b.add(b)
            out.append((sim, a, b))
    return out


def _pair_indexed(old: Sequence[Unit], new: Sequence[Unit]) -> list[_Pair]:
    """Pairs for a stretch too large for the exact alignment: best matches through a word index."""
    pairs = [_Pair([old[a]], [new[b]], sim) for sim, a, b in _greedy(_candidates(old, new, MODIFIED))]
    pairs.sort(key=lambda p: p.new[0].index)
    return pairs


# --- moves ---------------------------------------------------------------------------------------


def _find_moves(
    left_old: list[tuple[Unit, int]], left_new: list[Unit]
) -> tuple[list[tuple[Unit, Unit, float]], list[tuple[Unit, int]], list[Unit]]:
    """Pair leftover deleted and inserted sentences that are the same (or nearly) text elsewhere."""
    moves: list[tuple[Unit, Unit, float]] = []
    by_key: dict[str, list[Unit]] = defaultdict(list)
    for u in left_new:
        by_key[u.key].append(u)
    used_new: set[int] = set()
    rest_old: list[tuple[Unit, int]] = []
    for u, anchor in left_old:
        same = by_key.get(u.key)
        if same:
            target = same.pop(0)
            used_new.add(target.index)
            moves.append((u, target, 1.0))
        else:
            rest_old.append((u, anchor))
    rest_new = [u for u in left_new if u.index not in used_new]
    olds = [u for u, _ in rest_old if len(u.tokens) >= 4]
    news = [u for u in rest_new if len(u.tokens) >= 4]
    if olds and news:
        for sim, a, b in _greedy(_candidates(olds, news, MOVED)):
            moves.append((olds[a], news[b], sim))
            used_new.add(news[b].index)
    moved_old = {a.index for a, _, _ in moves}
    rest_old = [(u, j) for u, j in rest_old if u.index not in moved_old]
    rest_new = [u for u in left_new if u.index not in used_new]
    moves.sort(key=lambda m: m[0].index)
    return moves, rest_old, rest_new


def _runs(moves: list[tuple[Unit, Unit, float]]) -> list[list[tuple[Unit, Unit, float]]]:
    """Moved sentences that stay together (consecutive on both sides, one paragraph) form one move."""
    runs: list[list[tuple[Unit, Unit, float]]] = []
    for m in moves:
        if runs:
            a, b, _ = runs[-1][-1]
            if (
                m[0].index == a.index + 1
                and m[1].index == b.index + 1
                and m[0].paragraph == a.paragraph
                and m[1].paragraph == b.paragraph
            ):
                runs[-1].append(m)
                continue
        runs.append([m])
    return runs


def _unit_runs(units_: list[Unit]) -> list[list[Unit]]:
    """Consecutive sentences of one paragraph."""
    runs: list[list[Unit]] = []
    for u in sorted(units_, key=lambda x: x.index):
        if runs and u.index == runs[-1][-1].index + 1 and u.paragraph == runs[-1][-1].paragraph:
            runs[-1].append(u)
        else:
            runs.append([u])
    return runs


# --- building changes --------------------------------------------------------------------------


def _text(units_: Sequence[Unit]) -> str:
    return " ".join(u.text for u in units_)


def _shown(units_: Sequence[Unit]) -> str:
    return " ".join(u.shown for u in units_)


def _base(kind: str, old: Sequence[Unit], new: Sequence[Unit]) -> Change:
    return Change(
        kind=kind,
        old_text=_shown(old) if old else None,
        new_text=_shown(new) if new else None,
        old_index=old[0].index if old else None,
        new_index=new[0].index if new else None,
        old_count=len(old),
        new_count=len(new),
        old_paragraph=old[0].paragraph if old else None,
        new_paragraph=new[0].paragraph if new else None,
    )


def _cosmetic(old: Sequence[Unit], new: Sequence[Unit]) -> Change:
    change = _base("cosmetic", old, new)
    a, b = _shown(old), _shown(new)
    change.reasons = cosmetic_reasons(a, b)
    if len(old) != len(new) and "sentence boundaries" not in change.reasons:
        change.reasons.append("sentence boundaries")
    change.words = word_diff(a, b)
    return change


def _furniture(unit: Unit, side: str, reason: str = "page furniture") -> Change:
    change = _base("cosmetic", [unit], []) if side == "deleted" else _base("cosmetic", [], [unit])
    change.reasons = [reason]
    return change


def _modified(old: Sequence[Unit], new: Sequence[Unit], sim: float) -> Change:
    change = _base("modified", old, new)
    change.similarity = sim
    a, b = _text(old), _text(new)
    change.words = word_diff(a, b)
    change.flags = compute_flags(a, b)
    return change


def _moved(old: Sequence[Unit], new: Sequence[Unit]) -> Change:
    change = _base("moved", old, new)
    a, b = _text(old), _text(new)
    if comparison_key(a) != comparison_key(b):
        change.words = word_diff(a, b)
        change.flags = compute_flags(a, b) if changed(change.words) else []
        change.similarity = similarity(_join_tokens(old), _join_tokens(new))
    else:
        change.similarity = 1.0
    return change


def _one_sided(kind: str, run: Sequence[Unit]) -> Change:
    if kind == "deleted":
        change = _base(kind, run, [])
        change.flags = compute_flags(_text(run), None)
    else:
        change = _base(kind, [], run)
        change.flags = compute_flags(None, _text(run))
    return change
