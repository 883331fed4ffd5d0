"""The words docaudit reads meaning by: negations, modals and their strength, hedges, vague periods, and stance.

Lists are classes, not single entries: a new wording falls into a class ("heeft bedenkingen bij" is a concern
like "heeft zorgen over") and the class carries the direction and intensity a signal reports. docs/diff.md
prints the tables.

**Stance** (what the writer thinks of a proposal, a situation, a motion), on a scale from −3 to +3:

=====  =====================================================================================
  +3   steunt, staat (zeer) positief tegenover, verwelkomt, juicht toe, is voorstander, onderschrijft
  +2   is positief, kan instemmen met, gaat akkoord, stemt voor, ziet kansen, goed, succesvol, voldoende
  +1   staat open voor, ziet ruimte, grotendeels, neemt … weg
   0   onthoudt zich, neemt geen positie in, is neutraal, heeft vragen over, bekijkt
  −1   heeft (enige) vragen bij, plaatst kanttekeningen, twijfelt, moeizaam, onvoldoende
  −2   heeft zorgen, heeft bedenkingen, is kritisch, heeft bezwaren, ongunstig, slecht
  −3   wijst af, verwerpt, is tegenstander, stemt tegen, heeft ernstige zorgen, is (zeer) kritisch
=====  =====================================================================================

A stance word under a negation ("steunt niet", "geen steun") counts with the opposite sign.

**Commitment strength** (how firmly the government side binds itself): 3 an obligation or a promise ("zal",
"moet", "zeg toe"), 2 an intention ("wil", "streeft ernaar", "is voornemens", "beoogt"), 1 a possibility
("kan", "mag", "zou", "overweegt", "neemt in overweging", "bekijkt", "bezien"); a hedge ("zo mogelijk",
"in beginsel", "bezien of", "waar mogelijk", "voorlopig", …) lowers it by one.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

NEGATIONS = frozenset(
    """niet geen nooit noch niets nergens niemand geenszins allerminst nimmer evenmin zonder
    onvoldoende ontoereikend ontoereikende nauwelijks amper
    not no never none nothing neither nor without insufficient insufficiently hardly""".split()
)

# how strongly a modal commits: 3 an obligation or a promise, 2 an intention, 1 a possibility
MODAL_STRENGTH = {
    **dict.fromkeys(
        "zal zult zullen moet moeten dient dienen verplicht garandeert garanderen will shall must".split(), 3
    ),
    **dict.fromkeys("wil willen streeft streven beoogt beogen voornemens intends plans hoop hoopt hopen".split(), 2),
    **dict.fromkeys(
        "kan kun kunt kunnen mag mogen zou zouden lijkt lijken mogelijk wellicht misschien eventueel "
        "overweegt overwegen overweeg bekijkt bekijken bezie beziet bezien verkent verkennen "
        "can could may might would should".split(),
        1,
    ),
}
# set phrases that lower a commitment's strength (a hedge or a condition)
HEDGES = (
    "voorlopig",
    "in beginsel",
    "in principe",
    "naar verwachting",
    "een deel van",
    "enige",
    "zo mogelijk",
    "waar mogelijk",
    "indien mogelijk",
    "bezien of",
    "bezien in hoeverre",
    "onderzoeken of",
    "vooralsnog",
    "in de regel",
    "zoveel mogelijk",
    "zo veel mogelijk",
    "waar nodig",
    "op termijn",
    "in overweging",
    "mogelijk",
    "wellicht",
    "misschien",
    "eventueel",
    "zo nodig",
    "streeft ernaar",
    "streven ernaar",
    "streef ernaar",
    "in principle",
    "where possible",
    "if possible",
)
VAGUE = (
    "zo spoedig mogelijk",
    "zo snel mogelijk",
    "op termijn",
    "te zijner tijd",
    "binnenkort",
    "in de loop van",
    "as soon as possible",
    "in due course",
)

# stance classes: (score, phrases). A phrase's words must all occur in the sentence, in any order ("wijst
# het voorstel af"); longer phrases are tried first, so "ernstige zorgen" wins over "zorgen".
STANCE: list[tuple[int, tuple[str, ...]]] = [
    (
        3,
        (
            "steunt",
            "steunen",
            "steun",
            "verwelkomt",
            "verwelkomen",
            "juicht toe",
            "juichen toe",
            "voorstander",
            "onderschrijft",
            "onderschrijven",
            "zeer positief",
            "staat positief",
            "staan positief",
            "omarmt",
            "omarmen",
            "support",
            "welcomes",
        ),
    ),
    (
        2,
        (
            "positief",
            "instemmen",
            "stemt in",
            "akkoord",
            "stemt voor",
            "stemmen voor",
            "kansen",
            "goed",
            "succesvol",
            "voldoende",
            "gunstig",
            "wenselijk",
            "haalbaar",
            "positive",
        ),
    ),
    (1, ("staat open", "staan open", "ruimte", "grotendeels", "neemt weg", "nemen weg", "beperkt zorgen")),
    (
        0,
        (
            "onthoudt zich",
            "onthouden zich",
            "onthouden",
            "geen positie",
            "neutraal",
            "vragen",
            "bekijkt",
            "onthouding",
            "abstains",
        ),
    ),
    (
        -1,
        (
            "kanttekeningen",
            "kanttekening",
            "twijfelt",
            "twijfels",
            "twijfel",
            "moeizaam",
            "lastig",
            "moeilijk",
            "onvoldoende",
            "enige zorgen",
            "aandachtspunt",
            "aandachtspunten",
        ),
    ),
    (
        -2,
        (
            "zorgen",
            "zorg",
            "bedenkingen",
            "kritisch",
            "bezwaren",
            "bezwaar",
            "ongunstig",
            "slecht",
            "onwenselijk",
            "onhaalbaar",
            "negatief",
            "concerns",
            "critical",
        ),
    ),
    (
        -3,
        (
            "wijst af",
            "wijzen af",
            "afwijzen",
            "verwerpt",
            "verwerpen",
            "tegenstander",
            "stemt tegen",
            "stemmen tegen",
            "tegen stemmen",
            "ernstige zorgen",
            "grote zorgen",
            "zeer kritisch",
            "ernstige bezwaren",
            "onaanvaardbaar",
            "rejects",
            "opposes",
        ),
    ),
]
_STANCE_PHRASES = sorted(
    ((phrase, score) for score, phrases in STANCE for phrase in phrases), key=lambda p: -len(p[0].split())
)
_WORD = re.compile(r"\w+")
STANCE_WORDS = frozenset(w for _, phrases in STANCE for p in phrases for w in p.split())
_STANCE_PARTS = [(phrase, tuple(phrase.split()), score) for phrase, score in _STANCE_PHRASES]
_STANCE_BY_WORD: dict[str, list[int]] = {}
for _n, (_phrase, _parts, _score) in enumerate(_STANCE_PARTS):
    for _w in _parts:
        _STANCE_BY_WORD.setdefault(_w, []).append(_n)


_TOKEN = re.compile(r"\w+(?:[-']\w+)*")


def word_list(text: str) -> list[str]:
    """The words of ``text`` as written (hyphens and apostrophes inside a word kept: "CSAM-verordening")."""
    return _TOKEN.findall(text)


def words_of(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


@lru_cache(maxsize=8)
def _alternation(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for a list of phrases, longest first, whole words only."""
    ordered = sorted(dict.fromkeys(phrases), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in ordered) + r")(?!\w)")


def hedges_in(text: str, phrases: tuple[str, ...] = HEDGES) -> list[str]:
    """The hedges of ``text`` (lower-cased), longest first, each word counted once; a vague period ("zo spoedig
    mogelijk") is a deadline, not a hedge, and is read past."""
    return _alternation(phrases).findall(_alternation(VAGUE).sub(" ", text))


def without(text: str, phrases: tuple[str, ...]) -> str:
    """``text`` with every one of ``phrases`` blanked out."""
    return _alternation(phrases).sub(" ", text)


def stances(text: str) -> list[tuple[int, str]]:
    """Every stance phrase of the sentence as (score, phrase), longest phrases first, each word used once. A
    negation near a positive phrase (within three words: "steunt dit niet", "geen steun") turns its sign."""
    words = words_of(text)
    present = set(words) & STANCE_WORDS
    if not present:
        return []
    left = Counter(w for w in words if w in present)
    negations = [i for i, w in enumerate(words) if w in NEGATIONS and w != "onvoldoende"]
    out = []
    for n in sorted({n for w in present for n in _STANCE_BY_WORD[w]}):
        phrase, parts, score = _STANCE_PARTS[n]
        if all(left[p] > 0 for p in parts):
            left.subtract(parts)
            at = [i for i, w in enumerate(words) if w in parts]
            negated = score > 0 and any(abs(i - j) <= 3 for i in at for j in negations)
            out.append((-score if negated else score, phrase))
    return out


def stance(text: str) -> tuple[int, str] | None:
    """The sentence's strongest stance as (score, the phrase that says it), or None when it takes none."""
    found = stances(text)
    return max(found, key=lambda s: abs(s[0])) if found else None
