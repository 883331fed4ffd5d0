"""``docaudit run``: check every tracked source once, store what changed, record everything.

Order of work: take the run lock; mark runs a crash left ``running`` as ``interrupted``; fetch
concurrently (a bounded thread pool, at most ``per_host`` requests to one host at a time); store and
record in this thread, one transaction per document: the new version (if any), its ``fetches`` row and
the source's state commit together or not at all. A kill at any moment leaves either the whole record
of a document or none of it, and the next run simply checks that document again.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, fields, replace
from typing import Any

from ..errors import DocauditError, ExitCode
from ..ingest.pipeline import add_bytes
from ..read.document import prepare
from ..read.fetch import Fetcher, FetchSettings
from ..read.limits import Limits
from ..read.prepare import Prepared
from ..settings import default
from ..store import chain
from ..store.database import AddResult, Store, Version
from ..values import hide_secrets, now, one_line, public_url, sha256
from . import tk
from .items import Item
from .kinds import Check, CheckContext, check_source, kind_of
from .lock import RunLock
from .sources import Source, get_source, list_sources
from .tk import DEFAULT_API
from .tkfeed import DEFAULT_FEED
from .tkschema import Schema

OUTCOMES = ("new", "changed", "unchanged", "withdrawn", "failed", "skipped")


@dataclass
class RunSettings:
    """How a run behaves; ``docaudit.toml`` and the command-line options fill it in (the settings among these
    fields are declared in :data:`docaudit.settings.SETTINGS`)."""

    concurrency: int = default("run.concurrency")
    fetch: FetchSettings = field(default_factory=FetchSettings)
    tk_api: str = DEFAULT_API
    tk_feed: str = DEFAULT_FEED
    limits: Limits = field(default_factory=Limits.from_env)
    wait: float = default("run.wait")
    extract_workers: int = field(default_factory=lambda: min(4, os.cpu_count() or 1))  # run.extract_workers
    refetch: bool = default("run.refetch")  # send no validators: fetch every URL whole, whatever the ETag says
    feed_items: int = default("run.feed_items")  # feed: sources take on at most this many new items a run
    parallel_from: int = 20  # runs with fewer sources extract in this process (a pool costs ~1 s to start)
    ignore: tuple[str, ...] = default("run.ignore")  # text whose changes never reach an alert (docaudit.diff.ignore)
    source_ignore: dict[str, tuple[str, ...]] = field(default_factory=dict)  # … and per source id


@dataclass
class Outcome:
    """What one check of one document came to, as recorded in ``fetches``."""

    source: str
    doc: str | None
    url: str
    outcome: str  # new | changed | unchanged | withdrawn | failed | skipped
    status: int | None = None
    version: str | None = None
    previous: str | None = None
    bytes: int = 0
    duration_ms: int = 0
    attempts: int = 0
    error: str | None = None
    warning: str | None = None
    title: str | None = None
    announced: bool | None = None  # a changed document: False when its source announced no new version
    again: bool = False  # withdrawn, as already announced by an earlier run: not announced again
    summary: str | None = None  # a changed document: what the semantic diff says ("2 modified (1 negation)")
    ignored: bool = False  # a changed document whose every change is in text an ignore rule matches: no alert
    reverted_to: str | None = None  # a changed document whose text is again that of this earlier version
    diff: Any = field(default=None, repr=False, compare=False)  # a changed document: its SemanticDiff (not in JSON)

    def to_dict(self) -> dict[str, Any]:
        """The outcome as JSON (every field but the diff, which notifications reuse instead of diffing again)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "diff"}


@dataclass
class RunReport:
    """Everything a run did: one :class:`Outcome` per document checked."""

    run_id: int
    started_at: str
    finished_at: str = ""
    outcomes: list[Outcome] = field(default_factory=list)
    sources: int = 0
    notified: list[str] = field(default_factory=list)
    notify_errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the run has to say besides outcomes (the API changed)
    moved: list[str] = field(default_factory=list)  # sources whose service answered as a moved one does

    @property
    def counts(self) -> dict[str, int]:
        counts = Counter("unchanged" if o.again else o.outcome for o in self.outcomes)
        return {k: counts.get(k, 0) for k in OUTCOMES}

    @property
    def changes(self) -> list[Outcome]:
        """New and changed documents, but not those whose changes an ignore rule silenced."""
        return [o for o in self.outcomes if o.outcome in ("new", "changed") and not o.ignored]

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.outcome == "failed"]

    def summary(self) -> str:
        """``3 changed, 41 unchanged, 1 failed`` (zero counts left out, but never an empty line)."""
        c = self.counts
        parts = [f"{c[k]} {k}" for k in OUTCOMES if c[k]]
        line = ", ".join(parts) if parts else "nothing to check"
        if self.notify_errors:
            line += f"; notification failed ({len(self.notify_errors)})"
        return line

    def exit_code(self, *, exit_on_change: bool = False) -> ExitCode:
        """0 fine; 1 changes (only with ``exit_on_change``); 2 something failed (a service that moved always
        counts here: a setting to fix, not an outage); 3 nothing could be checked."""
        c = self.counts
        if self.outcomes and c["failed"] == len(self.outcomes) and not self.moved:
            return ExitCode.NOTHING_RAN
        if c["failed"] or self.notify_errors:
            return ExitCode.FAILED
        if exit_on_change and (self.changes or c["withdrawn"]):
            return ExitCode.CHANGED
        return ExitCode.OK


class Run:
    """One run, from start to finish: holds the run lock, and the ``runs`` row that says what became of it
    (``done``, or ``aborted`` with the error when the block raised). The job checks the sources and, still
    under the lock, tells what it found; see :func:`docaudit.watch.job.run_watchlist`."""

    def __init__(self, store: Store, *, only: Iterable[str] | None = None, settings: RunSettings | None = None):
        self.store = store
        self.only = only
        self.settings = settings or RunSettings()
        self.lock = RunLock(store.path, wait=self.settings.wait)
        self.sources: list[Source] = []
        self.report: RunReport | None = None

    def __enter__(self) -> Run:
        self.lock.__enter__()
        try:
            self.sources = _select(self.store, self.only)
            self.report = _start(self.store, len(self.sources))
        except BaseException:
            self.lock.__exit__(None, None, None)
            raise
        return self

    def check(self, on_outcome: Callable[[Outcome], None] | None = None) -> RunReport:
        """Check every selected source once; ``on_outcome`` is called as each document is recorded."""
        assert self.report is not None, "use Run as a context manager"
        with Fetcher(self.settings.fetch) as fetcher:
            _check_all(self.store, fetcher, self.sources, self.settings, self.report, on_outcome)
        self.report.finished_at = now()
        return self.report

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: object) -> None:
        try:
            if self.report is not None:
                if exc is None:
                    _finish(self.store, self.report, "done")
                else:
                    _finish(self.store, self.report, "aborted", error=str(exc) or type(exc).__name__)
        finally:
            self.lock.__exit__(exc_type, exc, tb)


def run(
    store: Store,
    *,
    only: Iterable[str] | None = None,
    settings: RunSettings | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> RunReport:
    """Check every active source (or those in ``only``) once; see the module docstring. ``on_outcome`` is
    called as each document is recorded (for printing progress)."""
    with Run(store, only=only, settings=settings) as current:
        return current.check(on_outcome)


def _select(store: Store, only: Iterable[str] | None) -> list[Source]:
    if only:
        sources = [get_source(store, source_id) for source_id in dict.fromkeys(only)]
        inactive = [s.id for s in sources if not s.active]
        if inactive:
            raise DocauditError(f"not tracked any more: {', '.join(inactive)} (docaudit track it again)")
        return sources
    return list_sources(store)


def _start(store: Store, n_sources: int) -> RunReport:
    stamp = now()
    with store.transaction() as conn:
        conn.execute(
            "UPDATE runs SET status = 'interrupted', finished_at = coalesce(finished_at, ?) WHERE status = 'running'",
            (stamp,),
        )
        cur = conn.execute(
            "INSERT INTO runs (started_at, pid, host, status, sources) VALUES (?, ?, ?, 'running', ?)",
            (stamp, os.getpid(), socket.gethostname(), n_sources),
        )
    return RunReport(cur.lastrowid or 0, stamp, sources=n_sources)


def _finish(store: Store, report: RunReport, status: str, *, error: str | None = None) -> None:
    c = report.counts
    with store.transaction() as conn:
        conn.execute(
            "UPDATE runs SET finished_at = ?, status = ?, new = ?, changed = ?, unchanged = ?, withdrawn = ?,"
            " failed = ?, notified = ?, error = ? WHERE id = ?",
            (
                report.finished_at or now(),
                status,
                c["new"],
                c["changed"],
                c["unchanged"],
                c["withdrawn"],
                c["failed"],
                json.dumps({"sent": report.notified, "errors": report.notify_errors})
                if report.notified or report.notify_errors
                else None,
                error,
                report.run_id,
            ),
        )


def _check_all(
    store: Store,
    fetcher: Fetcher,
    sources: list[Source],
    settings: RunSettings,
    report: RunReport,
    on_outcome: Callable[[Outcome], None] | None,
) -> None:
    """Fetch in threads; extract changed bytes in worker processes; store and record in this thread."""
    ctx = CheckContext(
        fetcher,
        schema=_tk_schema(store, fetcher, sources, settings, report),
        tk_feed=settings.tk_feed,
        known=_known_tk(store),
        refetch=settings.refetch,
        feed_items=settings.feed_items,
    )
    workers = max(1, min(settings.concurrency, len(sources) or 1))
    parallel = settings.extract_workers > 1 and len(sources) >= settings.parallel_from
    pending: dict[Future, tuple[str, Any]] = {}
    open_checks: dict[str, _OpenCheck] = {}

    def add(entry: _OpenCheck, outcome: Outcome) -> None:
        entry.outcomes.append(outcome)
        report.outcomes.append(outcome)
        if on_outcome is not None:
            on_outcome(outcome)

    def close_if_done(entry: _OpenCheck) -> None:
        if not entry.extracting:
            del open_checks[entry.check.source.id]
            _record_source(store, entry.check, entry.outcomes)

    with (
        ThreadPoolExecutor(max_workers=workers, thread_name_prefix="docaudit-fetch") as pool,
        _Extractors(settings.extract_workers if parallel else 0, settings.limits) as extractors,
    ):
        for s in sources:
            pending[pool.submit(check_source, s, ctx)] = ("check", s)
        try:
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    kind, context = pending.pop(future)
                    if kind == "check":
                        check: Check = future.result()
                        if check.moved:
                            report.moved.append(check.source.id)
                        entry = open_checks[check.source.id] = _OpenCheck(check)
                        for item in check.items:
                            if extractors.active and _needs_extraction(store, item):
                                job = extractors.submit(item.fetched.data)  # type: ignore[union-attr]
                                pending[job] = ("extract", (entry, item))
                                entry.extracting += 1
                            else:
                                outcome = _record_item(
                                    store, report.run_id, check.source, item, limits=settings.limits, settings=settings
                                )
                                add(entry, outcome)
                        close_if_done(entry)
                    else:
                        entry, item = context
                        prepared, error = extractors.result(future)
                        source = entry.check.source
                        entry.extracting -= 1
                        recorded = _record_item(
                            store, report.run_id, source, item, prepared=prepared, error=error, settings=settings
                        )
                        add(entry, recorded)
                        close_if_done(entry)
        except BaseException:
            for f in pending:
                f.cancel()
            raise


@dataclass
class _OpenCheck:
    """A source whose documents are still being recorded (some may be extracting in a worker)."""

    check: Check
    outcomes: list[Outcome] = field(default_factory=list)
    extracting: int = 0


class _Extractors:
    """Extraction in parallel: threads that each wait on an isolated child process (see
    :mod:`docaudit.read.isolation`), so several documents are read at once, each under its own limits."""

    def __init__(self, workers: int, limits: Limits | None = None) -> None:
        self.workers = workers
        self.limits = limits
        self.pool: ThreadPoolExecutor | None = None

    @property
    def active(self) -> bool:
        return self.workers > 1

    def __enter__(self) -> _Extractors:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def submit(self, data: bytes) -> Future:
        if self.pool is None:
            self.pool = ThreadPoolExecutor(self.workers, thread_name_prefix="docaudit-extract")
        return self.pool.submit(prepare, data, self.limits)

    @staticmethod
    def result(future: Future) -> tuple[Prepared | None, DocauditError | None]:
        """The prepared text, or the extraction error."""
        try:
            return future.result(), None
        except DocauditError as exc:
            return None, exc


def _tk_schema(
    store: Store, fetcher: Fetcher, sources: list[Source], settings: RunSettings, report: RunReport
) -> Schema | Exception | None:
    """The OData service's schema, read once for the run when a source needs it (or why it cannot be):
    kept in the database, and said in the run's notes when it changed or could not be read."""
    if not any(kind_of(s).needs_odata(s) for s in sources):
        return None
    try:
        schema, notes = tk.schema_for(store, fetcher, settings.tk_api)
    except DocauditError as exc:
        return exc
    report.notes.extend(notes)
    return schema


def _needs_extraction(store: Store, item: Item) -> bool:
    if item.outcome != "fetched" or item.fetched is None or not item.doc_id:
        return False
    head = store.latest_head(item.doc_id)
    return head is None or head[1] != sha256(item.fetched.data)


def _known_tk(store: Store) -> dict[str, dict[str, Any]]:
    """Document id → the Tweede Kamer API fields of its stored latest version (tk sources skip the records
    whose file they already have)."""
    rows = store.conn.execute(
        """SELECT v.doc_id, v.meta FROM versions v
           WHERE v.number = (SELECT max(number) FROM versions WHERE doc_id = v.doc_id)
             AND json_extract(v.meta, '$.tk_id') IS NOT NULL"""
    ).fetchall()
    known = {}
    for r in rows:
        meta = json.loads(r["meta"] or "{}")
        known[r["doc_id"]] = {k: v for k, v in meta.items() if k.startswith("tk_")}
    return known


def _record_source(store: Store, check: Check, outcomes: list[Outcome]) -> None:
    """After all of a source's documents are recorded: its status, and the API cursor."""
    source = check.source
    with store.transaction() as conn:
        state = kind_of(source).advance(dict(get_source(store, source.id).state), check)
        failed = [o for o in outcomes if o.outcome == "failed"]
        changed = [o for o in outcomes if o.outcome in ("new", "changed")]
        gone = [o for o in outcomes if o.outcome == "withdrawn"]
        gone = [o for o in gone if not o.again]
        new_only = changed and all(o.outcome == "new" for o in changed)
        status = "failed" if failed else "withdrawn" if gone else "new" if new_only else "changed" if changed else "ok"
        stamp = now()
        error = failed[0].error if failed else None
        if error:
            state["last_error_at"] = stamp
        conn.execute(
            "UPDATE sources SET state = ?, status = ?, last_check = ?,"
            " last_change = CASE WHEN ? THEN ? ELSE last_change END,"
            " last_error = ?,"  # cleared by a check that went well: an old error next to "ok" misleads
            " failures = CASE WHEN ? THEN failures + 1 ELSE 0 END WHERE id = ?",
            (json.dumps(state), status, stamp, bool(changed), stamp, error, bool(failed), source.id),
        )


def _record_item(
    store: Store,
    run_id: int,
    source: Source,
    item: Item,
    *,
    prepared: Prepared | None = None,
    error: DocauditError | None = None,
    limits: Limits | None = None,
    settings: RunSettings | None = None,
) -> Outcome:
    outcome = Outcome(
        source.id,
        item.doc_id,
        public_url(item.url) or "",
        "failed",
        status=item.status,
        bytes=len(item.fetched.data) if item.fetched else 0,
        duration_ms=round(item.duration * 1000),
        attempts=item.attempts,
        error=hide_secrets(item.error, item.url),
        title=one_line(item.title),
    )
    if item.outcome == "fetched" and item.fetched is not None and item.doc_id:
        started = time.monotonic()

        def write_fetch(conn: sqlite3.Connection, result: AddResult) -> None:
            """Beside the version, in its transaction: the fetch row and the source's HTTP validators."""
            _insert_fetch(store, run_id, source, item, _stored(outcome, result), _version_id(result))
            _keep_validators(store, source, item)

        try:
            if error is not None:
                raise error
            result = add_bytes(
                store,
                item.fetched.data,
                item.doc_id,
                filename=item.filename,
                title=item.title,
                meta={**item.meta, "source": source.id, "url": public_url(item.fetched.final_url or item.url)},
                default_date=item.default_date,
                also=[write_fetch],
                prepared=prepared,
                limits=limits,
            )
            outcome = _stored(outcome, result)
            if outcome.outcome == "changed" and result.previous and result.version:
                rules = (*settings.ignore, *settings.source_ignore.get(source.id, ())) if settings else ()
                outcome.diff = _diff(result.previous, result.version, rules)
                if outcome.diff is not None:
                    outcome.summary = outcome.diff.summary_line()
                    outcome.ignored = bool(rules) and not outcome.diff.substantive
        except DocauditError as exc:
            item.outcome = "failed"
            outcome.outcome, outcome.error = "failed", _extraction_error(exc)
            with store.transaction():
                _insert_fetch(store, run_id, source, item, outcome, None)
        outcome.duration_ms += round((time.monotonic() - started) * 1000)
        return outcome
    if item.outcome == "not-modified":
        outcome.outcome = "unchanged"
        latest = _latest_ref(store, item.doc_id)
        outcome.version = latest
    elif item.outcome == "gone":
        latest = _latest_ref(store, item.doc_id)
        if latest is None:
            outcome.outcome = "failed"
            item.outcome = "failed"
        else:
            outcome.outcome, outcome.version = "withdrawn", latest
            before = store.conn.execute(
                "SELECT outcome FROM fetches WHERE doc_id = ? AND outcome != 'skipped' ORDER BY id DESC LIMIT 1",
                (item.doc_id,),
            ).fetchone()
            outcome.again = before is not None and before[0] == "withdrawn"
            outcome.error = f"{item.error or 'gone'}; history kept ({latest})"
    elif item.outcome == "skipped":
        outcome.outcome = "skipped"
    with store.transaction():
        _insert_fetch(store, run_id, source, item, outcome, None)
    return outcome


def _diff(old: Version, new: Version, ignore: tuple[str, ...] = ()) -> Any:
    """The semantic diff of a change, made once: its summary line goes into the run's line and JSON, the
    notification shows its ranked changes, and ignore rules that leave nothing substantive silence the alert.
    None when it cannot be made (a summary must never cost the change itself). The run keeps it until it ends,
    so the two texts' sentence lists (only the in-place HTML view reads them) are not kept with it."""
    from ..changes.compare import diff_versions

    try:
        diff = diff_versions(old, new, ignore=ignore)
    except Exception:  # noqa: BLE001
        return None
    diff.texts = None
    return diff


def _extraction_error(exc: DocauditError) -> str:
    text = str(exc)
    return text if text.startswith(("cannot", "corrupt", "unsupported", "empty")) else f"cannot store: {text}"


def _stored(fetched: Outcome, result: AddResult) -> Outcome:
    """The outcome of a fetched document once the store has answered: new, changed (from which version, a
    revert, a format that changed) or unchanged. A new Outcome; ``fetched`` is left as it was."""
    outcome = replace(fetched)
    version = result.version
    if result.stored:
        outcome.outcome = "changed" if result.previous is not None else "new"
        outcome.announced = version.announced if version is not None else None
        if result.previous is not None:
            outcome.previous = result.previous.ref
            if result.reverted_to:
                outcome.reverted_to = f"{result.doc_id}@{result.reverted_to}"
            if version is not None and result.previous.format != version.format:
                outcome.warning = (
                    f"format changed from {result.previous.format} to {version.format}: "
                    "check the source still serves the letter"
                )
    else:
        outcome.outcome = "unchanged"
    outcome.version = version.ref if version else None
    return outcome


def _version_id(result: AddResult) -> int | None:
    return result.version.id if (result.version and result.stored) else None


def _keep_validators(store: Store, source: Source, item: Item) -> None:
    """The ETag and Last-Modified of a good fetch, for the next run's conditional GET."""
    validators = {k: v for k, v in item.state.items() if k in ("etag", "last_modified")}
    if validators:
        state = dict(get_source(store, source.id).state)
        state.update(validators)
        for key in ("etag", "last_modified"):
            if not state.get(key):
                state.pop(key, None)
        store.conn.execute("UPDATE sources SET state = ? WHERE id = ?", (json.dumps(state), source.id))


def _insert_fetch(
    store: Store, run_id: int, source: Source, item: Item, outcome: Outcome, version_id: int | None
) -> None:
    fetched = item.fetched
    cur = store.conn.execute(
        "INSERT INTO fetches (run_id, source_id, doc_id, url, started_at, duration_ms, status, bytes, outcome,"
        " version_id, error, warning, attempts, final_url, redirects, content_type, etag, last_modified)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            run_id,
            source.id,
            item.doc_id,
            item.url,
            item.started_at,
            outcome.duration_ms,
            item.status,
            outcome.bytes,
            outcome.outcome,
            version_id,
            outcome.error,
            outcome.warning,
            max(1, item.attempts),
            fetched.final_url if fetched else None,
            json.dumps(fetched.redirects if fetched else []),
            fetched.content_type if fetched else None,
            fetched.etag if fetched else None,
            fetched.last_modified if fetched else None,
        ),
    )
    chain.append(store.conn, "fetch", cur.lastrowid)


def _latest_ref(store: Store, doc_id: str | None) -> str | None:
    head = store.latest_head(doc_id) if doc_id else None
    return f"{doc_id}@{head[0]}" if head else None
