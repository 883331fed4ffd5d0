"""The commands that compare: ``diff`` (two versions or files) and ``changes`` (the morning read over all documents;
loaded when one of them runs)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import ExitCode
from .options import (
    LISTING,
    color_option,
    emit_listing,
    ignore_option,
    output_options,
    pdf_engine_option,
    use_color,
)
from .output import fail

if TYPE_CHECKING:
    from .main import Context


@click.command()
@click.argument("old")
@click.argument("new", required=False)
@click.option(
    "--mode",
    type=click.Choice(["semantic", "line", "word"]),
    default="semantic",
    show_default=True,
    help="semantic: sentences aligned and classified; line: unified diff by paragraph; word: inline word diff.",
)
@output_options(("terminal", "unified", "json", "html", "markdown"))
@click.option(
    "--by",
    type=click.Choice(["paragraph", "sentence"]),
    default="paragraph",
    show_default=True,
    help="Line mode: one paragraph or one sentence per line.",
)
@click.option(
    "-U",
    "--context",
    type=click.IntRange(0),
    default=None,
    help="Context lines (line mode, default 3) or paragraphs (word mode, default 1).",
)
@color_option
@click.option("--cosmetic", is_flag=True, help="List cosmetic changes too (they are always in JSON and HTML).")
@click.option(
    "--order",
    type=click.Choice(["severity", "document"]),
    default="severity",
    show_default=True,
    help="List the most severe change first, or in text order (JSON is always in text order).",
)
@click.option("--min-severity", type=click.IntRange(0, 100), default=0, help="Leave out changes below this severity.")
@click.option("--strict", is_flag=True, help="Semantic mode: minor changes (punctuation, numbering) set exit 1 too.")
@ignore_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write to this file.")
@pdf_engine_option
@click.pass_obj
def diff(
    obj: Context,
    old,
    new,
    mode,
    fmt,
    by,
    context,
    color,
    cosmetic,
    order,
    min_severity,
    strict,
    ignore,
    output,
    pdf_engine,
) -> ExitCode:
    """Show what changed from OLD to NEW.

    OLD and NEW are stored versions (DOC@N, DOC@latest, DOC@-1) or document files of any supported
    format (.docx, .pdf, .html, .txt), in any mix. With one DOC, compare its last two versions.

    Exit status, like diff(1): 0 no substantive change (cosmetic-only counts as none), 1 substantive
    changes, 2 trouble.
    """
    from ..changes.compare import compare
    from ..diff.model import SemanticDiff
    from ..diff.render import render_diff
    from ..errors import DocauditError

    opened = []

    def store_factory():
        if not opened:
            opened.append(obj.store())
        return opened[0]

    try:
        result = compare(
            old,
            new,
            store_factory=store_factory,
            mode=mode,
            by=by,
            context=context,
            ignore=ignore,
            limits=obj.limits(pdf_engine),
        )
    except DocauditError as exc:
        fail(str(exc), ExitCode.FAILED)
    finally:
        for s in opened:
            s.close()
    colored = use_color(color, to_file=output is not None) and fmt == "terminal"
    text = render_diff(
        result, fmt, color=colored, cosmetic=cosmetic, order=order, min_severity=min_severity, strict=strict
    )
    if output:
        Path(output).write_text(text, encoding="utf-8")
        click.echo(f"wrote {output} ({fmt}): {_said(result)}", err=True)
    else:
        click.echo(text, nl=False, color=colored)  # click strips colour from a pipe unless told
    changed = result.changed(strict=strict) if isinstance(result, SemanticDiff) else result.substantive
    return ExitCode.CHANGED if changed else ExitCode.OK


def _said(result) -> str:
    """A diff in one line, for a message about it."""
    from ..diff.model import SemanticDiff

    if isinstance(result, SemanticDiff):
        return result.summary_line()
    return "substantive changes" if result.substantive else "no substantive changes"


_CHANGE_COLUMNS = [
    ("severity", "severity"),
    ("summary", "what"),
    ("version", "version"),
    ("letter_date", "letter date"),
    ("title", "title"),
    ("new_text", "now reads"),
]


@click.command()
@click.option("--since", default="7d", show_default=True, help="The window: 7d, 24h, 2w, or a date YYYY-MM-DD.")
@click.option("--unread", is_flag=True, help="Instead of a window: every change the reader has not marked read.")
@click.option("--mark-read", is_flag=True, help="Then mark everything stored so far as read by the reader.")
@click.option("--reader", default="default", show_default=True, help="Whose unread changes (each keeps a place).")
@click.option("--min-severity", type=click.IntRange(0, 100), default=1, show_default=True, help="Leave out the rest.")
@click.option("--minor", "include_minor", is_flag=True, help="List minor changes (punctuation, numbering) too.")
@click.option("--limit", type=click.IntRange(0), default=50, show_default=True, help="At most this many (0: all).")
@ignore_option
@output_options(LISTING)
@color_option
@click.pass_obj
def changes(
    obj: Context, since, unread, mark_read, reader, min_severity, include_minor, limit, ignore, fmt, color
) -> None:
    """Every change stored in a window, over all documents, most severe first: the morning read."""
    from ..changes.digest import changes as digest
    from ..changes.digest import mark_read as mark

    with obj.store() as store:
        entries = digest(
            store,
            since=since,
            min_severity=min_severity,
            include_minor=include_minor,
            ignore=ignore,
            unread_by=reader if unread else None,
        )
        if mark_read:
            mark(store, reader)
    shown = entries[:limit] if limit else entries
    if fmt != "terminal":
        emit_listing([e.to_dict() for e in shown], _CHANGE_COLUMNS, fmt, max_width=80)
        return
    if not shown:
        window = f"unread by {reader}" if unread else f"stored since {since}"
        click.echo(f"No changes {window}" + (f" at severity {min_severity} or more." if min_severity > 1 else "."))
        return
    colored = use_color(color)
    click.echo(_changes_text(shown, colored), color=colored, nl=False)
    if len(entries) > len(shown):
        click.echo(f"… and {len(entries) - len(shown)} more (--limit 0 for all)")


CONTEXT = 12  # words of unchanged text shown on each side of a change in `changes`


def _cut(text: str, words: int = 40) -> str:
    parts = text.split(" ")
    return text if len(parts) <= words else " ".join(parts[:words]) + " …"


def _changes_text(entries, colored: bool) -> str:
    """The morning read: each document once (its number and title), then each of its changes, most severe
    first, as old → new with the changed words marked and a window around them."""
    from ..diff.render.terminal import inline
    from ..diff.words import old_to_new

    def style(text: str, **kw) -> str:
        return click.style(text, **kw) if colored else text

    lines: list[str] = []
    docs = list(dict.fromkeys(e.doc for e in entries))
    for doc in docs:
        mine = [e for e in entries if e.doc == doc]
        first = mine[0]
        dated = f", dated {first.letter_date}" if first.letter_date else ""
        lines.append(style(f"{doc}  {first.title or ''}".rstrip() + dated, bold=True))
        for e in mine:
            silent = f" (reverted to {e.reverted_to})" if e.reverted_to else ""
            silent = silent or (" (silent revision)" if e.announced is False else "")
            head = f"  {e.severity:>3}  {e.summary}  {e.previous} → {e.version}{silent}"
            lines.append(style(head, fg="red" if e.severity >= 70 else None, bold=e.severity >= 70))
            ops = old_to_new(e.old_text, e.new_text, CONTEXT)
            if e.old_text and e.new_text:
                lines.append("       " + inline(ops, colored))
            else:  # a whole sentence came or went: its first words
                (op, text), sign = ops[0], "+" if e.new_text else "-"
                lines.append(f"       {sign} " + inline([(op, _cut(text))], colored))
        lines.append("")
    return "\n".join(lines)
