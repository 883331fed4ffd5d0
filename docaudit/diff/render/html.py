"""One self-contained HTML page (stylesheet inlined, no scripts): inline and side-by-side views ranked
most severe first (severity and summary on each change, minor changes under their own heading), flags as
badges, and the new version with every change in place (moved text linked to where it went).

Rendered from the same templates as ``docaudit report`` (see :mod:`docaudit.diff.render.templating`), with
autoescaping on, so every piece of document text is HTML-escaped.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from ..inplace import Block, in_place, numbers
from ..model import Change, LineDiff, SemanticDiff
from . import Display, change_words, context_paragraphs, location, shown, word_paragraphs


@dataclass
class DiffView:
    """What the semantic diff templates show: numbered substantive changes (most severe first unless the diff
    is in document order), minor and cosmetic ones apart, and the blocks of the new text with changes in place."""

    changes: list[tuple[int, Change]]
    cosmetic: list[Change]
    minor: list[tuple[int, Change]] = field(default_factory=list)
    commitments: list[dict] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    location = staticmethod(location)
    change_words = staticmethod(change_words)


def view(diff: SemanticDiff, display: Display | None = None) -> DiffView:
    display = replace(display or Display(), cosmetic=False)  # cosmetic changes have a list of their own
    strict = display.strict
    number = numbers(diff)
    listed = shown(diff, display)
    return DiffView(
        [(number[id(c)], c) for c in listed if c.level == "substantive" or (strict and c.level == "minor")],
        [c for c in diff.changes if c.kind == "cosmetic"],
        minor=[(number[id(c)], c) for c in listed if c.level == "minor" and not strict],
        commitments=diff.commitments,
        blocks=in_place(diff) if diff.texts is not None and diff.changes else [],
    )


def context(diff, display: Display | None = None) -> dict[str, Any]:
    """The template values for any diff (semantic, line or word), shown as ``display`` says."""
    values: dict[str, Any] = {"old": diff.old, "new": diff.new, "mode": diff.mode}
    if isinstance(diff, SemanticDiff):
        values.update(summary=diff.summary_line(), view=view(diff, display))
    elif isinstance(diff, LineDiff):
        n = sum(1 for h in diff.hunks for op, _ in h.lines if op != " ")
        values.update(summary=f"{n} changed {diff.by}s" if n else "no changes", hunks=diff.hunks)
    else:
        paras = word_paragraphs(diff.words)
        changed = sum(1 for p in paras if any(op for op, _ in p))
        values.update(
            summary=f"{changed} changed paragraph{'s' if changed != 1 else ''}" if changed else "no changes",
            paragraphs=paras,
            shown_paragraphs=context_paragraphs(paras, diff.context),
        )
    return values


def render(diff, display: Display) -> str:
    from .templating import render_template, stylesheet

    return render_template("diff.html", inline_css=stylesheet(), **context(diff, display))
