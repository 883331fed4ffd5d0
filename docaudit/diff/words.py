"""Word diff: diff-match-patch over word tokens, with its semantic clean-up, like ``git --word-diff``."""

from __future__ import annotations

import re

from .sequence import TIMEOUT, decode, dmp_diff, encode

# A word (letters, digits, and hyphens or apostrophes inside it), a run of whitespace, or one other character.
_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*|\s+|[^\w\s]", re.UNICODE)

WordOps = list[tuple[int, str]]  # (-1 deleted | 0 kept | 1 inserted, text)


def tokenize(text: str) -> list[str]:
    """Split text into word, whitespace and punctuation tokens; ``"".join(tokenize(t)) == t``."""
    return _TOKEN.findall(text)


def word_diff(old: str, new: str, *, timeout: float = TIMEOUT) -> WordOps:
    """The word-level diff of two texts as ``[(op, text), ...]``; deletions come before insertions.

    Whole tokens only (never half a word), and diff-match-patch's semantic clean-up merges changes that
    are separated by a single short word, so a rephrased clause reads as one replacement.
    """
    a, b = tokenize(old), tokenize(new)
    sa, sb, alphabet = encode(a, b)
    ops: WordOps = []
    for op, chars in dmp_diff(sa, sb, timeout=timeout, semantic=True):
        text = "".join(decode(chars, alphabet))  # type: ignore[arg-type]
        if ops and ops[-1][0] == op:
            ops[-1] = (op, ops[-1][1] + text)
        else:
            ops.append((op, text))
    return _tidy(ops)


def _tidy(ops: WordOps) -> WordOps:
    """Put each deletion before its insertion and move whitespace on the edge of a change into equal text."""
    out: WordOps = []
    i = 0
    while i < len(ops):
        if ops[i][0] == 0:
            out.append(ops[i])
            i += 1
            continue
        dels, ins = [], []
        while i < len(ops) and ops[i][0] != 0:
            (dels if ops[i][0] == -1 else ins).append(ops[i][1])
            i += 1
        d, n = "".join(dels), "".join(ins)
        lead = _common_ws(d, n, start=True)
        trail = _common_ws(d[len(lead) :], n[len(lead) :], start=False)
        if lead:
            out.append((0, lead))
        core_d, core_n = d[len(lead) : len(d) - len(trail)], n[len(lead) : len(n) - len(trail)]
        if core_d:
            out.append((-1, core_d))
        if core_n:
            out.append((1, core_n))
        if trail:
            out.append((0, trail))
    merged: WordOps = []
    for op, text in out:
        if merged and merged[-1][0] == op == 0:
            merged[-1] = (0, merged[-1][1] + text)
        elif text:
            merged.append((op, text))
    return merged


def _common_ws(a: str, b: str, *, start: bool) -> str:
    """The whitespace both strings start (or end) with, when both have some text."""
    if not a or not b:
        return ""
    ra = re.match(r"\s*", a) if start else re.search(r"\s*$", a)
    rb = re.match(r"\s*", b) if start else re.search(r"\s*$", b)
    wa, wb = ra.group(), rb.group()
    common = wa if wa == wb else ""
    return common if len(common) < min(len(a), len(b)) else ""


def old_text(ops: WordOps) -> str:
    return "".join(t for op, t in ops if op <= 0)


def new_text(ops: WordOps) -> str:
    return "".join(t for op, t in ops if op >= 0)


def changed(ops: WordOps) -> bool:
    return any(op for op, _ in ops)


def excerpt(ops: WordOps, context: int = 6) -> WordOps:
    """A word diff with its long unchanged stretches cut to ``context`` words on each side of a change ("…"
    where cut), so the changed words always show: what notifications, the feed and ``changes`` quote."""
    out: WordOps = []
    for i, (op, text) in enumerate(ops):
        if op != 0:
            out.append((op, text))
            continue
        words = text.split(" ")
        first, last = i == 0, i == len(ops) - 1
        if first and len(words) > context:
            text = "… " + " ".join(words[-context:])
        elif last and len(words) > context:
            text = " ".join(words[:context]) + " …"
        elif not first and not last and len(words) > 2 * context:
            text = " ".join(words[:context]) + " … " + " ".join(words[-context:])
        out.append((0, text))
    return out


def old_to_new(old: str | None, new: str | None, context: int = 12) -> WordOps:
    """Two wordings of a sentence as one excerpt of their word diff (whitespace folded), or the one that exists
    whole, as deleted or inserted: how ``changes`` and the report's morning read show a change."""
    old, new = " ".join((old or "").split()), " ".join((new or "").split())
    if old and new:
        return excerpt(word_diff(old, new), context)
    return [(1, new)] if new else [(-1, old)]
