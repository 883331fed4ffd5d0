"""What a change does to meaning: its level, its signals (with direction), a severity from 0 to 100 and a
one-line summary, so that the change that matters most comes first.

**Levels.** ``cosmetic`` (typography, layout: as classified by the alignment), ``minor`` (a modified sentence
whose only change is its punctuation, capitals or the numbering of a heading or list item: shown apart, never
an alarm) and ``substantive`` (everything else).

**Signals** are named reasons, Dutch first (basic English):

=======================  ====================================================================  ========
signal                   when                                                                  weight
=======================  ====================================================================  ========
negation added/removed   a negation word ("niet", "geen", "nooit", …) appears or disappears       95
commitment weakened      the strongest modal drops (zal/moet → kan/wil/zou) or a hedge appears    85
commitment strengthened  the strongest modal rises (kan → zal/moet) or a hedge disappears         70
stance reversed          a word is swapped for its opposite (positief ↔ kritisch, steunt ↔        85
                         wijst af, voor ↔ tegen, …)
deadline made vague      a date gives way to "zo spoedig mogelijk", "op termijn", …               80
deadline moved later     the latest date of the sentence moves later                              75
deadline moved earlier   … earlier                                                                 55
amount changed           a number (€, %, miljoen) changed; the weight grows with the size          50–80
                         of the change ("€ 12 miljoen" → "€ 9,5 miljoen": −21 %)
name changed             a capitalised name was replaced, added or removed                        45
=======================  ====================================================================  ========

A change's severity is its strongest signal's weight (plus 5 for each further signal, at most 100); a
change without a signal weighs by kind: inserted or deleted 40, modified 30, moved 15; minor 5, cosmetic 0.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from datetime import date

from ..meaning.lexicon import HEDGES, MODAL_STRENGTH, NEGATIONS, VAGUE
from ..metadata import MONTHS
from ..normalize import fold_typography, repair_encoding, strip_list_marker
from .flags import is_entity, word_list
from .model import Change

# a curated list of opposite pairs (stance, verdict, direction) from Dutch government letters
OPPOSITES = [
    ("positief", "negatief"),
    ("positief", "kritisch"),
    ("steunt", "wijst af"),
    ("steunen", "afwijzen"),
    ("steun", "afwijzing"),
    ("voorstander", "tegenstander"),
    ("eens", "oneens"),
    ("akkoord", "niet akkoord"),
    ("instemmen", "tegenstemmen"),
    ("voor", "tegen"),
    ("gunstig", "ongunstig"),
    ("toename", "afname"),
    ("stijging", "daling"),
    ("verhogen", "verlagen"),
    ("verhoging", "verlaging"),
    ("uitbreiden", "inperken"),
    ("versterken", "verzwakken"),
    ("ruim", "beperkt"),
    ("haalbaar", "onhaalbaar"),
    ("wenselijk", "onwenselijk"),
    ("support", "oppose"),
    ("positive", "negative"),
]
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_DATE = re.compile(
    rf"\b(?:(\d{{1,2}})(?:\s*(?:,|en|t/m|tot|-)\s*(\d{{1,2}}))*\s+)?({_MONTH_NAMES})\.?(?:\s+(\d{{4}}))?\b"
    r"|\b(voor|vóór|na|begin|medio|eind)\s+(?:de\s+|het\s+)?(zomer|zomerreces|kerstreces|winter|voorjaar|najaar)?"
    r"\s*(?:van\s+)?(\d{4})\b",
    re.I,
)
_SEASONS = {"begin": 2, "voor": 6, "vóór": 6, "medio": 6, "na": 9, "eind": 12}
_AMOUNT = re.compile(r"(?:€\s*)?(\d+(?:[.\s]\d{3})*(?:,\d+)?)\s*(miljard|miljoen|duizend|procent|%)?", re.I)
_PUNCT = re.compile(r"[^\w\s]+")
# numbers that name a document or a place in it, not an amount: "Kamerstuk 34 843, nr. 113", "artikel 7, lid 2"
_REFERENCE = re.compile(
    r"\b(?:kamerstuk(?:ken)?|nr|nummer|artikel|art|lid|vraag|vragen|bijlage|motie|pagina|blz|p)\.?\s+\d[\d\s]*",
    re.I,
)


def _has(text: str, phrase: str) -> int:
    return len(re.findall(rf"(?<!\w){re.escape(phrase)}(?!\w)", text))


def _says(text: str, phrase: str) -> bool:
    """Whether ``text`` has every word of ``phrase`` (Dutch splits verbs: "wijst het voorstel af")."""
    return all(_has(text, word) for word in phrase.split())


def _modal_strength(words: Sequence[str]) -> int:
    return max((MODAL_STRENGTH.get(w, 0) for w in words), default=0)


def _swapped_strength(words_a: Sequence[str], words_b: Sequence[str]) -> tuple[int, int]:
    """The strength of the modals that went and of those that came, as (old, new); (0, 0) when none swapped."""
    gone = Counter(w for w in words_a if w in MODAL_STRENGTH) - Counter(w for w in words_b if w in MODAL_STRENGTH)
    came = Counter(w for w in words_b if w in MODAL_STRENGTH) - Counter(w for w in words_a if w in MODAL_STRENGTH)
    if not gone or not came:
        return 0, 0
    return _modal_strength(list(gone)), _modal_strength(list(came))


def _moved_date(dates_a: list[date], dates_b: list[date]) -> int:
    """+1 when the sentence's date moved later, -1 earlier, 0 when it stayed (one date swapped, else the latest)."""
    gone, came = Counter(dates_a) - Counter(dates_b), Counter(dates_b) - Counter(dates_a)
    if len(gone) == 1 and len(came) == 1:
        a, b = next(iter(gone)), next(iter(came))
    else:
        a, b = max(dates_a), max(dates_b)
    return (b > a) - (b < a)


def _dates(text: str) -> list[date]:
    """The dates a sentence names (a day list such as "5 en 6 december" counts by its last day; no year: 2000)."""
    out = []
    for m in _DATE.finditer(text):
        try:
            if m.group(3):
                day = int(m.group(2) or m.group(1) or 1)
                out.append(date(int(m.group(4) or 2000), MONTHS[m.group(3).lower()], day))
            elif m.group(7):
                out.append(date(int(m.group(7)), _SEASONS.get(m.group(5).lower(), 6), 1))
        except ValueError:
            continue
    return out


def _amounts(text: str) -> list[float]:
    values = []
    for m in _AMOUNT.finditer(_REFERENCE.sub(" ", text)):
        raw = m.group(1).replace(".", "").replace(" ", "").replace(",", ".")
        try:
            value = float(raw)
        except ValueError:
            continue
        scale = {"miljard": 1e9, "miljoen": 1e6, "duizend": 1e3}.get((m.group(2) or "").lower(), 1)
        if 1900 <= value <= 2100 and scale == 1 and not m.group(2) and "€" not in m.group(0):
            continue  # a year, not an amount
        values.append(value * scale)
    return values


def _core(text: str) -> str:
    """The text without its dates and the set phrases (hedges, vague periods) that contain modal words."""
    text = _DATE.sub(" ", text)
    for phrase in (*VAGUE, *HEDGES):
        text = re.sub(rf"(?<!\w){re.escape(phrase)}(?!\w)", " ", text)
    return text


_JOINERS = frozenset({"en", "and"})  # "gedaan en het is" → "gedaan; het is": punctuation standing in for "and"


def fold(text: str) -> str:
    """The text without punctuation, capitals, list or heading numbering: equal folds make a minor change.

    "en"/"and" fold away too, so a clause joined by "and" instead of a semicolon is minor; "of" does not.
    """
    parts = [strip_list_marker(p.strip()) for p in re.split(r"(?<=[.;:!?])\s+", fold_typography(text or ""))]
    return " ".join(w for w in _PUNCT.sub(" ", " ".join(parts)).casefold().split() if w not in _JOINERS)


def signals(old: str | None, new: str | None) -> list[tuple[str, int]]:
    """Named reasons, with their weight, for what the change from ``old`` to ``new`` does to meaning."""
    a, b = fold_typography(old or "").casefold(), fold_typography(new or "").casefold()
    words_a, words_b = word_list(a), word_list(b)
    core_a, core_b = _core(a), _core(b)  # without dates and set phrases, for modals and amounts
    found: list[tuple[str, int]] = []
    neg_a, neg_b = sum(w in NEGATIONS for w in words_a), sum(w in NEGATIONS for w in words_b)
    if old and new and neg_a != neg_b:
        found.append(("negation added" if neg_b > neg_a else "negation removed", 95))
    if old and new:
        core_words_a, core_words_b = word_list(core_a), word_list(core_b)
        strength_a, strength_b = _modal_strength(core_words_a), _modal_strength(core_words_b)
        if strength_a == strength_b:  # the strongest stayed: judge by the modal that was swapped ("zal" → "kan")
            strength_a, strength_b = _swapped_strength(core_words_a, core_words_b)
        hedges_a = sum(_has(a, h) for h in HEDGES)
        hedges_b = sum(_has(b, h) for h in HEDGES)
        detail = _modal_words(core_words_a, core_words_b)
        if strength_b < strength_a or (hedges_b > hedges_a and strength_b <= strength_a):
            found.append((f"commitment weakened{detail}", 85))
        elif strength_b > strength_a or (hedges_b < hedges_a and strength_b >= strength_a):
            found.append((f"commitment strengthened{detail}", 70))
        for x, y in OPPOSITES:
            if (_says(a, x) and not _says(a, y) and _says(b, y) and not _says(b, x)) or (
                _says(a, y) and not _says(a, x) and _says(b, x) and not _says(b, y)
            ):
                first, second = (x, y) if _says(a, x) else (y, x)
                found.append((f"stance reversed: '{first}' → '{second}'", 85))
                break
        dates_a, dates_b = _dates(a), _dates(b)
        vague_b = any(_has(b, v) for v in VAGUE) and not any(_has(a, v) for v in VAGUE)
        if dates_a and not dates_b and vague_b:
            found.append(("deadline made vague", 80))
        elif dates_a and dates_b and (moved := _moved_date(dates_a, dates_b)):
            later = moved > 0
            found.append((f"deadline moved {'later' if later else 'earlier'}", 75 if later else 55))
        amounts_a, amounts_b = Counter(_amounts(core_a)), Counter(_amounts(core_b))
        gone, came = list((amounts_a - amounts_b).elements()), list((amounts_b - amounts_a).elements())
        if len(gone) == 1 and len(came) == 1 and gone[0]:
            change = (came[0] - gone[0]) / gone[0] * 100
            found.append((f"amount changed: {change:+.0f}%", min(80, 50 + int(abs(change) / 2))))
        elif gone or came:
            found.append(("amount changed", 50))
    list_a = [w for i, w in enumerate(word_list(fold_typography(old or ""))) if is_entity(w, i == 0)]
    list_b = [w for i, w in enumerate(word_list(fold_typography(new or ""))) if is_entity(w, i == 0)]
    names_a, names_b = set(list_a), set(list_b)
    if old and new and (names_a - names_b) and (names_b - names_a):
        if len(words_a) <= 6 and len(words_b) <= 6:  # a name line: quote it whole ("D.M. van Weel")
            gone, came = (" ".join((t or "").split()).strip(" ,;:") for t in (old, new))
        else:
            gone = " ".join(w for w in dict.fromkeys(list_a) if w not in names_b)
            came = " ".join(w for w in dict.fromkeys(list_b) if w not in names_a)
        found.append((f"name changed: {gone} → {came}", 45))
    return found


def _modal_words(words_a: Sequence[str], words_b: Sequence[str]) -> str:
    gone = [w for w in dict.fromkeys(words_a) if w in MODAL_STRENGTH and w not in words_b]
    came = [w for w in dict.fromkeys(words_b) if w in MODAL_STRENGTH and w not in words_a]
    if gone or came:
        return f": '{' '.join(gone) or '…'}' → '{' '.join(came) or '…'}'"
    return ""


BASE = {"inserted": 40, "deleted": 40, "modified": 30, "moved": 15, "cosmetic": 0}


def assess(change: Change) -> None:
    """Set ``level``, ``signals``, ``severity`` and ``summary`` on a change."""
    if change.kind == "cosmetic":
        change.level, change.severity = "cosmetic", 0
        change.summary = "cosmetic: " + ", ".join(change.reasons) if change.reasons else "cosmetic"
        return
    old_text = repair_encoding(change.old_text) if change.old_text else change.old_text
    new_text = repair_encoding(change.new_text) if change.new_text else change.new_text
    minor = change.kind == "modified" and old_text and new_text
    if minor and fold(old_text or "") == fold(new_text or ""):
        change.level, change.severity = "minor", 5
        change.summary = "punctuation, capitals or numbering only"
        return
    change.level = "substantive"
    if change.kind in ("modified", "moved"):
        found = signals(old_text, new_text) if change.kind == "modified" or change.words else []
    else:
        found = []
        text = new_text if change.kind == "inserted" else old_text
        words = word_list(fold_typography(text or "").casefold())
        if any(w in NEGATIONS for w in words):
            found.append((f"{change.kind} a negative statement", 55))
        if _modal_strength(words) >= 3:
            found.append((f"{change.kind} a commitment", 65 if change.kind == "deleted" else 55))
    change.signals = [name for name, _ in sorted(found, key=lambda s: -s[1])]
    weights = sorted((w for _, w in found), reverse=True)
    if weights:
        change.severity = min(100, weights[0] + 5 * (len(weights) - 1))
        change.summary = change.signals[0]
    else:
        change.severity = BASE.get(change.kind, 30) + (5 if change.flags else 0)
        change.summary = {
            "inserted": "sentence inserted",
            "deleted": "sentence deleted",
            "moved": "text moved",
            "modified": "wording changed",
        }.get(change.kind, change.kind)
