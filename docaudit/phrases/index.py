"""The phrase index: every stored version's sentences, fingerprinted, grouped into families of variants.

Kept up to date inside the transaction that stores a version (:func:`write_phrases`, one of the writers
that ingest passes to the store), so a version and its index rows commit together. :func:`update` indexes versions
stored while the index was off or before it existed; :func:`rebuild` starts over. Both work in bulk from
:data:`BULK` versions on: fingerprinting in worker processes, writing in this one, families linked once
at the end (:func:`link_families`).

Families are the connected components of the graph "these two wordings are variants" (word-level
similarity, :func:`fingerprint.variant_score`, between wordings that share a fingerprint). Components do
not depend on the order in which wordings arrive, so the index kept letter by letter and a bulk rebuild
agree, up to the caps that keep lookups fast (:data:`MAX_CANDIDATES` candidates per new wording,
:data:`POSTINGS` entries per fingerprint); on the labelled set they are identical (tested). A family's
id is the id of its oldest wording.
"""

from __future__ import annotations

import math
import os
import sqlite3
import time
from array import array
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import Indel

from ..errors import DocauditError
from ..store.database import NORMALIZED, AddResult
from ..text.segment import sentences_of as _sentences
from . import fingerprint as fp

FAMILY_SIMILARITY = fp.SIMILARITY
MAX_CANDIDATES = 12  # verified per new sentence, most fingerprints in common first
POSTINGS = 64  # sentences read per fingerprint
_POSTING = "SELECT * FROM (SELECT sentence_id FROM phrase_fingerprints WHERE hash = ? LIMIT ?)"
_WEIGHTED = "SELECT sentence_id, ? AS w FROM (SELECT sentence_id FROM phrase_fingerprints WHERE hash = ? LIMIT ?)"
_COMPOUND = 200  # posting lists per compound SELECT (SQLite allows 500 terms)
PARAMS = f"k={fp.K} w={fp.W} all<={fp.KEEP_ALL} min={fp.MIN_TOKENS} family={FAMILY_SIMILARITY}/{fp.SHORT} v2"
TABLES = ("phrase_sentences", "phrase_fingerprints", "phrase_occurrences", "phrase_versions")


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

    def __init__(self, conn: sqlite3.Connection, *, defer_families: bool = False) -> None:
        self.conn = conn
        self.tokens = _Tokens(conn)
        self.defer_families = defer_families
        self.deferred = TokenTable() if defer_families else None
        # bulk mode: new sentences get their ids here and are written in sorted batches (flush)
        self.keys: dict[int, int] | None = None
        self.next_id = 0
        self.rows: list[tuple] = []
        self.prints: list[tuple[int, int]] = []
        if defer_families:
            self.keys = dict(conn.execute("SELECT key, id FROM phrase_sentences"))
            self.next_id = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM phrase_sentences").fetchone()[0]

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
        known: dict[int, int] = self.keys if self.keys is not None else {}
        for start in range(0, 0 if self.keys is not None else len(keys), 500):
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

    def flush(self) -> None:
        """Write the sentences and fingerprints a bulk build has collected (fingerprints in key order,
        so the B-tree is filled page by page rather than at random)."""
        if self.rows:
            self.conn.executemany(
                "INSERT INTO phrase_sentences (id, key, text, tokens, prints, family) VALUES (?, ?, ?, ?, ?, ?)",
                self.rows,
            )
            self.rows = []
        if self.prints:
            self.prints.sort()
            self.conn.executemany(
                "INSERT OR IGNORE INTO phrase_fingerprints (hash, sentence_id) VALUES (?, ?)", self.prints
            )
            self.prints = []

    def _add_sentence(self, p: fp.Print, stats: IndexStats) -> int:
        conn = self.conn
        stats.new_sentences += 1
        if self.deferred is not None:  # bulk: written by flush(), linked by link_families()
            sid = self.next_id
            self.next_id += 1
            self.rows.append((sid, p.key, p.text, len(p.tokens), len(p.fingerprints), sid))
            self.prints.extend((h, sid) for h, _ in p.fingerprints)
            self.deferred.add(sid, p.tokens)
            return sid
        # winnowed against winnowed: every variant sharing a run of K + W - 1 words is still found
        families = {sid for sid, _ in self.neighbours(p.tokens, [h for h, _ in p.fingerprints])}
        if families:
            marks = ",".join("?" * len(families))
            fams = {
                r[0]
                for r in conn.execute(
                    f"SELECT DISTINCT family FROM phrase_sentences WHERE id IN ({marks})", [*families]
                )
            }
            target = min(fams)
            others = sorted(fams - {target})
            if others:
                stats.merges += len(others)
                conn.execute(
                    f"UPDATE phrase_sentences SET family = ? WHERE family IN ({','.join('?' * len(others))})",
                    [target, *others],
                )
            cur = conn.execute(
                "INSERT INTO phrase_sentences (key, text, tokens, prints, family) VALUES (?, ?, ?, ?, ?)",
                (p.key, p.text, len(p.tokens), len(p.fingerprints), target),
            )
            sid = int(cur.lastrowid)  # type: ignore[arg-type]
        else:
            # its own family: the id it is about to get (inside this write transaction, nobody else inserts)
            cur = conn.execute(
                "INSERT INTO phrase_sentences (key, text, tokens, prints, family) "
                "VALUES (?, ?, ?, ?, (SELECT coalesce(max(id), 0) + 1 FROM phrase_sentences))",
                (p.key, p.text, len(p.tokens), len(p.fingerprints)),
            )
            sid = int(cur.lastrowid)  # type: ignore[arg-type]
        self.tokens.put(sid, p.tokens)
        conn.executemany(
            "INSERT OR IGNORE INTO phrase_fingerprints (hash, sentence_id) VALUES (?, ?)",
            [(h, sid) for h, _ in p.fingerprints],
        )
        return sid

    def neighbours(
        self, tokens: tuple[str, ...], shingles: Iterable[int], *, threshold: float = FAMILY_SIMILARITY
    ) -> list[tuple[int, float]]:
        """Stored sentences that are variants of ``tokens`` (see :func:`fingerprint.variant_score`)."""
        out = []
        for sid, other in self.candidates(shingles, length=(len(tokens), threshold)):
            sim = fp.variant_score(tokens, other, threshold)
            if sim is not None:
                out.append((sid, sim))
        return out

    def candidates(
        self,
        shingles: Iterable[int],
        *,
        limit: int = MAX_CANDIDATES,
        length: tuple[int, float] | None = None,
        depth: int = 0,
    ) -> list[tuple[int, tuple[str, ...]]]:
        """Sentences sharing a fingerprint with ``shingles``, with their tokens: those sharing the largest
        share of their own fingerprints first, at most ``limit``.

        Each fingerprint's posting list is read up to :data:`POSTINGS` sentences: a shingle found in
        thousands of sentences ("van de Tweede") says little and would make every lookup slow. With
        ``depth``, the query's rarest fingerprints are read whole, rarest first, until ``depth`` postings
        have been read: a variant whose only fingerprints in common with the query are common ones (its
        own rare ones fell on the edited words) is still found however large the corpus grows; and
        candidates are then ranked by the weight of what they share (:meth:`_ranked`), so thousands of
        sentences that merely open the same way do not crowd the variants out of the first ``limit``.
        ``length``: (words, threshold) — skip sentences whose length alone rules out that similarity.
        """
        hashes = sorted(set(shingles))
        if not hashes:
            return []
        caps = dict.fromkeys(hashes, POSTINGS)
        sizes: dict[int, int] = {}
        if depth:
            sizes = self._list_sizes(hashes, depth)
            budget = depth
            for h in sorted(hashes, key=lambda h: sizes[h]):
                if sizes[h] > POSTINGS and sizes[h] <= budget:
                    caps[h] = sizes[h]
                budget -= min(sizes[h], caps[h])
        if depth and len(hashes) <= _COMPOUND:
            total = self.conn.execute("SELECT coalesce(max(id), 0) FROM phrase_sentences").fetchone()[0]
            weights = {h: math.log((total + 1) / (sizes[h] + 1)) for h in hashes}
            rows = [
                (sid, n, prints, words, (rarest, n / max(prints, 1)))
                for sid, n, prints, words, rarest in self._ranked(hashes, caps, weights, limit * 4 if length else limit)
            ]
        else:
            rows = [
                (sid, n, prints, words, n / max(prints, 1))
                for sid, n, prints, words in self._counted(hashes, caps, None if depth else limit * 4)
            ]
        ranked = []
        for sid, n, _prints, words, score in rows:
            if length is not None:
                size, threshold = length
                if 2 * min(size, words) / (size + words) < fp.threshold(size, words, threshold):
                    continue
            ranked.append((score, n, sid))
        ranked.sort(reverse=True)
        top = [sid for _, _, sid in ranked[:limit]]
        toks = self.tokens.get(top)
        return [(sid, toks[sid]) for sid in top if sid in toks]

    def _ranked(
        self, hashes: list[int], caps: dict[int, int], weights: dict[int, float], limit: int
    ) -> list[tuple[int, int, int, int, float]]:
        """(id, fingerprints in common, own fingerprints, words, rarest) of the best candidates of a deep
        read, ranked inside SQLite (thousands are found; only ``limit`` are worth bringing out): first by
        the weight of the rarest fingerprint shared (log of sentences over its list's length) — a variant
        shares one of the query's rare fingerprints, a sentence that merely opens the same way only common
        ones —, then by the share of its own fingerprints in common."""
        postings = " UNION ALL ".join([_WEIGHTED] * len(hashes))
        sql = (
            "SELECT p.sentence_id, p.n, s.prints, s.tokens, p.rarest FROM (SELECT sentence_id, count(*) AS n, "
            f"max(w) AS rarest FROM ({postings}) GROUP BY sentence_id) p JOIN phrase_sentences s "
            "ON s.id = p.sentence_id "
            "ORDER BY p.rarest DESC, p.n * 1.0 / max(s.prints, 1) DESC, p.n DESC, p.sentence_id DESC LIMIT ?"
        )
        args = [x for h in hashes for x in (weights[h], h, caps[h])]
        return self.conn.execute(sql, [*args, limit]).fetchall()

    def _counted(self, hashes: list[int], caps: dict[int, int], most: int | None) -> list[tuple[int, int, int, int]]:
        """The same rows, counted in Python over chunks of hashes; ``most``: only the sentences with most
        fingerprints in common (a quick lookup)."""
        counts: Counter[int] = Counter()
        for start in range(0, len(hashes), _COMPOUND):
            chunk = hashes[start : start + _COMPOUND]
            postings = " UNION ALL ".join([_POSTING] * len(chunk))
            sql = f"SELECT sentence_id, count(*) AS n FROM ({postings}) GROUP BY sentence_id"
            args = [x for h in chunk for x in (h, caps[h])]
            if most is not None:
                sql += " ORDER BY n DESC LIMIT ?"
                args.append(most)
            counts.update(dict(self.conn.execute(sql, args)))
        ids = [sid for sid, _ in counts.most_common(most)]
        rows = []
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT id, prints, tokens FROM phrase_sentences WHERE id IN ({marks})"
            rows.extend((sid, counts[sid], prints, words) for sid, prints, words in self.conn.execute(sql, chunk))
        return rows

    def _list_sizes(self, hashes: list[int], most: int) -> dict[int, int]:
        """Each hash's posting-list length, counted up to ``most`` + 1."""
        sql = "SELECT count(*) FROM (SELECT 1 FROM phrase_fingerprints WHERE hash = ? LIMIT ?)"
        return {h: self.conn.execute(sql, (h, most + 1)).fetchone()[0] for h in hashes}


# -- keeping the index in step ------------------------------------------------------------------


def check_params(conn: sqlite3.Connection) -> str | None:
    """The parameters the index was built with (None before anything was indexed)."""
    row = conn.execute("SELECT value FROM settings WHERE key = 'phrase_params'").fetchone()
    return row[0] if row else None


def record_params(conn: sqlite3.Connection) -> None:
    """Record this docaudit's index parameters (inside a write transaction)."""
    conn.execute(
        "INSERT INTO settings (key, value) VALUES ('phrase_params', ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (PARAMS,),
    )


def write_phrases(conn: sqlite3.Connection, result: AddResult) -> None:
    """A version writer (:data:`docaudit.store.VersionWriter`): a version just stored goes into the index, in
    its transaction. An index built with other parameters is left alone (the version stays pending until
    ``docaudit index --rebuild``)."""
    version = result.version
    if not result.stored or version is None:
        return
    built = check_params(conn)
    if built is not None and built != PARAMS:
        return
    if built is None:
        record_params(conn)
    # A fresh indexer each time: its cache must not outlive a transaction that may roll back.
    Indexer(conn).index(version.id, version.doc_id, version.number, version.normalized)


def require_params(conn: sqlite3.Connection) -> str | None:
    """The recorded parameters; refuses an index built with others (its fingerprints would not match)."""
    built = check_params(conn)
    if built is not None and built != PARAMS:
        raise DocauditError(
            f"the phrase index was built with other parameters ({built}; this docaudit uses {PARAMS}): "
            "run `docaudit index --rebuild`"
        )
    return built


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
        f"SELECT id, doc_id, number, {NORMALIZED} AS normalized FROM versions WHERE id IN ({marks}) ORDER BY id",
        ids,
    ).fetchall()


def _prints_job(item: tuple[int, str, int, str]) -> tuple[int, str, int, int, list[Located]]:
    version_id, doc_id, number, text = item
    return (version_id, doc_id, number, *prints_of(text))


class TokenTable:
    """Folded tokens of many sentences as compact integer arrays (a bulk build holds all of them)."""

    def __init__(self) -> None:
        self.vocab: dict[str, int] = {}
        self.rows: dict[int, array] = {}

    def add(self, sid: int, tokens: Iterable[str]) -> None:
        vocab = self.vocab
        self.rows[sid] = array("i", [vocab.setdefault(w, len(vocab)) for w in tokens])

    def fill(self, conn: sqlite3.Connection) -> None:
        """Tokens of the stored sentences this table lacks (after an interrupted build)."""
        for sid, text in conn.execute("SELECT id, text FROM phrase_sentences"):
            if sid not in self.rows:
                self.add(sid, fp.words(text))


def link_families(conn: sqlite3.Connection, table: TokenTable | None = None, *, postings: int = POSTINGS) -> int:
    """Join families in one pass over the fingerprint table: every pair of sentences sharing a fingerprint
    (whose posting list is at most ``postings`` long) that are variants. Used after a bulk build, where
    looking up neighbours one sentence at a time would cost a query per sentence. Returns merges."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:
            parent[x], x = root, parent[x]
        return root

    for sid, family in conn.execute("SELECT id, family FROM phrase_sentences WHERE family != id"):
        parent[sid] = family
    table = table or TokenTable()
    table.fill(conn)
    tokens = table.rows
    merges = 0
    groups = conn.execute(
        "SELECT group_concat(sentence_id) FROM phrase_fingerprints GROUP BY hash HAVING count(*) BETWEEN 2 AND ?",
        (postings,),
    )
    similarity, threshold = fp.similarity, fp.threshold
    lowest = threshold(fp.SHORT, fp.SHORT) - 1e-6  # no pair below this is a variant, at any length
    for (ids,) in groups:
        members = sorted({int(x) for x in ids.split(",")})
        seqs = [tokens[m] for m in members]
        for i in range(len(members) - 1):
            # the group's later members at least ``lowest`` alike, found in rapidfuzz's C loop (most pairs
            # sharing a fingerprint are not variants); each then held to its own length's threshold
            candidates = process.extract_iter(seqs[i], seqs[i + 1 :], scorer=Indel.normalized_similarity,
                                              score_cutoff=lowest)  # fmt: skip
            for _, _, j in candidates:
                a, b = members[i], members[i + 1 + j]
                ta, tb = seqs[i], seqs[i + 1 + j]
                ra, rb = find(a), find(b)
                if ra == rb or similarity(ta, tb) < threshold(len(ta), len(tb)):
                    continue
                parent[max(ra, rb)] = min(ra, rb)
                merges += 1
    changed = [(find(sid), sid) for sid in list(parent) if find(sid) != sid]
    conn.executemany("UPDATE phrase_sentences SET family = ? WHERE id = ?", changed)
    return merges


def _set_flag(conn: sqlite3.Connection, name: str, on: bool) -> None:
    if on:
        conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, '1')", (name,))
    else:
        conn.execute("DELETE FROM settings WHERE key = ?", (name,))


def _flag(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM settings WHERE key = ?", (name,)).fetchone() is not None


BULK = 50  # pending versions from which an update is a bulk build (families linked at the end)


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
    From :data:`BULK` pending versions on, families are linked once at the end (:func:`link_families`);
    a flag in ``settings`` says that linking is owed, so an interrupted build finishes it next time.
    """
    started = time.perf_counter()
    conn: sqlite3.Connection = store.conn
    stats = IndexStats()
    built = require_params(conn)
    ids = _pending_ids(conn)
    if not ids and not _flag(conn, "phrase_link_pending"):
        return stats  # nothing to write: readers never take the write lock
    if built is None:
        with store.transaction():
            record_params(conn)
    bulk = len(ids) >= BULK
    if bulk:  # a bigger page cache while the B-trees grow (the default is 2 MB)
        conn.execute("PRAGMA cache_size = -131072")
    indexer = Indexer(conn, defer_families=bulk)
    if ids:
        if bulk:
            with store.transaction():
                _set_flag(conn, "phrase_link_pending", True)
        _index_pending(store, ids, indexer, stats, workers, batch, progress)
    if _flag(conn, "phrase_link_pending"):
        with store.transaction():
            stats.merges += link_families(conn, indexer.deferred)
            _set_flag(conn, "phrase_link_pending", False)
    conn.execute("PRAGMA cache_size = -2000")
    stats.seconds = time.perf_counter() - started
    return stats


def _index_pending(store, ids, indexer, stats, workers, batch, progress) -> None:
    conn = store.conn
    workers = workers if workers is not None else (os.cpu_count() or 1)
    chunks = [ids[i : i + batch] for i in range(0, len(ids), batch)]
    pool = ProcessPoolExecutor(max_workers=workers) if workers > 1 and len(ids) >= BULK else None

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
                indexer.flush()
            if progress:
                progress(done, len(ids))
    finally:
        if pool:
            pool.shutdown(cancel_futures=True)


def reset(conn: sqlite3.Connection) -> None:
    """Empty the phrase tables and record this docaudit's parameters (inside a write transaction): the start
    of every full build, local, on Spark or loaded from Parquet."""
    for table in TABLES:
        conn.execute(f"DELETE FROM {table}")
    _set_flag(conn, "phrase_link_pending", False)
    record_params(conn)


def rebuild(
    store, *, workers: int | None = None, batch: int = 200, progress: Callable[[int, int], None] | None = None
) -> IndexStats:
    """Drop the phrase index and build it again from every stored version."""
    with store.transaction() as conn:
        reset(conn)
    return update(store, workers=workers, batch=batch, progress=progress)


def text_size(conn: sqlite3.Connection) -> int:
    """Bytes of normalized text of every stored version (what the index size is compared with)."""
    return conn.execute(f"SELECT coalesce(sum(length(CAST({NORMALIZED} AS BLOB))), 0) FROM versions").fetchone()[0]


def index_size(conn: sqlite3.Connection) -> dict[str, int]:
    """Bytes used by each phrase table and index (SQLite's dbstat), and by the stored texts."""
    try:
        rows = conn.execute(
            "SELECT name, sum(pgsize) FROM dbstat WHERE name LIKE 'phrase%' OR name LIKE '%phrase%' GROUP BY name"
        ).fetchall()
    except sqlite3.OperationalError:  # SQLite built without dbstat
        return {}
    return {name: size for name, size in rows}
