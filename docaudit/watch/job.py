"""The nightly job behind ``docaudit run``: the watchlist synced, every source checked once, then, still
under the run's lock, notifications sent and the Atom feed rewritten."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..store.database import Store
from .config import Watchlist, sync_sources
from .run import Outcome, Run, RunReport


def run_watchlist(
    store: Store,
    watchlist: Watchlist,
    *,
    only: Iterable[str] | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> RunReport:
    """Track what ``watchlist`` lists, check every active source (or those in ``only``), store what
    changed, tell the notification targets and rewrite the feed; the report says what happened."""
    sync_sources(store, watchlist)
    with Run(store, only=only or None, settings=watchlist.settings) as current:
        report = current.check(on_outcome)
        tell(store, watchlist, report)  # still under the lock: the next run waits for the feed and the report
    return report


def tell(store: Store, watchlist: Watchlist, report: RunReport) -> None:
    """After the sources were checked: notifications, the feed, a seal and the report, as the watchlist says.
    Their failures are the report's ``notify_errors``: the versions are stored and chained already."""
    from .feed import write_feed
    from .notify import build_message, send, should_notify

    if watchlist.notify and should_notify(report, watchlist.notify_on):
        report.notified, report.notify_errors = send(build_message(store, report), watchlist.notify)
    feed = watchlist.feed_path
    if feed and (report.changes or not feed.exists()):
        write_feed(store, feed, title=watchlist.feed_title)
    if watchlist.seal_after_run and report.changes:
        from ..evidence.seal import SealError, seal

        try:
            seal(store, tsa=watchlist.tsa, tsa_cert=watchlist.tsa_cert, timeout=watchlist.settings.fetch.timeout)
        except SealError as exc:  # the versions are stored and chained; the seal can be made later
            report.notify_errors.append(f"seal: {exc}")
    site = watchlist.report_path
    if site and (report.changes or not (site / "index.html").exists()):
        from ..errors import DocauditError
        from ..report.build import build_report

        try:
            build_report(store, site, title=watchlist.report_title or "docaudit")
        except DocauditError as exc:  # the versions are stored; the report failing is its own trouble
            report.notify_errors.append(f"report: {exc}")
