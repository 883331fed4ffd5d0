"""The role of each number in a sentence: only money, quantities with a unit, percentages and counts of things
are amounts; a Kamerstuk or article number is a reference; a page, heading or list number is furniture.

>>> [(n.role, n.unit) for n in numbers("€ 12 miljoen voor 334 gemeenten (Kamerstuk 30 982, nr. 46)")]
[('reference', 'kamerstuk'), ('reference', 'nr'), ('money', '€'), ('count', 'gemeenten')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..text.metadata import MONTHS

AMOUNT_ROLES = frozenset({"money", "quantity", "percentage", "count"})
_SCALES = {"miljard": 1e9, "mld": 1e9, "miljoen": 1e6, "mln": 1e6, "duizend": 1e3, "dzd": 1e3}
_NUMBER_WORDS = {
    "twee": 2,
    "drie": 3,
    "vier": 4,
    "vijf": 5,
    "zes": 6,
    "zeven": 7,
    "acht": 8,
    "negen": 9,
    "tien": 10,
    "elf": 11,
    "twaalf": 12,
    "twintig": 20,
    "dertig": 30,
    "veertig": 40,
    "vijftig": 50,
    "honderd": 100,
    "duizend": 1000,
    "tientallen": 10,
    "honderden": 100,
    "duizenden": 1000,
    "enkele": 3,
}
UNITS = frozenset(
    """km kilometer kilometers kg kilo kilogram ton tonnen kiloton megaton mol ha hectare hectares uur uren minuut
    minuten dag dagen week weken maand maanden jaar jaren mw gw kwh mwh m m2 m3 liter liters graden
    fte banen woningen plaatsen""".split()
)
# a number that names a document or a place in one: kept as a reference, never an amount
_REFERENCE = re.compile(
    r"\b(?P<what>kamerstuk(?:ken)?|nr|nummer|artikel|art|lid|vraag|vragen|antwoord|bijlage|motie|hoofdstuk|paragraaf"
    r"|aanhangsel|pagina|blz|p|§)\.?\s*(?P<num>\d+(?:[ .]\d{3})*(?:[-–]\w+)?)",
    re.I,
)
_HEADING = re.compile(r"^\s*(?:#+\s*)?(?:\*\*)?\(?(?P<num>\d+(?:\.\d+)*)[.)](?:\*\*)?\s")
_NUMBER = re.compile(
    r"(?<![\w.,])(?P<euro>€\s*|eur\s+)?(?P<num>\d+(?:[.\s\u00a0]\d{3})*(?:,\d+)?|\d+(?:\.\d+)?)"
    r"(?![\w,.]?\d)(?:\s*(?P<scale>miljard|mld|miljoen|mln|duizend|dzd)\.?)?"
    r"(?:\s*(?P<after>%|procent|percent|euro\b|[a-z][a-z-]*))?",
    re.I,
)
_WORD_NUMBER = re.compile(rf"\b(?P<word>{'|'.join(_NUMBER_WORDS)})\s+(?P<after>[a-z][a-z-]+)", re.I)


@dataclass(frozen=True)
class Number:
    value: float
    role: str  # money | quantity | percentage | count | year | reference | page | heading | number
    unit: str  # "€", "%", the unit or the thing counted ("gemeenten"), the reference's kind ("nr")
    text: str


def _value(raw: str) -> float | None:
    raw = raw.replace("\u00a0", " ")
    if re.fullmatch(r"\d{1,3}(?:[. ]\d{3})+(?:,\d+)?", raw):
        raw = raw.replace(".", "").replace(" ", "")
    raw = raw.replace(",", ".")
    try:
        return float(raw)
    except ValueError:
        return None


def numbers(text: str) -> list[Number]:
    """Every number of ``text`` with its role, in order of appearance (references first)."""
    return list(_numbers(text))


@lru_cache(maxsize=512)
def _numbers(text: str) -> tuple[Number, ...]:
    out: list[Number] = []
    heading = _HEADING.match(text)
    if heading:
        out.append(Number(_value(heading.group("num").split(".")[0]) or 0, "heading", "", heading.group(0).strip()))
        text = " " * heading.end() + text[heading.end() :]
    for m in _REFERENCE.finditer(text):
        what = m.group("what").lower()
        value = _value(m.group("num").split("-")[0].split("–")[0])
        role = "page" if what in ("pagina", "blz", "p") else "reference"
        out.append(Number(value or 0, role, what, m.group(0)))
    text = _REFERENCE.sub(lambda m: " " * len(m.group(0)), text)
    # document numbers (2024D46963), dates written in figures, clock times: none of them an amount
    text = re.sub(
        r"\b\d{4}[A-Z]\d{3,6}\b|\b\d{1,4}[-/]\d{1,2}[-/]\d{1,4}\b|\b\d{1,2}:\d{2}\b",
        lambda m: " " * len(m.group(0)),
        text,
    )
    for m in _NUMBER.finditer(text):
        value = _value(m.group("num"))
        if value is None:
            continue
        scale_word = (m.group("scale") or "").lower()
        value *= _SCALES.get(scale_word, 1)
        after = (m.group("after") or "").lower()
        money_scale = scale_word in ("mld", "mln") or (scale_word and after in ("", "euro"))
        if m.group("euro") or after == "euro" or money_scale:
            out.append(Number(value, "money", "€", m.group(0)))
        elif after in ("%", "procent", "percent"):
            out.append(Number(value, "percentage", "%", m.group(0)))
        elif after in UNITS:
            out.append(Number(value, "quantity", after, m.group(0)))
        elif 1900 <= value <= 2100 and not scale_word and value == int(value):
            out.append(Number(value, "year", "", m.group(0)))
        elif after in MONTHS:
            out.append(Number(value, "day", after, m.group(0)))
        elif after and after not in ("en", "of", "tot", "t", "m", "jl", "van"):
            out.append(Number(value, "count", after, m.group(0)))
        else:
            out.append(Number(value, "number", "", m.group(0)))
    for m in _WORD_NUMBER.finditer(text):
        after = m.group("after").lower()
        if after not in ("en", "of", "van", "jaar") and after not in MONTHS:
            role = "quantity" if after in UNITS else "count"
            out.append(Number(float(_NUMBER_WORDS[m.group("word").lower()]), role, after, m.group(0)))
    return tuple(out)


def amounts(text: str) -> list[Number]:
    """The numbers of ``text`` that are amounts: money, quantities with a unit, percentages, counts of things."""
    return [n for n in numbers(text) if n.role in AMOUNT_ROLES]


def references(text: str) -> list[Number]:
    return [n for n in numbers(text) if n.role == "reference"]
