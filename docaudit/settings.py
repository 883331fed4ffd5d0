"""Every setting docaudit reads, declared once: its name, type, bounds, default, help, docaudit.toml key,
environment variable and command-line option.

The ``run`` command's options (:func:`docaudit.cli.options.setting_options`), the checks of docaudit.toml
(:mod:`docaudit.watch.config`) and of ``DOCAUDIT_LIMIT_*`` (:class:`docaudit.read.limits.Limits`), the defaults of
the settings objects, and ``docs/settings.md`` (``scripts/gen_docs.py``) all come from :data:`SETTINGS`, so a
bound said in one place holds in all of them. :func:`check` is the one check of a value, wherever it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .errors import DocauditError
from .values import parse_size

MB = 1024 * 1024
KINDS = ("int", "float", "duration", "size", "bool", "url", "text", "choice", "regexes", "urls")


class SettingError(DocauditError, ValueError):
    """A setting given a value it cannot have (the message names where the value came from)."""


@dataclass(frozen=True)
class Setting:
    """One setting. ``section`` is its docaudit.toml table (``run`` → ``[run] timeout``); ``goes_to`` the object
    that carries it (``run``: RunSettings, ``fetch``: FetchSettings, ``limits``: Limits, ``watchlist``:
    the watchlist itself); ``option`` whether ``docaudit run`` has a flag for it (``--name-with-dashes``)."""

    section: str
    name: str
    kind: str
    default: Any
    help: str
    goes_to: str
    low: float | None = None
    high: float | None = None
    env: str | None = None
    option: bool = False
    config: bool = True
    choices: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """``run.timeout``: the setting's name in :data:`BY_KEY`."""
        return f"{self.section}.{self.name}"

    @property
    def option_name(self) -> str:
        """The command-line option's parameter and the run settings' attribute: ``timeout``, ``tk_api``."""
        return self.name if self.section == "run" else f"{self.section}_{self.name}"

    @property
    def flag(self) -> str:
        """``--timeout``, ``--tk-api``."""
        return "--" + self.option_name.replace("_", "-")

    def bounds(self) -> str:
        """``0.1 to 3600``, ``at least 1``, or empty."""
        unit = " s" if self.kind == "duration" else ""
        if self.kind == "size" and self.low is not None:
            return f"at least {_size(self.low)}" + (f", at most {_size(self.high)}" if self.high is not None else "")
        if self.low is not None and self.high is not None:
            return f"{self.low:g} to {self.high:g}{unit}"
        if self.low is not None:
            return f"at least {self.low:g}{unit}"
        return ""

    def shown_default(self) -> str:
        if self.default is None:
            return "none"
        if self.kind == "size":
            return _size(self.default)
        if self.kind == "duration":
            return f"{self.default:g} s"
        if self.kind == "bool":
            return "true" if self.default else "false"
        if isinstance(self.default, tuple | list):
            return "[]" if not self.default else ", ".join(map(str, self.default))
        return str(self.default)


def _size(n: float) -> str:
    return f"{n / MB:g} MB" if n >= MB and n % (MB // 4) == 0 else f"{n / 1024:g} KB" if n >= 1024 else f"{n:g} B"


SETTINGS: tuple[Setting, ...] = (
    # [run]: how a run fetches and reads
    Setting("run", "concurrency", "int", 8, "Parallel fetches.", "run", 1, 64, option=True),
    Setting("run", "wait", "duration", 0.0, "Time to wait for a run still going (600, 10m).", "run", 0, None,
            option=True),
    Setting("run", "extract_workers", "int", None,
            "Processes extracting changed letters at once (default: the cores, at most 4).", "run", 1, 64),
    Setting("run", "feed_items", "int", 20, "New items a feed: source takes on in one run.", "run", 1, 10000),
    Setting("run", "timeout", "duration", 30.0, "Time per HTTP request (30, 30s, 2m).", "fetch", 0.1, 3600,
            option=True),
    Setting("run", "retries", "int", 3, "Retries on timeouts, connection errors, 429 and 5xx.", "fetch", 0, 10,
            option=True),
    Setting("run", "backoff", "duration", 1.0, "Time before the first retry, doubling each time.", "fetch", 0, 3600,
            option=True),
    Setting("run", "max_size", "size", 50 * MB, "Refuse a fetched document larger than this.", "fetch", 1),
    Setting("run", "per_host", "int", 4, "Requests to one host at a time.", "fetch", 1, 64),
    Setting("run", "total_timeout", "duration", 300.0, "Time for a whole download (one that takes longer is not "
            "retried).", "fetch", 1, 86400),
    Setting("run", "min_rate", "float", 2048.0, "Bytes per second a download must keep up, judged after 20 s.",
            "fetch", 0),
    Setting("run", "allow_private_redirects", "bool", False, "Follow a redirect from another origin into loopback "
            "or private address ranges.", "fetch"),
    Setting("run", "refetch", "bool", False, "Fetch every URL whole (no ETag/Last-Modified); the same bytes stay "
            "unchanged.", "run", option=True, config=False),
    Setting("run", "allow_empty", "bool", False, "Nothing to check is fine (else exit 2 and one line on stderr).",
            "watchlist", option=True),
    Setting("run", "schedule", "text", None, "A hint for your crontab line; docaudit does not schedule itself.",
            "watchlist"),
    Setting("run", "ignore", "regexes", (), "Text whose changes never reach an alert (regular expressions; also "
            "per [[source]]).", "run"),
    # [tk]: the Tweede Kamer open-data services
    Setting("run", "pdf_engine", "choice", "pdfminer", "What reads PDFs: pdfminer (pdfminer.six) or pdfium (pypdfium2, "
            "about 10× faster, the same layout rules; pip install 'docaudit[pdfium]'). Also add, import, diff.",
            "limits", env="DOCAUDIT_PDF_ENGINE", option=True, choices=("pdfminer", "pdfium")),
    Setting("tk", "api", "url", "https://gegevensmagazijn.tweedekamer.nl/OData/v5", "Tweede Kamer OData base URL.",
            "run", env="DOCAUDIT_TK_API", option=True),
    Setting("tk", "feed", "url", "https://gegevensmagazijn.tweedekamer.nl/SyncFeed/2.0",
            "Tweede Kamer SyncFeed base URL.", "run", env="DOCAUDIT_TK_FEED", option=True),
    # [limits]: what one untrusted document may cost to read
    Setting("limits", "expanded", "size", 64 * MB, "What a .docx's text (its XML parts) may inflate to; all its "
            "parts together: 4 times this.", "limits", 1 * MB, env="DOCAUDIT_LIMIT_EXPANDED"),
    Setting("limits", "characters", "int", 20_000_000, "Characters of extracted text.", "limits", 10_000,
            env="DOCAUDIT_LIMIT_CHARACTERS"),
    Setting("limits", "html", "size", 20 * MB, "An HTML page, before parsing.", "limits", 64 * 1024,
            env="DOCAUDIT_LIMIT_HTML"),
    Setting("limits", "memory", "size", 1024 * MB, "Address space of the extraction worker (a letter needs ~60 MB).",
            "limits", 128 * MB, env="DOCAUDIT_LIMIT_MEMORY"),
    Setting("limits", "cpu", "int", 120, "Seconds of CPU for one extraction.", "limits", 1, 86400,
            env="DOCAUDIT_LIMIT_CPU"),
    Setting("limits", "wall", "int", 300, "Seconds of wall clock for one extraction.", "limits", 1, 86400,
            env="DOCAUDIT_LIMIT_WALL"),
    Setting("limits", "isolate", "bool", True, "Extract in a separate process under the memory and CPU limits.",
            "limits", env="DOCAUDIT_LIMIT_ISOLATE"),
    # [notify], [feed], [report], [evidence]: what a run does after it stored something
    Setting("notify", "urls", "urls", (), "apprise URLs to tell (mail, Matrix, Slack, a JSON webhook, …).",
            "watchlist"),
    Setting("notify", "on", "choice", "changes", "When to tell.", "watchlist",
            choices=("changes", "failures", "always", "never")),
    Setting("feed", "path", "text", None, "An Atom feed rewritten after every run that stored something (relative "
            "to docaudit.toml).", "watchlist"),
    Setting("feed", "title", "text", None, "The feed's title.", "watchlist"),
    Setting("report", "path", "text", None, "The HTML report's folder, rewritten after a run that stored something.",
            "watchlist"),
    Setting("report", "title", "text", None, "The report's title.", "watchlist"),
    Setting("evidence", "tsa", "url", None, "An RFC 3161 time-stamping authority (seal, evidence).", "watchlist"),
    Setting("evidence", "tsa_cert", "text", None, "The authority's root certificate (PEM), to check seals offline.",
            "watchlist"),
    Setting("evidence", "seal", "bool", False, "Seal the hash chain after every run that stored something.",
            "watchlist"),
)  # fmt: skip

BY_KEY: dict[str, Setting] = {s.key: s for s in SETTINGS}
SECTIONS: tuple[str, ...] = tuple(dict.fromkeys(s.section for s in SETTINGS))


def in_section(section: str) -> dict[str, Setting]:
    """The settings of one docaudit.toml table, by name (those read from the file only)."""
    return {s.name: s for s in SETTINGS if s.section == section and s.config}


def options() -> dict[str, Setting]:
    """The settings ``docaudit run`` has a flag for, by option name."""
    return {s.option_name: s for s in SETTINGS if s.option}


def default(key: str) -> Any:
    """The declared default of ``section.name`` (dataclass fields take theirs from here)."""
    return BY_KEY[key].default


_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")
_DURATION = re.compile(r"\s*(-?\d+(?:\.\d+)?)\s*(s|sec|m|min|h)?\s*", re.I)


def parse_duration(value: Any) -> float:
    """Seconds from ``30``, ``1.5``, ``30s``, ``2m`` or ``1h``."""
    if isinstance(value, bool):
        raise ValueError("a duration (30, 30s, 2m, 1h)")
    if isinstance(value, int | float):
        return float(value)
    m = _DURATION.fullmatch(str(value))
    if not m:
        raise ValueError("a duration (30, 30s, 2m, 1h)")
    unit = (m.group(2) or "s").lower()
    return float(m.group(1)) * {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600}[unit]


def check(setting: Setting, value: Any, where: str, *, text: bool = False) -> Any:
    """``value`` as ``setting`` takes it: of its type and within its bounds, else a SettingError that says
    ``where`` (``docaudit.toml [run] timeout``, ``DOCAUDIT_LIMIT_MEMORY``, ``--timeout``). ``text``: the value
    is a string from the environment or the command line (``true``/``false`` words are then booleans)."""
    kind = setting.kind
    try:
        if kind == "bool":
            if isinstance(value, bool):
                return value
            word = str(value).strip().lower() if text else None
            if word in _TRUE or word in _FALSE:
                return word in _TRUE
            raise ValueError("true or false" + ("" if text else ", without quotes"))
        if kind in ("url", "text", "choice"):
            if not isinstance(value, str):
                raise ValueError("a string")
            if kind == "url" and not value.startswith(("https://", "http://")):
                raise ValueError("an http(s) URL")
            if kind == "choice" and value not in setting.choices:
                raise ValueError("one of " + ", ".join(setting.choices))
            return value
        if kind in ("regexes", "urls"):
            items = [value] if isinstance(value, str) else value
            if not isinstance(items, list | tuple) or not all(isinstance(v, str) for v in items):
                raise ValueError("a list of " + ("regular expressions" if kind == "regexes" else "URLs"))
            return tuple(items)
        if isinstance(value, bool):
            raise ValueError("a number")
        if kind == "size":
            number: float = parse_size(value if isinstance(value, int) else str(value))
        elif kind == "duration":
            number = parse_duration(value)
        elif kind == "int":
            if isinstance(value, float) and value != int(value):
                raise ValueError("a whole number")
            number = int(str(value).strip()) if isinstance(value, str) else int(value)
        else:
            number = float(value)
    except (TypeError, ValueError) as exc:
        said = str(exc)
        if not said.startswith(("a ", "an ", "true", "one of")):
            said = {"size": "a size such as 512MB", "int": "a whole number"}.get(kind, f"a {kind}")
        raise SettingError(f"{where}: {value!r} is not {said}") from None
    low, high = setting.low, setting.high
    if (low is not None and number < low) or (high is not None and number > high):
        raise SettingError(f"{where}: {value!r} is out of range ({setting.bounds()})")
    return number
