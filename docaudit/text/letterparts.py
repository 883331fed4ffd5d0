"""The parts that frame a Dutch government letter: letterhead, address, salutation, closing formula, signature.

They recur in every letter but say nothing about its matter. The phrase index files them as boilerplate
(:mod:`docaudit.phrases.boilerplate`); the semantic diff counts a letterhead line that only one version
carries in its body (the "Datum"/"Kenmerk" block, a Kamerstuk's running header) as layout.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .normalize import fold_typography

RULES: list[tuple[str, re.Pattern[str]]] = [
    (
        "salutation",
        re.compile(
            r"^(aan de (voorzitter|leden)\b|geachte\b|hooggeachte\b|beste\b|l\.s\.|(zeer )?(hoog)?achtend\b"
            r"|met (vriendelijke|hartelijke) groet)"
        ),
    ),
    (
        "address",
        re.compile(
            r"\bpostbus \d+|\b\d{4} ?[a-z]{2}\b.*\b(den haag|'s-gravenhage|s-gravenhage|utrecht|amsterdam)\b"
            r"|\bbezoekadres\b|\bpostadres\b|\bwww\.[a-z]|\b[\w.-]+@[\w-]+\.[a-z]{2,}\b|\btelefoon\b|\bt \+?\d"
        ),
    ),
    (
        "closing formula",
        re.compile(
            r"^(ik vertrouw (er ?op|erop)|hiermee (heb ik|hoop ik)|ik hoop u (hiermee|hierbij)"
            r"|ik hoop (uw kamer )?hiermee|(mede )?namens (het kabinet|de minister)"
            r"|een gelijkluidende brief|deze (vragen|antwoorden) (worden|zijn) (mede )?(gesteld|gegeven|ingezonden))"
        ),
    ),
    (
        "signature",
        re.compile(
            r"^(de |het )?(minister|staatssecretaris|minister-president|secretaris-generaal|directeur(-generaal)?)"
            r"( voor| van)?\b[^.]{0,120},?( [a-z]\.)*( ?[a-z]\.)*[^.]{0,40}$"
        ),
    ),
    (
        "letterhead",
        re.compile(
            r"^(ministerie van|directoraat-generaal|directie |datum\b|betreft\b|onderwerp\b|ons kenmerk|onze referentie"
            r"|uw kenmerk|uw brief|kenmerk\b|bijlage\(?n?\)?\b|contactpersoon|pagina \d+ (van|/) \d+|\d+ van \d+$"
            r"|nr\. \d+ brief van|tweede kamer der staten-generaal( \d+)?$|vergaderjaar \d{4}"
            # the place and date a letter is signed or a paper fixed: "Den Haag, 29 november 2024", "Vastgesteld
            # 30 september 2024", "Ontvangen 15 oktober 2024"
            r"|(den haag|'s-gravenhage|s-gravenhage|utrecht|brussel),? \d{1,2} [a-z]+ \d{4}$"
            r"|(vastgesteld|ontvangen|gedateerd|verzonden)\b[^.]{0,30}\d{4}\)?\.?$"
            # a Kamerstuk's running header: "Tweede Kamer, vergaderjaar 2024–2025, 32 317, nr. 906 2",
            # "Tweede Kamer der Staten-Generaal 2 Vergaderjaar 2024–2025"
            r"|(tweede|eerste) kamer(,| der staten-generaal)? ?(\d+ )?,? ?vergaderjaar \d{4})"
        ),
    ),
    (
        # a publishing site's own lines around the letter (tkconv/OpenTK: the menu, "Nummer: …, bijgewerkt: …,
        # versie: 2", the links and relations)
        "site chrome",
        re.compile(
            r"^(\[overzicht\]|\[toezeggingen\]|nummer: \d{4}d\d{3,6}, datum:|directe link naar document"
            r"|bijgewerkt: \d{4}-\d{2}-\d{2}"
            r"|gerelateerde personen|onderdeel van (kamerstukdossier|zaak|activiteiten)|preview document"
            r"|link naar pagina op de tweede kamer site)"
        ),
    ),
]

FRAME = frozenset({"letterhead", "address", "site chrome"})  # the parts that are layout, wherever they stand
SHORT = 16  # words: a letterhead field is a label and a short value


@lru_cache(maxsize=4096)
def kind(text: str) -> str | None:
    """The part of a letter a sentence is by its wording ("letterhead", "signature", …), if any (each sentence
    is asked several times in one diff: by the alignment, the severity and the sections)."""
    folded = fold_typography(text).casefold().strip("*_ ")
    for name, pattern in RULES:
        if pattern.search(folded):
            return name
    return None


def is_frame(text: str) -> bool:
    """Whether a line is letterhead or address: a short line that frames a letter and says nothing of its matter."""
    return len(text.split()) <= SHORT and kind(text) in FRAME


def label(text: str) -> str:
    """A frame line's label ("datum", "kenmerk", "tweede kamer"): its first word, for telling a field changed."""
    words = fold_typography(text).casefold().strip("*_ ").split()
    return words[0] if words else ""
