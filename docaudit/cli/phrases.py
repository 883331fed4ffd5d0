"""Commands for phrase tracking: ``index``, ``phrases``, ``trace`` (thin wrappers)."""

from __future__ import annotations

import sys

import click

from .options import DATE, LISTING, RESULT, color_option, engine_options, output_options, quiet_option, use_color
from .output import write_json


def _output(f):
    return output_options(LISTING, legacy=("csv", "markdown"))(f)


@click.command("index")
@click.option("--rebuild", is_flag=True, help="Drop the phrase index and build it again from every version.")
@click.option("--workers", type=click.IntRange(1, 64), help="Processes for fingerprinting [default: CPU count].")
@engine_options("Where --rebuild runs")
@click.option(
    "--from",
    "from_dir",
    type=click.Path(file_okay=False, exists=True),
    help="Load phrase tables computed elsewhere (Parquet, from the Spark build's --output) instead of building.",
)
@quiet_option
@output_options(RESULT)
@click.pass_obj
def index_cmd(
    obj, rebuild: bool, workers: int | None, engine: str, master: str, from_dir: str | None, quiet: bool, fmt: str
) -> None:
    """Bring the phrase index up to date (new versions are indexed as they are stored).

    Needed after upgrading from a docaudit without phrase tracking (update) or after a change of
    index parameters (--rebuild). An interrupted run keeps what it finished.
    """
    from ..phrases.index import index_size, text_size, update
    from ..phrases.index import rebuild as do_rebuild
    from ..text.formatting import human_size

    def progress(done: int, total: int) -> None:
        if not quiet and fmt == "terminal":
            click.echo(f"\rindexed {done}/{total} versions", err=True, nl=done == total)

    if engine == "spark" and not rebuild:
        raise click.UsageError("--engine spark builds the whole index: give --rebuild")
    with obj.store() as store:
        if from_dir:
            from ..phrases.index import IndexStats
            from ..spark.parquet import load_index

            engine = "parquet"
            counts = load_index(store, from_dir)
            stats = IndexStats(versions=counts["phrase_versions"], new_sentences=counts["phrase_sentences"])
        elif engine == "spark":
            stats = _spark_rebuild(store, master)
        else:
            stats = (do_rebuild if rebuild else update)(store, workers=workers, progress=progress)
        sizes = index_size(store.conn)
        text = text_size(store.conn)
        sentences = store.conn.execute("SELECT count(*), count(DISTINCT family) FROM phrase_sentences").fetchone()
    size = sum(sizes.values())
    if fmt == "json":
        summary = {
            "engine": engine,
            "versions": stats.versions,
            "sentences": stats.sentences,
            "new_sentences": stats.new_sentences,
            "seconds": round(stats.seconds, 3),
            "distinct_sentences": sentences[0],
            "families": sentences[1],
            "index_bytes": size,
            "text_bytes": text,
        }
        write_json(summary)
        return
    if quiet:
        return
    if stats.versions == 0:
        click.echo("phrase index is up to date")
    else:
        click.echo(
            f"indexed {stats.versions} versions in {stats.seconds:.1f} s: {stats.sentences} sentences, "
            f"{stats.new_sentences} new wordings"
        )
    line = f"index: {sentences[0]} distinct sentences in {sentences[1]} families"
    if size:
        line += f", {human_size(size)} ({size / max(text, 1):.2f}× the {human_size(text)} of text)"
    click.echo(line)


def _spark_rebuild(store, master: str):
    """The Spark build (docaudit.spark.phrases), reported as the local build's figures are (without
    pyspark, its session says what to install)."""
    from ..phrases.index import IndexStats
    from ..spark.phrases import rebuild_on_spark

    build = rebuild_on_spark(store, master=master)
    return IndexStats(
        versions=build.versions, sentences=build.occurrences, new_sentences=build.sentences, seconds=build.seconds
    )


@click.command("phrases")
@click.option(
    "--min-docs", default=2, show_default=True, type=click.IntRange(1), help="Shared by at least N documents."
)
@click.option("--since", type=DATE, help="Only letters dated on or after YYYY-MM-DD.")
@click.option("--until", type=DATE, help="Only letters dated on or before YYYY-MM-DD.")
@click.option("--doc", "doc_id", help="Only formulations this document carries.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(0), help="At most N families (0: all).")
@click.option("--boilerplate", is_flag=True, help="Include salutations, addresses, letterhead, closing formulas.")
@click.option("--current", "current_only", is_flag=True, help="Count only documents whose latest version carries it.")
@color_option
@_output
@click.pass_obj
def phrases_cmd(obj, min_docs, since, until, doc_id, limit, boilerplate, current_only, color, fmt) -> None:
    """Recurring formulations: families of variant sentences shared by several documents.

    Each family has a canonical wording (the one most documents carry), the number of documents,
    first and last seen (letter date and document) and its number of variants. Trace one with
    `docaudit trace --family ID`.
    """
    from ..phrases.families import find_phrases
    from ..phrases.render import render_phrases

    if since and until and since > until:
        raise click.BadParameter(f"--since {since} is after --until {until}", param_hint="--since")
    with obj.store() as store:
        report = find_phrases(
            store,
            min_docs=min_docs,
            since=since,
            until=until,
            doc=doc_id,
            limit=limit or None,
            include_boilerplate=boilerplate,
            current_only=current_only,
        )
    colored = use_color(color)
    click.echo(render_phrases(report, fmt, color=colored), nl=False, color=colored)


@click.command("trace")
@click.argument("text", required=False)
@click.option("--family", "family_id", type=int, help="Trace a family from `docaudit phrases` instead of a text.")
@click.option("--min-similarity", type=click.FloatRange(0, 1), help="Hide occurrences less similar than this.")
@color_option
@_output
@click.pass_obj
def trace_cmd(obj, text: str | None, family_id: int | None, min_similarity, color, fmt) -> None:
    """Every letter carrying TEXT or a variant of it, in date order, with the wording's changes.

    TEXT is a sentence or passage ("-" reads it from stdin). Variants with a changed word or two, another
    tense or an inserted clause are found; each shows a similarity score, a word diff against the
    first appearance and the meaning flags (negation, modality, number, date…) of the change.
    """
    from ..phrases.render import render_phrases
    from ..phrases.trace import trace

    if text == "-":
        text = sys.stdin.read()
    if (text is None) == (family_id is None):
        raise click.UsageError("give a TEXT to trace or --family ID (one of the two)")
    with obj.store() as store:
        result = trace(store, text, family=family_id, min_similarity=min_similarity)
    colored = use_color(color)
    click.echo(render_phrases(result, fmt, color=colored), nl=False, color=colored)
