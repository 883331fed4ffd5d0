"""Commands for watching: ``track``, ``untrack``, ``sources``, ``run``, ``feed`` (thin wrappers)."""

from __future__ import annotations

import sys

import click

from ..errors import ExitCode
from ..settings import BY_KEY
from .options import (
    DATE,
    LISTING,
    SettingType,
    emit_listing,
    ignore_option,
    output_options,
    quiet_option,
    setting_options,
)
from .output import write_json


@click.command("track")
@click.argument("source")
@click.option("--doc", help="Document id for the versions (default: from the URL or the Tweede Kamer number).")
@click.option("--name", help="A label for people.")
@click.option("--since", type=DATE, help="tk:dossier/… and tk:query/…: only documents dated on or after YYYY-MM-DD.")
@click.pass_obj
def track_cmd(obj, source: str, doc: str | None, name: str | None, since: str | None) -> None:
    """Track SOURCE: an http(s) URL, feed:URL, tk:2024D46963, tk:dossier/32317[-XV], tk:query/… or tk:feed[?…].

    \b
    https://…/brief.pdf    one document: each new text is a version
    feed:https://…/rss     every document an RSS or Atom feed links to, with
                           the item's title and date ([run] feed_items a run)
    tk:2024D46963          one Tweede Kamer document (each new file is a version)
    tk:dossier/36800       every document of a kamerstukdossier, whatever its
                           Toevoeging (36800-I … 36800-XXII); tk:dossier/36800-XV
                           only that one
    tk:query/<filter>      every document an OData $filter selects
    tk:feed                the SyncFeed: every change to every document, in order,
                           deletions included; filter with ?soort=…&dossier=…

    `docaudit run` then checks it. Tracking the same id again updates it.
    """
    from ..watch.sources import track

    with obj.store(create=True) as store:
        s = track(store, source, doc=doc, name=name, since=since)
    what = "documents go by their Tweede Kamer number" if s.collection else f"versions go to document {s.doc_id}"
    click.echo(f"tracking {s.display} as {s.id} ({what}); check it with: docaudit run --only {s.id}")


@click.command("untrack")
@click.argument("source_ids", nargs=-1, required=True)
@click.pass_obj
def untrack_cmd(obj, source_ids: tuple[str, ...]) -> None:
    """Stop checking sources. Their documents, versions and fetch history stay."""
    from ..watch.sources import untrack

    with obj.store() as store:
        for source_id in source_ids:
            s = untrack(store, source_id)
            click.echo(f"no longer tracking {s.id} ({s.display}); its history is kept")


_SOURCE_COLUMNS = [
    ("label", "id"),
    ("source", "source"),
    ("state", "status"),
    ("last_check", "last check"),
    ("last_change", "last change"),
    ("cursor", "cursor"),
    ("problem", "last error"),
]


@click.command("sources")
@click.option("--all", "include_inactive", is_flag=True, help="Include untracked sources.")
@output_options(LISTING)
@click.pass_obj
def sources_cmd(obj, include_inactive: bool, fmt: str) -> None:
    """List tracked sources with their last check, last change and last error."""
    from ..watch.sources import list_sources

    with obj.store() as store:
        sources = list_sources(store, include_inactive=include_inactive)
    if fmt == "json":
        emit_listing([s.to_dict() for s in sources], _SOURCE_COLUMNS, fmt)
        return
    rows = []
    for s in sources:
        problem = ""
        if s.last_error:
            problem = f"{s.last_error} ({s.failures}× in a row)" if s.failures else s.last_error
        rows.append(
            {
                **s.to_dict(),
                "label": s.id + ("" if s.active else " (untracked)"),
                "state": s.status or "never checked",
                "problem": problem,
            }
        )
    empty = "Nothing tracked yet: docaudit track URL --doc ID, or docaudit track tk:2024D46963"
    emit_listing(rows, _SOURCE_COLUMNS, fmt, empty=empty, max_width=50)


@click.command("run")
@click.option("--only", multiple=True, metavar="ID", help="Check only these sources; repeatable.")
@click.option("--config", type=click.Path(dir_okay=False), help="Watchlist [default: docaudit.toml next to the db].")
@setting_options
@click.option(
    "--notify",
    "notify_urls",
    multiple=True,
    metavar="URL",
    help="apprise URL to tell, besides the watchlist's [notify] urls; repeatable.",
)
@click.option("--no-notify", is_flag=True, help="Send no notifications this run.")
@ignore_option
@click.option("--feed", "feed_path", type=click.Path(dir_okay=False), help="Rewrite this Atom feed after the run.")
@quiet_option
@output_options(("terminal", "json"), json_help="One JSON object per checked document (JSON lines).")
@click.option("--exit-code", is_flag=True, help="Exit 1 when something changed (new, changed or withdrawn).")
@click.pass_obj
def run_cmd(obj, only, config, notify_urls, no_notify, quiet, fmt, exit_code, **options) -> ExitCode:
    """Check every tracked source once and store what changed: the cron entry point.

    \b
    Exit status:
      0  all checked (changes or not, unless --exit-code)
      1  with --exit-code: something was new, changed or withdrawn
      2  some sources failed (a Tweede Kamer API that moved always counts
         here: docaudit tk check), a notification could not be sent, or there was
         nothing to check (no database, no watchlist, no source: a wrong
         folder in the crontab?) and --allow-empty was not given
      3  nothing could be checked: every source failed, another run holds
         the lock past --wait, or the watchlist or database is unusable
    """
    from pathlib import Path

    from ..errors import DocauditError
    from ..read.extract import require_engine
    from ..watch.config import find_config, load_config
    from ..watch.job import run_watchlist

    as_json = fmt == "json"
    stamp = _stamp if quiet else (lambda line: line)
    try:
        found = find_config(obj.db, config)
        watchlist = load_config(found).with_options(notify=notify_urls, no_notify=no_notify, **options)
        require_engine(watchlist.settings.limits.pdf_engine)
        allow_empty = watchlist.allow_empty
        if found is None and not Path(obj.db).exists() and not allow_empty:
            click.echo(
                stamp(
                    f"Error: nothing to check: no database at {Path(obj.db).resolve()} and no docaudit.toml next to "
                    "it (a wrong folder in the crontab? --allow-empty if this is meant)"
                ),
                err=True,
            )
            return ExitCode.FAILED
        with obj.store(create=True, max_size=watchlist.settings.fetch.max_size, announce=False) as store:
            report = run_watchlist(
                store,
                watchlist,
                only=only,
                on_outcome=lambda o: _print_outcome(o, quiet=quiet, as_json=as_json),
            )
    except DocauditError as exc:
        click.echo(stamp(f"Error: {exc}"), err=True)
        return ExitCode.NOTHING_RAN
    if not as_json:
        for note in [*watchlist.notes, *report.notes]:
            click.echo(stamp(f"note: {note}"), err=True)
    if report.sources == 0 and not allow_empty:
        click.echo(
            stamp(
                f"Error: nothing to check: no source is tracked in {store.path} (docaudit track …, or --allow-empty)"
            ),
            err=True,
        )
        return ExitCode.FAILED
    if as_json:  # the reason of a failed notification is never only in the database
        for error in report.notify_errors:
            click.echo(f"notification failed: {error}", err=True)
    if not as_json and (not quiet or report.failures or report.changes or report.notify_errors):
        for error in report.notify_errors:
            click.echo(stamp(f"notification failed: {error}"), err=True)
        click.echo(stamp(report.summary()))
    return report.exit_code(exit_on_change=exit_code)


def _stamp(line: str) -> str:
    """A quiet line for a log file: the time first (UTC)."""
    from ..values import now

    return f"{now()} {line}"


_MARKS = {"new": "+", "changed": "~", "withdrawn": "!", "failed": "✗"}


def _print_outcome(o, *, quiet: bool, as_json: bool) -> None:
    if as_json:
        write_json(o.to_dict(), line=True)
        return
    if quiet and (o.outcome not in ("new", "changed", "withdrawn", "failed") or o.ignored):
        return
    if o.outcome in ("unchanged", "skipped") or o.again:
        return  # the summary line counts them; a withdrawal is announced once
    mark = _MARKS[o.outcome] if not quiet else f"{_stamp('')}{_MARKS[o.outcome]}"
    if o.outcome == "new":
        line = f"{mark} {o.doc}: new, stored as {o.version}"
    elif o.outcome == "changed":
        line = f"{mark} {o.doc}: changed, {o.previous} → {o.version}"
        if o.reverted_to:
            line += f" (reverted to {o.reverted_to})"
        elif o.announced is False:
            line += " (silent revision: no new version announced)"
        if o.summary:
            line += f": {o.summary}"
        if o.ignored:
            line += " (only text an ignore rule matches: no alert)"
    elif o.outcome == "withdrawn":
        line = f"{mark} {o.doc}: withdrawn ({o.error})"
    else:
        where = f" [{o.doc}]" if o.doc and o.doc != o.source else ""
        line = f"{mark} {o.source}{where}: failed: {o.error}"
    click.echo(line, err=o.outcome == "failed")
    if o.warning:
        click.echo(f"  warning: {o.warning}", err=True)


@click.group("tk")
def tk_group() -> None:
    """The Tweede Kamer open-data API: check what it is today and whether tracked tk: sources will work."""


@tk_group.command("check")
@click.option(
    "--api",
    type=SettingType(BY_KEY["tk.api"]),
    envvar=BY_KEY["tk.api"].env,
    help=f"OData base URL [default: [tk] api, else the Kamer's v5; env {BY_KEY['tk.api'].env}].",
)
@click.option(
    "--feed",
    type=SettingType(BY_KEY["tk.feed"]),
    envvar=BY_KEY["tk.feed"].env,
    help=f"SyncFeed base URL [default: [tk] feed, else the Kamer's; env {BY_KEY['tk.feed'].env}].",
)
@click.option("--config", type=click.Path(dir_okay=False), help="Watchlist [default: docaudit.toml next to the db].")
@output_options(("terminal", "json"))
@click.pass_obj
def tk_check_cmd(obj, api: str | None, feed: str | None, config: str | None, fmt: str) -> ExitCode:
    """Ask the service for its $metadata and one page; say which version it is, which of docaudit's fields
    it has under which names, what is missing, and whether each tracked tk: source will work.

    \b
    Run it when the API moves again: it names what a tk: source needs and
    the service lacks. Exit status 0 when the service answers and every
    tracked source will work, 2 otherwise.
    """
    from pathlib import Path

    from ..watch.config import find_config, load_config
    from ..watch.sources import list_sources
    from ..watch.tkcheck import check_service, render

    settings = load_config(find_config(obj.db, config)).settings
    sources = []
    if Path(obj.db).exists():
        with obj.store() as store:
            sources = list_sources(store)
    check = check_service(api or settings.tk_api, feed=feed or settings.tk_feed, sources=sources)
    if fmt == "json":
        write_json(check.to_dict())
    else:
        click.echo(render(check))
    return check.exit_code


@click.command("feed")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here instead of stdout.")
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True, help="Newest N versions.")
@click.option("--doc", help="Only this document.")
@click.option("--title", help="Feed title.")
@click.option("--self-url", help="Where the feed will be published (its rel=self link).")
@click.pass_obj
def feed_cmd(obj, output, limit, doc, title, self_url) -> None:
    """Write an Atom feed of stored versions (one entry each, with the diff summary and flags)."""
    from ..watch.feed import build_feed, write_feed

    options = {"limit": limit, "doc": doc, "title": title, "self_url": self_url}
    with obj.store() as store:
        if doc:
            store.document_title(doc)  # a clear error for an unknown document
        if output:
            path = write_feed(store, output, **options)
            click.echo(f"wrote {path}", err=True)
        else:
            sys.stdout.buffer.write(build_feed(store, **options))
