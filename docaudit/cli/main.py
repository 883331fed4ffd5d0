"""The ``docaudit`` command line: thin wrappers over the library (imports are lazy, start-up stays fast)."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import ExitCode
from ..version import __version__
from .options import (
    color_option,
    use_color,
)
from .output import fail


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
    "add": ("docaudit.cli.documents", "add", "Store each file as a new version of document DOC (if its text changed)."),
    "import": (
        "docaudit.cli.documents",
        "import_cmd",
        "Import files and folders in one go: one document per file (.pdf, .docx, .html, .txt, .md in folders).",
    ),
    "docs": (
        "docaudit.cli.documents",
        "docs",
        "List documents, newest letter first (undated last), with their versions and when last stored.",
    ),
    "log": ("docaudit.cli.documents", "log", "The version history of a document, oldest first."),
    "show": (
        "docaudit.cli.documents",
        "show",
        "Print a stored version: DOC, DOC@N, DOC@latest or DOC@-1 (the one before the latest).",
    ),
    "search": ("docaudit.cli.documents", "search", "Full-text search over every stored version, with snippets."),
    "edit": ("docaudit.cli.documents", "edit", "Fix a document's title or a version's letter date."),
    "verify": (
        "docaudit.cli.documents",
        "verify",
        "Re-hash every snapshot and stored text, extract every version again from its snapshot and compare the "
        "text (not with --quick), recompute the hash chain over versions, fetch records and edits and check every "
        "seal against it (its time-stamp too, offline), run SQLite's integrity check.",
    ),
    "diff": ("docaudit.cli.diffs", "diff", "Show what changed from OLD to NEW."),
    "changes": (
        "docaudit.cli.diffs",
        "changes",
        "Every change stored in a window, over all documents, most severe first: the morning read.",
    ),
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
    ctx.invoke(cli.get_command(ctx, "docs"))
    for d in result.documents:
        if d.versions >= 2:
            click.echo()
            ctx.invoke(cli.get_command(ctx, "log"), doc_id=d.id)
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
