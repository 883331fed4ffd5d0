"""The commands that store and read documents: ``add``, ``import``, ``docs``, ``log``, ``show``, ``search``,
``edit`` and ``verify`` (loaded when one of them runs; ``docaudit --help`` lists them from
:data:`.main.LAZY_COMMANDS`)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import ExitCode
from .options import (
    DATE,
    LISTING,
    RESULT,
    color_option,
    emit_listing,
    engine_options,
    max_size_option,
    output_options,
    pdf_engine_option,
    quiet_option,
    use_color,
)
from .output import write_json

if TYPE_CHECKING:
    from .main import Context


def _parse_meta(values: tuple[str, ...]) -> dict[str, str]:
    meta = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"expected key=value, got {item!r}", param_hint="--meta")
        meta[key.strip()] = value
    return meta


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--doc", "doc_id", required=True, help="Document id the files are versions of (e.g. 2024D46963).")
@click.option("--title", help="Document title.")
@click.option("--date", "letter_date", type=DATE, help="The letter's date (YYYY-MM-DD); overrides the date found.")
@click.option("--meta", multiple=True, metavar="KEY=VALUE", help="Extra metadata; repeatable.")
@max_size_option
@pdf_engine_option
@output_options(RESULT, json_help="One JSON object per file (JSON lines); shorthand for --format json.")
@click.pass_obj
def add(obj: Context, paths, doc_id, title, letter_date, meta, max_size, pdf_engine, fmt) -> ExitCode:
    """Store each file as a new version of document DOC (if its text changed).

    Files are stored in the order given. A file that cannot be read is reported and skipped; the others
    are still stored. Exit status 1 if any file failed.
    """

    from ..errors import DocauditError
    from ..ingest.pipeline import add_file
    from ..values import printable, readable

    user_meta = _parse_meta(meta)
    limits = obj.limits(pdf_engine)
    failed = 0
    with obj.store(create=True, max_size=max_size) as store:
        for path in paths:
            try:
                result = add_file(
                    store, path, doc_id, title=title, letter_date=letter_date, meta=user_meta, limits=limits
                )
            except DocauditError as exc:
                failed += 1
                if fmt == "json":
                    error = {"file": readable(path), "status": "error", "error": str(exc)}
                    write_json(error, line=True)
                click.echo(f"Error: {printable(path)}: {exc}", err=True)
                continue
            if fmt == "json":
                write_json({"file": readable(path), **result.to_dict()}, line=True)
            else:
                click.echo(f"{printable(path)}: {result.message()}")
            if not result.stored and (title or letter_date):
                click.echo(
                    f"note: {printable(path)} was not stored again, so --title/--date changed nothing: "
                    f"docaudit edit {doc_id} --title … --date … fixes them",
                    err=True,
                )
    return ExitCode.PROBLEM if failed else ExitCode.OK


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("-r", "--recursive", is_flag=True, help="Search folders' subfolders too.")
@click.option(
    "--doc-id",
    "doc_id",
    default="stem",
    show_default=True,
    help="stem, kenmerk, or a template over {stem} {name} {parent} {kenmerk} {document_number} {kamerstuk} {date}.",
)
@click.option("--workers", type=click.IntRange(1, 64), help="Files read at once [default: twice the cores, at most 8].")
@click.option("--follow-links", is_flag=True, help="Read links in folders that point outside them (else refused).")
@engine_options("Where files are extracted")
@max_size_option
@pdf_engine_option
@quiet_option
@output_options(RESULT, json_help="One JSON object per file (JSON lines); shorthand for --format json.")
@click.pass_obj
def import_cmd(
    obj: Context, paths, recursive, doc_id, workers, follow_links, engine, master, max_size, pdf_engine, quiet, fmt
) -> ExitCode:
    """Import files and folders in one go: one document per file (.pdf, .docx, .html, .txt, .md in folders).

    A file whose document id is already stored becomes that document's next version (if its text changed).
    Files are read in parallel, each under the limits on untrusted documents, and stored in path order.
    With --engine spark, Spark's executors extract them (they must reach the same paths) and this
    process stores them. Exit status 1 if any file failed; the others are stored.
    """

    from ..ingest.bulk import import_files
    from ..values import printable

    def progress(done: int, total: int) -> None:
        if not quiet and fmt == "terminal" and sys.stderr.isatty():
            click.echo(f"\rimported {done}/{total}", err=True, nl=done == total)

    def on_file(entry) -> None:
        if fmt == "json":
            write_json(entry.to_dict(), line=True)
        elif entry.result is None:
            click.echo(f"Error: {printable(entry.path)}: {entry.error}", err=True)
        elif not quiet and not sys.stderr.isatty():
            click.echo(f"{printable(entry.path)}: {entry.result.message()}")

    with obj.store(create=True, max_size=max_size) as store:
        report = import_files(
            store,
            paths,
            recursive=recursive,
            doc_id=doc_id,
            workers=workers,
            progress=progress,
            on_file=on_file,
            engine=engine,
            master=master,
            follow_links=follow_links,
            limits=obj.limits(pdf_engine),
        )
    for path, why in report.skipped:
        if fmt == "json":
            write_json({"file": printable(path), "status": "skipped", "reason": why}, line=True)
        else:
            click.echo(f"skipped: {printable(path)}: {why}", err=True)
    if fmt == "terminal" and (not quiet or report.failed or report.skipped):
        click.echo(report.summary())
    return ExitCode.PROBLEM if report.failed else ExitCode.OK


_DOC_COLUMNS = [
    ("id", "document"),
    ("aliases", "also known as"),
    ("versions", "versions"),
    ("letter_date", "letter date"),
    ("last_change", "last stored (UTC)"),
    ("format", "format"),
    ("title", "title"),
]


@click.command()
@output_options(LISTING)
@click.pass_obj
def docs(obj: Context, fmt: str) -> None:
    """List documents, newest letter first (undated last), with their versions and when last stored."""
    from dataclasses import asdict

    with obj.store() as store:
        documents = [asdict(d) for d in store.documents(order="letter_date")]
        if fmt == "terminal":  # the numbers people look letters up by (docaudit show 2024D46963)
            for d in documents:
                d["aliases"] = ", ".join(store.aliases(d["id"]))
    if fmt == "terminal":
        for d in documents:
            d["last_change"] = d["last_change"].replace("T", " ").rstrip("Z")
    emit_listing(documents, _DOC_COLUMNS, fmt, empty="No documents yet: docaudit add FILE --doc ID")


_LOG_COLUMNS = [
    ("number", "version"),
    ("added_at", "added (UTC)"),
    ("letter_date", "letter date"),
    ("format", "format"),
    ("size", "size"),
    ("chars", "chars"),
    ("delta", "Δ chars"),
    ("filename", "file"),
    ("raw_sha256", "sha256"),
    ("revision", "revision"),
]


@click.command()
@click.argument("doc_id")
@output_options(LISTING)
@click.option("--text", "with_text", is_flag=True, help="With --format json: the extracted and normalized texts too.")
@click.pass_obj
def log(obj: Context, doc_id: str, fmt: str, with_text: bool) -> None:
    """The version history of a document, oldest first."""
    from ..store.database import reverts
    from ..text.formatting import human_size

    with obj.store() as store:
        doc_id = store.document_id(doc_id)
        versions = store.versions(doc_id)
        title = store.document_title(doc_id)
    if fmt == "json":
        emit_listing([v.to_dict(text=with_text) for v in versions], _LOG_COLUMNS, fmt)
        return
    back_to = reverts(versions)
    rows = []
    previous = None
    for v in versions:
        row = v.to_dict(text=False)
        row["chars"] = len(v.text)
        row["revision"] = "silent" if v.announced is False else "announced" if v.announced else ""
        if v.number in back_to:
            row["revision"] = f"reverted to @{back_to[v.number]}" + (f", {row['revision']}" if row["revision"] else "")
        row["delta"] = None if previous is None else len(v.text) - len(previous.text)
        if fmt == "terminal":
            row.update(
                added_at=v.added_at.replace("T", " ").rstrip("Z"),
                size=human_size(v.size),
                chars=f"{len(v.text):,}",
                delta="" if row["delta"] is None else f"{row['delta']:+,}",
                raw_sha256=v.raw_sha256[:12],
            )
        rows.append(row)
        previous = v
    if fmt == "terminal":
        click.echo(f"{doc_id}: {title or '(no title)'}")
    emit_listing(rows, _LOG_COLUMNS, fmt)


@click.command()
@click.argument("ref")
@click.option("--normalized", is_flag=True, help="Print the normalized text (one paragraph per block).")
@click.option("--meta", "with_meta", is_flag=True, help="Print the version's metadata before the text.")
@output_options(RESULT, json_help="The whole version record as JSON; shorthand for --format json.")
@click.option("--raw", is_flag=True, help="Write the raw snapshot bytes to stdout.")
@click.pass_obj
def show(obj: Context, ref: str, normalized: bool, with_meta: bool, fmt: str, raw: bool) -> None:
    """Print a stored version: DOC, DOC@N, DOC@latest or DOC@-1 (the one before the latest)."""
    with obj.store() as store:
        version = store.resolve(ref)
        if raw:
            sys.stdout.buffer.write(store.snapshots.read(version.snapshot, version.raw_sha256))
            return
    if fmt == "json":
        write_json(version.to_dict())
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


_SEARCH_COLUMNS = [("ref", "version"), ("letter_date", "letter date"), ("title", "title"), ("snippet", "snippet")]


@click.command()
@click.argument("query")
@click.option("--limit", default=20, show_default=True, help="At most this many hits.")
@click.option("--latest", is_flag=True, help="Search only the latest version of each document.")
@click.option("--fts", "raw", is_flag=True, help="QUERY is SQLite FTS5 syntax (AND, OR, NEAR, prefix*).")
@output_options(LISTING)
@color_option
@click.pass_obj
def search(obj: Context, query: str, limit: int, latest: bool, raw: bool, fmt: str, color: str) -> None:
    """Full-text search over every stored version, with snippets."""
    from dataclasses import asdict

    with obj.store() as store:
        hits = store.search(query, limit=limit, latest_only=latest, raw=raw)
    if fmt != "terminal":
        emit_listing([{**asdict(h), "ref": h.ref} for h in hits], _SEARCH_COLUMNS, fmt)
        return
    if not hits:
        click.echo("No matches.")
        return
    colored = use_color(color)
    for h in hits:
        tag = "" if h.latest else "  (older version)"
        click.echo(click.style(h.ref, bold=True) if colored else h.ref, nl=False, color=colored)
        click.echo(f"  {h.letter_date or ''}  {h.title or ''}{tag}")
        snippet = " ".join(h.snippet.split())
        if colored:
            snippet = snippet.replace("[", "\x1b[1;33m").replace("]", "\x1b[0m")
        click.echo(f"    {snippet}", color=colored)


_EDIT_COLUMNS = [
    ("at", "when (UTC)"),
    ("version", "version"),
    ("field", "field"),
    ("old", "was"),
    ("new", "is"),
    ("note", "note"),
]


@click.command()
@click.argument("doc_id")
@click.option("--title", help="The document's title (later versions no longer replace it).")
@click.option("--date", "letter_date", type=DATE, help="The letter date of a version (YYYY-MM-DD).")
@click.option("--version", type=click.IntRange(1), help="The version whose date to set [default: the latest].")
@click.option("--note", help="Why: kept with the edit.")
@click.option("--history", is_flag=True, help="List the document's edits instead of making one.")
@output_options(LISTING)
@click.pass_obj
def edit(obj: Context, doc_id, title, letter_date, version, note, history, fmt) -> None:
    """Fix a document's title or a version's letter date. Every edit is kept (was, is, when, why) and
    listed with --history; texts and snapshots are never edited."""
    from ..store.edit import edit as do_edit
    from ..store.edit import edits

    with obj.store() as store:
        if history:
            store.document_title(doc_id)  # a clear error for an unknown document
            made = edits(store, doc_id)
        else:
            made = do_edit(store, doc_id, title=title, letter_date=letter_date, version=version, note=note)
    if fmt != "terminal" or history:
        emit_listing([e.to_dict() for e in made], _EDIT_COLUMNS, fmt, empty=f"No edits of {doc_id}.")
        return
    for e in made:
        click.echo(e.message())
    if not made:
        click.echo("nothing changed: the values were already so")


@click.command()
@click.option("--quick", is_flag=True, help="Do not extract every version again from its snapshot (and say so).")
@output_options(RESULT)
@click.pass_obj
def verify(obj: Context, quick: bool, fmt: str) -> ExitCode:
    """Re-hash every snapshot and stored text, extract every version again from its snapshot and compare the
    text (not with --quick), recompute the hash chain over versions, fetch records and edits and check every
    seal against it (its time-stamp too, offline), run SQLite's integrity check. Exit 1 on any problem; the
    first break of the chain is named first."""
    from ..evidence.seal import verify_seal_tokens
    from ..ingest.pipeline import verify_extraction

    with obj.store() as store:
        report = store.verify()
        report.chain += verify_seal_tokens(store)
        if not quick:
            verify_extraction(store, report, obj.limits("pdfminer"))  # each PDF again by the engine it was read by
    if fmt == "json":
        write_json(report.to_dict())
        return ExitCode.OK if report.ok else ExitCode.PROBLEM
    for ref, path in report.missing:
        click.echo(f"MISSING  {ref}: snapshot {path} is gone", err=True)
    for ref, path in report.altered:
        click.echo(f"ALTERED  {ref}: snapshot {path} does not match its sha256", err=True)
    for ref in report.bad_text_hash:
        click.echo(f"ALTERED  {ref}: stored text does not match its sha256", err=True)
    for line in report.integrity:
        click.echo(f"DATABASE {line}", err=True)
    for line in report.chain:
        click.echo(f"CHAIN    {line}", err=True)
    for ref in report.not_from_snapshot:
        click.echo(f"ALTERED  {ref}: the stored text is not what its snapshot gives when extracted again", err=True)
    for line in report.other_extractor:
        click.echo(f"note: {line}: stored by another extractor version, not compared with a new extraction")
    if report.reextracted is None:
        click.echo("note: --quick: the stored texts were not extracted again from their snapshots")
    for path in report.orphans:
        click.echo(f"note: {path} is not referenced by any version (left by an interrupted add; harmless)")
    for path in report.temp_files:
        click.echo(f"note: {path} is an unfinished temporary file (safe to delete)")
    click.echo(f"checked {report.checked} versions: " + ("all ok" if report.ok else f"{report.problems} problem(s)"))
    return ExitCode.OK if report.ok else ExitCode.PROBLEM
