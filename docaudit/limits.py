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

from .values import parse_size

MB = 1024 * 1024


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
                values[f.name] = _value(f.name, raw)
        return cls(**values)

    def with_values(self, table: dict[str, Any], where: str = "[limits]") -> Limits:
        """These limits with a config table's values laid over them; unknown keys are an error."""
        names = {f.name for f in fields(self)}
        unknown = sorted(set(table) - names)
        if unknown:
            raise ValueError(f"{where}: unknown key(s) {', '.join(unknown)} (known: {', '.join(sorted(names))})")
        return replace(self, **{k: _value(k, v) for k, v in table.items()})


def _value(name: str, raw: Any) -> Any:
    if name == "isolate":
        return raw if isinstance(raw, bool) else str(raw).strip().lower() not in ("0", "false", "no", "off")
    if name in ("expanded", "html", "memory"):
        return parse_size(raw)
    return int(raw)


def how_to_raise(name: str) -> str:
    """``[limits] memory in docaudit.toml, or DOCAUDIT_LIMIT_MEMORY``."""
    return f"raise it with [limits] {name} in docaudit.toml or DOCAUDIT_LIMIT_{name.upper()}"
