"""Sentence fingerprints: folded tokens -> word shingles -> stable 32-bit hashes -> winnowed selection.

A sentence's token stream folds case, punctuation, quotes, dashes, whitespace, number spacing and
hyphenation (``normalize.tokens``), so "CSAM-Veror-dening" (a PDF line-end hyphen) and "CSAM-verordening"
give the same token. Shingles are ``K`` consecutive tokens hashed with xxh32 (stable across runs,
machines and Python versions; Python's ``hash()`` is salted per process): 32 bits keep the fingerprint
table a fifth smaller than 64 would, and a rare collision only adds a candidate that verification
rejects. A wording's identity (:func:`key`) stays 64-bit: a collision there would merge two sentences.
Winnowing (Schleimer, Wilkerson and Aiken 2003) keeps the smallest hash of every window of ``W``
consecutive shingles: any run of ``K + W - 1`` tokens that two sentences share yields at least one
fingerprint they share.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import xxhash
from rapidfuzz.distance import Indel

from ..text.normalize import tokens as _tokens

K = 4  # words per shingle
W = 4  # shingles per winnowing window: shared runs of K + W - 1 = 7 words are always found
MIN_TOKENS = 4  # shorter "sentences" (headings, "Hoogachtend,") are not formulations
KEEP_ALL = 10  # sentences with at most this many shingles keep them all: winnowing would leave one or two
SIMILARITY = 0.6  # variants: at least this word-level similarity (sentences of SHORT words or more)
SHORT = 12  # below this many words a variant must be more similar: one shared phrase is most of a short sentence
_SIGN = 1 << 63
_SIGN32 = 1 << 31
# A footnote marker glued to the end of a sentence ("aangenomen.1", "grondrechten.²") is not wording.
_TRAILING_NOTE = re.compile(r"(?<=[.!?:;'\"’”)\]])\s*(?:\d{1,3}|[⁰¹²³⁴⁵⁶⁷⁸⁹]+)$")


def words(sentence: str) -> list[str]:
    """The folded token stream of a sentence (footnote markers dropped)."""
    return _tokens(_TRAILING_NOTE.sub("", sentence.strip()))


def hash64(text: str) -> int:
    """xxh64 of UTF-8 text as a signed 64-bit integer (SQLite's INTEGER range)."""
    return xxhash.xxh64_intdigest(text.encode("utf-8")) - _SIGN


def hash32(text: str) -> int:
    """xxh32 of UTF-8 text as a signed 32-bit integer (four bytes in SQLite)."""
    return xxhash.xxh32_intdigest(text.encode("utf-8")) - _SIGN32


def key(tokens: list[str]) -> int:
    """The identity of a sentence's wording: sentences with equal folded tokens are one sentence."""
    return hash64(" ".join(tokens))


def shingles(tokens: list[str], k: int | None = None) -> list[int]:
    """Hashes of every run of ``k`` (default :data:`K`) tokens, in order; a sentence shorter than ``k``
    is one shingle."""
    k = k or K
    if len(tokens) <= k:
        return [hash32(" ".join(tokens))] if tokens else []
    joined = [" ".join(tokens[i : i + k]) for i in range(len(tokens) - k + 1)]
    return [xxhash.xxh32_intdigest(s.encode("utf-8")) - _SIGN32 for s in joined]


def winnow(hashes: list[int], w: int | None = None) -> list[tuple[int, int]]:
    """(hash, position) of the minimum of each window of ``w`` (default :data:`W`) hashes (rightmost on
    ties), each once. Sequences shorter than a window keep their minimum, so every sentence has one.
    """
    w = w or W
    if len(hashes) <= w:
        if not hashes:
            return []
        lo = min(range(len(hashes)), key=lambda i: (hashes[i], -i))
        return [(hashes[lo], lo)]
    out: list[tuple[int, int]] = []
    last = -1
    for start in range(len(hashes) - w + 1):
        lo = start
        for i in range(start + 1, start + w):
            if hashes[i] <= hashes[lo]:
                lo = i
        if lo != last:
            out.append((hashes[lo], lo))
            last = lo
    return out


@dataclass(frozen=True, slots=True)
class Print:
    """A sentence ready for the index: its wording key, tokens and fingerprints."""

    text: str
    tokens: tuple[str, ...]
    key: int
    shingles: tuple[int, ...]
    fingerprints: tuple[tuple[int, int], ...]


def fingerprint(sentence: str) -> Print | None:
    """A sentence's fingerprint, or None when it is too short to be a formulation."""
    toks = words(sentence)
    if len(toks) < MIN_TOKENS:
        return None
    sh = shingles(toks)
    prints = [(h, i) for i, h in enumerate(sh)] if len(sh) <= KEEP_ALL else winnow(sh)
    return Print(sentence, tuple(toks), key(toks), tuple(sh), tuple(prints))


def similarity(a: list[str] | tuple[str, ...], b: list[str] | tuple[str, ...]) -> float:
    """Word-level similarity: 2 × longest common subsequence / total length (1.0 = same wording)."""
    return Indel.normalized_similarity(a, b)


def threshold(a: int, b: int, base: float = SIMILARITY) -> float:
    """The similarity two wordings of ``a`` and ``b`` words need to count as variants: ``base`` for
    sentences of :data:`SHORT` words or more, two points more per word below that (0.70 at 7 words)."""
    return base + 0.02 * max(0, SHORT - min(a, b))


def variant_score(a: tuple[str, ...], b: tuple[str, ...], base: float = SIMILARITY) -> float | None:
    """The similarity of two wordings if they are variants of each other, else None."""
    sim = similarity(a, b)
    return sim if sim >= threshold(len(a), len(b), base) else None


def coverage(query: list[str] | tuple[str, ...], text: list[str] | tuple[str, ...]) -> float:
    """The share of the query's words found, in order, in ``text`` (1.0 = the query is inside it)."""
    if not query:
        return 0.0
    lcs = (len(query) + len(text) - Indel.distance(query, text)) / 2
    return lcs / len(query)
