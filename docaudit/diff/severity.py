"""What a change does to meaning: its level, its signals (with direction), a severity from 0 to 100, the reasons
for that severity and a one-line summary, so that the change that matters most comes first.

**Levels.** ``cosmetic`` (typography, layout, letter furniture: as classified by the alignment), ``minor``
(shown apart, never an alarm: a modified sentence whose only change is its punctuation, capitals or the
numbering of a heading or list item; a misspelling corrected; a changed signatory, named "signatory changed")
and ``substantive`` (everything else).

**Signals** come from the one analysis of a sentence pair (:mod:`docaudit.meaning.pair`, where the table of
signals and weights is), plus "name changed" (45) for a capitalised name replaced in the sentence. A change's
severity is its strongest signal's weight (plus 5 for each further signal, at most 100); a change without a
signal weighs by kind: inserted or deleted 40, modified 30, moved 15; minor 3–10, cosmetic 0. ``why``
says why, one line per signal.
"""

from __future__ import annotations

import re
from datetime import date

from rapidfuzz.distance import OSA

from ..meaning.lexicon import MODAL_STRENGTH, NEGATIONS, STANCE_WORDS
from ..meaning.pair import analyse, fold, modal_strength
from ..text.letterparts import is_frame, label
from ..text.letterparts import kind as letter_part
from ..text.normalize import fold_typography, repair_encoding
from .flags import is_entity, word_list
from .model import Change

__all__ = ["BASE", "assess", "fold", "signals"]

BASE = {"inserted": 40, "deleted": 40, "modified": 30, "moved": 15, "cosmetic": 0}
# a line that is only a person's name: "D.M. van Weel", "I. Coenradie", "F.M. Wiersma"
_NAME_LINE = re.compile(
    r"^(?:[A-Z]\.\s?)+(?:(?:van|de|der|den|ter|ten|het|in 't|'t)\s)*[A-Z][\w'’-]+(?:[- ][A-Z][\w'’-]+)?$"
)


def _name_signal(old: str, new: str) -> tuple[str, int] | None:
    list_a = [w for i, w in enumerate(word_list(fold_typography(old))) if is_entity(w, i == 0)]
    list_b = [w for i, w in enumerate(word_list(fold_typography(new))) if is_entity(w, i == 0)]
    names_a, names_b = set(list_a), set(list_b)
    if not ((names_a - names_b) and (names_b - names_a)):
        return None
    if len(old.split()) <= 6 and len(new.split()) <= 6:  # a name line: quote it whole ("D.M. van Weel")
        gone, came = (" ".join((t or "").split()).strip(" ,;:") for t in (old, new))
    else:
        gone = " ".join(w for w in dict.fromkeys(list_a) if w not in names_b)
        came = " ".join(w for w in dict.fromkeys(list_b) if w not in names_a)
    return f"name changed: {gone} → {came}", 45


def signals(
    old: str | None, new: str | None, *, old_date: date | None = None, new_date: date | None = None
) -> list[tuple[str, int]]:
    """Named reasons, with their weight, for what the change from ``old`` to ``new`` does to meaning."""
    found = [(s.name, s.weight) for s in analyse(old, new, old_date=old_date, new_date=new_date)]
    if old and new and (name := _name_signal(old, new)):
        found.append(name)
    return sorted(found, key=lambda s: -s[1])


def _signatory(old: str | None, new: str | None) -> bool:
    """Whether the change is the signature block: a minister's or state secretary's line, or a name line."""
    texts = [t.strip() for t in (old, new) if t and t.strip()]
    return bool(texts) and all(
        letter_part(t) == "signature" or _NAME_LINE.match(t.strip(" ,")) or _is_signature_block(t) for t in texts
    )


def _is_signature_block(text: str) -> bool:
    """ "De minister van Justitie en Veiligheid, D.M. van Weel": an office and a name, nothing else."""
    office, _, name = text.strip().rpartition(",")
    return bool(office) and letter_part(office + ",") == "signature" and bool(_NAME_LINE.match(name.strip()))


def _spelling_fix(old: str, new: str) -> str | None:
    """ "onverminderdt" → "onverminderd": one word changed by a letter (two in a long word; a swap counts as one),
    not a name, number, negation, modal or stance word. Returns ``'old' → 'new'``, or None."""
    words_a, words_b = word_list(fold_typography(old)), word_list(fold_typography(new))  # ’ as '
    if len(words_a) != len(words_b):
        return None
    diffs = [(x, y) for x, y in zip(words_a, words_b, strict=True) if x != y]
    if len(diffs) != 1:
        return None
    shown = diffs[0]
    x, y = (w.replace("'", "").casefold() for w in shown)  # "programma's" → "programmas": spelling, not a new word
    if {x, y} & (NEGATIONS | set(MODAL_STRENGTH) | STANCE_WORDS) or any(c.isdigit() for c in x + y):
        return None
    if shown[0][:1].isupper() or shown[1][:1].isupper() or min(len(x), len(y)) < 5:
        return None
    allowed = 2 if max(len(x), len(y)) >= 10 else 1
    return f"'{shown[0]}' → '{shown[1]}'" if OSA.distance(x, y) <= allowed else None


def assess(change: Change, old_date: date | None = None, new_date: date | None = None) -> None:
    """Set ``level``, ``signals``, ``severity``, ``why`` and ``summary`` on a change (the letter dates,
    when known, anchor deadlines such as "voor de zomer")."""
    if change.kind == "cosmetic":
        change.level, change.severity = "cosmetic", 0
        change.summary = "cosmetic: " + ", ".join(change.reasons) if change.reasons else "cosmetic"
        return
    old_text = repair_encoding(change.old_text) if change.old_text else change.old_text
    new_text = repair_encoding(change.new_text) if change.new_text else change.new_text
    both = change.kind == "modified" and old_text and new_text
    if both and fold(old_text or "") == fold(new_text or ""):
        change.level, change.severity = "minor", 5
        change.summary = "punctuation, capitals or numbering only"
        change.why = ["5: only punctuation, capitals or numbering differ"]
        return
    if both and is_frame(old_text or "") and is_frame(new_text or ""):  # "Den Haag, 29 → 2 december", "Pagina 2 van 4"
        what = label(new_text or "") or "letterhead"
        change.level, change.severity = "minor", 3
        change.signals = [f"letter furniture: {what}"]
        change.summary = change.signals[0]
        change.why = ["3: letterhead, running header, page number or a site's own line, not the letter's matter"]
        return
    if change.kind in ("modified", "inserted", "deleted") and _signatory(old_text, new_text):
        said = " → ".join(" ".join((t or "…").split()) for t in (old_text, new_text))
        change.level, change.severity = "minor", 10
        change.signals = [f"signatory changed: {said}"]
        change.summary = change.signals[0]
        change.why = ["10: the signature block, not the letter's matter"]
        return
    if both and (fix := _spelling_fix(old_text or "", new_text or "")):
        change.level, change.severity = "minor", 5
        change.signals = [f"spelling: {fix}"]
        change.summary = change.signals[0]
        change.why = ["5: one word's spelling, nothing else"]
        return
    change.level = "substantive"
    if change.kind in ("modified", "moved"):
        wanted = change.kind == "modified" or change.words
        found = signals(old_text, new_text, old_date=old_date, new_date=new_date) if wanted else []
    else:
        found = []
        text = new_text if change.kind == "inserted" else old_text
        words = word_list(fold_typography(text or "").casefold())
        if any(w in NEGATIONS for w in words):
            found.append((f"{change.kind} a negative statement", 55))
        if modal_strength(words) >= 3:
            found.append((f"{change.kind} a commitment", 65 if change.kind == "deleted" else 55))
    change.signals = [name for name, _ in sorted(found, key=lambda s: -s[1])]
    weights = sorted((w for _, w in found), reverse=True)
    if weights:
        change.severity = min(100, weights[0] + 5 * (len(weights) - 1))
        change.summary = change.signals[0]
        change.why = [f"{w}: {name}" for name, w in sorted(found, key=lambda s: -s[1])]
        if len(weights) > 1:
            change.why.append(f"+{5 * (len(weights) - 1)}: {len(weights) - 1} further signal(s)")
    else:
        change.severity = BASE.get(change.kind, 30) + (5 if change.flags else 0)
        change.summary = {
            "inserted": "sentence inserted",
            "deleted": "sentence deleted",
            "moved": "text moved",
            "modified": "wording changed",
        }.get(change.kind, change.kind)
        change.why = [f"{change.severity}: {change.summary}, no signal" + (" (flagged words)" if change.flags else "")]
