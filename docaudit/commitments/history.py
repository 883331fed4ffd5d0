"""What became of each promise: followed through the versions of its letter and into later letters.

Within a letter, the commitments of consecutive versions are paired by their wording (word similarity,
the same sentence alignment idea as the semantic diff); across letters, a commitment of a later letter
joins an earlier one when it promises the same act on the same object (act equal, object words shared)
or says nearly the same thing. Each pairing is compared and gives events:

=================  ===========================================================================
event              when
=================  ===========================================================================
made               first seen (the first version of a letter, or added in a later version)
reversed           the polarity flipped ("zal steunen" ↔ "zal niet steunen", "geen" ↔ "wel")
weakened           the promise word weakened (zal → wil, zal → zal bezien of) or a hedge came
strengthened       … strengthened (wil → zal) or a hedge went
postponed          the deadline moved later, was made vague ("zo spoedig mogelijk") or went
brought forward    the deadline moved earlier, or a vague promise got a date
repeated           a later letter says it again, unchanged in these respects
dropped            gone from a later version of its letter
=================  ===========================================================================

A commitment's **status** is its last event (``made``/``repeated``: ``open``), or ``overdue`` when the
deadline it now has passed and nothing later moved it: a fact about dates, not about fulfilment.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from rapidfuzz.distance import Indel
from rapidfuzz.process import extract

from ..meaning.promise import Commitment, compare_promises

SAME_SENTENCE = 0.55  # word similarity for two versions' sentences to be the same commitment
SAME_PROMISE = 0.5  # object words shared (Jaccard) for a later letter's commitment with the same act
SAME_WORDING = 0.6  # word similarity for a later letter's commitment to join whatever its act
PREFIX = 5  # at most this many of a promise's rarest words are looked up (Candidates)
STATUSES = ("open", "overdue", "reversed", "weakened", "strengthened", "postponed", "brought forward", "dropped")
_WORD = re.compile(r"\w+")
_ALIKE = {"scorer": Indel.normalized_similarity, "processor": None, "score_cutoff": SAME_PROMISE, "limit": None}


@dataclass
class Found:
    """A commitment where it was found: document, version, the letter's date."""

    doc: str
    version: int
    date: str | None
    commitment: Commitment
    id: int = 0  # the stored row


@dataclass
class Event:
    doc: str
    version: int
    date: str | None
    text: str
    event: str
    detail: str = ""
    at: int = 0  # the stored row of the commitment its thread stands at after this event, until the next

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc": self.doc,
            "version": self.version,
            "date": self.date,
            "text": self.text,
            "event": self.event,
            "detail": self.detail,
        }


@dataclass
class Thread:
    """One promise and its history, oldest first; ``current`` is how it stands now."""

    origin: Found
    current: Found
    history: list[Event] = field(default_factory=list)
    gone: bool = False  # dropped from its letter's latest version

    def status(self, today: date | None = None) -> str:
        last = self.history[-1].event
        if last in ("made", "repeated"):
            last = "open"
        deadline = self.current.commitment.deadline
        if last != "dropped" and deadline and deadline.end and deadline.end < (today or date.today()):
            return "overdue"
        return last

    def to_dict(self, today: date | None = None) -> dict[str, Any]:
        c = self.current.commitment
        return {
            "id": self.origin.id,
            "doc": self.current.doc,
            "version": self.current.version,
            "date": self.current.date,
            "text": c.text,
            "actor": c.actor,
            "act": c.act,
            "object": c.object,
            "deadline": c.deadline.to_dict() if c.deadline else None,
            "polarity": c.polarity,
            "modality": c.modality,
            "strength": c.strength,
            "status": self.status(today),
            "history": [e.to_dict() for e in self.history],
        }


@lru_cache(maxsize=65536)  # a promise is scored against several others: its words are read once
def _tokens(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(text.lower()))


def _similarity(a: Commitment, b: Commitment, cutoff: float = 0.0) -> float:
    """Indel similarity of two promises' words; 0 when it is below ``cutoff`` (rapidfuzz then stops early)."""
    return Indel.normalized_similarity(_tokens(a.text), _tokens(b.text), score_cutoff=cutoff)


def _pairs(old: Sequence[Found], new: Sequence[Found]) -> list[tuple[int, int]]:
    """Greedy best pairs (old index, new index) of one letter's consecutive versions."""
    scored = []
    for i, a in enumerate(old):
        for j, b in enumerate(new):
            sim = _similarity(a.commitment, b.commitment)
            if a.commitment.act == b.commitment.act:
                sim += 0.1
            if sim >= SAME_SENTENCE:
                scored.append((sim, i, j))
    scored.sort(key=lambda x: (-x[0], x[1], x[2]))
    used_a: set[int] = set()
    used_b: set[int] = set()
    out = []
    for _, i, j in scored:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            out.append((i, j))
    return out


def _move(thread: Thread, found: Found) -> None:
    """The thread now stands at ``found`` (with or without an event: an unchanged promise in a new version)."""
    thread.current = found
    thread.history[-1].at = found.id


def _event(found: Found, name: str, detail: str = "") -> Event:
    return Event(found.doc, found.version, found.date, found.commitment.text, name, detail, found.id)


def letter_threads(versions: list[tuple[int, str | None, list[Found]]]) -> list[Thread]:
    """The threads of one letter's versions (oldest first)."""
    threads: list[Thread] = []
    live: list[Thread] = []
    previous: list[Found] = []
    for n, (_, _, found) in enumerate(versions):
        if n == 0:
            live = [Thread(f, f, [_event(f, "made")]) for f in found]
            threads.extend(live)
            previous = found
            continue
        pairs = dict(_pairs(previous, found))
        next_live: list[Thread] = [None] * len(found)  # type: ignore[list-item]
        for i, thread in enumerate(live):
            if i in pairs:
                j = pairs[i]
                new = found[j]
                for name, detail in compare_promises(thread.current.commitment, new.commitment):
                    thread.history.append(_event(new, name, detail))
                _move(thread, new)
                next_live[j] = thread
            else:
                version = versions[n]
                current = thread.current
                gone = Event(current.doc, version[0], version[1], current.commitment.text, "dropped", "", current.id)
                thread.history.append(gone)
                thread.gone = True
        for j, f in enumerate(found):
            if next_live[j] is None:
                thread = Thread(f, f, [_event(f, "made", f"added in version {f.version}")])
                threads.append(thread)
                next_live[j] = thread
        live, previous = next_live, found
    return threads


def _same_promise(a: Commitment, b: Commitment, sim: float | None = None) -> float:
    """How surely two letters' commitments are one promise (0 when not); ``sim``: their :func:`_similarity`
    when known (0 for anything below ``SAME_PROMISE``)."""
    if sim is None:
        sim = _similarity(a, b, SAME_PROMISE)  # below that it only ever counts as SAME_PROMISE, by the act
    if sim >= SAME_WORDING:
        return sim
    if a.act and a.act == b.act:
        wa, wb = set(a.object.split()), set(b.object.split())
        if wa and wb and len(wa & wb) / len(wa | wb) >= SAME_PROMISE:
            return max(sim, SAME_PROMISE)
    return 0.0


def letter_key(versions: Sequence[tuple[int, str | None, list[Found]]], doc: str) -> tuple[str, str]:
    """Where a letter comes in the order promises are linked: the day of its first version, then its name."""
    return ((versions[0][1] or "") if versions else "", doc)


def histories(letters: Iterable[tuple[str, list[tuple[int, str | None, list[Found]]]]]) -> list[Thread]:
    """Every promise over a set of letters: ``letters`` is (doc, [(version number, date, commitments)…]).

    Letters are taken in date order (:func:`letter_key`); a promise a later letter makes joins the best matching
    open promise of an earlier letter (each earlier promise takes one per letter); see :class:`Linker`."""
    linker = Linker()
    for _doc, versions in sorted(letters, key=lambda item: letter_key(item[1], item[0])):
        linker.link(versions)
    return linker.threads


class Linker:
    """Links letters, taken in date order, into the threads of the letters before them.

    A new letter's promise is scored only against the open promises :class:`Candidates` yields, so the work grows
    with the letters, not with their square. A linker can start from threads kept from an earlier run (their
    order, what each stands at now): linking the later letters then gives exactly what linking every letter
    from the start gives, because nothing in a letter's links depends on the letters after it."""

    def __init__(self, threads: Iterable[Thread] = ()) -> None:
        self.threads: list[Thread] = list(threads)
        self._index: Candidates | None = None  # made when the first letter is linked

    @property
    def index(self) -> Candidates:
        """The open promises, looked up by their words (:class:`Candidates`)."""
        if self._index is None:
            self._index = Candidates()
            for k, thread in enumerate(self.threads):
                if not thread.gone:
                    self._index.add(k, thread.current.commitment)
        return self._index

    def link(self, versions: list[tuple[int, str | None, list[Found]]]) -> None:
        """Add one letter (its versions, oldest first), later in date order than every letter linked before."""
        if not versions:
            return
        threads, index = self.threads, self.index
        mine = letter_threads(versions)
        taken: set[int] = set()
        joined: list[int] = []
        merged: set[int] = set()  # this letter's threads that continue an earlier promise
        for thread in mine:
            if thread.history[0].event != "made" or thread.origin.version != versions[0][0]:
                continue
            new = thread.origin.commitment
            by_words, by_act = index.near(new)
            near = sorted((by_words | by_act) - taken)
            # the similarities in one C loop; those under SAME_PROMISE are left out (and can only join by the act)
            alike = {
                near[i]: sim for _w, sim, i in extract(_tokens(new.text), [index.words[k] for k in near], **_ALIKE)
            }
            scores = [(_same_promise(threads[k].current.commitment, new, sim), k) for k, sim in alike.items()]
            scores += [
                (_same_promise(threads[k].current.commitment, new, 0.0), k) for k in by_act - taken - alike.keys()
            ]
            # the best; of equal ones the oldest
            best, score = min(((k, s) for s, k in scores if s > 0), key=lambda ks: (-ks[1], ks[0]), default=(None, 0))
            if best is None:
                continue
            taken.add(best)
            joined.append(best)
            old = threads[best]
            events = compare_promises(old.current.commitment, thread.origin.commitment) or [("repeated", "")]
            for name, detail in events:
                old.history.append(_event(thread.origin, name, detail))
            for later in thread.history[1:]:
                old.history.append(later)
            index.drop(best, old.current.commitment)
            _move(old, thread.current)
            old.gone = thread.gone
            merged.add(id(thread))
        for k in joined:  # an earlier promise joined by this letter is matched by what it says now
            if not threads[k].gone:
                index.add(k, threads[k].current.commitment)
        for thread in mine:
            if id(thread) not in merged:
                threads.append(thread)
                if not thread.gone:
                    index.add(len(threads) - 1, thread.current.commitment)


@lru_cache(maxsize=65536)  # a promise is looked up, added and dropped: its words counted once
def _counted(text: str) -> tuple[tuple[str, int], ...]:
    """The promise's words, each with how many times it came before: ("de", 0), ("de", 1) for "de" twice, so
    that shared words count repeats as the similarity does."""
    seen: dict[str, int] = {}
    out = []
    for word in _tokens(text):
        out.append((word, seen.get(word, 0)))
        seen[word] = seen.get(word, 0) + 1
    return tuple(out)


class Candidates:
    """Which open promises a new one may be the same promise as, without scoring it against all of them.

    :func:`_same_promise` joins two promises when their wording is similar (Indel similarity of their words
    ≥ ``SAME_WORDING``: an in-order overlap of at least 0.3 · (both lengths), so at least 3/7 of the longer's
    words, repeats counted) or when they share the act and half their object words. Every open promise is
    indexed by all its words (and by act + each object word). A new promise of ``len`` words shares at least
    ``ceil(3/7·len)`` of them with any promise it could join, so any ``len - ceil(3/7·len) + 1`` of its words
    hold one of those (pigeonhole): it looks up that many, the rarest — those the fewest open promises carry
    now, ties by the word (the scoring, one rapidfuzz loop with a cutoff, then leaves out in C the promises too
    long or too short for a similarity of 0.6). The act way is
    looked up the same way (objects half alike share one of any ``len - ceil(len/2) + 1`` object words). Both
    ways find every promise that could join, with one exception on purpose: at most :data:`PREFIX` words are
    looked up. All of them are 4/7 of a long promise's words, common ones among them, and each lookup would
    read most open promises (quadratic again). Cut, promises of up to 8 words are still paired exactly, and
    longer ones when they share one of the new one's five rarest words, which wordings 60 % alike nearly
    always do. The kind of pair it misses: promises (the new one over 8 words) alike mostly in their common
    words ("ik", "een", "brief", "de"), which the exhaustive join took for one promise and this index leaves
    apart.

    What is looked up depends only on the promises open now, so a letter's links depend only on the letters
    before it: an index rebuilt from kept threads answers as the one that was built letter by letter
    (:class:`Linker`). Measured against scoring every open promise (the exhaustive join): the same threads on
    2,000 generated letters (two seeds) and on 8,000 (1.3 s instead of 78 s).
    """

    def __init__(self) -> None:
        self.by_word: dict[tuple[str, int], set[int]] = {}  # (word, repeat) → the open promises that have it
        self.by_act: dict[tuple[str, str], set[int]] = {}  # (act, object word) → the open promises
        self.words: dict[int, tuple[str, ...]] = {}  # each open promise's words (what it is scored by)

    def add(self, k: int, c: Commitment) -> None:
        self.words[k] = _tokens(c.text)
        for token in _counted(c.text):
            self.by_word.setdefault(token, set()).add(k)
        if c.act:
            for word in set(c.object.split()):
                self.by_act.setdefault((c.act, word), set()).add(k)

    def drop(self, k: int, c: Commitment) -> None:
        self.words.pop(k, None)
        for token in _counted(c.text):
            self.by_word.get(token, set()).discard(k)
        if c.act:
            for word in set(c.object.split()):
                self.by_act.get((c.act, word), set()).discard(k)

    def near(self, c: Commitment) -> tuple[set[int], set[int]]:
        """The open promises ``c`` may join: those found by its words (some may be too long or too short for
        a similarity of 0.6: the scoring tells), and those found by its act and object words."""
        by_word, by_act, none = self.by_word, self.by_act, frozenset[int]()
        tokens = _counted(c.text)
        look = len(tokens) - -(-3 * len(tokens) // 7) + 1  # len - ceil(3/7 · len) + 1
        rarest = sorted(tokens, key=lambda t: (len(by_word.get(t, none)), t))[: min(PREFIX, look)]
        words: set[int] = set().union(*(by_word.get(t, none) for t in rarest))
        acts: set[int] = set()
        if c.act:
            objects = sorted(set(c.object.split()), key=lambda w: (len(by_act.get((c.act, w), none)), w))
            acts = acts.union(
                *(by_act.get((c.act, w), none) for w in objects[: len(objects) - -(-len(objects) // 2) + 1])
            )
        return words, acts
