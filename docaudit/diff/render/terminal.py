"""Terminal rendering: colour when asked (a tty), ``[-deleted-]{+inserted+}`` markers when plain."""

from __future__ import annotations

import click

from ..model import LineDiff, SemanticDiff, WordDiff
from . import (
    Display,
    change_words,
    commitment_line,
    context_paragraphs,
    cosmetic_note,
    location,
    markers,
    shown,
    title,
    word_paragraphs,
)

KIND_COLOURS = {"modified": "yellow", "inserted": "green", "deleted": "red", "moved": "cyan", "cosmetic": "white"}


def inline(ops: list[tuple[int, str]], color: bool) -> str:
    if not color:
        return markers(ops)
    return "".join(
        text
        if op == 0
        else click.style(text, fg="red", strikethrough=True)
        if op < 0
        else click.style(text, fg="green", bold=True)
        for op, text in ops
    )


def _semantic(diff: SemanticDiff, display: Display) -> str:
    color, cosmetic = display.color, display.cosmetic

    def style(text: str, **kw) -> str:
        return click.style(text, **kw) if color else text

    lines = [style(title(diff), bold=True), diff.summary_line()]
    if diff.commitments:  # what happened to the letter's promises comes first
        lines += ["", style(f"Commitments ({len(diff.commitments)})", bold=True)]
        for event in diff.commitments:
            head, text = commitment_line(event)
            bad = event["event"] in ("reversed", "weakened", "dropped", "postponed")
            lines += [f"  {style(head, fg='red' if bad else None, bold=True)}", f"    {text}"]
    for c in shown(diff, display):
        head = style(c.kind if c.level != "minor" else "minor", fg=KIND_COLOURS[c.kind], bold=True)
        extra = c.flags or c.reasons
        tags = " ".join(style(f"[{f}]", fg="magenta" if c.flags else None) for f in extra)
        why = f"  {style(f'{c.severity} {c.summary}', fg='red' if c.severity >= 70 else None)}" if c.summary else ""
        lines += ["", f"{head}  {tags + '  ' if tags else ''}{style(location(c), dim=True)}{why}"]
        lines.append("  " + inline(change_words(c), color))
    note = "" if cosmetic else cosmetic_note(diff)
    if note:
        lines += ["", style(note, dim=True)]
    return "\n".join(lines) + "\n"


def _line(diff: LineDiff, color: bool) -> str:
    from .unified import line_diff_lines

    out = []
    for line in line_diff_lines(diff):
        if color and line.startswith(("---", "+++")):
            line = click.style(line, bold=True)
        elif color and line.startswith("@@"):
            line = click.style(line, fg="cyan")
        elif color and line.startswith("-"):
            line = click.style(line, fg="red")
        elif color and line.startswith("+"):
            line = click.style(line, fg="green")
        out.append(line)
    return "\n".join(out) + "\n" if out else ""


def _word(diff: WordDiff, color: bool) -> str:
    paras = word_paragraphs(diff.words)
    out = [click.style(title(diff), bold=True) if color else title(diff)]
    for i in context_paragraphs(paras, diff.context):
        if i is None:
            out.append("⋯")
        else:
            out.append(f"¶{i + 1}  " + inline(paras[i], color))
    return "\n\n".join(out) + "\n"


def render(diff, display: Display) -> str:
    color = display.color
    if isinstance(diff, SemanticDiff):
        return _semantic(diff, display)
    if isinstance(diff, LineDiff):
        return _line(diff, color)
    return _word(diff, color)
