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

from ..settings import SETTINGS, SettingError, check, default, in_section

MB = 1024 * 1024
DEFAULT_MAX_SIZE = default("run.max_size")  # a document file or fetched body (--max-size)
_FIELDS = {s.name: s for s in SETTINGS if s.goes_to == "limits"}  # Limits' fields, by name


class LimitError(SettingError):
    """A limit set to something it cannot be."""


@dataclass(frozen=True)
class Limits:
    """What one document may expand to, what extracting it may cost, and which engine reads a PDF (each field is
    declared, with its bounds and help, in :data:`docaudit.settings.SETTINGS`: section ``limits``, and
    ``[run] pdf_engine``)."""

    expanded: int = default("limits.expanded")
    characters: int = default("limits.characters")
    html: int = default("limits.html")
    memory: int = default("limits.memory")
    cpu: int = default("limits.cpu")
    wall: int = default("limits.wall")
    isolate: bool = default("limits.isolate")
    pdf_engine: str = default("run.pdf_engine")  # [run] pdf_engine: not a bound, but how reading a PDF costs

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Limits:
        """The defaults, with ``DOCAUDIT_LIMIT_<NAME>`` overriding each (``DOCAUDIT_LIMIT_MEMORY=4GB``), and
        ``DOCAUDIT_PDF_ENGINE`` the PDF engine."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            setting = _FIELDS[f.name]
            raw = env.get(setting.env or "")
            if raw is not None:
                values[f.name] = _checked(setting, raw, setting.env or f.name, text=True)
        return cls(**values)

    @classmethod
    def for_database(cls, db_path: str | os.PathLike[str]) -> Limits:
        """The limits for the documents of one folder: ``[limits]`` (and ``[run] pdf_engine``) of the docaudit.toml
        next to the database, over the environment's and the defaults (read without loading the rest of the
        watchlist)."""
        from pathlib import Path

        limits = cls.from_env()
        config = Path(db_path).resolve().parent / "docaudit.toml"
        if not config.is_file():
            return limits
        import tomllib  # only when there is a file to read (5 ms of an everyday `diff a.txt b.txt`)

        try:
            data = tomllib.loads(config.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise LimitError(f"{config}: cannot be read: {exc}") from None
        table, run = data.get("limits", {}), data.get("run", {})
        if not isinstance(table, dict) or not isinstance(run, dict):
            raise LimitError(f"{config}: [limits] and [run] must be tables")
        if "pdf_engine" in run:
            limits = limits.with_engine(run["pdf_engine"], f"{config} [run] pdf_engine")
        return limits.with_values(table, f"{config} [limits]")

    def with_engine(self, engine: str | None, where: str = "--pdf-engine") -> Limits:
        """These limits with PDFs read by ``engine`` (``pdfminer`` or ``pdfium``); ``None`` keeps the engine."""
        if engine is None:
            return self
        return replace(self, pdf_engine=_checked(_FIELDS["pdf_engine"], engine, where))

    def with_values(self, table: dict[str, Any], where: str = "[limits]") -> Limits:
        """These limits with a config table's values laid over them; unknown keys are an error."""
        known = in_section("limits")
        unknown = sorted(set(table) - set(known))
        if unknown:
            raise LimitError(f"{where}: unknown key(s) {', '.join(unknown)} (known: {', '.join(sorted(known))})")
        return replace(self, **{k: _checked(known[k], v, f"{where} {k}") for k, v in table.items()})


def _checked(setting: Any, value: Any, where: str, *, text: bool = False) -> Any:
    """A limit's value, checked by the settings table (its type and bounds); a LimitError says where it came from."""
    try:
        value = check(setting, value, where, text=text)
    except SettingError as exc:
        raise LimitError(str(exc)) from None
    return value if setting.kind in ("bool", "choice") else int(value)


def how_to_raise(name: str) -> str:
    """``[limits] memory in docaudit.toml, or DOCAUDIT_LIMIT_MEMORY``."""
    return f"raise it with [limits] {name} in docaudit.toml or DOCAUDIT_LIMIT_{name.upper()}"
