"""User rules: text a reader has said to ignore (``--ignore REGEX``, ``ignore = [...]`` in docaudit.toml).

A change whose differing text lies wholly inside text an ignore rule matches is cosmetic, with the reason
``ignored: REGEX``: a counter on a page, a "laatst bijgewerkt" stamp, a rotating banner never reaches an
alert, and the rest of the same sentence still does. Rules are Python regular expressions, matched against
each version's sentence as it reads after the diff's own folding (case-sensitive unless they say ``(?i)``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ..errors import DocauditError
from .model import Change

MAX_RULES = 100
MAX_LENGTH = 500


def compile_rules(patterns: Iterable[str]) -> list[re.Pattern[str]]:
    """The rules, compiled; a pattern that is not a regular expression is a clear error."""
    out = []
    for pattern in patterns:
        if len(pattern) > MAX_LENGTH:
            raise DocauditError(f"--ignore: a rule of {len(pattern)} characters is over the {MAX_LENGTH} allowed")
        try:
            out.append(re.compile(pattern))
        except re.error as exc:
            raise DocauditError(f"--ignore: {pattern!r} is not a regular expression ({exc})") from None
    if len(out) > MAX_RULES:
        raise DocauditError(f"--ignore: {len(out)} rules, over the {MAX_RULES} allowed")
    return out


def _covered(text: str, spans: Sequence[tuple[int, int]], rules: Sequence[re.Pattern[str]]) -> bool:
    """Whether every non-blank character of ``text`` at ``spans`` lies inside a match of a rule."""
    hits = [m.span() for rule in rules for m in rule.finditer(text) if m.end() > m.start()]
    for start, end in spans:
        for i in range(start, end):
            if not text[i].isspace() and not any(a <= i < b for a, b in hits):
                return False
    return True


def _sides(change: Change) -> tuple[str, list[tuple[int, int]], str, list[tuple[int, int]]]:
    """The old and new text and the spans in each that the change altered."""
    if not change.words:
        old, new = change.old_text or "", change.new_text or ""
        return old, [(0, len(old))], new, [(0, len(new))]
    old, new = "", ""
    old_spans: list[tuple[int, int]] = []
    new_spans: list[tuple[int, int]] = []
    for op, text in change.words:
        if op <= 0:
            if op < 0:
                old_spans.append((len(old), len(old) + len(text)))
            old += text
        if op >= 0:
            if op > 0:
                new_spans.append((len(new), len(new) + len(text)))
            new += text
    return old, old_spans, new, new_spans


def apply(changes: Sequence[Change], rules: Sequence[re.Pattern[str]]) -> None:
    """Turn each change that only touches ignored text into a cosmetic one, saying which rule."""
    if not rules:
        return
    for change in changes:
        if change.kind == "cosmetic":
            continue
        old, old_spans, new, new_spans = _sides(change)
        if _covered(old, old_spans, rules) and _covered(new, new_spans, rules):
            used = [r.pattern for r in rules if r.search(old) or r.search(new)]
            change.kind, change.level, change.severity = "cosmetic", "cosmetic", 0
            change.reasons = [f"ignored: {p}" for p in used[:3]] or ["ignored"]
            change.signals, change.flags, change.why = [], [], []
            change.summary = "cosmetic: " + ", ".join(change.reasons)
