"""The one analysis of a sentence pair: what the change from ``old`` to ``new`` does to meaning.

The diff's signals and severity, ``changes``, notifications, the feed and the report all show what
:func:`analyse` says, and it reads a promise the way the commitments do (:mod:`.promise`): a weakened,
strengthened, postponed, brought-forward or reversed promise carries the same name and direction everywhere.

=============================  ==================================================================  ======
signal                         when                                                                weight
=============================  ==================================================================  ======
negation added/removed         a negation word ("niet", "geen", "nooit", …) came or went               95
commitment reversed            a promise's polarity flipped ("zal … niet steunen" → "zal … steunen")   95
stance reversed                the stance turned from positive to negative or back (lexicon)           85
commitment weakened            a promise, or the modal of any sentence, weakened (zal → kan, a hedge)  85
deadline made vague            a date gave way to "zo spoedig mogelijk", "op termijn", …               80
commitment postponed           a promise's deadline moved later (deadlines read as date ranges)        80
deadline moved later           the latest date of the sentence moved later                             75
commitment strengthened        … strengthened (kan → zal, a hedge went)                                70
stance softened/hardened       the same side, a different intensity, or a stance taken or dropped      60
commitment brought forward     a promise's deadline moved earlier                                      60
deadline moved earlier         … earlier                                                               55
amount changed                 money, a quantity with a unit, a percentage or a count changed;     50–80
                               weighs more with the size of the change (only within one role/unit)
reference changed              a Kamerstuk, article or letter date referred to changed                 35
=============================  ==================================================================  ======
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from ..text.metadata import MONTHS
from ..text.normalize import fold_typography
from ..text.segment import Sentence
from .deadline import find_deadline
from .lexicon import HEDGES, MODAL_STRENGTH, NEGATIONS, VAGUE, hedges_in, stances, without, word_list
from .numbers import AMOUNT_ROLES, Number, numbers
from .promise import commitment_of, compare_promises


@dataclass(frozen=True)
class Signal:
    """A named reason, its weight (0–100) and why it weighs that much."""

    name: str
    weight: int
    why: str


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
# a date that names an earlier letter, debate or decision: a reference, not a deadline
_REFERENCE_DATE = re.compile(
    rf"\b(?:brief|kamerbrief|debat|commissiedebat|overleg|motie|verslag|besluit|uitspraak|arrest|antwoorden|vragen"
    rf"|mail|bericht)\s+(?:van|d\.d\.|gedateerd)\s+(?:\d{{1,2}}\s+)?(?:{_MONTH_NAMES})(?:\s+\d{{4}})?"
    rf"|\b\d{{1,2}}\s+(?:{_MONTH_NAMES})(?:\s+\d{{4}})?\s+jl\b",
    re.I,
)
_SEASONS = {"begin": 2, "voor": 6, "vóór": 6, "medio": 6, "na": 9, "eind": 12}
_JOINERS = frozenset({"en", "and"})
# the negations that turn a statement round; "onvoldoende", "ontoereikend" judge, and are read as stance
_NEGATING = NEGATIONS - {"onvoldoende", "ontoereikend", "ontoereikende", "insufficient", "insufficiently"}


def _has(text: str, phrase: str) -> int:
    return len(re.findall(rf"(?<!\w){re.escape(phrase)}(?!\w)", text))


def _says(words: set[str], phrase: str) -> bool:
    """Whether a sentence's ``words`` hold every word of ``phrase`` (Dutch splits verbs: "wijst het voorstel af")."""
    return all(word in words for word in phrase.split())


def modal_strength(words: Sequence[str]) -> int:
    return max((MODAL_STRENGTH.get(w, 0) for w in words), default=0)


def _swapped_strength(words_a: Sequence[str], words_b: Sequence[str]) -> tuple[int, int]:
    """The strength of the modals that went and of those that came, as (old, new); (0, 0) when none swapped."""
    gone = Counter(w for w in words_a if w in MODAL_STRENGTH) - Counter(w for w in words_b if w in MODAL_STRENGTH)
    came = Counter(w for w in words_b if w in MODAL_STRENGTH) - Counter(w for w in words_a if w in MODAL_STRENGTH)
    if not gone or not came:
        return 0, 0
    return modal_strength(list(gone)), modal_strength(list(came))


def _moved_date(dates_a: list[date], dates_b: list[date]) -> int:
    """+1 when the sentence's date moved later, -1 earlier, 0 when it stayed (one date swapped, else the latest)."""
    gone, came = Counter(dates_a) - Counter(dates_b), Counter(dates_b) - Counter(dates_a)
    if len(gone) == 1 and len(came) == 1:
        a, b = next(iter(gone)), next(iter(came))
    else:
        a, b = max(dates_a), max(dates_b)
    return (b > a) - (b < a)


def dates(text: str) -> list[date]:
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


def _core(text: str) -> str:
    """The text without its dates and the set phrases (hedges, vague periods) that contain modal words."""
    return without(_DATE.sub(" ", text), (*VAGUE, *HEDGES))


def _modal_words(words_a: Sequence[str], words_b: Sequence[str], a: str = "", b: str = "") -> str:
    """``: 'zal' → 'kan'``: the modals (and hedges, read in the whole sentences ``a`` and ``b``) that went and came."""
    gone = [w for w in dict.fromkeys(words_a) if w in MODAL_STRENGTH and w not in words_b]
    came = [w for w in dict.fromkeys(words_b) if w in MODAL_STRENGTH and w not in words_a]
    ha, hb = Counter(hedges_in(a)), Counter(hedges_in(b))
    gone += [h for h in ha - hb if h not in gone]
    came += [h for h in hb - ha if h not in came]
    if gone or came:
        return f": '{' '.join(gone) or '…'}' → '{' '.join(came) or '…'}'"
    return ""


def _amount_signal(a: str, b: str) -> Signal | None:
    """An amount changed: within one role and unit, the size of the change in percent."""

    def groups(text: str) -> Counter[tuple[str, str, float]]:
        return Counter((n.role, n.unit, n.value) for n in numbers(text) if n.role in AMOUNT_ROLES)

    ga, gb = groups(a), groups(b)
    gone, came = list((ga - gb).elements()), list((gb - ga).elements())
    if not gone and not came:
        return None
    for old in gone:
        same = [c for c in came if c[:2] == old[:2]]
        if len(same) == 1 and old[2]:
            change = (same[0][2] - old[2]) / old[2] * 100
            weight = min(80, 50 + int(abs(change) / 2) + (10 if old[0] == "money" else 0))
            if old[0] == "percentage":  # a share: say the points, not a percentage of a percentage
                points = same[0][2] - old[2]
                name = f"amount changed: {old[2]:g}% → {same[0][2]:g}% ({points:+g} points)"
                return Signal(name, min(80, 50 + int(abs(points) * 2)), "a percentage changed")
            return Signal(f"amount changed: {change:+.0f}%", weight, f"{old[0]} {old[2]:g} → {same[0][2]:g} {old[1]}")
    return Signal("amount changed", 50, "an amount came or went")


def _reference_signal(a: str, b: str) -> Signal | None:
    def refs(text: str) -> Counter[str]:
        found: Counter[str] = Counter(f"{n.unit} {n.value:g}" for n in numbers(text) if n.role == "reference")
        found.update(" ".join(m.group(0).lower().split()) for m in _REFERENCE_DATE.finditer(text))
        return found

    ra, rb = refs(a), refs(b)
    if ra == rb:
        return None
    gone, came = ", ".join((ra - rb).elements()), ", ".join((rb - ra).elements())
    return Signal(f"reference changed: {gone or '…'} → {came or '…'}", 35, "a document or date referred to")


def _stance_signal(old: str, new: str) -> Signal | None:
    """The stance phrases that differ between the sentences, compared by their strongest score: a change of
    sign is reversed, a change of intensity (or a stance taken or dropped) softened or hardened."""
    sa, sb = stances(old), stances(new)
    words_a, words_b = {p for _, p in sa}, {p for _, p in sb}
    gone = [s for s in sa if s[1] not in words_b]  # the same phrase under a new negation: the negation's signal
    came = [s for s in sb if s[1] not in words_a]
    if not gone and not came:
        return None
    score_a, phrase_a = max(gone, key=lambda s: abs(s[0])) if gone else (0, "")
    score_b, phrase_b = max(came, key=lambda s: abs(s[0])) if came else (0, "")
    why = f"stance {score_a:+d} → {score_b:+d}"
    if score_a * score_b < 0:
        return Signal(f"stance reversed: '{phrase_a}' → '{phrase_b}'", 85, why)
    if abs(score_b) < abs(score_a):
        return Signal(f"stance softened: '{phrase_a}' → '{phrase_b or '…'}'", 60, why)
    if abs(score_b) > abs(score_a):
        return Signal(f"stance hardened: '{phrase_a or '…'}' → '{phrase_b}'", 60, why)
    return None


_PROMISE_WEIGHTS = {
    "reversed": 95,
    "weakened": 85,
    "postponed": 80,
    "strengthened": 70,
    "brought forward": 60,
}


def _deadline_signal(
    a: str, b: str, old_date: date | None, new_date: date | None, events: dict[str, str]
) -> Signal | None:
    """A deadline read as a date range (:mod:`.deadline`), else the sentence's dates, moved; a date that
    names an earlier letter or debate is a reference and left to :func:`_reference_signal`. When the sentence
    is a promise, the name says what became of it, as the commitments do ("… (commitment postponed)")."""
    promise = next((e for e in ("postponed", "brought forward") if e in events), None)
    tail = f" (commitment {promise})" if promise else ""
    a_plain, b_plain = _REFERENCE_DATE.sub(" ", a), _REFERENCE_DATE.sub(" ", b)
    da, db = find_deadline(a_plain, old_date), find_deadline(b_plain, new_date or old_date)
    if da and db and da.text != db.text:
        if da.end and db.end is None:
            return Signal(f"deadline made vague: {da.text} → {db.text}{tail}", 80, "a date gave way to a vague period")
        if da.end and db.end and da.end != db.end:
            later = db.end > da.end
            word = "later" if later else "earlier"
            weight = (80 if later else 60) if promise else (75 if later else 55)
            return Signal(f"deadline moved {word}: {da.text} → {db.text}{tail}", weight, "the deadline's end moved")
    dates_a, dates_b = dates(a_plain), dates(b_plain)
    vague_b = any(_has(b, v) for v in VAGUE) and not any(_has(a, v) for v in VAGUE)
    if dates_a and not dates_b and vague_b:
        return Signal(f"deadline made vague{tail}", 80, "a date gave way to a vague period")
    if dates_a and dates_b and (moved := _moved_date(dates_a, dates_b)):
        later = moved > 0
        weight = (80 if later else 60) if promise else (75 if later else 55)
        return Signal(f"deadline moved {'later' if later else 'earlier'}{tail}", weight, "a date moved")
    if promise:
        return Signal(f"commitment {promise}: {events[promise]}", 80 if promise == "postponed" else 60, "the deadline")
    return None


def _anchor(text: str) -> date | None:
    """Without a letter date, deadlines without a year ("uiterlijk 1 december") are read from the middle of the
    year before the earliest year the sentences name, so that they fall before it: "uiterlijk 1 december" →
    "in het voorjaar van 2025" reads as December 2024 → spring 2025."""
    years = [int(y) for y in re.findall(r"\b(19\d\d|20\d\d)\b", text)]
    return date(min(years) - 1, 7, 1) if years else None


def analyse(
    old: str | None, new: str | None, *, old_date: date | None = None, new_date: date | None = None
) -> list[Signal]:
    """Every signal of the change from ``old`` to ``new`` (both sentences), strongest first."""
    if not old or not new:
        return []
    a, b = fold_typography(old).casefold(), fold_typography(new).casefold()
    if old_date is None and new_date is None:
        old_date = new_date = _anchor(a + " " + b)
    words_a, words_b = word_list(a), word_list(b)
    found: list[Signal] = []
    promise_a = commitment_of(Sentence(fold_typography(old), 0, 0), old_date)
    promise_b = commitment_of(Sentence(fold_typography(new), 0, 0), new_date or old_date)
    neg_a, neg_b = sum(w in _NEGATING for w in words_a), sum(w in _NEGATING for w in words_b)
    events: dict[str, str] = {}
    if promise_a and promise_b:
        events = dict(compare_promises(promise_a, promise_b))
    if neg_a != neg_b:  # one edit, one signal: a promise turned round says so in the same line
        tail = " (commitment reversed)" if "reversed" in events else ""
        found.append(Signal(f"negation {'added' if neg_b > neg_a else 'removed'}{tail}", 95, "a negation came or went"))
    elif "reversed" in events:
        found.append(Signal(f"commitment reversed: {events['reversed']}", 95, "a promise says the opposite"))
    core_a, core_b = word_list(_core(a)), word_list(_core(b))
    strength_a, strength_b = modal_strength(core_a), modal_strength(core_b)
    if strength_a == strength_b:  # the strongest stayed: judge by the modal that was swapped ("zal" → "kan")
        strength_a, strength_b = _swapped_strength(core_a, core_b)
    hedges_a, hedges_b = len(hedges_in(a)), len(hedges_in(b))
    detail = _modal_words(core_a, core_b, a, b)
    if "weakened" in events or (promise_a and not promise_b and strength_b < strength_a):
        found.append(
            Signal(f"commitment weakened{detail or ': ' + events.get('weakened', '')}", 85, "a promise weakened")
        )
    elif "strengthened" in events:
        found.append(Signal(f"commitment strengthened{detail}", 70, "a promise strengthened"))
    elif strength_b < strength_a or (hedges_b > hedges_a and strength_b <= strength_a):
        found.append(Signal(f"commitment weakened{detail}", 85, "a modal weakened or a hedge came"))
    elif strength_b > strength_a or (hedges_b < hedges_a and strength_b >= strength_a):
        found.append(Signal(f"commitment strengthened{detail}", 70, "a modal strengthened or a hedge went"))
    if found_stance := _stance_signal(a, b):
        found.append(found_stance)
    else:
        set_a, set_b = set(words_a), set(words_b)
        for x, y in OPPOSITES:
            if (_says(set_a, x) and not _says(set_a, y) and _says(set_b, y) and not _says(set_b, x)) or (
                _says(set_a, y) and not _says(set_a, x) and _says(set_b, x) and not _says(set_b, y)
            ):
                first, second = (x, y) if _says(set_a, x) else (y, x)
                found.append(Signal(f"stance reversed: '{first}' → '{second}'", 85, "a word swapped for its opposite"))
                break
    if deadline := _deadline_signal(a, b, old_date, new_date, events):
        found.append(deadline)
    if amount := _amount_signal(_core(a), _core(b)):
        found.append(amount)
    if reference := _reference_signal(a, b):
        found.append(reference)
    return sorted(found, key=lambda s: -s.weight)


def fold(text: str) -> str:
    """The text without punctuation, capitals, list or heading numbering: equal folds make a minor change.

    "en"/"and" fold away too, so a clause joined by "and" instead of a semicolon is minor; "of" does not.
    """
    from ..text.normalize import strip_emphasis, strip_list_marker

    text = strip_list_marker(strip_emphasis(fold_typography(text or "")).strip())
    if len(text.split()) <= 8 and not text.rstrip().endswith((".", ";", ":", "!", "?")):  # a heading: its number
        text = re.sub(r"^\d+(?:\.\d+)*\.?\s+", "", text)
    parts = [strip_list_marker(strip_list_marker(p.strip())) for p in re.split(r"(?<=[.;:!?])\s+", text)]
    return " ".join(w for w in re.sub(r"[^\w\s]+", " ", " ".join(parts)).casefold().split() if w not in _JOINERS)


__all__ = ["OPPOSITES", "Number", "Signal", "analyse", "dates", "fold", "modal_strength", "word_list"]
