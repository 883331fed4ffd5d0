"""One self-contained HTML page (inline CSS, no scripts): inline and side-by-side views, flags as badges.

Rendered with Jinja2 with autoescaping on, so every piece of document text is HTML-escaped.
"""

from __future__ import annotations

from importlib.resources import files

from ... import __version__
from ..model import LineDiff, SemanticDiff
from . import change_words, context_paragraphs, location, word_paragraphs


def _template():
    from jinja2 import Environment

    env = Environment(autoescape=True, trim_blocks=False, lstrip_blocks=False)
    source = files("docaudit").joinpath("templates/diff.html").read_text(encoding="utf-8")
    return env.from_string(source)


def render(diff, *, color: bool = False, cosmetic: bool = False) -> str:
    context = {"old": diff.old, "new": diff.new, "mode": diff.mode, "version": __version__}
    context.update(change_words=change_words, location=location)
    if isinstance(diff, SemanticDiff):
        context.update(
            summary=diff.summary_line(),
            changes=[c for c in diff.changes if c.kind != "cosmetic"],
            cosmetic_changes=[c for c in diff.changes if c.kind == "cosmetic"],
        )
    elif isinstance(diff, LineDiff):
        n = sum(1 for h in diff.hunks for op, _ in h.lines if op != " ")
        context.update(summary=f"{n} changed {diff.by}s" if n else "no changes", hunks=diff.hunks)
    else:
        paras = word_paragraphs(diff.words)
        shown = context_paragraphs(paras, diff.context)
        changed = sum(1 for p in paras if any(op for op, _ in p))
        context.update(
            summary=f"{changed} changed paragraph{'s' if changed != 1 else ''}" if changed else "no changes",
            paragraphs=paras,
            shown_paragraphs=shown,
        )
    return _template().render(**context)
