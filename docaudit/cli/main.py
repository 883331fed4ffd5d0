"""The ``docaudit`` command line: thin wrappers over the library (imports are lazy, start-up stays fast)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import ExitCode
from ..version import __version__
from .options import (
    DATE,
    LISTING,
    RESULT,
    color_option,
    emit_listing,
    engine_options,
    ignore_option,
    max_size_option,
    output_options,
    pdf_engine_option,
    quiet_option,
    use_color,
)
from .output import fail, write_json


class Context:
    """Options shared by every command: where the database and snapshots live."""

    def __init__(self, db: str, snapshots: str | None) -> None:
        self.db = db
        self.snapshots = snapshots

    def limits(self, pdf_engine: str | None = None):
        """The limits on untrusted documents for this folder: ``[limits]`` of the docaudit.toml next to the
        database, over the environment's (``DOCAUDIT_LIMIT_*``) and the defaults; PDFs read by ``pdf_engine``
        (``--pdf-engine``) or else the file's ``[run] pdf_engine``."""
        from ..errors import DocauditError
        from ..read.extract import require_engine
        from ..read.limits import Limits

        try:
            limits = Limits.for_database(self.db).with_engine(pdf_engine)
            require_engine(limits.pdf_engine)
        except DocauditError as exc:
            fail(str(exc), ExitCode.FAILED)
        return limits

    def store(self, *, create: bool = False, max_size: int | None = None, announce: bool = True):
        """The database; one that ``create`` makes anew is announced on stderr with where it is (``add`` in
        the wrong folder must not leave an audit.db there unnoticed; ``run`` says it its own way)."""
        from ..read.limits import DEFAULT_MAX_SIZE
        from ..store.database import Store

        new = create and announce and not Path(self.db).exists()
        store = Store(self.db, self.snapshots, create=create, max_size=max_size or DEFAULT_MAX_SIZE)
        if new:
            click.echo(f"note: created a new database at {Path(self.db).resolve()}", err=True)
        return store


# Commands that live in their own packages, loaded only when used: name -> (module, attribute, summary).
# The summary is what `docaudit --help` lists without importing the module; tests/test_layout.py checks
# that it is the command's own first sentence.
LAZY_COMMANDS: dict[str, tuple[str, str, str]] = {
    "export": (
        "docaudit.cli.spark",
        "export_cmd",
        "Write documents, versions (texts included) and the phrase tables as Parquet under FOLDER.",
    ),
    "evidence": (
        "docaudit.cli.evidence",
        "evidence_cmd",
        "Write an evidence pack for DOC@N (and DOC@M), or check one with --verify.",
    ),
    "seal": (
        "docaudit.cli.evidence",
        "seal_cmd",
        "Record the head of the hash chain as a seal; with a time-stamping authority, fix it in time.",
    ),
    "commitments": (
        "docaudit.cli.commitments",
        "commitments_cmd",
        'The promises letters make ("Ik zal uw Kamer voor de zomer informeren …") and what became of them.',
    ),
    "feed": (
        "docaudit.cli.watch",
        "feed_cmd",
        "Write an Atom feed of stored versions (one entry each, with the diff summary and flags).",
    ),
    "index": (
        "docaudit.cli.phrases",
        "index_cmd",
        "Bring the phrase index up to date (new versions are indexed as they are stored).",
    ),
    "phrases": (
        "docaudit.cli.phrases",
        "phrases_cmd",
        "Recurring formulations: families of variant sentences shared by several documents.",
    ),
    "report": (
        "docaudit.cli.report",
        "report_cmd",
        "Write the audit as a static HTML site: documents, their version histories with the semantic diff of "
        "each change, a timeline of all changes filterable by flag, and recurring formulations.",
    ),
    "run": (
        "docaudit.cli.watch",
        "run_cmd",
        "Check every tracked source once and store what changed: the cron entry point.",
    ),
    "sources": (
        "docaudit.cli.watch",
        "sources_cmd",
        "List tracked sources with their last check, last change and last error.",
    ),
    "trace": (
        "docaudit.cli.phrases",
        "trace_cmd",
        "Every letter carrying TEXT or a variant of it, in date order, with the wording's changes.",
    ),
    "track": (
        "docaudit.cli.watch",
        "track_cmd",
        "Track SOURCE: an http(s) URL, feed:URL, tk:2024D46963, tk:dossier/32317[-XV], tk:query/… or tk:feed[?…].",
    ),
    "tk": (
        "docaudit.cli.watch",
        "tk_group",
        "The Tweede Kamer open-data API: check what it is today and whether tracked tk: sources will work.",
    ),
    "untrack": ("docaudit.cli.watch", "untrack_cmd", "Stop checking sources."),
}


# "Examples" closing every command's --help (and docs/commands.md, generated from it)
EXAMPLES: dict[str, list[str]] = {
    "add": ["docaudit add brief.pdf --doc 2023Z08511", "docaudit add brief-versie-2.docx --doc 2023Z08511 --json"],
    "changes": [
        "docaudit changes                      # the last 7 days, most severe first",
        "docaudit changes --since 24h --min-severity 70",
        "docaudit changes --ignore 'bijgewerkt: \\S+'",
    ],
    "commitments": ["docaudit commitments --status overdue", "docaudit commitments 2024D46963 --json"],
    "demo": ["docaudit demo                         # in an empty folder: audit.db, snapshots/, site/"],
    "diff": [
        "docaudit diff 2024D46963              # its last two versions",
        "docaudit diff 2024D46963@1 2024D46963@3 --format markdown",
        "docaudit diff oud.pdf nieuw.docx --format html -o diff.html",
        "docaudit diff a.txt b.txt --ignore 'Pagina \\d+ van \\d+'",
    ],
    "docs": ["docaudit docs", "docaudit docs --json"],
    "edit": ["docaudit edit 2023Z08511 --date 2023-08-22", "docaudit edit 2023Z08511 --history"],
    "evidence": [
        "docaudit evidence 2023Z08511@1 2023Z08511@2 -o pack.zip",
        "docaudit evidence --verify pack.zip",
    ],
    "export": ["docaudit export parquet/"],
    "feed": ["docaudit feed -o public/changes.xml --title 'Kamerbrieven: wijzigingen'"],
    "help": ["docaudit help run", "docaudit help tk check"],
    "import": ["docaudit import brieven/ --recursive", "docaudit import archief/ -r --doc-id kenmerk --json"],
    "index": ["docaudit index", "docaudit index --rebuild --engine spark"],
    "log": ["docaudit log 2024D46963", "docaudit log 2024D46963 --json"],
    "phrases": ["docaudit phrases --min-docs 3", "docaudit phrases --format markdown"],
    "report": ["docaudit report -o site/", "docaudit report -o site/ --title 'Dossier CSAM'"],
    "run": [
        "docaudit run                          # check every tracked source once",
        "docaudit run --only 2024D46963 --exit-code",
        "",
        'crontab (with [report] path = "site" in docaudit.toml, the run also writes the report):',
        "15 6 * * *  cd /srv/watch && /srv/docaudit/.venv/bin/docaudit run --quiet --wait 600 >> run.log 2>&1",
    ],
    "seal": ["docaudit seal", "docaudit seal --tsa https://freetsa.org/tsr --tsa-cert freetsa-root.pem"],
    "search": ["docaudit search 'detectiebevel'", "docaudit search '\"end-to-end encryptie\"' --json"],
    "show": ["docaudit show 2024D46963", "docaudit show 2024D46963@-1 --json"],
    "sources": ["docaudit sources", "docaudit sources --all --json"],
    "tk": ["docaudit tk check", "docaudit tk check --api https://gegevensmagazijn.tweedekamer.nl/OData/v5 --json"],
    "tk check": ["docaudit tk check", "docaudit tk check --api https://mirror.example.org/OData/v4/2.0 --json"],
    "trace": ["docaudit trace 'Dat een Verordening nodig is, staat voor Nederland niet ter discussie.'"],
    "track": [
        "docaudit track tk:2024D46963",
        "docaudit track tk:dossier/36800-XV --since 2025-01-01",
        "docaudit track 'tk:feed?soort=Brief regering'",
        "docaudit track https://www.rijksoverheid.nl/…/brief.pdf --doc csam-brief",
    ],
    "untrack": ["docaudit untrack csam-brief"],
    "verify": ["docaudit verify", "docaudit verify --json"],
}


def with_examples(command: click.Command, name: str) -> click.Command:
    """The command with its examples as the closing part of its help."""
    if name in EXAMPLES and not command.epilog:
        command.epilog = "\b\nExamples:\n" + "\n".join(f"  {line}" for line in EXAMPLES[name])
    if isinstance(command, click.Group):
        for sub_name, sub in command.commands.items():
            with_examples(sub, f"{name} {sub_name}")
    return command


def describe_database_error(exc: Exception) -> str:
    """One line for an SQLite error that reached the command line: what it means and what to do."""
    text = str(exc)
    if any(k in text for k in ("disk is full", "disk I/O", "readonly", "read-only", "unable to open")):
        return f"cannot write the database ({text}): free space or fix permissions; nothing was stored"
    if "locked" in text or "busy" in text:
        return "the database is busy: another docaudit process is writing; try again"
    return f"the database is damaged or unreadable ({text}): run docaudit verify, and restore it from a backup"


class Group(click.Group):
    """Loads the commands of other packages on first use (``LAZY_COMMANDS``), and turns expected failures
    (DocauditError) into one line on stderr instead of a traceback."""

    GLOBAL = ("--db", "--snapshots")

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """``docaudit docs --db X`` means ``docaudit --db X docs``: the global options may follow the command."""
        head: list[str] = []
        rest = list(args)
        while rest and rest[0].startswith("-"):  # options before the command, with their values
            head.append(rest.pop(0))
            if head[-1] in self.GLOBAL and rest:
                head.append(rest.pop(0))
        if rest:
            command, tail, moved = rest[0], rest[1:], []
            i = 0
            while i < len(tail):
                arg = tail[i]
                if arg == "--":
                    break
                if arg in self.GLOBAL and i + 1 < len(tail):
                    moved += tail[i : i + 2]
                    del tail[i : i + 2]
                    continue
                if arg.split("=", 1)[0] in self.GLOBAL and "=" in arg:
                    moved.append(tail.pop(i))
                    continue
                i += 1
            rest = [*moved, command, *tail]
        return super().parse_args(ctx, head + rest)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in LAZY_COMMANDS:
            import importlib

            module, attribute, _summary = LAZY_COMMANDS[cmd_name]
            self.add_command(getattr(importlib.import_module(module), attribute), cmd_name)
        command = super().get_command(ctx, cmd_name)
        return with_examples(command, cmd_name) if command is not None else None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list, without importing the lazy commands' modules for their summaries."""
        from click.utils import make_default_short_help

        names = [n for n in self.list_commands(ctx) if n in LAZY_COMMANDS or not self.commands[n].hidden]
        if not names:
            return
        limit = formatter.width - 6 - max(len(n) for n in names)
        rows = []
        for name in names:
            if name in self.commands:
                rows.append((name, self.commands[name].get_short_help_str(limit)))
            else:
                rows.append((name, make_default_short_help(LAZY_COMMANDS[name][2], limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context):
        from ..errors import DocauditError

        try:
            code = super().invoke(ctx)
        except DocauditError as exc:
            fail(str(exc))
        except OSError as exc:  # an output folder that is missing or read-only, a full disk: one line, no traceback
            where = f" {exc.filename}" if exc.filename else ""
            fail(f"cannot write or read{where}: {exc.strerror or exc}", ExitCode.FAILED)
        except Exception as exc:
            import sqlite3

            if not isinstance(exc, sqlite3.DatabaseError):
                raise
            fail(describe_database_error(exc))
        if code:  # a command returns its ExitCode (None is OK): the one place docaudit's commands exit
            ctx.exit(int(code))
        return code


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
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


@cli.command("help")
@click.argument("command", nargs=-1)
@click.pass_context
def help_cmd(ctx: click.Context, command: tuple[str, ...]) -> None:
    """Show the help of COMMAND (docaudit help run, docaudit help tk check), or of docaudit itself."""
    group: click.Command = cli
    parent = ctx.parent or ctx
    names: list[str] = []
    for name in command:
        found = group.get_command(parent, name) if isinstance(group, click.Group) else None
        if found is None:
            known = ", ".join(group.list_commands(parent)) if isinstance(group, click.Group) else ""
            fail(
                f"no command {' '.join([*names, name])!r}" + (f"; the commands are: {known}" if known else ""),
                ExitCode.FAILED,
            )
        names.append(name)
        group = found
        parent = click.Context(found, info_name=name, parent=parent)
    click.echo(group.get_help(parent if names else (ctx.parent or ctx)))


def _parse_meta(values: tuple[str, ...]) -> dict[str, str]:
    meta = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"expected key=value, got {item!r}", param_hint="--meta")
        meta[key.strip()] = value
    return meta


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


@cli.command()
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


@cli.command("import")
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


@cli.command()
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


@cli.command()
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


@cli.command()
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


@cli.command()
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


_CHANGE_COLUMNS = [
    ("severity", "severity"),
    ("summary", "what"),
    ("version", "version"),
    ("letter_date", "letter date"),
    ("title", "title"),
    ("new_text", "now reads"),
]


@cli.command()
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


_EDIT_COLUMNS = [
    ("at", "when (UTC)"),
    ("version", "version"),
    ("field", "field"),
    ("old", "was"),
    ("new", "is"),
    ("note", "note"),
]


@cli.command()
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


@cli.command()
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


@cli.command()
@color_option
@click.pass_context
def demo(ctx: click.Context, color: str) -> None:
    """Store the bundled example letters, show their history and what changed, and write the report (site/).

    Run it in an empty folder: it refuses a database that holds anything but the demo's letters (it never
    adds them to your own audit), and a site/ folder it did not write.
    """
    from ..diff.render import render_diff
    from ..examples.demo import run_demo

    obj: Context = ctx.obj
    with obj.store(create=True) as store:
        result = run_demo(store, "site")
        click.echo(f"Stored the bundled example letters in {store.path} and {store.snapshots.root}/")
    for name, added in result.stored:
        click.echo(f"  {name}: {added.message()}")
    click.echo()
    ctx.invoke(docs)
    for d in result.documents:
        if d.versions >= 2:
            click.echo()
            ctx.invoke(log, doc_id=d.id)
    colored = use_color(color)
    for d in result.diffs:
        click.echo()
        click.echo(render_diff(d, "terminal", color=colored), nl=False, color=colored)
    report = result.report
    click.echo(f"\nReport: {report.documents} documents, {report.changes} changes, {report.families} formulations")
    click.echo(f"  open {report.index} (file://{report.index.resolve()})")
    click.echo(
        "\nNext: docaudit phrases, docaudit trace 'Dat een Verordening nodig is', docaudit show 2024D46963@1, "
        "docaudit search 'end-to-end', docaudit verify"
    )


def main() -> None:  # pragma: no cover - console entry point
    cli()


if __name__ == "__main__":  # pragma: no cover
    main()
