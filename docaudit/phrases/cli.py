"""Commands for phrase tracking: ``index``, ``phrases``, ``trace`` (thin wrappers)."""

from __future__ import annotations

import sys

import click


def register(cli: click.Group) -> None:
    for command in (index_cmd, phrases_cmd, trace_cmd):
        cli.add_command(command)


def _format_option(f):
    f = click.option("--markdown", "fmt", flag_value="markdown", help="A Markdown table.")(f)
    f = click.option("--csv", "fmt", flag_value="csv", help="CSV with a header row.")(f)
    f = click.option("--json", "fmt", flag_value="json", help="JSON.")(f)
    f = click.option("--text", "fmt", flag_value="text", default=True, hidden=True)(f)
    return f


def _color(ctx_color: bool | None) -> bool:
    return sys.stdout.isatty() if ctx_color is None else ctx_color


@click.command("index")
@click.option("--rebuild", is_flag=True, help="Drop the phrase index and build it again from every version.")
@click.option("--workers", type=click.IntRange(1, 64), help="Processes for fingerprinting [default: CPU count].")
@click.option("--quiet", "-q", is_flag=True, help="No progress on stderr.")
@click.pass_obj
def index_cmd(obj, rebuild: bool, workers: int | None, quiet: bool) -> None:
    """Bring the phrase index up to date (new versions are indexed as they are stored).

    Needed after upgrading from a docaudit without phrase tracking (update) or after a change of
    index parameters (--rebuild). An interrupted run keeps what it finished.
    """
    from ..render import human_size
    from .index import index_size, text_size, update
    from .index import rebuild as do_rebuild

    def progress(done: int, total: int) -> None:
        if not quiet:
            click.echo(f"\rindexed {done}/{total} versions", err=True, nl=done == total)

    with obj.store() as store:
        stats = (do_rebuild if rebuild else update)(store, workers=workers, progress=progress)
        sizes = index_size(store.conn)
        text = text_size(store.conn)
        sentences = store.conn.execute("SELECT count(*), count(DISTINCT family) FROM phrase_sentences").fetchone()
    if stats.versions == 0:
        click.echo("phrase index is up to date")
    else:
        click.echo(
            f"indexed {stats.versions} versions in {stats.seconds:.1f} s: {stats.sentences} sentences, "
            f"{stats.new_sentences} new wordings"
        )
    size = sum(sizes.values())
    line = f"index: {sentences[0]} distinct sentences in {sentences[1]} families"
    if size:
        line += f", {human_size(size)} ({size / max(text, 1):.2f}× the {human_size(text)} of text)"
    click.echo(line)


@click.command("phrases")
@click.option(
    "--min-docs", default=2, show_default=True, type=click.IntRange(1), help="Shared by at least N documents."
)
@click.option("--since", help="Only letters dated on or after YYYY-MM-DD.")
@click.option("--until", help="Only letters dated on or before YYYY-MM-DD.")
@click.option("--doc", "doc_id", help="Only formulations this document carries.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(0), help="At most N families (0: all).")
@click.option("--boilerplate", is_flag=True, help="Include salutations, addresses, letterhead, closing formulas.")
@click.option("--current", "current_only", is_flag=True, help="Count only documents whose latest version carries it.")
@click.option("--color/--no-color", default=None, help="Colour [default: when writing to a terminal].")
@_format_option
@click.pass_obj
def phrases_cmd(obj, min_docs, since, until, doc_id, limit, boilerplate, current_only, color, fmt) -> None:
    """Recurring formulations: families of variant sentences shared by several documents.

    Each family has a canonical wording (the one most documents carry), the number of documents,
    first and last seen (letter date and document) and its number of variants. Trace one with
    `docaudit trace --family ID`.
    """
    from ..cli import _parse_date
    from .families import phrases
    from .render import render

    since, until = _parse_date(since, "--since"), _parse_date(until, "--until")
    if since and until and since > until:
        raise click.BadParameter(f"--since {since} is after --until {until}", param_hint="--since")
    with obj.store() as store:
        report = phrases(
            store,
            min_docs=min_docs,
            since=since,
            until=until,
            doc=doc_id,
            limit=limit or None,
            include_boilerplate=boilerplate,
            current_only=current_only,
        )
    click.echo(render(report, fmt, color=_color(color)), nl=False)


@click.command("trace")
@click.argument("text", required=False)
@click.option("--family", "family_id", type=int, help="Trace a family from `docaudit phrases` instead of a text.")
@click.option("--min-similarity", type=click.FloatRange(0, 1), help="Hide occurrences less similar than this.")
@click.option("--color/--no-color", default=None, help="Colour [default: when writing to a terminal].")
@_format_option
@click.pass_obj
def trace_cmd(obj, text: str | None, family_id: int | None, min_similarity, color, fmt) -> None:
    """Every letter carrying TEXT or a variant of it, in date order, with the wording's changes.

    TEXT is a sentence or passage ("-" reads it from stdin). Variants with a changed word or two, another
    tense or an inserted clause are found; each shows a similarity score, a word diff against the
    first appearance and the meaning flags (negation, modality, number, date…) of the change.
    """
    from .render import render
    from .trace import trace

    if text == "-":
        text = sys.stdin.read()
    if (text is None) == (family_id is None):
        raise click.UsageError("give a TEXT to trace or --family ID (one of the two)")
    with obj.store() as store:
        result = trace(store, text, family=family_id, min_similarity=min_similarity)
    click.echo(render(result, fmt, color=_color(color)), nl=False)
