"""Where in a letter a change is, in the letter's own terms: the nearest heading before it, "Vraag 5" or
"Antwoord op vraag 5" in answers to Kamervragen."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..segment import Sentence

_QUESTION = re.compile(r"^\s*(?:#+\s*)?((?:antwoord(?:\s+op\s+vraag)?|vraag)\s+\d+[a-z]?)\b", re.I)
# letterhead, salutation and date lines are short too, but no heading
_NOT_HEADING = re.compile(
    r"^\s*(?:den haag|geachte|datum|ons kenmerk|uw kenmerk|kenmerk|onderwerp|aan|van|bijlage|cc|betreft|"
    r"hoogachtend|met vriendelijke groet|de minister|de staatssecretaris)\b|\d{1,2}\s+[a-z]+\s+\d{4}",
    re.I,
)
_HEADING = re.compile(r"^\s*#{1,6}\s+(.+?)\s*#*\s*$")


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


def section_of(sentences: Sequence[Sentence], paragraph: int | None) -> str | None:
    """The section of the paragraph numbered ``paragraph``: a question it answers, else the nearest heading
    at or before it."""
    if paragraph is None:
        return None
    by_paragraph: dict[int, list[Sentence]] = {}
    for s in sentences:
        by_paragraph.setdefault(s.paragraph, []).append(s)
    for p in range(paragraph, -1, -1):
        if p in by_paragraph and (name := _heading(by_paragraph[p])):
            if p == paragraph and not _QUESTION.match(name) and len(by_paragraph[p]) == 1:
                continue  # the change is the heading itself: name the section it belongs to
            return name
    return None
