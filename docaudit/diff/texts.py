"""The three diffs of two texts: semantic (sentences aligned and classified), line, and word."""

from __future__ import annotations

from collections.abc import Sequence

from ..meaning.deadline import iso_day
from ..text.normalize import has_mojibake, normalize_text, paragraphs
from ..text.segment import sentences, split_sentences
from .align import align, units
from .ignore import apply as apply_rules
from .ignore import compile_rules
from .model import Hunk, LineDiff, SemanticDiff, Side, WordDiff
from .sections import sections
from .sequence import grouped, opcodes
from .severity import assess
from .words import word_diff as _word_ops


def _side(side: Side | str | None, default: str) -> Side:
    if isinstance(side, Side):
        return side
    return Side(ref=side or default)


def semantic_diff(
    old_text: str,
    new_text: str,
    old: Side | str | None = None,
    new: Side | str | None = None,
    *,
    old_furniture: Sequence[str] = (),
    new_furniture: Sequence[str] = (),
    ignore: Sequence[str] = (),
) -> SemanticDiff:
    """Align the sentences of two texts and classify every difference (see :mod:`docaudit.diff.align`).

    ``*_furniture``: each version's headers, footers and margin lines, if known (see ``align``). ``ignore``:
    regular expressions of text to ignore (:mod:`docaudit.diff.ignore`). The sides' letter dates, when
    given, anchor deadlines such as "voor de zomer".
    """
    rules = compile_rules(ignore)
    old_side, new_side = _side(old, "old"), _side(new, "new")
    old_date, new_date = iso_day(old_side.date), iso_day(new_side.date)
    old_s, new_s = sentences(old_text), sentences(new_text)
    repair = has_mojibake(old_text) or has_mojibake(new_text)
    changes = align(
        units(old_s, repair=repair),
        units(new_s, repair=repair),
        old_furniture=old_furniture,
        new_furniture=new_furniture,
    )
    new_sections, old_sections = sections(new_s), None
    for change in changes:
        assess(change, old_date, new_date)
        if change.new_paragraph is not None:
            change.section = new_sections.get(change.new_paragraph)
        else:
            old_sections = old_sections if old_sections is not None else sections(old_s)
            change.section = old_sections.get(change.old_paragraph)
    apply_rules(changes, rules)
    return SemanticDiff(old_side, new_side, changes, len(old_s), len(new_s), texts=(old_s, new_s))


def _substantive(
    old_text: str, new_text: str, furniture: tuple[Sequence[str], Sequence[str]], ignore: Sequence[str] = ()
) -> bool:
    diff = semantic_diff(old_text, new_text, old_furniture=furniture[0], new_furniture=furniture[1], ignore=ignore)
    return diff.substantive


def _lines(text: str, by: str) -> list[str]:
    paras = paragraphs(text)
    if by == "sentence":
        return [s for p in paras for s in split_sentences(p)]
    if by != "paragraph":
        raise ValueError(f"by must be 'paragraph' or 'sentence', not {by!r}")
    return paras


def line_diff(
    old_text: str,
    new_text: str,
    old: Side | str | None = None,
    new: Side | str | None = None,
    *,
    by: str = "paragraph",
    context: int = 3,
    furniture: tuple[Sequence[str], Sequence[str]] = ((), ()),
    ignore: Sequence[str] = (),
) -> LineDiff:
    """Unified diff of the normalized texts with one paragraph (or sentence) per line."""
    a, b = _lines(old_text, by), _lines(new_text, by)
    hunks = []
    for group in grouped(opcodes(a, b), context):
        lines: list[tuple[str, str]] = []
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines.extend((" ", x) for x in a[i1:i2])
                continue
            lines.extend(("-", x) for x in a[i1:i2])
            lines.extend(("+", x) for x in b[j1:j2])
        first, last = group[0], group[-1]
        hunks.append(Hunk(first[1] + 1, last[2] - first[1], first[3] + 1, last[4] - first[3], lines))
    substantive = _substantive(old_text, new_text, furniture, ignore) if hunks else False
    return LineDiff(_side(old, "old"), _side(new, "new"), hunks, by, context, substantive)


def word_diff(
    old_text: str,
    new_text: str,
    old: Side | str | None = None,
    new: Side | str | None = None,
    *,
    context: int = 1,
    furniture: tuple[Sequence[str], Sequence[str]] = ((), ()),
    ignore: Sequence[str] = (),
) -> WordDiff:
    """Word diff (diff-match-patch, semantic clean-up) of the normalized texts."""
    a, b = normalize_text(old_text), normalize_text(new_text)
    ops = _word_ops(a, b)
    substantive = _substantive(a, b, furniture, ignore) if any(op for op, _ in ops) else False
    return WordDiff(_side(old, "old"), _side(new, "new"), ops, context, substantive)


def diff_texts(
    old_text: str,
    new_text: str,
    old: Side | str | None = None,
    new: Side | str | None = None,
    *,
    mode: str = "semantic",
    by: str = "paragraph",
    context: int | None = None,
    furniture: tuple[Sequence[str], Sequence[str]] = ((), ()),
    ignore: Sequence[str] = (),
) -> SemanticDiff | LineDiff | WordDiff:
    """Diff two texts in ``mode`` ``semantic`` (default), ``line`` or ``word``.

    Whatever the mode, the result's ``substantive`` says whether the semantic diff finds more than
    cosmetic change (the exit status of ``docaudit diff``).
    """
    if mode == "semantic":
        return semantic_diff(
            old_text, new_text, old, new, old_furniture=furniture[0], new_furniture=furniture[1], ignore=ignore
        )
    if mode == "line":
        ctx = 3 if context is None else context
        return line_diff(old_text, new_text, old, new, by=by, context=ctx, furniture=furniture, ignore=ignore)
    if mode == "word":
        ctx = 1 if context is None else context
        return word_diff(old_text, new_text, old, new, context=ctx, furniture=furniture, ignore=ignore)
    raise ValueError(f"unknown diff mode {mode!r} (semantic, line or word)")
