"""Unified diff text: the line diff as ``diff -u`` prints it; semantic changes as one hunk each."""

from __future__ import annotations

from ..model import LineDiff, SemanticDiff, WordDiff
from . import Display, context_paragraphs, markers, shown, word_paragraphs


def _range(start: int, count: int) -> str:
    return f"{start}" if count == 1 else f"{start},{count}"


def line_diff_lines(diff: LineDiff) -> list[str]:
    if not diff.hunks:
        return []
    out = [f"--- {diff.old.ref}", f"+++ {diff.new.ref}"]
    for h in diff.hunks:
        old_start = h.old_start if h.old_count else h.old_start - 1
        new_start = h.new_start if h.new_count else h.new_start - 1
        out.append(f"@@ -{_range(old_start, h.old_count)} +{_range(new_start, h.new_count)} @@")
        out.extend(op + text for op, text in h.lines)
    return out


def _semantic(diff: SemanticDiff, display: Display) -> list[str]:
    """Each change as a hunk over sentence numbers, its kind and flags after the ``@@`` header."""
    changes = shown(diff, display)
    if not changes:
        return []
    out = [f"--- {diff.old.ref}", f"+++ {diff.new.ref}"]
    for c in changes:
        old_start = (c.old_index + 1) if c.old_index is not None else 0
        new_start = (c.new_index + 1) if c.new_index is not None else 0
        label = " ".join([c.kind, *c.flags, *(f"({r})" for r in c.reasons)])
        out.append(f"@@ -{_range(old_start, c.old_count)} +{_range(new_start, c.new_count)} @@ {label}")
        if c.old_text is not None:
            out.append("-" + c.old_text)
        if c.new_text is not None:
            out.append("+" + c.new_text)
    return out


def _word(diff: WordDiff) -> list[str]:
    paras = word_paragraphs(diff.words)
    out = [f"--- {diff.old.ref}", f"+++ {diff.new.ref}"]
    for i in context_paragraphs(paras, diff.context):
        if i is None:
            out.append("~")
            continue
        out.append(markers(paras[i]))
    return out if len(out) > 2 else []


def render(diff, display: Display) -> str:
    if isinstance(diff, SemanticDiff):
        lines = _semantic(diff, display)
    elif isinstance(diff, LineDiff):
        lines = line_diff_lines(diff)
    elif isinstance(diff, WordDiff):
        lines = _word(diff)
    else:
        raise TypeError(type(diff))
    return "\n".join(lines) + "\n" if lines else ""
