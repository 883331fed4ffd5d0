"""Metadata found in a letter's own text: date, kenmerk, Kamerstuk, document number, zaak, version."""

from __future__ import annotations

import re
from datetime import date

MONTHS = {
    "januari": 1,
    "februari": 2,
    "maart": 3,
    "april": 4,
    "mei": 5,
    "juni": 6,
    "juli": 7,
    "augustus": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mrt": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "okt": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DUTCH_DATE = rf"(\d{{1,2}})\s+({_MONTH})\.?\s+((?:19|20)\d\d)"
# Where a letter states its own date, strongest first.
_DATE_PATTERNS = [
    re.compile(rf"\bDen Haag,?\s+{_DUTCH_DATE}", re.I),
    re.compile(rf"(?:^|\n)\s*\**Datum\**:?\s*\n?\s*{_DUTCH_DATE}", re.I),
    re.compile(rf"\bVastgesteld:?\s+{_DUTCH_DATE}", re.I),
    re.compile(rf"(?:^|\n)\s*'?s-Gravenhage,?\s+{_DUTCH_DATE}", re.I),
]
_ISO_DATE = re.compile(r"\bdatum:\s*((?:19|20)\d\d)-(\d\d)-(\d\d)\b", re.I)
_KENMERK = re.compile(r"\bOns kenmerk:?\s*\n?\s*([A-Z0-9][\w/.\- ]{2,40}?)\s*(?:\n|$)", re.I)
_UW_KENMERK = re.compile(r"\bUw kenmerk:?\s*\n?\s*([A-Z0-9][\w/.\- ]{2,40}?)\s*(?:\n|$)", re.I)
_DOCNR = re.compile(r"\b((?:19|20)\d\dD\d{5})\b")
_ZAAK = re.compile(r"\b((?:19|20)\d\dZ\d{5})\b")
_ONDERWERP = re.compile(r"^[ \t]*Onderwerp[ \t]*:?[ \t]+(\S[^\n]{3,200}?)[ \t]*$", re.M)
_VERSION = re.compile(r"\bversie:?\s*(\d{1,3})\b", re.I)
# "Kamerstuk 32317-891", "Kamerstuk 32 317, nr. 891", "Kamerstukken 32 317 en 34 843, nr. 977"
_KST_DASH = re.compile(r"\b(\d{2}\s?\d{3})\s?-\s?(\d{1,4})\b")
_KST_NR = re.compile(
    r"\bKamerstuk(?:ken)?\s+(?:II\s*,?\s*)?(\d{2}\s?\d{3})(?:(?!kamerstuk)[^.;\n]){0,40}?,\s*nr\.\s*(\d{1,4})", re.I
)
# The letter's own Kamerstuk: a dossier line ("32317 JBZ-Raad") followed by "Nr. 906 Brief van …"
_OWN_KST = re.compile(
    r"(?:^|\n)\s*(\d{2}\s?\d{3})\s+[^\n]{2,120}\n(?:\s*\n|\s*\d{2}\s?\d{3}\s[^\n]*\n)*\s*Nr\.\s*(\d{1,4})\b"
)
_DOSSIER_PART = re.compile(r"kamerstukdossier\s+(\d{5})\s*-\s*(\d{1,4})", re.I)


def parse_dutch_date(text: str) -> date | None:
    """Parse "29 november 2024" (or "29 nov. 2024") into a date; None if it is not one."""
    m = re.search(_DUTCH_DATE, text, re.I)
    if not m:
        return None
    return _mkdate(m.group(3), MONTHS[m.group(2).lower()], m.group(1))


def _mkdate(y: str | int, m: str | int, d: str | int) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        return None


def find_date(text: str) -> date | None:
    """The letter's own date: "Den Haag, 29 november 2024", "Datum 22 augustus 2023", "Vastgesteld …"."""
    for pattern in _DATE_PATTERNS:
        m = pattern.search(text)
        if m:
            found = _mkdate(m.group(3), MONTHS[m.group(2).lower()], m.group(1))
            if found:
                return found
    m = _ISO_DATE.search(text)
    return _mkdate(*m.groups()) if m else None


def _kst(dossier: str, nr: str) -> str:
    return f"{dossier.replace(' ', '')}-{int(nr)}"


def find_kamerstukken(text: str) -> list[str]:
    """All Kamerstuk references in the text as "dossier-nr", in order of first appearance."""
    found: list[tuple[int, str]] = []
    for m in _KST_NR.finditer(text):
        found.append((m.start(), _kst(m.group(1), m.group(2))))
    for m in _KST_DASH.finditer(text):
        prefix = text[max(0, m.start() - 40) : m.start()].lower()
        if "kamerstuk" in prefix:
            found.append((m.start(), _kst(m.group(1), m.group(2))))
    seen: dict[str, None] = {}
    for _, k in sorted(found):
        seen.setdefault(k, None)
    return list(seen)


def find_metadata(text: str) -> dict[str, object]:
    """Everything docaudit can read from the text itself. Keys are present only when found.

    Keys: ``date`` (ISO), ``kenmerk``, ``uw_kenmerk``, ``kamerstuk`` (the letter's own, "32317-906"),
    ``kamerstuk_refs`` (referenced ones), ``document_number`` ("2024D46963"), ``zaak`` ("2024Z19846"),
    ``version`` (int, from "versie: 2"), ``onderwerp`` (the letter's subject line).
    """
    meta: dict[str, object] = {}
    if (d := find_date(text)) is not None:
        meta["date"] = d.isoformat()
    if m := _KENMERK.search(text):
        meta["kenmerk"] = m.group(1).strip()
    if m := _UW_KENMERK.search(text):
        meta["uw_kenmerk"] = m.group(1).strip()
    own = _OWN_KST.search(text) or _DOSSIER_PART.search(text)
    if own:
        meta["kamerstuk"] = _kst(own.group(1), own.group(2))
    refs = [k for k in find_kamerstukken(text) if k != meta.get("kamerstuk")]
    if refs:
        meta["kamerstuk_refs"] = refs
    if m := _DOCNR.search(text):
        meta["document_number"] = m.group(1)
    zaken = list(dict.fromkeys(_ZAAK.findall(text)))
    if zaken:
        meta["zaak"] = zaken[0]
        if len(zaken) > 1:
            meta["zaak_refs"] = zaken[1:]
    if m := _VERSION.search(text):
        meta["version"] = int(m.group(1))
    if m := _ONDERWERP.search(text):
        meta["onderwerp"] = m.group(1).strip()
    return meta
