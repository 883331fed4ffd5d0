"""Where in a letter a change is, in the letter's own terms: the nearest heading before it, "Vraag 5" or
"Antwoord op vraag 5" in answers to Kamervragen, "footnote 3" for the notes at the letter's end."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..text.segment import Sentence

_QUESTION = re.compile(r"^\s*(?:#+\s*)?((?:antwoord(?:\s+op\s+vraag)?|vraag)\s+\d+[a-z]?)\b", re.I)
# letterhead, salutation and date lines are short too, but no heading
_NOT_HEADING = re.compile(
    r"^\s*(?:den haag|geachte|datum|ons kenmerk|uw kenmerk|kenmerk|onderwerp|aan|van|bijlage|cc|betreft|"
    r"hoogachtend|met vriendelijke groet|de minister|de staatssecretaris)\b|\d{1,2}\s+[a-z]+\s+\d{4}",
    re.I,
)
_HEADING = re.compile(r"^\s*#{1,6}\s+(.+?)\s*#*\s*$")
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
# a footnote as extractors give it: "3 Kamerstuk 26 643, nr. 1022.", "³ [Brief …](#)", "[^3]: …" (not "3. Conclusie")
_FOOTNOTE = re.compile(r"^\s*(?:\[\^?(\d{1,3})\]:?|(\d{1,3})(?![.\d)])|([⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3}))\s+\S")


def _footnotes(by_paragraph: dict[int, list[Sentence]]) -> dict[int, str]:
    """The notes that close a letter: the last paragraphs, each opening with the next number (1, 2, 3 …)."""
    found: list[tuple[int, int]] = []
    for p in sorted(by_paragraph, reverse=True):
        m = _FOOTNOTE.match(by_paragraph[p][0].text)
        if not m:
            break
        found.append((p, int((m.group(1) or m.group(2) or m.group(3)).translate(_SUPERSCRIPT))))
    found.reverse()
    numbers = [n for _, n in found]
    while numbers and numbers != list(range(numbers[0], numbers[0] + len(numbers))):
        found, numbers = found[1:], numbers[1:]  # the run must count up by one to its end
    return {p: f"footnote {n}" for p, n in found}


def _heading(paragraph: Sequence[Sentence]) -> str | None:
    """The paragraph as a heading: a Markdown heading, "Vraag 5", or one short line without a final stop."""
    text = " ".join(s.text for s in paragraph).strip()
    if m := _QUESTION.match(text):
        return m.group(1)[0].upper() + m.group(1)[1:]
    if m := _HEADING.match(text):
        return m.group(1)
    words = text.split()
    if _NOT_HEADING.search(text):
        return None
    if len(paragraph) == 1 and 1 <= len(words) <= 10 and not text.endswith((".", ":", ";", ",", "?", "!")):
        return text
    return None


def sections(sentences: Sequence[Sentence]) -> dict[int, str | None]:
    """For every paragraph number, its section: a question it answers, else the nearest heading before it
    (a heading paragraph itself belongs to the section before it). One pass over the text."""
    by_paragraph: dict[int, list[Sentence]] = {}
    for s in sentences:
        by_paragraph.setdefault(s.paragraph, []).append(s)
    notes = _footnotes(by_paragraph)
    out: dict[int, str | None] = dict(notes)
    current: str | None = None
    for p in sorted(p for p in by_paragraph if p not in notes):
        name = _heading(by_paragraph[p])
        if name is not None and (_QUESTION.match(name) or len(by_paragraph[p]) > 1):
            current = name
            out[p] = name
        else:
            out[p] = current
            if name is not None:
                current = name
    return out


def section_of(sentences: Sequence[Sentence], paragraph: int | None) -> str | None:
    """The section of one paragraph (see :func:`sections`; use that for many)."""
    return None if paragraph is None else sections(sentences).get(paragraph)
