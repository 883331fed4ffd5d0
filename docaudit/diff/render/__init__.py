"""Render a diff (semantic, line or word) as terminal text, unified diff, JSON, HTML or Markdown."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from ..model import Change, LineDiff, SemanticDiff, WordDiff

FORMATS = ("terminal", "unified", "json", "html", "markdown")
ORDERS = ("severity", "document")
AnyDiff = SemanticDiff | LineDiff | WordDiff


@dataclass(frozen=True)
class Display:
    """How a diff is shown, never part of the diff itself: colour (terminal), cosmetic changes listed too, the
    order of the listing (most severe first, or in text order), the least severity listed, and ``strict``
    (minor changes shown among the substantive ones, as ``diff --strict`` counts them)."""

    color: bool = False
    cosmetic: bool = False
    order: str = "severity"
    min_severity: int = 0
    strict: bool = False


def render_diff(
    diff: AnyDiff,
    fmt: str = "terminal",
    *,
    color: bool = False,
    cosmetic: bool = False,
    order: str = "severity",
    min_severity: int = 0,
    strict: bool = False,
) -> str:
    """Render ``diff`` in ``fmt`` as the :class:`Display` options say; the diff is left as it was (its JSON
    says the same whatever the display)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    if order not in ORDERS:
        raise ValueError(f"unknown order {order!r} (one of {', '.join(ORDERS)})")
    module = importlib.import_module(f".{'jsonfmt' if fmt == 'json' else fmt}", __name__)
    return module.render(diff, Display(color, cosmetic, order, min_severity, strict))


def change_words(change: Change) -> list[tuple[int, str]]:
    """The word diff to show for a change: one-sided for insertions and deletions."""
    if change.words:
        return change.words
    if change.kind == "inserted":
        return [(1, change.new_text or "")]
    if change.kind == "deleted":
        return [(-1, change.old_text or "")]
    return [(0, change.new_text or change.old_text or "")]


def markers(ops: list[tuple[int, str]]) -> str:
    """A word diff as plain text: ``[-deleted-]{+inserted+}``, like ``git --word-diff=plain``."""
    return "".join(t if op == 0 else (f"[-{t}-]" if op < 0 else f"{{+{t}+}}") for op, t in ops)


def _span(index: int | None, count: int) -> str:
    if index is None:
        return ""
    return f"{index + 1}" if count <= 1 else f"{index + 1}–{index + count}"


def location(change: Change) -> str:
    """Where a change is, 1-based, for people: "¶4, sentence 12" or "¶2 → ¶9"."""
    if change.kind == "deleted" or change.new_index is None:
        where = f"old ¶{change.old_paragraph + 1}, sentence {_span(change.old_index, change.old_count)}"
        return f"{where} ({change.section})" if change.section else where
    if change.kind == "moved":
        return (
            f"¶{change.old_paragraph + 1} → ¶{change.new_paragraph + 1}, sentence "
            f"{_span(change.old_index, change.old_count)} → {_span(change.new_index, change.new_count)}"
        )
    word = "sentences" if change.new_count > 1 else "sentence"
    where = f"¶{change.new_paragraph + 1}, {word} {_span(change.new_index, change.new_count)}"
    return f"{where} ({change.section})" if change.section else where


def title(diff: AnyDiff) -> str:
    """``A@1 → A@2``, and ``(reverted to A@1)`` for a revert, ``(silent revision)`` when the new version's
    source announced nothing."""
    if diff.new.reverted_to:
        return f"{diff.old.ref} → {diff.new.ref} (reverted to {diff.new.reverted_to})"
    return f"{diff.old.ref} → {diff.new.ref}" + (" (silent revision)" if diff.new.announced is False else "")


def revision_note(diff: AnyDiff) -> str | None:
    """What the source said of the new version: silent, or what announced it (stored versions only)."""
    if diff.new.announced is False:
        return "silent revision: the text changed while its source announced no new version"
    if diff.new.announced:
        return f"announced: {diff.new.announced_by}" if diff.new.announced_by else "announced"
    return None


def commitment_line(event: dict) -> tuple[str, str]:
    """(head, text) of a commitment event: ("weakened: 'zal' → 'wil'", the sentence as it stands now)."""
    head = event["event"] + (f": {event['detail']}" if event.get("detail") else "")
    return head, event.get("new_text") or event.get("old_text") or ""


def shown(diff: SemanticDiff, display: Display | None = None) -> list[Change]:
    """The changes a listing shows: most severe first unless the display's order is ``document``; none under
    its ``min_severity``; cosmetic ones only when asked for."""
    display = display or Display()
    changes = [
        c for c in diff.changes if (display.cosmetic or c.kind != "cosmetic") and c.severity >= display.min_severity
    ]
    return changes if display.order == "document" else sorted(changes, key=lambda c: -c.severity)


def cosmetic_note(diff: SemanticDiff) -> str:
    """ "4 cosmetic changes not shown (case ×2, quotes and dashes ×2)"."""
    counts: dict[str, int] = {}
    for c in diff.changes:
        if c.kind == "cosmetic":
            for r in c.reasons:
                counts[r] = counts.get(r, 0) + 1
    n = diff.summary["cosmetic"]
    if not n:
        return ""
    detail = ", ".join(f"{r} ×{k}" for r, k in sorted(counts.items(), key=lambda kv: -kv[1]))
    return f"{n} cosmetic change{'s' if n != 1 else ''} not shown ({detail}); --cosmetic lists them"


def word_paragraphs(ops: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """Split a whole-text word diff at paragraph breaks ("\\n\\n" in kept text)."""
    paras: list[list[tuple[int, str]]] = [[]]
    for op, text in ops:
        if op != 0 or "\n\n" not in text:
            paras[-1].append((op, text))
            continue
        pieces = text.split("\n\n")
        for k, piece in enumerate(pieces):
            if k:
                paras.append([])
            if piece:
                paras[-1].append((0, piece))
    return [p for p in paras if p]


def context_paragraphs(paras: list[list[tuple[int, str]]], context: int) -> list[int | None]:
    """Indexes of the paragraphs to show (changed ones and ``context`` around them); None marks a gap."""
    changed = [i for i, p in enumerate(paras) if any(op for op, _ in p)]
    keep = sorted({j for i in changed for j in range(max(0, i - context), min(len(paras), i + context + 1))})
    out: list[int | None] = []
    for i in keep:
        if out and out[-1] is not None and i != out[-1] + 1:
            out.append(None)
        out.append(i)
    return out
