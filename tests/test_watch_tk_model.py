"""Property test: over random days of edits, deletions and late-appearing records, a ``tk:`` source stores
every visible change exactly once and sees every deletion of a document it stored — once.

Hypothesis drives the API stand-in (docaudit/testing/tkapi.py) through random steps: new documents,
revisions (a new versie), silent replacements (same versie, new file), touches (record changed, file not),
deletions, mass re-touches at one stamp, the clock moving on, with random delays between a change and
its visibility (up to the recorded ~16 h, with stamps assigned up to 10 minutes before a record shows),
pages of 2, 3 or 250 records, and ties in a new order on every request, against each version of the
service: v4 (nextLinks, ``DocumentNummer``), v5 (``Nummer``, ``$top`` ≤ 100, no nextLinks) and v5 without
``ApiGewijzigdOp`` (the cursor then runs on ``GewijzigdOp`` with its wide overlap). After each run, two
stores (one following ``tk:dossier/32317`` through OData, one ``tk:feed`` through the SyncFeed) are
compared with a model: what the API showed at each run.
"""

from __future__ import annotations

import os
import tempfile
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docaudit.read.fetch import FetchSettings
from docaudit.store.database import Store
from docaudit.testing.localserver import LocalServer
from docaudit.testing.tkapi import FakeTK
from docaudit.text.normalize import normalize_text
from docaudit.watch import tk as tk_module
from docaudit.watch.run import RunSettings, run
from docaudit.watch.sources import track

LAGS = [timedelta(0), timedelta(minutes=5), timedelta(hours=16)]

step = st.one_of(
    st.tuples(st.just("publish"), st.integers(0, 2)),
    st.tuples(st.just("revise"), st.integers(0, 20)),
    st.tuples(st.just("silent"), st.integers(0, 20)),
    st.tuples(st.just("touch"), st.integers(0, 20)),
    st.tuples(st.just("delete"), st.integers(0, 20)),
    st.tuples(st.just("advance"), st.sampled_from([10, 90, 60 * 17])),  # minutes
    st.tuples(st.just("retouch"), st.just(0)),
    st.tuples(st.just("run"), st.just(0)),
)


def text(number: str, n: int, salt: int) -> bytes:
    return f"Brief {number}, tekst {n}.\n\nHet kabinet zal de Kamer informeren ({salt}).\n".encode()


class Mirror:
    """One store following one source, and what the model expects of it."""

    def __init__(self, folder: Path, spec: str, tk: FakeTK) -> None:
        self.store = Store(folder / "audit.db")
        self.source = track(self.store, spec).id
        self.settings = RunSettings(
            tk_api=tk.api, tk_feed=tk.feed, fetch=FetchSettings(retries=0, timeout=10), concurrency=1
        )
        self.expected: dict[str, list[str]] = {}  # document -> the texts it should have stored, in order
        self.stored_alive: set[str] = set()  # documents stored and not (yet) seen deleted

    def run(self, tk: FakeTK) -> None:
        report = run(self.store, settings=self.settings)
        withdrawn = [o.doc for o in report.outcomes if o.outcome == "withdrawn"]
        assert not [o for o in report.outcomes if o.outcome == "failed"], report.outcomes
        expect_withdrawn = []
        for doc in tk.docs.values():
            state = tk.visible(doc)
            if state is None:
                continue
            if state.deleted:
                if doc.number in self.stored_alive:
                    expect_withdrawn.append(doc.number)
                    self.stored_alive.discard(doc.number)
                continue
            texts = self.expected.setdefault(doc.number, [])
            seen = normalize_text(state.data.decode())
            if not texts or texts[-1] != seen:
                texts.append(seen)
            self.stored_alive.add(doc.number)
        assert sorted(withdrawn) == sorted(expect_withdrawn), (withdrawn, expect_withdrawn)
        for number, texts in self.expected.items():
            versions = self.store.versions(number)
            assert [v.normalized for v in versions] == texts, number


# DOCAUDIT_MODEL_EXAMPLES=500 for a longer search than the suite's
EXAMPLES = int(os.environ.get("DOCAUDIT_MODEL_EXAMPLES", "20"))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    steps=st.lists(step, min_size=3, max_size=14),
    page_size=st.sampled_from([2, 3, 250]),
    race=st.sampled_from([timedelta(0), timedelta(minutes=10)]),
    seed=st.integers(0, 2**16),
    service=st.sampled_from(["v4", "v5", "v5 without ApiGewijzigdOp"]),
)
def test_every_visible_change_stored_once_and_every_deletion_seen(steps, page_size, race, seed, service):
    page = tk_module.PAGE
    try:
        with LocalServer() as server, tempfile.TemporaryDirectory() as tmp:
            version, _, rest = service.partition(" ")
            tk = FakeTK(server, page_size=page_size, race=race, seed=seed, version=version, api_stamp=not rest)
            if version == "v5":  # v5 pages by $top: the client's page is the size under test
                tk_module.PAGE = min(page_size, 100)
            mirrors = [Mirror(Path(tmp) / "odata", "tk:dossier/32317", tk), Mirror(Path(tmp) / "feed", "tk:feed", tk)]
            (Path(tmp) / "odata").mkdir(exist_ok=True)
            alive: list[str] = []
            for revisions, (kind, arg) in enumerate([*steps, ("advance", 60 * 17), ("run", 0)], start=1):
                if kind == "publish":
                    tk.lag = LAGS[arg]
                    number = f"2025D{len(tk.docs):05d}"
                    tk.publish(number, text(number, 0, seed), fmt="txt", onderwerp=number, datum="2025-01-01")
                    alive.append(number)
                elif kind in ("revise", "silent", "touch", "delete") and alive:
                    number = alive[arg % len(alive)]
                    if kind == "revise":
                        tk.revise(number, text(number, revisions, seed), fmt="txt")
                    elif kind == "silent":
                        tk.replace_silently(number, text(number, revisions, seed + 1))
                    elif kind == "touch":
                        tk.touch(number)
                    else:
                        tk.delete(number)
                        alive.remove(number)
                elif kind == "advance":
                    tk.advance(minutes=arg)
                elif kind == "retouch" and tk.docs:
                    tk.retouch_all()
                elif kind == "run":
                    for mirror in mirrors:
                        mirror.run(tk)
            for mirror in mirrors:
                mirror.store.close()
    finally:
        tk_module.PAGE = page
