"""Markdown rendering, for an issue, a pull request or an e-mail: ~~deleted~~ and **inserted** words."""

from __future__ import annotations

from ...text.formatting import markdown_escape as escape
from ..model import LineDiff, SemanticDiff, WordDiff
from . import (
    Display,
    change_words,
    commitment_line,
    context_paragraphs,
    cosmetic_note,
    location,
    shown,
    title,
    word_paragraphs,
)


def _wrap(text: str, mark: str) -> str:
    """``mark`` around the text, whitespace kept outside (Markdown ignores "~~ x~~")."""
    core = text.strip()
    if not core:
        return text
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    return f"{lead}{mark}{escape(core)}{mark}{trail}"


def inline(ops: list[tuple[int, str]]) -> str:
    return "".join(escape(t) if op == 0 else _wrap(t, "~~" if op < 0 else "**") for op, t in ops)


def _code(text: str) -> str:
    return f"`{text}`"


def _semantic(diff: SemanticDiff, display: Display) -> str:
    cosmetic = display.cosmetic
    out = [f"### {escape(title(diff))}", "", f"**{diff.summary_line()}**", ""]
    if diff.commitments:  # what happened to the letter's promises comes first
        out += [f"#### Commitments ({len(diff.commitments)})", ""]
        for event in diff.commitments:
            head, text = commitment_line(event)
            out.append(f"- **{escape(head)}** — {escape(text)}")
        out += ["", "#### Changes", ""]
    for n, c in enumerate(shown(diff, display), 1):
        tags = " ".join(_code(f) for f in (c.flags or c.reasons))
        why = f" · {c.severity} {escape(c.summary)}" if c.summary else ""
        kind = c.kind if c.level != "minor" else "minor"
        out.append(f"{n}. **{kind}** {tags} — {location(c)}{why}".replace("  ", " "))
        out.append("")
        out.append("   > " + inline(change_words(c)).replace("\n", " "))
        out.append("")
    note = "" if cosmetic else cosmetic_note(diff)
    if note:
        out += [f"_{escape(note)}_", ""]
    return "\n".join(out)


def _line(diff: LineDiff) -> str:
    from .unified import line_diff_lines

    lines = line_diff_lines(diff)
    if not lines:
        return f"### {escape(title(diff))}\n\nNo changes.\n"
    body = "\n".join(lines)
    fence = "```"
    while fence in body:
        fence += "`"
    return f"### {escape(title(diff))}\n\n{fence}diff\n{body}\n{fence}\n"


def _word(diff: WordDiff) -> str:
    paras = word_paragraphs(diff.words)
    out = [f"### {escape(title(diff))}", ""]
    for i in context_paragraphs(paras, diff.context):
        out += ["…" if i is None else f"¶{i + 1} " + inline(paras[i]), ""]
    return "\n".join(out)


def render(diff, display: Display) -> str:
    if isinstance(diff, SemanticDiff):
        return _semantic(diff, display)
    if isinstance(diff, LineDiff):
        return _line(diff)
    if isinstance(diff, WordDiff):
        return _word(diff)
    raise TypeError(type(diff))
