"""The ``docaudit`` command line: thin wrappers over the library (imports are lazy, start-up stays fast)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__


class Context:
    """Options shared by every command: where the database and snapshots live."""

    def __init__(self, db: str, snapshots: str | None) -> None:
        self.db = db
        self.snapshots = snapshots

    def store(self, *, create: bool = False, max_size: int | None = None):
        from .store import DEFAULT_MAX_SIZE, Store

        return Store(self.db, self.snapshots, create=create, max_size=max_size or DEFAULT_MAX_SIZE)


def fail(message: str, code: int = 1) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


class Group(click.Group):
    """Turns expected failures (DocauditError) into one line on stderr instead of a traceback."""

    def invoke(self, ctx: click.Context):
        from .errors import DocauditError

        try:
            return super().invoke(ctx)
        except DocauditError as exc:
            fail(str(exc))


@click.group(cls=Group)
@click.version_option(__version__, prog_name="docaudit")
@click.option(
    "--db",
    default="audit.db",
    envvar="DOCAUDIT_DB",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="SQLite database (env DOCAUDIT_DB).",
)
@click.option(
    "--snapshots",
    default=None,
    envvar="DOCAUDIT_SNAPSHOTS",
    type=click.Path(file_okay=False),
    help="Folder for raw snapshots [default: snapshots/ next to the database] (env DOCAUDIT_SNAPSHOTS).",
)
@click.pass_context
def cli(ctx: click.Context, db: str, snapshots: str | None) -> None:
    """Keep the version history of official letters and show what changed."""
    ctx.obj = Context(db, snapshots)


def _parse_meta(values: tuple[str, ...]) -> dict[str, str]:
    meta = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"expected key=value, got {item!r}", param_hint="--meta")
        meta[key.strip()] = value
    return meta


def _parse_date(value: str | None, option: str = "--date") -> str | None:
    if value is None:
        return None
    from datetime import date

    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param_hint=option) from None


@cli.command()
@click.argument("old")
@click.argument("new", required=False)
@click.option(
    "--mode",
    type=click.Choice(["semantic", "line", "word"]),
    default="semantic",
    show_default=True,
    help="semantic: sentences aligned and classified; line: unified diff by paragraph; word: inline word diff.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["terminal", "unified", "json", "html", "markdown"]),
    default="terminal",
    show_default=True,
    help="How to print the diff.",
)
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
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour in terminal format (auto: when writing to a terminal).",
)
@click.option("--cosmetic", is_flag=True, help="List cosmetic changes too (they are always in JSON and HTML).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write to this file.")
@click.pass_obj
def diff(obj: Context, old, new, mode, fmt, by, context, color, cosmetic, output) -> None:
    """Show what changed from OLD to NEW.

    OLD and NEW are stored versions (DOC@N, DOC@latest, DOC@-1) or document files of any supported
    format (.docx, .pdf, .html, .txt), in any mix. With one DOC, compare its last two versions.

    Exit status, like diff(1): 0 no substantive change (cosmetic-only counts as none), 1 substantive
    changes, 2 trouble.
    """
    from .diff.inputs import compare
    from .diff.render import render
    from .errors import DocauditError

    opened = []

    def store_factory():
        if not opened:
            opened.append(obj.store())
        return opened[0]

    try:
        result = compare(old, new, store_factory=store_factory, mode=mode, by=by, context=context)
    except DocauditError as exc:
        fail(str(exc), 2)
    finally:
        for s in opened:
            s.close()
    use_color = (output is None and sys.stdout.isatty()) if color == "auto" else color == "always"
    text = render(result, fmt, color=use_color and fmt == "terminal", cosmetic=cosmetic)
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False, color=use_color)  # click strips colour from a pipe unless told
    sys.exit(1 if result.substantive else 0)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--doc", "doc_id", required=True, help="Document id the files are versions of (e.g. 2024D46963).")
@click.option("--title", help="Document title.")
@click.option("--date", "letter_date", help="The letter's date (YYYY-MM-DD); overrides the date found in the text.")
@click.option("--meta", multiple=True, metavar="KEY=VALUE", help="Extra metadata; repeatable.")
@click.option(
    "--max-size",
    default="50MB",
    envvar="DOCAUDIT_MAX_SIZE",
    show_default=True,
    help="Refuse files larger than this (env DOCAUDIT_MAX_SIZE).",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file.")
@click.pass_obj
def add(obj: Context, paths, doc_id, title, letter_date, meta, max_size, as_json) -> None:
    """Store each file as a new version of document DOC (if its text changed).

    Files are stored in the order given. A file that cannot be read is reported and skipped; the others
    are still stored. Exit status 1 if any file failed.
    """
    from .errors import DocauditError
    from .store import parse_size

    try:
        limit = parse_size(max_size)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--max-size") from None
    user_meta = _parse_meta(meta)
    when = _parse_date(letter_date)
    failed = 0
    with obj.store(create=True, max_size=limit) as store:
        for path in paths:
            try:
                result = store.add_file(path, doc_id, title=title, letter_date=when, meta=user_meta)
            except DocauditError as exc:
                failed += 1
                if as_json:
                    click.echo(json.dumps({"file": str(path), "status": "error", "error": str(exc)}))
                click.echo(f"Error: {path}: {exc}", err=True)
                continue
            if as_json:
                click.echo(
                    json.dumps(
                        {
                            "file": str(path),
                            "status": result.status,
                            "doc": result.doc_id,
                            "version": result.number,
                            "reason": result.reason or None,
                        }
                    )
                )
            else:
                click.echo(f"{path}: {result.message()}")
    if failed:
        sys.exit(1)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@click.pass_obj
def docs(obj: Context, as_json: bool) -> None:
    """List documents with their number of versions and last change."""
    from dataclasses import asdict

    from .render import table, to_json

    with obj.store() as store:
        documents = store.documents()
    if as_json:
        click.echo(to_json([asdict(d) for d in documents]))
        return
    if not documents:
        click.echo("No documents yet: docaudit add FILE --doc ID")
        return
    rows = [
        (d.id, d.versions, d.last_change.replace("T", " ").rstrip("Z"), d.letter_date or "", d.format, d.title)
        for d in documents
    ]
    click.echo(table(["document", "versions", "last change (UTC)", "letter date", "format", "title"], rows))


@cli.command()
@click.argument("doc_id")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array, one object per version.")
@click.option("--text", "with_text", is_flag=True, help="With --json: include the extracted and normalized text.")
@click.pass_obj
def log(obj: Context, doc_id: str, as_json: bool, with_text: bool) -> None:
    """The version history of a document, oldest first."""
    from .render import human_size, table, to_json

    with obj.store() as store:
        versions = store.versions(doc_id)
        title = store.document_title(doc_id)
    if as_json:
        click.echo(to_json([v.to_dict(text=with_text) for v in versions]))
        return
    click.echo(f"{doc_id}: {title or '(no title)'}")
    rows = []
    previous = None
    for v in versions:
        delta = "" if previous is None else f"{len(v.text) - len(previous.text):+,}"
        rows.append(
            (
                v.number,
                v.added_at.replace("T", " ").rstrip("Z"),
                v.letter_date or "",
                v.format,
                human_size(v.size),
                f"{len(v.text):,}",
                delta,
                v.filename or "",
                v.raw_sha256[:12],
            )
        )
        previous = v
    click.echo(
        table(["version", "added (UTC)", "letter date", "format", "size", "chars", "Δ chars", "file", "sha256"], rows)
    )


@cli.command()
@click.argument("ref")
@click.option("--normalized", is_flag=True, help="Print the normalized text (one paragraph per block).")
@click.option("--meta", "with_meta", is_flag=True, help="Print the version's metadata before the text.")
@click.option("--json", "as_json", is_flag=True, help="Print the whole version record as JSON.")
@click.option("--raw", is_flag=True, help="Write the raw snapshot bytes to stdout.")
@click.pass_obj
def show(obj: Context, ref: str, normalized: bool, with_meta: bool, as_json: bool, raw: bool) -> None:
    """Print a stored version: DOC, DOC@N, DOC@latest or DOC@-1 (the one before the latest)."""
    from .render import to_json

    with obj.store() as store:
        version = store.resolve(ref)
        if raw:
            sys.stdout.buffer.write(store.snapshots.read(version.snapshot))
            return
    if as_json:
        click.echo(to_json(version.to_dict()))
        return
    if with_meta:
        click.echo(
            f"# {version.ref}  added {version.added_at}  format {version.format}  "
            f"letter date {version.letter_date or 'unknown'}"
        )
        for key, value in sorted(version.meta.items()):
            click.echo(f"# {key}: {value}")
        for label, items in (("header", version.headers), ("footer", version.footers), ("margin", version.margin)):
            for item in items:
                click.echo(f"# {label}: {item}")
        click.echo()
    click.echo(version.normalized if normalized else version.text)


@cli.command()
@click.argument("query")
@click.option("--limit", default=20, show_default=True, help="At most this many hits.")
@click.option("--latest", is_flag=True, help="Search only the latest version of each document.")
@click.option("--fts", "raw", is_flag=True, help="QUERY is SQLite FTS5 syntax (AND, OR, NEAR, prefix*).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@click.pass_obj
def search(obj: Context, query: str, limit: int, latest: bool, raw: bool, as_json: bool) -> None:
    """Full-text search over every stored version, with snippets."""
    from dataclasses import asdict

    from .render import to_json

    with obj.store() as store:
        hits = store.search(query, limit=limit, latest_only=latest, raw=raw)
    if as_json:
        click.echo(to_json([{**asdict(h), "ref": h.ref} for h in hits]))
        return
    if not hits:
        click.echo("No matches.")
        return
    color = sys.stdout.isatty()
    for h in hits:
        tag = "" if h.latest else "  (older version)"
        click.echo(click.style(h.ref, bold=True) if color else h.ref, nl=False)
        click.echo(f"  {h.letter_date or ''}  {h.title or ''}{tag}")
        snippet = " ".join(h.snippet.split())
        if color:
            snippet = snippet.replace("[", "\x1b[1;33m").replace("]", "\x1b[0m")
        click.echo(f"    {snippet}")


@cli.command()
@click.pass_obj
def verify(obj: Context) -> None:
    """Re-hash every snapshot and stored text, run SQLite's integrity check. Exit 1 on any problem."""
    with obj.store() as store:
        report = store.verify()
    for ref, path in report.missing:
        click.echo(f"MISSING  {ref}: snapshot {path} is gone", err=True)
    for ref, path in report.altered:
        click.echo(f"ALTERED  {ref}: snapshot {path} does not match its sha256", err=True)
    for ref in report.bad_text_hash:
        click.echo(f"ALTERED  {ref}: stored text does not match its sha256", err=True)
    for line in report.integrity:
        click.echo(f"DATABASE {line}", err=True)
    for path in report.orphans:
        click.echo(f"note: {path} is not referenced by any version (left by an interrupted add; harmless)")
    for path in report.temp_files:
        click.echo(f"note: {path} is an unfinished temporary file (safe to delete)")
    problems = len(report.missing) + len(report.altered) + len(report.bad_text_hash) + len(report.integrity)
    click.echo(f"checked {report.checked} versions: " + ("all ok" if report.ok else f"{problems} problem(s)"))
    if not report.ok:
        sys.exit(1)


@cli.command()
@click.pass_obj
def demo(obj: Context) -> None:
    """Store the bundled example letters, show their history and what changed, and write the report (site/)."""
    from .demo import run_demo

    with obj.store(create=True) as store:
        click.echo(f"Storing the bundled example letters in {store.path} and {store.snapshots.root}/")
        for name, result in run_demo(store):
            click.echo(f"  {name}: {result.message()}")
        docs_ = store.documents()
    click.echo()
    ctx = click.get_current_context()
    ctx.invoke(docs)
    for d in docs_:
        if d.versions >= 2:
            click.echo()
            ctx.invoke(log, doc_id=d.id)
    from .diff.inputs import compare
    from .diff.render import render

    use_color = sys.stdout.isatty()
    with obj.store() as store:
        for d in docs_:
            if d.versions >= 2:
                click.echo()
                click.echo(render(compare(d.id, store=store), "terminal", color=use_color), nl=False, color=use_color)
        from .report import build_report

        result = build_report(store, "site")
    click.echo(f"\nReport: {result.documents} documents, {result.changes} changes, {result.families} formulations")
    click.echo(f"  open {result.index} (file://{result.index.resolve()})")
    click.echo(
        "\nNext: docaudit phrases, docaudit trace 'Dat een Verordening nodig is', docaudit show 2024D46963@1, "
        "docaudit search 'end-to-end', docaudit verify"
    )


def _register_watch() -> None:
    from .watch.cli import register

    register(cli)


def _register_phrases() -> None:
    from .phrases.cli import register

    register(cli)


def _register_report() -> None:
    from .report.cli import register

    register(cli)


_register_watch()
_register_phrases()
_register_report()


def main() -> None:  # pragma: no cover - console entry point
    cli()


if __name__ == "__main__":  # pragma: no cover
    main()
