"""A small evaluator for the OData ``$filter`` expressions a Tweede Kamer client sends, for the API stand-in.

It knows what the real service answers for them and no more: comparisons (``eq ne gt ge lt le``) of a
field with a string, number, boolean, ``null``, guid or date-time literal (instants compared as instants,
so ``Datum ge 2024-11-01T00:00:00Z`` leaves out a record dated ``2024-11-01T00:00:00+01:00``), ``and``,
``or``, ``not``, parentheses, and ``Kamerstukdossier/any(d: d/Nummer eq 1 and d/Toevoeging eq 'XV')``.
Anything else raises :class:`ODataError` (the service answers 400).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

_TOKEN = re.compile(
    r"\s*(?:"
    r"(?P<string>'(?:[^']|'')*')"
    r"|(?P<datetime>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))"
    r"|(?P<guid>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"
    r"|(?P<number>-?\d+(?:\.\d+)?)"
    r"|(?P<punct>[(),:])"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*(?:/[A-Za-z_][A-Za-z0-9_]*)*)"
    r")"
)
COMPARE = {"eq", "ne", "gt", "ge", "lt", "le"}


class ODataError(ValueError):
    """The expression is not one the service understands."""


def parse_instant(value: str) -> datetime:
    """An OData/ISO date-time with an offset (up to 7 fractional digits) as an aware datetime."""
    value = re.sub(r"(\.\d{6})\d+", r"\1", value.strip()).replace("Z", "+00:00")
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ODataError(f"a date-time needs an offset: {value!r}")
    return parsed


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ODataError(f"The query specified in the URI is not valid: near {text[pos : pos + 20]!r}")
        kind = m.lastgroup or ""
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


Predicate = Callable[[dict[str, Any]], bool]


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.i = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None or (value is not None and token[1] != value):
            raise ODataError(f"The query specified in the URI is not valid: expected {value or 'more'}")
        self.i += 1
        return token

    def parse(self) -> Predicate:
        predicate = self.disjunction()
        if self.peek() is not None:
            raise ODataError(f"The query specified in the URI is not valid: unexpected {self.peek()[1]!r}")
        return predicate

    def disjunction(self) -> Predicate:
        parts = [self.conjunction()]
        while self.peek() == ("name", "or"):
            self.take()
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else (lambda r: any(p(r) for p in parts))

    def conjunction(self) -> Predicate:
        parts = [self.unary()]
        while self.peek() == ("name", "and"):
            self.take()
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else (lambda r: all(p(r) for p in parts))

    def unary(self) -> Predicate:
        if self.peek() == ("name", "not"):
            self.take()
            inner = self.unary()
            return lambda r: not inner(r)
        if self.peek() == ("punct", "("):
            self.take()
            inner = self.disjunction()
            self.take(")")
            return inner
        return self.comparison()

    def comparison(self) -> Predicate:
        kind, name = self.take()
        if kind != "name":
            raise ODataError(f"The query specified in the URI is not valid: {name!r} is not a property")
        if name.endswith("/any"):
            return self.any_(name.removesuffix("/any"))
        _, op = self.take()
        if op not in COMPARE:
            raise ODataError(f"The query specified in the URI is not valid: unknown operator {op!r}")
        literal = self.literal()
        return lambda r: _compare(_get(r, name), op, literal)

    def any_(self, collection: str) -> Predicate:
        self.take("(")
        _, var = self.take()
        self.take(":")
        inner_text_start = self.i
        depth = 0
        while True:
            token = self.peek()
            if token is None:
                raise ODataError("The query specified in the URI is not valid: unclosed any(")
            if token == ("punct", "("):
                depth += 1
            elif token == ("punct", ")"):
                if depth == 0:
                    break
                depth -= 1
            self.i += 1
        inner_tokens = self.tokens[inner_text_start : self.i]
        self.take(")")
        sub = _Parser.__new__(_Parser)
        sub.tokens = [(k, v.removeprefix(f"{var}/") if k == "name" else v) for k, v in inner_tokens]
        sub.i = 0
        inner = sub.parse()
        return lambda r: any(inner(item) for item in (r.get(collection) or []) if isinstance(item, dict))

    def literal(self) -> Any:
        kind, value = self.take()
        if kind == "string":
            return value[1:-1].replace("''", "'")
        if kind == "number":
            return float(value) if "." in value else int(value)
        if kind == "datetime":
            return parse_instant(value)
        if kind == "guid":
            return value.lower()
        if kind == "name" and value in ("true", "false"):
            return value == "true"
        if kind == "name" and value == "null":
            return None
        raise ODataError(f"The query specified in the URI is not valid: {value!r} is not a literal")


def _get(record: dict[str, Any], name: str) -> Any:
    value: Any = record
    for part in name.split("/"):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _compare(value: Any, op: str, literal: Any) -> bool:
    if isinstance(literal, datetime) and isinstance(value, str):
        value = parse_instant(value)
    if isinstance(literal, str) and isinstance(value, str) and re.fullmatch(r"[0-9a-f-]{36}", literal):
        value = value.lower()
    if op == "eq":
        return value == literal
    if op == "ne":
        return value != literal
    if value is None or literal is None:
        return False
    try:
        return {"gt": value > literal, "ge": value >= literal, "lt": value < literal, "le": value <= literal}[op]
    except TypeError:
        raise ODataError(
            f"The query specified in the URI is not valid: cannot compare {value!r} with {literal!r}"
        ) from None


def names_compared(text: str) -> list[str]:
    """The record's own property names a ``$filter`` uses (compared, or a collection it looks into with
    ``any``); names inside a lambda (``d/Nummer``) belong to another entity type and are left out."""
    try:
        tokens = _tokens(text)
    except ODataError:
        return []
    if not tokens:
        return []
    names = []
    for (kind, value), following in zip(tokens, [*tokens[1:], ("", "")], strict=True):
        if kind != "name" or value in ("and", "or", "not", "true", "false", "null") or value in COMPARE:
            continue
        if value.endswith("/any"):
            names.append(value.removesuffix("/any"))
        elif "/" not in value and following[0] == "name" and following[1] in COMPARE:
            names.append(value)
    return names


def compile_filter(text: str) -> Predicate:
    """A predicate over a record (a dict as the service serialises it) for a ``$filter`` expression."""
    if not text.strip():
        return lambda _r: True
    return _Parser(text).parse()
