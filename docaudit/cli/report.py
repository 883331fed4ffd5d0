"""``docaudit report``: a thin wrapper over :func:`docaudit.report.build_report`."""

from __future__ import annotations

import click

from ..errors import ExitCode
from .options import RESULT, output_options, quiet_option
from .output import write_json


@click.command("report")
@click.option(
    "-o",
    "--output",
    "out",
    default="site",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder to write the site into (created if needed).",
)
@click.option("--title", default="docaudit", show_default=True, help="Site name shown on every page.")
@click.option(
    "--families",
    "family_pages",
    type=click.IntRange(0),
    default=100,
    show_default=True,
    help="Recurring formulations with a page of their own, most widely used first (0: all).",
)
@click.option(
    "--min-docs",
    type=click.IntRange(2),
    default=2,
    show_default=True,
    help="Letters a formulation must appear in to be listed.",
)
@click.option(
    "--timeline",
    type=click.IntRange(0),
    default=1000,
    show_default=True,
    help="Newest versions listed on the timeline (0: all).",
)
@click.option("--no-snapshots", is_flag=True, help="Leave the raw snapshot files (and their links) out of the site.")
@click.option("--force", is_flag=True, help="Write into a folder that is not empty and holds no earlier report.")
@quiet_option
@output_options(RESULT)
@click.pass_obj
def report_cmd(
    obj,
    out: str,
    title: str,
    family_pages: int,
    min_docs: int,
    timeline: int,
    no_snapshots: bool,
    force: bool,
    quiet: bool,
    fmt: str,
) -> ExitCode:
    """Write the audit as a static HTML site: documents, their version histories with the semantic diff of
    each change, a timeline of all changes filterable by flag, and recurring formulations.

    The site needs no server and no network (open index.html, or publish the folder on any static
    host). Running it again rewrites only what changed; a diff is computed again only when its versions
    or docaudit changed. A document that cannot be shown is left out (its earlier pages kept) and the
    exit status is 1; everything else is written.
    """
    import sys

    from ..report.build import build_report

    def progress(message: str) -> None:  # on a terminal only: cron mails whatever reaches stderr
        if not quiet and fmt == "terminal" and sys.stderr.isatty():
            click.echo(f"\r\033[K{message}", err=True, nl=False)

    with obj.store() as store:
        result = build_report(
            store,
            out,
            family_pages=family_pages,
            timeline=timeline,
            min_docs=min_docs,
            snapshots=not no_snapshots,
            title=title,
            force=force,
            progress=progress,
        )
    if not quiet and sys.stderr.isatty():
        click.echo("\r\033[K", err=True, nl=False)
    if fmt == "json":
        write_json(result.to_dict())
    elif not quiet:
        click.echo(result.message())
        click.echo(f"open {result.index} (file://{result.index.resolve()})")
    for doc, error in result.failed:
        click.echo(f"Error: {doc}: left out of the report: {error}", err=True)
    return ExitCode.PROBLEM if result.failed else ExitCode.OK
