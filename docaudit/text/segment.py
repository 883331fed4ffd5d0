"""Segmentation: paragraphs and Dutch-aware sentences.

Sentence splitting is rule based, tuned on Dutch government letters: abbreviations such as "jl.", "c.s.",
"nr.", "o.a.", "d.d.", "bijv.", "art.", "mr.", "dr.", "prof." do not end a sentence (but "jl." and
"c.s." do when a capitalised sentence follows), initials ("D.M. van Weel") stay together, and footnote
markers glued to the full stop ("aangenomen.1 Het …") stay with the sentence they annotate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .normalize import paragraphs as _paragraphs

# Abbreviations that never end a sentence: they precede a name, number or further words.
NEVER_FINAL = frozenset(
    """nr nrs art artt mr dr drs prof ir ing bijv bv b.v o.a d.d i.v.m t.a.v m.b.t m.n n.a.v o.b.v t.b.v
    i.p.v v.w.b vgl zgn z.g ca blz pag par dhr mevr mw st sr jr e.g i.e vs resp incl excl evt d.w.z m.a.w
    z.s.m t.z.t e.e.a o.i.d mln mld mrd min max tel fig hfd hfst red ed no p jo sub lid kst stb
    stcrt""".split()
)
# Abbreviations that often end a sentence: split after them when a capitalised word follows.
MAY_FINAL = frozenset("jl c.s a.s e.d enz etc e.a e.v ll".split())

_CANDIDATE = re.compile(
    r"""(?P<punct>[.!?…]+)                 # terminal punctuation
        (?P<close>['"’”)\]*_]*)            # closing quotes, brackets or emphasis
        (?P<note>(?<=[^\W\d]\.)\d{1,3}|(?<=\b(?:19|20)\d\d\.)\d{1,2}|(?<=[^\W\d][.!?]['"’”])\d{1,3}
                |[⁰¹²³⁴⁵⁶⁷⁸⁹]+)?                   # footnote marker
        (?P<space>\s+)""",
    re.VERBOSE,
)
_INITIALS = re.compile(r"^(?:[A-Z]\.)*[A-Z]$|^(?:[A-Z]\.){1,4}[A-Z][a-z]?$")
_LIST_ONLY = re.compile(r"^\(?(?:\d{1,3}|[a-zA-Z]|[ivxIVX]{1,5})[.)]$")
_OPENERS = "\"'‘“„([*_"  # quotes, brackets and markdown emphasis may open a sentence


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence with its position: paragraph number and running sentence index in the text."""

    text: str
    index: int
    paragraph: int


def _token_before(text: str, end: int) -> str:
    start = text.rfind(" ", 0, end) + 1
    return text[start:end].lstrip(_OPENERS)


def _starts_sentence(text: str, pos: int) -> bool:
    """Whether a new sentence can start at ``pos`` (a capital or a digit, possibly after an opener)."""
    i = pos
    while i < len(text) and text[i] in _OPENERS:
        i += 1
    if i >= len(text):
        return False
    ch = text[i]
    if ch.isupper():
        return True
    # "'s-Gravenhage", "'t" start sentences with a lower-case letter after an apostrophe
    return text.startswith(("'s ", "'s-", "’s ", "’s-", "'t ", "’t "), pos)


def split_sentences(paragraph: str) -> list[str]:
    """Split one paragraph (a single line of text) into sentences."""
    text = paragraph.strip()
    if not text:
        return []
    out: list[str] = []
    start = 0
    for m in _CANDIDATE.finditer(text):
        nxt = m.end()
        if nxt >= len(text) or not _starts_sentence(text, nxt):
            continue
        punct = m.group("punct")
        if punct == ".":
            word = _token_before(text, m.start())
            low = word.lower().rstrip(".")
            if word and not m.group("close") and not m.group("note"):
                if low in NEVER_FINAL or _INITIALS.match(word):
                    continue
                if low in MAY_FINAL and text[nxt].isdigit():
                    continue
            piece = text[start : m.end("note") if m.group("note") else m.end("close")].strip()
            if _LIST_ONLY.match(piece.strip("#*_ ")):  # "#### **4." opens its heading, it is no sentence
                continue
        end = m.end("note") if m.group("note") else m.end("close")
        piece = text[start:end].strip()
        if piece:
            out.append(piece)
        start = m.end()
    rest = text[start:].strip()
    if rest:
        out.append(rest)
    return out


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a text (see :func:`docaudit.text.normalize.paragraphs`)."""
    return _paragraphs(text)


def sentences(text: str) -> list[Sentence]:
    """All sentences of a text, numbered in reading order, with the paragraph each belongs to."""
    out: list[Sentence] = []
    for p, para in enumerate(paragraphs(text)):
        for s in split_sentences(para):
            out.append(Sentence(s, len(out), p))
    return out


@lru_cache(maxsize=4)
def sentences_of(text: str) -> tuple[Sentence, ...]:
    """:func:`sentences`, remembered for the last few texts: the writers of one new version (phrase index,
    commitments) read its sentences once between them."""
    return tuple(sentences(text))
