"""When a promise falls due: Dutch deadlines, exact or vague, as a range of dates.

"voor de zomer", "na het zomerreces", "eind dit jaar", "in het eerste kwartaal van 2025", "uiterlijk 1 maart",
"binnen zes weken" are read relative to the letter's date; "zo spoedig mogelijk", "op termijn" are *open*:
a deadline without an end. The ranges follow the parliamentary calendar where the phrase names it (the
summer recess starts early July, the Christmas recess around 20 December) and the calendar elsewhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from ..text.metadata import MONTHS

_MONTH = "|".join(MONTHS)
_YEAR = r"(?:\s+(?:van\s+)?(?P<year>(?:19|20)\d\d)|\s+(?P<rel>dit|dat|volgend|komend|vorig)\s+jaar)?"
_NUMBERS = {"een": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "acht": 8, "tien": 10, "twaalf": 12}
_QUARTERS = {"eerste": 1, "tweede": 2, "derde": 3, "vierde": 4, "1e": 1, "2e": 2, "3e": 3, "4e": 4}

OPEN = (
    "zo spoedig mogelijk",
    "zo snel mogelijk",
    "zo snel als mogelijk",
    "op korte termijn",
    "binnenkort",
    "te zijner tijd",
    "op termijn",
    "in de loop van",
    "zodra",
    "as soon as possible",
)


@dataclass(frozen=True)
class Deadline:
    """A deadline as the letter words it, and the range of dates it allows (``end`` None: open)."""

    text: str
    start: date | None
    end: date | None

    @property
    def open(self) -> bool:
        return self.end is None

    def to_dict(self) -> dict[str, str | None]:
        return {
            "text": self.text,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
        }


def iso_day(value: str | None) -> date | None:
    """The date an ISO date or timestamp (``2024-11-29``, ``2024-11-29T10:02:00Z``) names; None if none."""
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _year(m: re.Match[str], today: date, month: int = 12) -> int:
    """The year a phrase means: named, relative ("volgend jaar"), else the first such month from the letter on."""
    if m.group("year"):
        return int(m.group("year"))
    rel = m.group("rel")
    if rel in ("volgend", "komend"):
        return today.year + 1
    if rel == "vorig":
        return today.year - 1
    if rel in ("dit", "dat"):
        return today.year
    return today.year if month >= today.month else today.year + 1


def _month_end(year: int, month: int) -> date:
    return (date(year + (month == 12), month % 12 + 1, 1)) - timedelta(days=1)


# (pattern, function of (match, letter date) → (start, end)); the first that matches wins, so specific first
_RULES: list[tuple[re.Pattern[str], object]] = []


def _rule(pattern: str):
    def register(fn):
        _RULES.append((re.compile(pattern), fn))  # matched against lower-cased text
        return fn

    return register


@_rule(rf"\b(?:uiterlijk|voor|vóór|per|tegen)\s+(?P<day>\d{{1,2}})\s+(?P<month>{_MONTH}){_YEAR}")
def _by_day(m, today):
    month = MONTHS[m.group("month").lower()]
    end = date(_year(m, today, month), month, int(m.group("day")))
    return today, end


@_rule(
    # "vóór de Raad van 13 oktober", "voorafgaand aan het debat op 5 maart": a dated occasion is the deadline
    rf"\b(?:uiterlijk|voor|vóór|voorafgaand aan|tegen)\s+(?:de|het)\s+[\w-]+(?:\s+[\w-]+){{0,3}}?\s+(?:van|op)\s+"
    rf"(?P<day>\d{{1,2}})\s+(?P<month>{_MONTH}){_YEAR}"
)
def _by_occasion(m, today):
    return _by_day(m, today)


@_rule(rf"\b(?:in|voor|vóór|uiterlijk|eind|einde|begin|medio|half)\s+(?P<month>{_MONTH}){_YEAR}")
def _by_month(m, today):
    month = MONTHS[m.group("month").lower()]
    year = _year(m, today, month)
    word = m.group(0).split()[0].lower()
    if word in ("voor", "vóór"):
        return today, date(year, month, 1) - timedelta(days=1)
    if word == "begin":
        return date(year, month, 1), date(year, month, 10)
    if word in ("medio", "half"):
        return date(year, month, 10), date(year, month, 20)
    if word in ("eind", "einde"):
        return date(year, month, 20), _month_end(year, month)
    return date(year, month, 1), _month_end(year, month)


@_rule(rf"\b(?:in|voor|vóór|uiterlijk in)\s+het\s+(?P<q>eerste|tweede|derde|vierde|[1-4]e)\s+kwartaal{_YEAR}")
def _by_quarter(m, today):
    q = _QUARTERS[m.group("q").lower()]
    year = _year(m, today, q * 3)
    first = date(year, q * 3 - 2, 1)
    if m.group(0).lower().startswith(("voor", "vóór")):
        return today, first - timedelta(days=1)
    return first, _month_end(year, q * 3)


@_rule(r"\bQ(?P<q>[1-4])(?:\s+|-)(?P<year>(?:19|20)\d\d)(?P<rel>)?")
def _q_short(m, today):
    q, year = int(m.group("q")), int(m.group("year"))
    return date(year, q * 3 - 2, 1), _month_end(year, q * 3)


@_rule(
    rf"\b(?P<word>voor|vóór|na|in|tijdens)\s+(?:de\s+|het\s+)?(?P<what>zomer(?:reces)?|kerst(?:reces)?|herfst(?:reces)?|voorjaar|najaar|zomerperiode){_YEAR}"
)
def _season(m, today):
    what, word = m.group("what").lower(), m.group("word").lower()
    year = _year(m, today, {"voorjaar": 3, "najaar": 9}.get(what[:7], 7 if what.startswith("zomer") else 12))
    if what.startswith("zomer"):
        start, end = date(year, 7, 4), date(year, 8, 31)
    elif what.startswith("kerst"):
        start, end = date(year, 12, 20), date(year + 1, 1, 6)
    elif what.startswith("herfst"):
        start, end = date(year, 10, 15), date(year, 10, 25)
    elif what == "voorjaar":
        start, end = date(year, 3, 1), date(year, 6, 20)
    else:  # najaar
        start, end = date(year, 9, 1), date(year, 12, 20)
    if word in ("voor", "vóór"):
        return today, start
    if word == "na":
        return end, end + timedelta(days=120)
    return start, end


@_rule(r"\b(?:dit|dat|komend|volgend)\s+(?P<what>voorjaar|najaar|zomer)(?P<year>)?(?P<rel>)?")
def _this_season(m, today):
    what = m.group("what").lower()
    year = today.year + (m.group(0).lower().startswith(("komend", "volgend")) and what != "najaar" or 0)
    spans = {"voorjaar": ((3, 1), (6, 20)), "najaar": ((9, 1), (12, 20)), "zomer": ((6, 21), (8, 31))}
    (sm, sd), (em, ed) = spans[what]
    return date(year, sm, sd), date(year, em, ed)


@_rule(
    rf"\b(?:voor\s+|vóór\s+|aan\s+|tegen\s+)?(?:het\s+)?(?:eind|einde)\s+(?:van\s+)?(?:het\s+jaar{_YEAR}|(?P<year2>(?:19|20)\d\d)|(?P<rel2>dit|volgend|komend)\s+jaar)"
)
def _year_end(m, today):
    if m.group("year2"):
        year = int(m.group("year2"))
    elif m.group("rel2"):
        year = today.year + (m.group("rel2").lower() != "dit")
    else:
        year = _year(m, today, 12)
    start = today if m.group(0).lower().startswith(("voor", "vóór")) else date(year, 10, 1)
    return start, date(year, 12, 31)


@_rule(r"\bbegin\s+(?:(?P<year>(?:19|20)\d\d)|(?P<rel>volgend|komend|dit)\s+jaar)")
def _year_start(m, today):
    year = int(m.group("year")) if m.group("year") else today.year + (m.group("rel").lower() != "dit")
    return date(year, 1, 1), date(year, 3, 31)


@_rule(r"\b(?:in|voor|vóór|uiterlijk in)\s+(?P<year>(?:19|20)\d\d)\b(?P<rel>)?")
def _in_year(m, today):
    year = int(m.group("year"))
    if m.group(0).lower().startswith(("voor", "vóór")):
        return today, date(year - 1, 12, 31)
    return date(year, 1, 1), date(year, 12, 31)


@_rule(
    r"\bbinnen\s+(?P<n>\d+|een|twee|drie|vier|vijf|zes|acht|tien|twaalf)\s+(?P<unit>dagen|dag|weken|week|maanden|maand|jaar)"
)
def _within(m, today):
    n = int(m.group("n")) if m.group("n").isdigit() else _NUMBERS[m.group("n").lower()]
    unit = m.group("unit").lower()
    days = n * (
        1 if unit.startswith("dag") else 7 if unit.startswith("we") else 30 if unit.startswith("maand") else 365
    )
    return today, today + timedelta(days=days)


# a deadline names a number, a month, a season or recess, a period, or one of the open phrases
_HINT = re.compile(
    rf"\d|{_MONTH}|zomer|reces|kerst|herfst|najaar|voorjaar|kwartaal|jaar|week|weken|maand|spoedig|snel|termijn"
    r"|binnenkort|zodra|zijner|loop van|possible"
)


def find_deadline(text: str, letter_date: date | None) -> Deadline | None:
    """The deadline a sentence names, if any: the first exact phrase, else an open one ("zo spoedig mogelijk")."""
    text = text.lower()
    if not _HINT.search(text):
        return None
    today = letter_date or date.today()
    for pattern, fn in _RULES:
        if m := pattern.search(text):
            try:
                start, end = fn(m, today)  # type: ignore[operator]
            except (ValueError, KeyError):
                continue
            return Deadline(" ".join(m.group(0).split()), start, end)
    for phrase in OPEN:
        if phrase in text:
            return Deadline(phrase, today, None)
    return None
