"""Boilerplate: salutations, addresses, closing formulas, signatures and letterhead.

They recur in every letter but say nothing. A family is boilerplate when its canonical text matches one
of the patterns below (Dutch government letters), or when where it stands says so: in most of the
letters that carry it, it sits in the first or last tenth of the letter and it is short.
"""

from __future__ import annotations

import re
from statistics import median

from ..normalize import fold_typography

_RULES: list[tuple[str, re.Pattern[str]]] = [
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
            r"|nr\. \d+ brief van|tweede kamer der staten-generaal$|vergaderjaar \d{4})"
        ),
    ),
]

EDGE = 0.1  # the first and last tenth of a letter: letterhead and signature
SHORT = 16  # words


def rule(text: str) -> str | None:
    """The kind of boilerplate a sentence is by its wording, if any."""
    folded = fold_typography(text).casefold().strip("*_ ")
    for name, pattern in _RULES:
        if pattern.search(folded):
            return name
    return None


def classify(text: str, tokens: int, relative_positions: list[float]) -> str | None:
    """Why a family with this canonical text is boilerplate, or None when it is a formulation.

    ``relative_positions``: for each letter carrying it, where it stands (0 = first sentence, 1 = last).
    """
    found = rule(text)
    if found:
        return found
    if tokens <= SHORT and len(relative_positions) >= 2:
        edge = [p for p in relative_positions if p <= EDGE or p >= 1 - EDGE]
        if len(edge) * 2 > len(relative_positions):
            m = median(relative_positions)
            return "letterhead" if m <= 0.5 else "closing formula"
    return None
