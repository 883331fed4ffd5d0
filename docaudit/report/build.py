"""``docaudit report``: the audit as a static HTML site that works from file:// and any static host.

Pages (paths from the site's top folder)::

    index.html                 tracked documents: versions, last change and its flags; title search
    timeline.html              every stored version, newest first, filterable by flag
    docs/<doc>.html            a document's versions, links to raw snapshots, flagged changes, shared formulations
    docs/<doc>/v<N>.html       the semantic diff of version N-1 → N (the same template as diff --format html)
    phrases.html               recurring formulations with a timeline chart each
    phrases/<family>.html      one formulation: its wordings, the letters carrying them, how it mutated
    snapshots/…                the raw bytes of every version (copies of the store's snapshots, never links)
    assets/style.css, report.js

Every page is rendered through :mod:`docaudit.diff.render.templating` (autoescaped). Pages are rewritten only when
their bytes change; a diff, or a document page, is made again only when its page is missing or its inputs
changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, is_dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..changes.compare import diff_versions
from ..commitments.history import STATUSES
from ..commitments.records import list_commitments
from ..diff.render.html import context as diff_context
from ..diff.render.templating import asset, render_template
from ..errors import DocauditError
from ..evidence.seal import Seal, seal_covering, seals
from ..store.database import Store, Version
from ..text.normalize import paragraphs
from ..values import code_digest, hide_secrets, now, public_url
from . import chart
from .site import Site
from .steps import Step, apply, summarize

FAMILY_PAGES = 100  # phrase families with a page of their own (most widely used first); 0 = all
TIMELINE = 1000  # events on the timeline page (newest first); 0 = all
MAX_LANES = 10  # wordings with a lane of their own in a family chart; the rest share the last one
_META = (("kenmerk", "kenmerk"), ("document_number", "document"), ("kamerstuk", "kamerstuk"), ("zaak", "zaak"))


@dataclass
class ReportResult:
    """What ``build_report`` wrote and measured."""

    root: Path
    documents: int = 0
    versions: int = 0
    changes: int = 0  # version pairs diffed (from the cache or afresh)
    flagged: int = 0  # pairs with at least one change that may alter meaning
    families: int = 0  # formulations with a page
    families_total: int = 0
    diffs: int = 0  # diffs computed in this run
    cached: int = 0  # diffs whose page was up to date
    written: int = 0
    unchanged: int = 0
    copied: int = 0
    removed: int = 0
    missing_snapshots: list[str] = field(default_factory=list)
    phrase_note: str | None = None  # why the phrase pages are empty, when they are for a reason
    kept_vanished: int = 0  # published pages of documents no longer in the database, kept (--force removes)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (document, error): left out, the rest written

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def index(self) -> Path:
        return self.root / "index.html"

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["root"] = str(self.root)
        out["index"] = str(self.index)
        out["ok"] = self.ok
        out["failed"] = [{"doc": d, "error": e} for d, e in self.failed]
        return out

    def message(self) -> str:
        parts = [
            f"{self.documents} documents, {self.versions} versions, {self.changes} changes "
            f"({self.flagged} flagged), {self.families} formulation pages",
            f"{self.written} files written, {self.unchanged} unchanged, {self.removed} removed; "
            f"{self.diffs} diffs computed, {self.cached} up to date",
        ]
        if self.missing_snapshots:
            parts.append(
                f"{len(self.missing_snapshots)} raw snapshots missing or altered, not published (docaudit verify)"
            )
        if self.phrase_note:
            parts.append(self.phrase_note)
        if self.kept_vanished:
            parts.append(
                f"{self.kept_vanished} published files of documents no longer in the database were kept "
                "(docaudit never deletes documents: check the database with docaudit verify; --force removes them)"
            )
        if self.failed:
            parts.append(f"{len(self.failed)} left out, could not be shown: {', '.join(d for d, _ in self.failed)}")
        return "\n".join(parts)


def slug(doc_id: str) -> str:
    """A file name for a document id: kept as is when safe, else made safe and told apart by a hash."""
    safe = re.sub(r"[^A-Za-z0-9_-]+", "-", doc_id).strip("-")[:80]
    if safe == doc_id:
        return safe
    return f"{safe or 'doc'}-{hashlib.sha1(doc_id.encode('utf-8')).hexdigest()[:8]}"


def build_report(
    store: Store,
    out: str | os.PathLike[str],
    *,
    family_pages: int = FAMILY_PAGES,
    timeline: int = TIMELINE,
    min_docs: int = 2,
    snapshots: bool = True,
    title: str = "docaudit",
    force: bool = False,
    progress: Callable[[str], None] | None = None,
) -> ReportResult:
    """Write the static site of ``store`` into the folder ``out`` (created if needed) and say what was done.

    ``family_pages``: formulations with a page (0: all); ``timeline``: newest events listed (0: all);
    ``snapshots=False`` leaves the raw files out (their links too); ``force`` writes into a folder that
    is not empty and holds no earlier report.
    """
    problems = [r[0] for r in store.conn.execute("PRAGMA quick_check(5)").fetchall()]
    if problems != ["ok"]:
        raise DocauditError(
            f"the database fails its quick check ({'; '.join(problems)}): no report written, the published one "
            "is left as it was; run docaudit verify and restore audit.db from a backup"
        )
    engine = _engine()  # read once: the inputs' key and every page's key carry it
    key = inputs_key(store, engine, [family_pages, timeline, min_docs, snapshots, title])
    try:
        with Site(out, force=force) as site:
            before = site.previous.get("state", {})
            if before.get("key") == key and before.get("result") and not force and site.keep_everything():
                result = ReportResult(Path(out), **before["result"])  # nothing the site shows has changed
                result.cached = result.changes  # every version pair's page is up to date
                site.state = dict(before)
            else:
                result = _Builder(store, site, title, min_docs, snapshots, progress or (lambda _msg: None), engine).run(
                    family_pages, timeline
                )
            if not result.failed:  # a document left out is tried again next time, whatever else holds
                site.state.update(key=key, result=_counts(result))
    except OSError as exc:  # a read-only or full folder, a file where a folder belongs
        where = exc.filename or out
        raise DocauditError(f"cannot write the report in {where}: {exc.strerror or exc}") from None
    result.written, result.unchanged, result.copied, result.removed = (
        site.written,
        site.unchanged,
        site.copied,
        site.removed,
    )
    result.kept_vanished = len(site.kept)
    return result


def inputs_key(store: Store, engine: str, options: list[Any]) -> str:
    """A key of everything the site shows: a report whose key did not change since the last one rewrites
    nothing. The hash chain's head covers every version, fetch record and edit; the rest is what is not chained
    (the phrase index and commitment reading, what the default reader has read, the versions in the morning
    read's window, the deadlines passed by now) and docaudit itself (``engine``: :func:`_engine`)."""
    from ..changes.digest import read_up_to, since_stamp
    from ..commitments.records import PARAMS as COMMITMENTS
    from ..phrases.index import PARAMS as PHRASES
    from ..store import chain

    conn = store.conn
    index = conn.execute("SELECT count(*), max(version_id) FROM phrase_versions").fetchone()
    window = conn.execute(
        "SELECT group_concat(id) FROM versions WHERE added_at >= ? AND number > 1", (since_stamp(MORNING_WINDOW),)
    ).fetchone()
    overdue = conn.execute(
        "SELECT count(*) FROM commitments WHERE deadline_end < ?", (datetime.now(UTC).date().isoformat(),)
    ).fetchone()
    settings = conn.execute("SELECT value FROM settings WHERE key = 'phrase_params'").fetchone()
    return _key(
        [
            list(chain.head(conn)),
            engine,
            options,
            [PHRASES, COMMITMENTS, settings[0] if settings else None, list(index)],
            read_up_to(store, "default"),
            window[0],
            overdue[0],
        ]
    )


class _Kept(dict):
    """The morning read's pairs diffed by an earlier run, lent to this one: what this run asks for is what it
    keeps, so pairs that left the window are forgotten."""

    def __init__(self, earlier: dict[str, Any]) -> None:
        super().__init__()
        self.earlier = earlier

    def get(self, key: str, default: Any = None) -> Any:
        if key not in self and key in self.earlier:
            self[key] = self.earlier[key]
        return super().get(key, default)


def _counts(result: ReportResult) -> dict[str, Any]:
    """What a report's result says that a report skipped as unchanged says again."""
    keep = ("documents", "versions", "changes", "flagged", "families", "families_total", "phrase_note")
    return {name: getattr(result, name) for name in keep}


def last_checks(store: Store) -> dict[str, dict[str, Any]]:
    """Per watched document, its latest check: outcome, when, the error, and since when that outcome holds."""
    rows = store.conn.execute(
        """SELECT f.doc_id, f.outcome, f.started_at, f.error, f.url,
                  (SELECT min(w.started_at) FROM fetches w
                   WHERE w.doc_id = f.doc_id AND w.outcome = f.outcome
                     AND w.id > coalesce((SELECT max(o.id) FROM fetches o WHERE o.doc_id = f.doc_id
                                          AND o.outcome != f.outcome AND o.outcome != 'skipped'), 0))
           FROM fetches f
           WHERE f.id IN (SELECT max(id) FROM fetches WHERE doc_id IS NOT NULL AND outcome != 'skipped'
                          GROUP BY doc_id)"""
    ).fetchall()
    return {r[0]: {"outcome": r[1], "at": r[2], "error": hide_secrets(r[3], r[4]), "since": r[5] or r[2]} for r in rows}


def _key(inputs: list[Any]) -> str:
    """A digest of what a page is rendered from (dataclasses as dicts)."""
    return hashlib.sha256(json.dumps(inputs, default=_plain, sort_keys=True).encode("utf-8")).hexdigest()


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    raise TypeError(f"cannot key {type(value).__name__}")


def _engine() -> str:
    """A digest of what shapes the pages: this version, the diff and report code and the templates."""
    return code_digest("diff", "diff/render", "report", "templates", "templates/report")


def published_snapshot(snapshot: str) -> str:
    """Where the site publishes a raw snapshot. An HTML page gets ``.txt`` appended: opened from the report it
    shows as text, so a hostile page's scripts never run in the report's origin."""
    suffix = ".txt" if snapshot.lower().endswith((".html", ".htm", ".xhtml", ".svg")) else ""
    return f"snapshots/{snapshot}{suffix}"


def _http(url: Any) -> str | None:
    """A link fit to publish: http(s) only, credentials and secret query values redacted."""
    return public_url(url) if isinstance(url, str) and url.startswith(("https://", "http://")) else None


MORNING_WINDOW = "7d"  # the window of the morning read on the front page
MORNING_CHANGES = 25  # … and how many of its changes it lists


class _Builder:
    def __init__(
        self, store: Store, site: Site, title: str, min_docs: int, snapshots: bool, progress, engine: str
    ) -> None:
        self.store = store
        self.site = site
        self.title = title
        self.min_docs = min_docs
        self.snapshots = snapshots
        self.progress = progress
        self.result = ReportResult(site.root)
        self.engine = engine
        self.boilerplate_hidden = 0
        self.promises: dict[str, list[dict[str, Any]]] = {}  # document → the commitments its letters carry
        self.doc_hrefs: dict[str, str] = {}
        self.seal_list: list[Seal] | None = None  # read once, when the first version asks

    def page(self, rel: str, template: str, nav: str, **values: Any) -> None:
        """Render a page at ``rel``; its links are relative (``root`` leads back to the top folder)."""
        root = "../" * rel.count("/")
        self.site.write(rel, render_template(template, root=root, site_title=self.title, nav=nav, **values))

    def run(self, family_pages: int, timeline: int) -> ReportResult:
        self.progress("phrase families")
        report, pages = self._families(family_pages)
        by_doc: dict[str, list[dict[str, Any]]] = {}
        for f in report:
            for d in f["docs"]:
                by_doc.setdefault(d, []).append(f)
        docs, events = [], []
        checks = last_checks(self.store)
        summaries = self.store.documents()
        self.progress("commitments")
        promises = list_commitments(self.store)
        self.doc_hrefs = {d.id: f"docs/{slug(d.id)}.html" for d in summaries}
        for c in promises:
            for doc in dict.fromkeys(e["doc"] for e in c["history"]):
                self.promises.setdefault(doc, []).append(c)
        for k, d in enumerate(summaries):
            if k % 100 == 0:
                self.progress(f"documents {k}/{len(summaries)}")
            try:
                entry = self._document(d.id, d.title, by_doc.get(d.id, []), checks.get(d.id))
            except Exception as exc:  # one document that cannot be shown must not cost the whole site
                self.result.failed.append((d.id, f"{type(exc).__name__}: {exc}"))
                self.site.keep(f"docs/{slug(d.id)}")  # its earlier pages stay until it can be shown again
                continue
            docs.append(entry)
            base = {"doc": d.id, "title": d.title, "doc_href": entry["href"]}
            events.extend({**base, "when": s.added_at, "order": s.number, "step": s} for s in entry["steps"])
            check = entry["check"]
            if check and check["outcome"] == "withdrawn":
                events.append({**base, "when": check["since"], "order": 1 << 30, "step": None, "error": check["error"]})
        events.sort(key=lambda e: (e["when"], e["doc"], e["order"]), reverse=True)
        self.progress("index, timeline, phrases")
        docs.sort(key=lambda d: d["last"].added_at if d.get("last") else "", reverse=True)  # last change first
        self._index(docs)
        self._timeline(events[:timeline] if timeline else events, len(events))
        self._commitments(promises)
        self._phrase_pages(pages, len(report))
        self.site.write("assets/style.css", asset("style.css"))
        self.site.write("assets/report.js", asset("report.js"))
        return self.result

    # --- documents -------------------------------------------------------------------------------

    def _document(
        self, doc_id: str, title: str | None, families: list[dict[str, Any]], check: dict[str, Any] | None
    ) -> dict[str, Any]:
        versions = self.store.versions(doc_id)
        name = slug(doc_id)
        steps = [self._step(v) for v in versions]
        for i in range(1, len(versions)):
            self._pair(versions, i, title, name, steps[i - 1], steps[i])
        latest = versions[-1]
        self.result.documents += 1
        self.result.versions += len(versions)
        self.result.changes += len(versions) - 1
        self.result.flagged += sum(1 for st in steps[1:] if st.flags)
        meta = [(label, str(latest.meta[key])) for key, label in _META if latest.meta.get(key)]
        doc = {
            "id": doc_id,
            "title": title,
            "href": f"docs/{name}.html",
            "versions": len(versions),
            "latest": latest.number,
            "number": latest.meta.get("document_number"),
            "meta": meta,
            "url": _http(latest.meta.get("url")),
            "steps": steps,
            "last": steps[-1],
            "check": check,
        }
        rel = f"docs/{name}.html"
        promises = self.promises.get(doc_id, [])
        inputs = [self.engine, self.title, latest.id, latest.normalized_sha256, doc, families, promises]
        if not self.site.fresh(rel, _key(inputs)):
            text = paragraphs(latest.normalized)  # not kept: the index and the timeline need only the summaries
            self.page(
                rel,
                "report/document.html",
                doc=doc,
                text=text,
                families=families,
                commitments=promises,
                doc_hrefs=self.doc_hrefs,
                nav="documents",
            )
        return doc

    def _step(self, v: Version) -> Step:
        href = None
        if self.snapshots:
            rel = published_snapshot(v.snapshot)
            if self.site.copy(rel, self.store.snapshots.path(v.snapshot), v.raw_sha256):
                href = rel
            else:
                self.result.missing_snapshots.append(v.ref)
        step = Step(v.doc_id, v.number, v.added_at, v.letter_date, v.format, v.size, v.raw_sha256, href)
        step.announced, step.announced_by = v.announced, v.announced_by
        row = self.store.conn.execute("SELECT seq, link FROM chain WHERE kind = 'version' AND ref_id = ?", (v.id,))
        found = row.fetchone()
        if found:
            step.link_seq, step.link = found[0], found[1]
            if self.seal_list is None:
                self.seal_list = seals(self.store)
            covering = seal_covering(self.store, found[0], self.seal_list)
            if covering:
                step.sealed_at, step.sealed_by = covering.tsa_time or covering.at, covering.tsa
        return step

    def _pair(self, versions: list[Version], i: int, title: str | None, name: str, before: Step, step: Step) -> None:
        old, new = versions[i - 1], versions[i]
        rel = f"docs/{name}/v{new.number}.html"
        step.page = rel
        root = "../../"
        prev_page = f"v{old.number}.html" if i > 1 else None
        next_page = f"v{versions[i + 1].number}.html" if i + 1 < len(versions) else None
        old_raw = root + before.snapshot_href if before.snapshot_href else None
        new_raw = root + step.snapshot_href if step.snapshot_href else None
        page_key = _key(
            [
                self.engine,
                self.title,
                title,
                old.ref,
                new.ref,
                old.normalized_sha256,
                new.normalized_sha256,
                old.raw_sha256,
                new.raw_sha256,
                old.letter_date,
                new.letter_date,
                prev_page,
                next_page,
                old_raw,
                new_raw,
            ]
        )
        if self.site.fresh(rel, page_key) and (summary := self.site.recall(rel)) is not None:
            self.result.cached += 1
        else:
            diff = diff_versions(old, new, title)
            back = self.store.reverted_to(new)
            diff.new.reverted_to = f"{new.doc_id}@{back}" if back else None  # "(reverted to @1)" in its header
            summary = summarize(diff)
            pair = {
                "doc": old.doc_id,
                "title": title,
                "doc_href": f"../{name}.html",
                "old_number": old.number,
                "new_number": new.number,
                "old_raw": old_raw,
                "new_raw": new_raw,
                "previous": prev_page,
                "next": next_page,
            }
            self.page(rel, "diff.html", pair=pair, nav="documents", **diff_context(diff))
            self.site.remember(rel, summary)
            self.result.diffs += 1
        apply(step, summary)

    # --- index and timeline ----------------------------------------------------------------------

    def _index(self, docs: list[dict[str, Any]]) -> None:
        totals = {
            "versions": self.result.versions,
            "changes": self.result.changes,
            "flagged": self.result.flagged,
            "families": self.result.families_total,
        }
        database = os.path.basename(str(self.store.path))
        self.page(
            "index.html",
            "report/index.html",
            docs=docs,
            morning=self._morning(),
            morning_window=MORNING_WINDOW,
            totals=totals,
            generated=now(),
            database=database,
            nav="documents",
        )

    def _morning(self) -> list[dict[str, Any]]:
        """The morning read that opens the site: the ranked changes of the window, old → new with the changed
        words marked, the ones the default reader has not marked read flagged new (docaudit changes --unread)."""
        from ..changes.digest import changes, read_up_to
        from ..diff.words import old_to_new

        read = read_up_to(self.store, "default")
        memo = _Kept(self.site.previous.get("state", {}).get("morning", {}))
        out = []
        entries = changes(self.store, since=MORNING_WINDOW, cache=memo)
        self.site.state["morning"] = dict(memo)  # the pairs of this window, for the next run
        for e in entries[:MORNING_CHANGES]:
            doc, _, number = e.version.rpartition("@")
            words = old_to_new(e.old_text, e.new_text, 12)
            out.append(
                {
                    **e.to_dict(),
                    "words": words,
                    "href": self.doc_hrefs.get(doc, ""),
                    "unread": self.store.version(doc, int(number)).id > read,
                }
            )
        return out

    def _timeline(self, events: list[dict[str, Any]], total: int) -> None:
        counts: dict[str, int] = {}
        for e in events:
            step = e["step"]
            kinds = ["withdrawn"] if step is None else [*step.flags, *(["new"] if step.number == 1 else [])]
            for f in kinds:
                counts[f] = counts.get(f, 0) + 1
        from ..diff.flags import FLAGS

        order = [*FLAGS, "new", "withdrawn"]
        flag_counts = sorted(counts.items(), key=lambda kv: order.index(kv[0]))
        self.page(
            "timeline.html", "report/timeline.html", events=events, total=total, flag_counts=flag_counts, nav="timeline"
        )

    # --- commitments -----------------------------------------------------------------------------

    def _commitments(self, promises: list[dict[str, Any]]) -> None:
        """The commitments page: every promise with its status and history, the most recently touched first."""
        counts: dict[str, int] = {}
        for c in promises:
            counts[c["status"]] = counts.get(c["status"], 0) + 1
        order = {s: i for i, s in enumerate(STATUSES)}
        self.page(
            "commitments.html",
            "report/commitments.html",
            commitments=promises,
            counts=sorted(counts.items(), key=lambda kv: order.get(kv[0], 99)),
            doc_hrefs=self.doc_hrefs,
            nav="commitments",
        )

    # --- phrase families -------------------------------------------------------------------------

    def _families(self, limit: int) -> tuple[list[dict[str, Any]], list[Any]]:
        """Every qualifying family in brief (for document pages), and the ones that get a page."""
        from ..phrases.families import find_phrases

        try:
            report = find_phrases(self.store, min_docs=self.min_docs, limit=None)
        except DocauditError as exc:
            self.result.phrase_note = f"phrase pages left empty: {exc}"
            return [], []
        chosen = report.families[:limit] if limit else report.families
        with_page = {f.id for f in chosen}
        brief = [
            {
                "id": f.id,
                "canonical": f.canonical,
                "documents": f.doc_count,
                "variants": len(f.variants),
                "first_date": f.first.date,
                "docs": f.docs,
                "href": f"phrases/{f.id}.html" if f.id in with_page else None,
            }
            for f in report.families
        ]
        self.result.families_total = report.total
        self.boilerplate_hidden = report.boilerplate_hidden
        return brief, chosen

    def _phrase_pages(self, chosen: list[Any], total: int) -> None:
        from ..phrases.trace import trace

        shown = []
        for f in chosen:
            rel = f"phrases/{f.id}.html"
            if self.site.fresh(rel, self._family_key(f)) and (brief := self.site.recall(rel)) is not None:
                shown.append(brief)  # nothing the family's page shows has changed: no trace again
                continue
            view = self._family_view(f, trace(self.store, family=f))
            self.page(rel, "report/family.html", family=view, nav="phrases")
            brief = {  # what the overview shows, as plain data
                k: asdict(v) if is_dataclass(v) and not isinstance(v, type) else v
                for k, v in view.items()
                if k not in ("occurrences", "lanes")
            }
            self.site.remember(rel, brief)
            shown.append(brief)
        self.result.families = len(shown)
        self.page(
            "phrases.html",
            "report/phrases.html",
            families=shown,
            total=total,
            min_docs=self.min_docs,
            boilerplate_hidden=self.boilerplate_hidden,
            note=self.result.phrase_note,
            nav="phrases",
        )

    def _family_key(self, f) -> str:
        """What a family's page depends on: the family (its wordings and documents) and every version, title and
        date of the documents that carry it (its trace reads them), the report's title and docaudit."""
        docs = sorted(f.docs)
        marks = ",".join("?" * len(docs))
        rows = self.store.conn.execute(
            f"SELECT v.doc_id, v.number, v.normalized_sha256, v.letter_date, v.added_at, d.title FROM versions v "
            f"JOIN documents d ON d.id = v.doc_id WHERE v.doc_id IN ({marks}) ORDER BY v.doc_id, v.number",
            docs,
        ).fetchall()
        variants = [[v.sentence_id, v.text, sorted(v.docs)] for v in f.variants]
        return _key([self.engine, self.title, f.id, f.canonical, f.boilerplate, variants, [list(r) for r in rows]])

    def _family_view(self, f, found) -> dict[str, Any]:
        lane_of = {v.sentence_id: min(i, MAX_LANES - 1) for i, v in enumerate(f.variants)}
        labels = [f"W{i + 1}" for i in range(min(len(f.variants), MAX_LANES))]
        if len(f.variants) > MAX_LANES:
            labels[-1] = f"W{MAX_LANES}+"
        dots, occurrences = [], []
        for o in found.occurrences:
            lane = lane_of.get(o.sentence_ids[0], len(labels) - 1)
            href = f"docs/{slug(o.doc)}.html"
            tip = f"{o.date or 'undated'} · {o.doc}" + (f" — {o.title}" if o.title else "") + f" · {labels[lane]}"
            if o.flags:
                tip += " · " + ", ".join(o.flags)
            if not o.current:
                tip += " · gone from the latest version"
            dots.append(chart.Dot(lane, o.date, o.doc, tip, href, bool(o.flags), not o.current))
            occurrences.append({**o.to_dict(), "diff": o.diff, "href": href, "lane": labels[lane]})
        carrying: dict[str, dict[str, Any]] = {}
        for o in occurrences:
            carrying.setdefault(o["doc"], {"doc": o["doc"], "title": o["title"], "href": o["href"]})
        lanes = [
            {"label": labels[min(i, MAX_LANES - 1)], "text": v.text, "docs": len(v.docs)}
            for i, v in enumerate(f.variants)
        ]
        return {
            "id": f.id,
            "canonical": f.canonical,
            "documents": f.doc_count,
            "variants": len(f.variants),
            "current": f.current,
            "first_date": f.first.date,
            "last_date": f.last.date,
            "href": f"phrases/{f.id}.html",
            "chart": chart.timeline(dots, labels),
            "lanes": lanes,
            "occurrences": occurrences,
            "letters": list(carrying.values()),  # in order of first appearance
        }
