"""How far an untrusted document may take docaudit: what it may expand to, and what reading it may cost.

Every document and every fetched page may be hostile: a 400 KB .docx can inflate to gigabytes, a PDF
stream likewise, a page of unclosed tags can keep a parser busy for minutes. These limits bound each
step, and each refusal names the limit and how to raise it: the ``[limits]`` table of ``docaudit.toml``
(for ``docaudit run``) or the environment variable ``DOCAUDIT_LIMIT_<NAME>`` (for every command).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from typing import Any

from ..errors import DocauditError
from ..values import parse_size

MB = 1024 * 1024
DEFAULT_MAX_SIZE = 50 * MB  # a document file or fetched body (--max-size)


class LimitError(DocauditError, ValueError):
    """A limit set to something it cannot be."""


@dataclass(frozen=True)
class Limits:
    """What one document may expand to, and what extracting it may cost."""

    expanded: int = 64 * MB  # the XML (text) parts of a .docx, inflated (all parts together: 4 times this)
    characters: int = 20_000_000  # the extracted text
    html: int = 20 * MB  # an HTML page, before parsing
    memory: int = 1024 * MB  # the extraction process's address space (a worker needs ~60 MB for a letter)
    cpu: int = 120  # seconds of CPU for one extraction
    wall: int = 300  # seconds of wall clock for one extraction
    isolate: bool = True  # extract in a separate process under the memory and CPU limits

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Limits:
        """The defaults, with ``DOCAUDIT_LIMIT_<NAME>`` overriding each (``DOCAUDIT_LIMIT_MEMORY=4GB``)."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(f"DOCAUDIT_LIMIT_{f.name.upper()}")
            if raw is not None:
                try:
                    values[f.name] = _value(f.name, raw)
                except ValueError as exc:
                    raise LimitError(f"DOCAUDIT_LIMIT_{f.name.upper()}: {exc}") from None
        return cls(**values)

    @classmethod
    def for_database(cls, db_path: str | os.PathLike[str]) -> Limits:
        """The limits for the documents of one folder: ``[limits]`` of the docaudit.toml next to the database,
        over the environment's and the defaults (read without loading the rest of the watchlist)."""
        import tomllib
        from pathlib import Path

        limits = cls.from_env()
        config = Path(db_path).resolve().parent / "docaudit.toml"
        if not config.is_file():
            return limits
        try:
            table = tomllib.loads(config.read_text(encoding="utf-8")).get("limits", {})
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise LimitError(f"{config}: cannot be read: {exc}") from None
        if not isinstance(table, dict):
            raise LimitError(f"{config}: [limits] must be a table")
        return limits.with_values(table, f"{config} [limits]")

    def with_values(self, table: dict[str, Any], where: str = "[limits]") -> Limits:
        """These limits with a config table's values laid over them; unknown keys are an error."""
        names = {f.name for f in fields(self)}
        unknown = sorted(set(table) - names)
        if unknown:
            raise ValueError(f"{where}: unknown key(s) {', '.join(unknown)} (known: {', '.join(sorted(names))})")
        if "isolate" in table and not isinstance(table["isolate"], bool):
            raise LimitError(f"{where} isolate = {table['isolate']!r}: true or false, without quotes")
        try:
            return replace(self, **{k: _value(k, v) for k, v in table.items()})
        except ValueError as exc:
            raise LimitError(f"{where} {exc}") from None


# the least (and most) each limit may be set to: below it no letter can be read, and a typo such as
# ``memory = -1`` or ``cpu = 0`` must be an error, not a limit that silently refuses everything
BOUNDS: dict[str, tuple[int, int | None, str]] = {
    "expanded": (1 * MB, None, "1 MB"),
    "characters": (10_000, None, "10,000"),
    "html": (64 * 1024, None, "64 KB"),
    "memory": (128 * MB, None, "128 MB"),
    "cpu": (1, 86_400, "1 s"),
    "wall": (1, 86_400, "1 s"),
}
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


def _value(name: str, raw: Any) -> Any:
    """A limit's value from a config table or the environment, checked: the right type, within its bounds."""
    if name == "isolate":
        if isinstance(raw, bool):
            return raw
        word = str(raw).strip().lower()
        if word in _TRUE or word in _FALSE:
            return word in _TRUE
        raise ValueError(f"isolate = {raw!r}: true or false")
    try:
        if isinstance(raw, bool):
            raise ValueError
        value = parse_size(raw) if name in ("expanded", "html", "memory") else int(str(raw).strip())
    except (TypeError, ValueError):
        kind = "a size such as 512MB" if name in ("expanded", "html", "memory") else "a whole number"
        raise ValueError(f"{name} = {raw!r}: not {kind}") from None
    low, high, said = BOUNDS[name]
    if value < low or (high is not None and value > high):
        span = f"at least {said}" + (f", at most {high:,}" if high is not None else "")
        raise ValueError(f"{name} = {raw!r}: out of range ({span})")
    return value


def how_to_raise(name: str) -> str:
    """``[limits] memory in docaudit.toml, or DOCAUDIT_LIMIT_MEMORY``."""
    return f"raise it with [limits] {name} in docaudit.toml or DOCAUDIT_LIMIT_{name.upper()}"
