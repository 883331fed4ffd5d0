"""Align two sequences of hashable items (sentences, paragraphs, words) with diff-match-patch.

diff-match-patch diffs strings, so each distinct item is encoded as one character (the trick its own
line mode uses) and Myers' O(ND) algorithm runs on those strings: fast when two versions are mostly
equal, which is the common case for letters. The result is difflib-style opcodes.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Literal

from diff_match_patch import diff_match_patch

Tag = Literal["equal", "replace", "delete", "insert"]
Opcode = tuple[Tag, int, int, int, int]

# Give up on a minimal diff after this many seconds and return a correct but coarser one.
TIMEOUT = 2.0
_SURROGATES = range(0xD800, 0xE000)
_MAX_CODE = 0x10FFFF


def _char(n: int) -> str:
    code = n + 1  # never NUL
    if code >= _SURROGATES.start:
        code += len(_SURROGATES)
    if code > _MAX_CODE:
        raise OverflowError("too many distinct items to encode")
    return chr(code)


def _index(c: str) -> int:
    code = ord(c)
    if code >= _SURROGATES.stop:
        code -= len(_SURROGATES)
    return code - 1


def decode(chars: str, alphabet: Sequence[Hashable]) -> list[Hashable]:
    """The items that :func:`encode` turned into ``chars``."""
    return [alphabet[_index(c)] for c in chars]


def encode(a: Sequence[Hashable], b: Sequence[Hashable]) -> tuple[str, str, list[Hashable]]:
    """Encode both sequences as strings, one character per distinct item; also return the alphabet."""
    codes: dict[Hashable, str] = {}
    alphabet: list[Hashable] = []

    def enc(items: Sequence[Hashable]) -> str:
        out = []
        for item in items:
            c = codes.get(item)
            if c is None:
                c = codes[item] = _char(len(alphabet))
                alphabet.append(item)
            out.append(c)
        return "".join(out)

    return enc(a), enc(b), alphabet


def dmp_diff(a: str, b: str, *, timeout: float = TIMEOUT, semantic: bool = False) -> list[tuple[int, str]]:
    """diff-match-patch's diff of two strings (optionally with semantic clean-up)."""
    dmp = diff_match_patch()
    dmp.Diff_Timeout = timeout
    diffs = dmp.diff_main(a, b, False)
    if semantic:
        dmp.diff_cleanupSemantic(diffs)
    return diffs


def opcodes(a: Sequence[Hashable], b: Sequence[Hashable], *, timeout: float = TIMEOUT) -> list[Opcode]:
    """difflib-style opcodes turning ``a`` into ``b`` (adjacent deletes and inserts become ``replace``)."""
    sa, sb, _ = encode(a, b)
    out: list[Opcode] = []
    i = j = 0
    pending_del = pending_ins = 0

    def flush() -> None:
        nonlocal i, j, pending_del, pending_ins
        if pending_del and pending_ins:
            out.append(("replace", i, i + pending_del, j, j + pending_ins))
        elif pending_del:
            out.append(("delete", i, i + pending_del, j, j))
        elif pending_ins:
            out.append(("insert", i, i, j, j + pending_ins))
        i += pending_del
        j += pending_ins
        pending_del = pending_ins = 0

    for op, text in dmp_diff(sa, sb, timeout=timeout):
        n = len(text)
        if op == 0:
            flush()
            out.append(("equal", i, i + n, j, j + n))
            i += n
            j += n
        elif op == -1:
            pending_del += n
        else:
            pending_ins += n
    flush()
    return out


def grouped(codes: list[Opcode], context: int) -> list[list[Opcode]]:
    """Group opcodes into hunks with ``context`` equal items around each change (as difflib does)."""
    if not codes or all(tag == "equal" for tag, *_ in codes):
        return []
    codes = list(codes)
    if codes[0][0] == "equal":
        _, i1, i2, j1, j2 = codes[0]
        codes[0] = ("equal", max(i1, i2 - context), i2, max(j1, j2 - context), j2)
    if codes[-1][0] == "equal":
        _, i1, i2, j1, j2 = codes[-1]
        codes[-1] = ("equal", i1, min(i2, i1 + context), j1, min(j2, j1 + context))
    groups: list[list[Opcode]] = []
    group: list[Opcode] = []
    for tag, i1, i2, j1, j2 in codes:
        if tag == "equal" and i2 - i1 > 2 * context:
            group.append(("equal", i1, min(i2, i1 + context), j1, min(j2, j1 + context)))
            groups.append(group)
            group = []
            i1, j1 = max(i1, i2 - context), max(j1, j2 - context)
        group.append((tag, i1, i2, j1, j2))
    if group and not (len(group) == 1 and group[0][0] == "equal"):
        groups.append(group)
    return [[op for op in g if not (op[0] == "equal" and op[1] == op[2])] for g in groups]
