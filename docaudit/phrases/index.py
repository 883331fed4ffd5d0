"""The phrase index: every stored version's sentences, fingerprinted, grouped into families of variants.

Kept up to date inside the transaction that stores a version (:func:`index_version`, called by
``Store.add_bytes``), so a version and its index rows commit together. :func:`update` indexes versions
an older database stored before the index existed; :func:`rebuild` starts over (fingerprinting in worker
processes, writing in this one).

Families are the connected components of the graph "these two sentences are variants" (at least
:data:`FAMILY_SIMILARITY` word-level similarity, found through a shared fingerprint). Components do not
depend on the order in which sentences arrive, so an incremental index and a rebuilt one agree. A
family's id is the id of its oldest sentence.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from ..errors import DocauditError
from ..segment import sentences as _sentences
from . import fingerprint as fp

FAMILY_SIMILARITY = fp.SIMILARITY
MAX_CANDIDATES = 30  # verified per new sentence, most fingerprints in common first
PARAMS = f"k={fp.K} w={fp.W} all<={fp.KEEP_ALL} min={fp.MIN_TOKENS} family={FAMILY_SIMILARITY}/{fp.SHORT} v1"
_TABLES = ("phrase_sentences", "phrase_fingerprints", "phrase_occurrences", "phrase_versions")


@dataclass
class Located:
    """A fingerprinted sentence at its place in a version."""

    position: int
    print: fp.Print


def prints_of(text: str) -> tuple[int, list[Located]]:
    """(number of sentences, the fingerprinted ones with their positions) of a version's text."""
    found = _sentences(text)
    out = []
    for s in found:
        p = fp.fingerprint(s.text)
        if p is not None:
            out.append(Located(s.index, p))
    return len(found), out


@dataclass
class IndexStats:
    versions: int = 0
    sentences: int = 0
    new_sentences: int = 0
    merges: int = 0
    seconds: float = 0.0

    def add(self, other: IndexStats) -> None:
        self.versions += other.versions
        self.sentences += other.sentences
        self.new_sentences += other.new_sentences
        self.merges += other.merges


class _Tokens:
    """Folded tokens of stored sentences, recomputed from their text (not stored: it would double the
    index) and kept in a bounded cache, since the same candidates come up again and again."""

    def __init__(self, conn: sqlite3.Connection, size: int = 50_000) -> None:
        self.conn = conn
        self.size = size
        self.cache: dict[int, tuple[str, ...]] = {}

    def get(self, ids: list[int]) -> dict[int, tuple[str, ...]]:
        missing = [i for i in ids if i not in self.cache]
        if missing:
            if len(self.cache) + len(missing) > self.size:
                self.cache.clear()
            marks = ",".join("?" * len(missing))
            for sid, text in self.conn.execute(f"SELECT id, text FROM phrase_sentences WHERE id IN ({marks})", missing):
                self.cache[sid] = tuple(fp.words(text))
        return {i: self.cache[i] for i in ids if i in self.cache}

    def put(self, sid: int, tokens: tuple[str, ...]) -> None:
        if len(self.cache) < self.size:
            self.cache[sid] = tokens


class Indexer:
    """Writes index rows on an open connection; the caller owns the transaction."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.tokens = _Tokens(conn)

    def index(self, version_id: int, doc_id: str, number: int, text: str) -> IndexStats:
        """Index one stored version from its text."""
        return self.index_prints(version_id, doc_id, number, *prints_of(text))

    def index_prints(self, version_id: int, doc_id: str, number: int, total: int, located: list[Located]) -> IndexStats:
        """Index one version from its already fingerprinted sentences (see :func:`prints_of`)."""
        conn = self.conn
        stats = IndexStats(versions=1, sentences=len(located))
        if conn.execute("SELECT 1 FROM phrase_versions WHERE version_id = ?", (version_id,)).fetchone():
            return IndexStats()
        keys = list({loc.print.key for loc in located})
        known: dict[int, int] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            known.update(conn.execute(f"SELECT key, id FROM phrase_sentences WHERE key IN ({marks})", chunk))
        seen: dict[int, tuple[int, int]] = {}  # sentence id -> (first position, count) in this version
        for loc in located:
            p = loc.print
            sid = known.get(p.key)
            if sid is None:
                sid = self._add_sentence(p, stats)
                known[p.key] = sid
            first, count = seen.get(sid, (loc.position, 0))
            seen[sid] = (first, count + 1)
        conn.executemany(
            """INSERT INTO phrase_occurrences (sentence_id, doc_id, first_version, last_version, position, count)
               VALUES (?, ?, ?, ?, ?, ?)
               ON CONFLICT (sentence_id, doc_id) DO UPDATE SET
                 first_version = min(first_version, excluded.first_version),
                 position = CASE WHEN excluded.last_version >= last_version THEN excluded.position ELSE position END,
                 count = CASE WHEN excluded.last_version >= last_version THEN excluded.count ELSE count END,
                 last_version = max(last_version, excluded.last_version)""",
            [(sid, doc_id, number, number, pos, count) for sid, (pos, count) in seen.items()],
        )
        conn.execute(
            "INSERT INTO phrase_versions (version_id, doc_id, number, sentences) VALUES (?, ?, ?, ?)",
            (version_id, doc_id, number, total),
        )
        return stats

    def _add_sentence(self, p: fp.Print, stats: IndexStats) -> int:
        conn = self.conn
        cur = conn.execute(
            "INSERT INTO phrase_sentences (key, text, tokens, prints, family) VALUES (?, ?, ?, ?, 0)",
            (p.key, p.text, len(p.tokens), len(p.fingerprints)),
        )
        sid = int(cur.lastrowid)  # type: ignore[arg-type]
        stats.new_sentences += 1
        self.tokens.put(sid, p.tokens)
        families = {sid}
        for other, _sim in self.neighbours(p.tokens, p.shingles, exclude=sid):
            families.add(other)
        if len(families) > 1:
            rows = conn.execute(
                f"SELECT DISTINCT family FROM phrase_sentences WHERE id IN ({','.join('?' * (len(families) - 1))})",
                [f for f in families if f != sid],
            ).fetchall()
            fams = {r[0] for r in rows}
            target = min(fams)
            others = sorted(fams - {target})
            if others:
                stats.merges += len(others)
                conn.execute(
                    f"UPDATE phrase_sentences SET family = ? WHERE family IN ({','.join('?' * len(others))})",
                    [target, *others],
                )
            conn.execute("UPDATE phrase_sentences SET family = ? WHERE id = ?", (target, sid))
        else:
            conn.execute("UPDATE phrase_sentences SET family = ? WHERE id = ?", (sid, sid))
        conn.executemany(
            "INSERT OR IGNORE INTO phrase_fingerprints (hash, sentence_id, pos) VALUES (?, ?, ?)",
            [(h, sid, pos) for h, pos in p.fingerprints],
        )
        return sid

    def neighbours(
        self,
        tokens: tuple[str, ...],
        shingles: Iterable[int],
        *,
        exclude: int | None = None,
        threshold: float = FAMILY_SIMILARITY,
    ) -> list[tuple[int, float]]:
        """Stored sentences that are variants of ``tokens`` (see :func:`fingerprint.variant_score`)."""
        out = []
        for sid, other in self.candidates(shingles, exclude=exclude):
            sim = fp.variant_score(tokens, other, threshold)
            if sim is not None:
                out.append((sid, sim))
        return out

    def candidates(
        self, shingles: Iterable[int], *, exclude: int | None = None, limit: int = MAX_CANDIDATES
    ) -> list[tuple[int, tuple[str, ...]]]:
        """Sentences sharing a fingerprint with ``shingles``, with their tokens: those sharing the largest
        share of their own fingerprints first, at most ``limit``."""
        hashes = list(set(shingles))
        if not hashes:
            return []
        marks = ",".join("?" * len(hashes))
        rows = self.conn.execute(
            f"""SELECT f.sentence_id, count(DISTINCT f.hash) AS shared, s.prints
                FROM phrase_fingerprints f JOIN phrase_sentences s ON s.id = f.sentence_id
                WHERE f.hash IN ({marks}) GROUP BY f.sentence_id""",
            hashes,
        ).fetchall()
        # A variant shares many of its fingerprints; a sentence that only shares a common three-word
        # phrase ("van de Tweede") shares one of many.
        ranked = sorted(
            ((shared / max(prints, 1), sid) for sid, shared, prints in rows if sid != exclude), reverse=True
        )[:limit]
        toks = self.tokens.get([sid for _, sid in ranked])
        return [(sid, toks[sid]) for _, sid in ranked if sid in toks]


def index_version(conn: sqlite3.Connection, version_id: int, doc_id: str, number: int, text: str) -> IndexStats:
    """Index one stored version (inside the caller's transaction)."""
    return Indexer(conn).index(version_id, doc_id, number, text)


# -- keeping the index in step ------------------------------------------------------------------


def check_params(conn: sqlite3.Connection) -> str | None:
    """The parameters the index was built with, recording the current ones on an empty index."""
    row = conn.execute("SELECT value FROM settings WHERE key = 'phrase_params'").fetchone()
    return row[0] if row else None


def _record_params(conn: sqlite3.Connection) -> None:
    conn.execute(
        "INSERT INTO settings (key, value) VALUES ('phrase_params', ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (PARAMS,),
    )


def ensure_params(conn: sqlite3.Connection) -> None:
    """Refuse to add to an index built with other parameters (its fingerprints would not match)."""
    built = check_params(conn)
    if built is None:
        _record_params(conn)
    elif built != PARAMS:
        raise DocauditError(
            f"the phrase index was built with other parameters ({built}; this docaudit uses {PARAMS}): "
            "run `docaudit index --rebuild`"
        )


def pending(conn: sqlite3.Connection) -> int:
    """How many stored versions the index does not cover yet."""
    return conn.execute(
        "SELECT count(*) FROM versions v WHERE NOT EXISTS (SELECT 1 FROM phrase_versions p WHERE p.version_id = v.id)"
    ).fetchone()[0]


def _pending_ids(conn: sqlite3.Connection) -> list[int]:
    return [
        r[0]
        for r in conn.execute(
            "SELECT id FROM versions v WHERE NOT EXISTS "
            "(SELECT 1 FROM phrase_versions p WHERE p.version_id = v.id) ORDER BY id"
        )
    ]


def _texts(conn: sqlite3.Connection, ids: list[int]) -> list[tuple[int, str, int, str]]:
    marks = ",".join("?" * len(ids))
    return conn.execute(
        f"SELECT id, doc_id, number, normalized FROM versions WHERE id IN ({marks}) ORDER BY id", ids
    ).fetchall()


def _prints_job(item: tuple[int, str, int, str]) -> tuple[int, str, int, int, list[Located]]:
    version_id, doc_id, number, text = item
    return (version_id, doc_id, number, *prints_of(text))


def update(
    store,
    *,
    workers: int | None = None,
    batch: int = 200,
    progress: Callable[[int, int], None] | None = None,
) -> IndexStats:
    """Index every stored version the index does not cover yet, oldest first.

    Fingerprinting runs in ``workers`` processes when there is much to do, one batch ahead of the
    writing, which happens here in one transaction per batch of versions: an interrupted update keeps
    the batches it finished and the next one resumes after them. Memory stays bounded by two batches.
    """
    started = time.perf_counter()
    conn: sqlite3.Connection = store.conn
    with store.transaction():
        ensure_params(conn)
    ids = _pending_ids(conn)
    stats = IndexStats()
    if not ids:
        return stats
    indexer = Indexer(conn)
    workers = workers if workers is not None else (os.cpu_count() or 1)
    chunks = [ids[i : i + batch] for i in range(0, len(ids), batch)]
    pool = ProcessPoolExecutor(max_workers=workers) if workers > 1 and len(ids) >= 50 else None

    def submit(chunk: list[int]):
        rows = [tuple(r) for r in _texts(conn, chunk)]
        if pool is None:
            return map(_prints_job, rows)
        return [pool.submit(_prints_job, row) for row in rows]

    try:
        ahead = submit(chunks[0])
        done = 0
        for n, _chunk in enumerate(chunks):
            current = ahead
            ahead = submit(chunks[n + 1]) if n + 1 < len(chunks) else None
            with store.transaction():
                for job in current:
                    result = job.result() if pool else job
                    stats.add(indexer.index_prints(*result))
                    done += 1
            if progress:
                progress(done, len(ids))
    finally:
        if pool:
            pool.shutdown(cancel_futures=True)
    stats.seconds = time.perf_counter() - started
    return stats


def rebuild(store, *, workers: int | None = None, progress: Callable[[int, int], None] | None = None) -> IndexStats:
    """Drop the phrase index and build it again from every stored version."""
    with store.transaction() as conn:
        for table in _TABLES:
            conn.execute(f"DELETE FROM {table}")
        _record_params(conn)
    return update(store, workers=workers, progress=progress)


def index_size(conn: sqlite3.Connection) -> dict[str, int]:
    """Bytes used by each phrase table and index (SQLite's dbstat), and by the stored texts."""
    try:
        rows = conn.execute(
            "SELECT name, sum(pgsize) FROM dbstat WHERE name LIKE 'phrase%' OR name LIKE '%phrase%' GROUP BY name"
        ).fetchall()
    except sqlite3.OperationalError:  # SQLite built without dbstat
        return {}
    return {name: size for name, size in rows}
