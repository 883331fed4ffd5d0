"""Flags for edits that change meaning: negation, modality, number, date, entity.

An edit's flags come from the words it removes and adds (compared as multisets, so a word that only
moved inside the sentence flags nothing), after folding typography: "34 843" and "34843" are the same
number, "Minister" and "minister" the same word.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from ..meaning.lexicon import NEGATIONS, word_list
from ..text.metadata import MONTHS as MONTH_NUMBERS
from ..text.normalize import fold_typography

__all__ = ["FLAGS", "NEGATIONS", "compute_flags", "is_entity", "word_list"]

FLAGS = ("negation", "modality", "number", "date", "entity")

MODALS = frozenset(
    """zal zult zullen zou zoudt zouden kan kun kunt kunnen kon konden moet moeten moest moesten mag mogen
    mocht mochten wil wilt willen wilde wilden wou lijkt lijken leek leken schijnt schijnen dient dienen
    diende dienden hoeft hoeven hoefde behoort behoren mogelijk mogelijke mogelijkerwijs wellicht
    waarschijnlijk misschien vermoedelijk eventueel eventuele zeker noodzakelijk verplicht vrijblijvend
    streeft streven beoogt beogen overweegt overwegen voornemens
    will shall would should can could may might must""".split()
)
_UNITS = "een|twee|drie|vier|vijf|zes|zeven|acht|negen"
_TENS = "twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig"
NUMBER_WORDS = re.compile(
    rf"""^(?:twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|dertien|veertien|vijftien|zestien
    |zeventien|achttien|negentien|{_TENS}|(?:{_UNITS})[eë]n(?:{_TENS})|honderd|duizend|miljoen|miljoenen
    |miljard|miljarden|biljoen|tientallen|honderden|duizenden|helft|procent|percent|promille|dubbel|verdubbeld
    |eerste|tweede|derde|vierde|vijfde|zesde|zevende|achtste|negende|tiende|alle|sommige|enkele|meeste
    |meerdere|beide|half|halve)$""",
    re.X,
)
MONTHS = list(MONTH_NUMBERS)  # full names first, then abbreviations
DATE_WORDS = frozenset(
    MONTHS
    + """maandag dinsdag woensdag donderdag vrijdag zaterdag zondag voorjaar zomer najaar herfst winter lente
    zomerreces kerstreces voorjaarsreces meireces herfstreces kerst pasen kwartaal jaarwisseling
    vandaag morgen gisteren volgende vorige komende aanstaande""".split()
)
# Words that move a date when one is mentioned: "vóór de zomer" → "na de zomer", "begin 2025" → "eind 2025".
TEMPORAL = frozenset("voor vóór na na afloop uiterlijk vanaf tot binnen begin eind medio halverwege sinds".split())
PARTIES = frozenset(
    """vvd pvv nsc bbb cda d66 sp pvda groenlinks groenlinks-pvda christenunie sgp pvdd denk volt ja21 fvd
    50plus""".split()
)
# Capitalised words that are not names: the polite "U" and sentence-internal capitals of Dutch letters.
NOT_ENTITIES = frozenset(
    """u uw uwe ik wij we kamer kamers voorzitter minister ministers staatssecretaris staatssecretarissen kabinet
    regering ministerie ministeries rijksoverheid staten-generaal""".split()
)  # the polite forms, and the offices every letter to parliament names: not news as names
# Words that commonly open a Dutch sentence; any other capitalised first word may be a name ("Europol …").
SENTENCE_OPENERS = frozenset(
    """de het een in op dit deze dat die er ook voor van met bij als om naar uit aan tot door over na zo maar
    en of want dus toch nu daarom daarnaast daarbij daarmee daarvoor daarin hierbij hiermee hierin hiervoor
    verder tevens wel niet geen ik wij we u zij hij ze men mijn onze ons uw hun zijn is was wordt worden werd
    werden heeft hebben had kan kunnen zal zullen zou zouden moet moeten mag mogen wil willen lijkt indien
    wanneer hoewel omdat aangezien zoals tijdens volgens vanuit vanaf sinds ten tenslotte ondanks naast binnen
    buiten tegen zonder onder boven achter tussen via per welke wat wie waar hoe waarom alle elke ieder iedere
    enkele veel vooral juist vervolgens allereerst kortom samenvattend bovendien eveneens inmiddels
    momenteel thans destijds eerder later dan daar hier zowel noch ja nee graag zie gelet gezien conform
    namens hoogachtend vooralsnog uiteraard uiteindelijk ofwel oftewel tot slot gelukkig helaas kennelijk
    blijkbaar immers echter evenwel wellicht mogelijk waarschijnlijk vermoedelijk ook tegelijkertijd
    tegelijk alleen slechts pas reeds al nog steeds opnieuw waarbij waarmee waardoor waarin vandaar
    vanwege dankzij krachtens ingevolge middels teneinde opdat zodat zodra totdat terwijl nadat voordat
    sommige meerdere beide iedereen niemand niets iets alles
    the a an this that these those it we our in on for of to as at by with not no""".split()
)

_MONTH = "|".join(MONTHS)
_DATE = re.compile(
    rf"""\b(?:\d{{1,2}}(?:\s*(?:,|en|t/m|tot|-)\s*\d{{1,2}})*\s+(?:{_MONTH})\.?(?:\s+\d{{4}})?  # 5 en 6 december
        |(?:{_MONTH})\.?\s+\d{{4}}                            # november 2024
        |\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{1,2}}[-/]\d{{1,2}}[-/]\d{{2,4}}   # 2024-11-29, 29-11-2024
        |(?:q[1-4]\s+)?(?:19|20)\d\d(?!\s*[,.]?\s*nr)            # 2025, Q3 2025 (not "2025, nr.")
        )\b""",
    re.X | re.I,
)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _dates(text: str) -> tuple[Counter[str], str]:
    """Date expressions in ``text`` (folded) and the text with them blanked out."""
    found: Counter[str] = Counter(" ".join(m.group().lower().split()) for m in _DATE.finditer(text))
    return found, _DATE.sub(" ", text)


def _numbers(text: str) -> Counter[str]:
    return Counter(m.group().replace(",", ".") for m in _NUMBER.finditer(text))


def is_entity(word: str, first: bool) -> bool:
    if word.islower():  # most words: no capital anywhere, so a name only if a party's ("d66", "groenlinks")
        return word.casefold() in PARTIES
    low = word.casefold()
    if low in PARTIES:
        return True
    if low in NOT_ENTITIES or low in DATE_WORDS or not any(c.isalpha() for c in word):
        return False
    letters = [c for c in word if c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return True  # an acronym: EU, AIVD, NCTV
    if any(c.isupper() for c in word[1:]) and not word[1:].isupper():
        return True  # motie-Kathmann, GroenLinks, WhatsApp
    return word[:1].isupper() and (not first or _plain(low) not in SENTENCE_OPENERS)


def _plain(word: str) -> str:
    """The word without accents: "vóór" → "voor", "één" → "een"."""
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def compute_flags(old: str | None, new: str | None) -> list[str]:
    """The flags of an edit from ``old`` to ``new`` (either may be None: an insertion or deletion)."""
    a, b = fold_typography(old or ""), fold_typography(new or "")
    words_a, words_b = word_list(a), word_list(b)
    wa, wb = Counter(w.casefold() for w in words_a), Counter(w.casefold() for w in words_b)
    removed, added = wa - wb, wb - wa
    changed = set(removed) | set(added)
    found: set[str] = set()
    if not changed:
        return []
    if changed & NEGATIONS or _prefix_negation(removed, added):
        found.add("negation")
    if changed & MODALS:
        found.add("modality")
    dates_a, rest_a = _dates(a)
    dates_b, rest_b = _dates(b)
    mentions_date = bool(dates_a or dates_b) or any(w in DATE_WORDS for w in (wa | wb))
    if dates_a != dates_b or changed & DATE_WORDS or (changed & TEMPORAL and mentions_date):
        found.add("date")
    if _numbers(rest_a) != _numbers(rest_b) or _number_word_changed(changed, words_a, words_b):
        found.add("number")
    # a capitalised word that really changed (not only its case) and is a name where it stands
    for words in (words_a, words_b):
        if any(w.casefold() in changed and is_entity(w, i == 0) for i, w in enumerate(words)):
            found.add("entity")
            break
    return [f for f in FLAGS if f in found]


def _number_word_changed(changed: set[str], *texts: list[str]) -> bool:
    """A number word that changed, unless capitalised inside a sentence ("de Tweede Kamer" is a name)."""
    return any(
        NUMBER_WORDS.match(w.casefold()) and w.casefold() in changed and (i == 0 or not w[:1].isupper())
        for words in texts
        for i, w in enumerate(words)
    )


def _prefix_negation(removed: Counter[str], added: Counter[str]) -> bool:
    """ "wenselijk" ↔ "onwenselijk", "noodzakelijk" ↔ "niet-noodzakelijk"."""
    for x, y in ((removed, added), (added, removed)):
        for w in x:
            for prefix in ("on", "niet-", "non-", "in"):
                if w.startswith(prefix) and len(w) > len(prefix) + 3 and w[len(prefix) :] in y:
                    return True
    return False
