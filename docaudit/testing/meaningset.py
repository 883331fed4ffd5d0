"""The labelled set of versie-2 pairs for meaning judgement (tests/fixtures/meaning/pairs.json), and its score.

Each pair is a real letter, hand-written edits (each with the signal class a reader expects, one marked as the
edit that matters most) and realistic noise: re-wrapping, hyphenation at line ends, quotes, NBSP, mojibake on
one side, running headers and page numbers, renumbered headings, letterhead dates, a changed signatory, a
misspelling corrected, a tkconv page's "bijgewerkt … versie" line. :func:`build` makes the two texts,
:func:`score` runs the semantic diff on them and counts, per part (tuning, frozen):

* found: every labelled edit covered by a substantive (for ``name``: any) change;
* false substantive: substantive changes that cover no edit, per pair;
* first: the most severe substantive change covers the edit marked first;
* signal: the covering change names the edit's class (``later`` by "moved later" or "postponed", …);
* quiet: a pair of noise only is not substantive (``docaudit diff`` exits 0).

    python -m docaudit.testing.meaningset [--show]
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .repo import FIXTURES

SET = FIXTURES / "meaning"
# what a signal must say for each class of edit
CLASSES: dict[str, tuple[str, ...]] = {
    "negation": ("negation",),
    "weakened": ("weakened",),
    "strengthened": ("strengthened",),
    "later": ("later", "postponed"),
    "earlier": ("earlier", "brought forward"),
    "vague": ("vague",),
    "stance": ("stance",),
    "amount": ("amount",),
    "name": ("name", "signatory"),
    "reference": ("reference",),
}
_WORD = re.compile(r"\w+")
SIGNATURE = (
    "De minister van Justitie en Veiligheid,\n\nD.M. van Weel",
    "De staatssecretaris van Justitie en Veiligheid,\n\nI. Coenradie",
)


def pairs() -> list[dict[str, Any]]:
    return json.loads((SET / "pairs.json").read_text(encoding="utf-8"))["pairs"]


def _paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n", text) if p.strip()]


def _insert(text: str, line: str, at: float = 0.5) -> str:
    paras = _paragraphs(text)
    cut = max(1, int(len(paras) * at))
    return "\n\n".join([*paras[:cut], line, *paras[cut:]])


def _rewrap(text: str, width: int) -> str:
    return "\n\n".join(textwrap.fill(" ".join(p.split()), width) for p in _paragraphs(text))


def _hyphenate(text: str) -> str:
    """Break every third long word at a line end, as a PDF's hyphenation does."""
    count = 0

    def cut(m: re.Match[str]) -> str:
        nonlocal count
        count += 1
        word = m.group(0)
        return f"{word[: len(word) // 2]}-\n{word[len(word) // 2 :]}" if count % 3 == 0 else word

    return re.sub(r"(?<![\w-])[a-zé]{12,}(?![\w-])", cut, text)


def _cp1252_mojibake(text: str) -> str:
    """UTF-8 bytes read as Windows-1252, undefined bytes kept as their Latin-1 control characters (browsers)."""
    out = []
    for byte in text.encode("utf-8"):
        try:
            out.append(bytes([byte]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(byte))
    return "".join(out)


def _curly(text: str) -> str:
    text = re.sub(r'"(\w[^"]*)"', "“\\1”", text)
    return re.sub(r"(?<!\w)'(\w[^']*)'", "‘\\1’", text).replace("'", "’")


def _straight(text: str) -> str:
    return text.translate(str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "«": '"', "»": '"'}))


def _renumber(old: str, new: str) -> tuple[str, str]:
    heading = re.compile(r"^(\s*(?:#+\s*)?(?:\*\*)?)(\d+)\.", re.M)
    if heading.search(new):
        return old, heading.sub(lambda m: f"{m.group(1)}{int(m.group(2)) + 1}.", new)
    return _insert(old, "#### **4. Toelichting**", 0.6), _insert(new, "#### **5. Toelichting**", 0.6)


def build(pair: dict[str, Any]) -> tuple[str, str]:
    """The pair's two texts: the letter, and the letter with the edits and then the noise applied."""
    old = (SET / "letters" / pair["letter"]).read_text(encoding="utf-8")
    new = old
    for edit in pair["edits"]:
        if edit["old"] not in new:
            raise ValueError(f"{pair['id']}: {edit['old']!r} is not in {pair['letter']}")
        new = new.replace(edit["old"], edit["new"], 1)
    simple: dict[str, Callable[[str], str]] = {
        "hyphenate": _hyphenate,
        "curly_quotes": _curly,
        "straight_quotes": _straight,
        "nbsp_numbers": lambda t: re.sub(r"(?<=[€\d]) (?=\d)", "\u00a0", t).replace("€ ", "€\u00a0"),
        "mojibake": _cp1252_mojibake,
        "mojibake_latin1": lambda t: t.encode("utf-8").decode("latin-1"),
    }
    for noise in pair["noise"]:
        name, _, arg = noise.partition(":")
        if name in simple:
            new = simple[name](new)
        elif name == "rewrap":
            new = _rewrap(new, int(arg))
        elif name == "header":
            new = _insert(new, arg, 0.5)
        elif name == "pages":
            old, new = _insert(old, "Pagina 2 van 3", 0.4), _insert(new, "Pagina 2 van 4", 0.4)
        elif name == "replace":
            a, _, b = arg.partition("=>")
            if a not in new:
                raise ValueError(f"{pair['id']}: {a!r} is not in {pair['letter']}")
            new = new.replace(a, b, 1)
        elif name == "spelling":  # the old version has the misspelling, the new one corrects it
            right, _, wrong = arg.partition("=>")
            old = old.replace(right, wrong, 1)
        elif name == "signature":
            old, new = f"{old.rstrip()}\n\n{SIGNATURE[0]}\n", f"{new.rstrip()}\n\n{SIGNATURE[1]}\n"
        elif name == "renumber":
            old, new = _renumber(old, new)
        else:
            raise ValueError(f"{pair['id']}: unknown noise {noise!r}")
    return old, new


def _words(text: str | None) -> list[str]:
    from ftfy import fix_text

    text = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", fix_text(text or "")).casefold()
    return _WORD.findall(text)


def _covers(change: Any, edit: dict[str, Any]) -> bool:
    """Whether a change shows the edit: most of the edit's new words (its old ones for a deletion) are in the
    change's new text (old text)."""
    side, needle = ("new_text", edit["new"]) if edit["new"].strip() else ("old_text", edit["old"])
    want = _words(needle)
    have = set(_words(getattr(change, side)))
    return bool(want) and sum(w in have for w in want) >= 0.8 * len(want)


@dataclass
class Score:
    pairs: int = 0
    edits: int = 0
    found: int = 0
    false_substantive: int = 0
    first: int = 0
    first_of: int = 0
    signal: int = 0
    signal_of: int = 0
    quiet: int = 0
    quiet_of: int = 0
    misses: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"{self.pairs} pairs: found {self.found}/{self.edits}; false substantive "
            f"{self.false_substantive} ({self.false_substantive / max(1, self.pairs):.2f} a pair); most important "
            f"first {self.first}/{self.first_of}; right signal {self.signal}/{self.signal_of} "
            f"({self.signal / max(1, self.signal_of):.2f}); noise-only pairs quiet {self.quiet}/{self.quiet_of}"
        )


def score(selected: list[dict[str, Any]] | None = None) -> Score:
    """Run the semantic diff on each pair and count (see the module docstring)."""
    from ..diff import semantic_diff

    out = Score()
    for pair in selected if selected is not None else pairs():
        old, new = build(pair)
        diff = semantic_diff(old, new)
        out.pairs += 1
        substantive = [c for c in diff.changes if c.substantive and c.level == "substantive"]
        shown = [c for c in diff.changes if c.substantive]
        covered: set[int] = set()
        for edit in pair["edits"]:
            out.edits += 1
            pool = shown if edit["class"] == "name" else substantive
            hits = [c for c in pool if _covers(c, edit)]
            covered.update(id(c) for c in hits)
            if not hits:
                out.misses.append(f"{pair['id']}: not found: {edit['new'][:70]!r}")
                continue
            out.found += 1
            if edit["class"] in CLASSES:
                out.signal_of += 1
                said = " | ".join(s for c in hits for s in [c.summary, *c.signals])
                if any(k in said for k in CLASSES[edit["class"]]):
                    out.signal += 1
                else:
                    out.misses.append(f"{pair['id']}: signal {edit['class']!r} not named: {said!r}")
        extra = [c for c in substantive if id(c) not in covered]
        out.false_substantive += len(extra)
        for c in extra:
            out.misses.append(
                f"{pair['id']}: false substantive ({c.severity} {c.summary}): {(c.new_text or c.old_text or '')[:90]!r}"
            )
        firsts = [e for e in pair["edits"] if e.get("first")]
        if firsts:
            out.first_of += 1
            ranked = sorted(substantive, key=lambda c: -c.severity)
            if ranked and _covers(ranked[0], firsts[0]):
                out.first += 1
            else:
                top = ranked[0] if ranked else None
                out.misses.append(
                    f"{pair['id']}: first is {top.severity if top else '-'} {top.summary if top else ''}: "
                    f"{((top.new_text or top.old_text) if top else '')[:80]!r}"
                )
        if not pair["edits"]:
            out.quiet_of += 1
            out.quiet += not diff.substantive
    return out


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--show", action="store_true", help="List every miss.")
    parser.add_argument("--part", choices=("tuning", "frozen", "both"), default="both")
    args = parser.parse_args()
    every = pairs()
    parts = {"tuning": [p for p in every if not p.get("frozen")], "frozen": [p for p in every if p.get("frozen")]}
    for name, selected in parts.items():
        if args.part not in (name, "both"):
            continue
        result = score(selected)
        print(f"{name}: {result.line()}")
        if args.show:
            for miss in result.misses:
                print(f"  {miss}")


if __name__ == "__main__":
    main()
