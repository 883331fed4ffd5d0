"""``docaudit.toml``: a watch folder's sources, run settings and notification targets.

    [run]
    concurrency = 8          # parallel fetches
    timeout = 30             # seconds per request
    retries = 3              # on connection errors, timeouts, 429 and 5xx
    backoff = 1.0            # seconds before the first retry, doubling each time
    extract_workers = 2      # processes extracting changed letters (default: cores, at most 4)
    max_size = "50MB"
    wait = 300               # seconds to wait for a previous run still going
    schedule = "15 6 * * *"  # a hint for your crontab line; docaudit does not schedule itself

    ignore = ["bijgewerkt: \\S+ \\S+"]   # text whose changes never reach an alert (regular expressions)

    [tk]
    api = "https://gegevensmagazijn.tweedekamer.nl/OData/v5"   # the default; v4 mirrors work too

    [notify]
    urls = ["mailtos://user:pass@example.org?to=desk@example.org", "json://hooks.example.org/docaudit"]
    on = "changes"           # changes | failures | always | never

    [evidence]
    tsa = "https://freetsa.org/tsr"   # an RFC 3161 time-stamping authority (docaudit seal, evidence)
    tsa_cert = "freetsa-root.pem"     # its root certificate: seals are checked against it, offline
    seal = true                       # seal the hash chain after every run that stored something

    [feed]
    path = "changes.xml"     # rewritten after every run that stored something
    title = "Kamerbrieven: wijzigingen"

    [[source]]
    url = "https://www.rijksoverheid.nl/documenten/kamerstukken/2024/11/29/brief.pdf"
    doc = "csam-brief"

    [[source]]
    tk = "2024D46963"
    ignore = ["Pagina \\d+ van \\d+"]    # this source's own rules, besides [run] ignore

    [[source]]
    tk = "dossier/32317"
    since = "2024-01-01"

Unknown keys are errors, not silently ignored: a typo in a watchlist must not mean an unwatched letter.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import DocauditError
from ..read.fetch import FetchSettings
from ..store.database import Store
from ..values import parse_size
from .run import RunSettings
from .sources import Source, list_sources, parse_source, track, untrack

CONFIG_NAME = "docaudit.toml"
NOTIFY_ON = ("changes", "failures", "always", "never")


class ConfigError(DocauditError):
    """The watchlist cannot be used as written."""


@dataclass
class Watchlist:
    path: Path | None
    settings: RunSettings = field(default_factory=RunSettings)
    sources: list[dict[str, str]] = field(default_factory=list)
    notify: list[str] = field(default_factory=list)
    notify_on: str = "changes"
    feed_path: Path | None = None
    feed_title: str | None = None
    schedule: str | None = None
    allow_empty: bool = False  # nothing to check is fine (a watch folder being set up)
    notes: list[str] = field(default_factory=list)  # what syncing the watchlist has to tell
    report_path: Path | None = None  # write the HTML report here after a run that stored something
    report_title: str | None = None
    tsa: str | None = None  # [evidence]: the time-stamping authority and its root certificate
    tsa_cert: Path | None = None
    seal_after_run: bool = False

    def with_options(
        self,
        *,
        wait: float | None = None,
        concurrency: int | None = None,
        timeout: float | None = None,
        retries: int | None = None,
        backoff: float | None = None,
        tk_api: str | None = None,
        tk_feed: str | None = None,
        refetch: bool = False,
        ignore: Sequence[str] = (),
        notify: Sequence[str] = (),
        no_notify: bool = False,
        feed_path: str | os.PathLike[str] | None = None,
    ) -> Watchlist:
        """This watchlist with command-line options laid over it (``None`` or empty: keep the file's value).

        URLs given with ``notify`` are told of changes even when the file says ``on = "never"``;
        ``no_notify`` silences every target.
        """
        settings = replace(self.settings, fetch=replace(self.settings.fetch))
        for obj, key, value in (
            (settings, "wait", wait),
            (settings, "concurrency", concurrency),
            (settings.fetch, "timeout", timeout),
            (settings.fetch, "retries", retries),
            (settings.fetch, "backoff", backoff),
            (settings, "tk_api", tk_api or None),
            (settings, "tk_feed", tk_feed or None),
            (settings, "refetch", True if refetch else None),
            (settings, "ignore", (*settings.ignore, *ignore) if ignore else None),
        ):
            if value is not None:
                setattr(obj, key, value)
        return replace(
            self,
            settings=settings,
            notify=[] if no_notify else [*self.notify, *notify],
            notify_on="changes" if notify and self.notify_on == "never" else self.notify_on,
            feed_path=Path(feed_path) if feed_path else self.feed_path,
        )


def find_config(db_path: str | os.PathLike[str], explicit: str | os.PathLike[str] | None = None) -> Path | None:
    """``--config`` if given (it must exist), else ``docaudit.toml`` next to the database, if there is one."""
    if explicit is not None:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"no watchlist at {path}")
        return path
    path = Path(db_path).resolve().parent / CONFIG_NAME
    return path if path.is_file() else None


def load_config(path: Path | None) -> Watchlist:
    """Read and check a watchlist; ``None`` gives the defaults."""
    if path is None:
        return Watchlist(None)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    where = str(path)
    _keys(data, {"run", "tk", "notify", "feed", "source", "limits", "report", "evidence"}, where)
    w = Watchlist(path)
    run = _table(data, "run", where)
    _keys(run, set(RUN_KEYS) | {"schedule", "allow_empty", "ignore"}, f"{where} [run]")
    fetch = FetchSettings()
    settings = RunSettings(fetch=fetch)
    for key, (target, kind, low, high) in RUN_KEYS.items():
        if key not in run:
            continue
        value = _checked(run[key], kind, low, high, f"{where} [run] {key}")
        setattr(fetch if target == "fetch" else settings, key, value)
    settings.ignore = _rules(run.get("ignore", []), f"{where} [run] ignore")
    w.settings = settings
    w.schedule = run.get("schedule")
    w.allow_empty = bool(run.get("allow_empty", False))
    report = _table(data, "report", where)
    _keys(report, {"path", "title"}, f"{where} [report]")
    if "path" in report:
        w.report_path = (path.parent / str(report["path"])).resolve()
        w.report_title = report.get("title")
    try:
        w.settings.limits = w.settings.limits.with_values(_table(data, "limits", where), f"{where} [limits]")
    except (TypeError, ValueError) as exc:
        raise ConfigError(str(exc) if "[limits]" in str(exc) else f"{where} [limits]: {exc}") from None
    tk = _table(data, "tk", where)
    _keys(tk, {"api", "feed"}, f"{where} [tk]")
    if "api" in tk:
        w.settings.tk_api = str(tk["api"])
    if "feed" in tk:
        w.settings.tk_feed = str(tk["feed"])
    notify = _table(data, "notify", where)
    _keys(notify, {"urls", "on"}, f"{where} [notify]")
    urls = notify.get("urls", [])
    if isinstance(urls, str):
        urls = [urls]
    if not isinstance(urls, list) or not all(isinstance(u, str) for u in urls):
        raise ConfigError(f"{where} [notify]: urls must be a list of apprise URLs")
    w.notify = urls
    w.notify_on = str(notify.get("on", "changes"))
    if w.notify_on not in NOTIFY_ON:
        raise ConfigError(f"{where} [notify]: on must be one of {', '.join(NOTIFY_ON)}")
    evidence = _table(data, "evidence", where)
    _keys(evidence, {"tsa", "tsa_cert", "seal"}, f"{where} [evidence]")
    if "tsa" in evidence:
        w.tsa = str(evidence["tsa"])
        if not w.tsa.startswith(("https://", "http://")):
            raise ConfigError(f"{where} [evidence]: tsa must be an http(s) URL")
    if "tsa_cert" in evidence:
        w.tsa_cert = (path.parent / str(evidence["tsa_cert"])).resolve()
    w.seal_after_run = _checked(evidence.get("seal", False), "bool", None, None, f"{where} [evidence] seal")
    feed = _table(data, "feed", where)
    _keys(feed, {"path", "title"}, f"{where} [feed]")
    if "path" in feed:
        w.feed_path = (path.parent / str(feed["path"])).resolve()
        w.feed_title = feed.get("title")
    sources = data.get("source", [])
    if not isinstance(sources, list):
        raise ConfigError(f"{where}: write sources as [[source]] tables")
    for n, entry in enumerate(sources, 1):
        label = f"{where} source #{n}"
        if not isinstance(entry, dict):
            raise ConfigError(f"{label}: not a table")
        _keys(entry, {"url", "tk", "feed", "doc", "name", "since", "ignore"}, label)
        kinds = [k for k in ("url", "tk", "feed") if k in entry]
        if len(kinds) != 1:
            raise ConfigError(f"{label}: give exactly one of url = …, tk = … or feed = …")
        spec = {"url": "", "tk": "tk:", "feed": "feed:"}[kinds[0]] + str(entry[kinds[0]])
        since = entry.get("since")
        if isinstance(since, date):
            since = since.isoformat()
        record = {"spec": spec, "doc": entry.get("doc"), "name": entry.get("name"), "since": since}
        try:
            parsed = parse_source(spec, doc=record["doc"], since=since)
        except DocauditError as exc:
            raise ConfigError(f"{label}: {exc}") from None
        if "ignore" in entry:
            settings.source_ignore[parsed.id] = _rules(entry["ignore"], f"{label} ignore")
        w.sources.append(record)
    return w


def sync_sources(store: Store, watchlist: Watchlist) -> list[Source]:
    """Track every source in the watchlist; stop tracking the ones removed from it (their history stays).

    Sources added with ``docaudit track`` are left alone.
    """
    if watchlist.path is None:
        return []
    before = {s.id: s for s in list_sources(store, include_inactive=True)}
    tracked = [
        track(store, s["spec"], doc=s["doc"], name=s["name"], since=s["since"], origin="config")
        for s in watchlist.sources
    ]
    for s in tracked:
        old = before.get(s.id)
        if old is not None and old.origin == "cli":
            watchlist.notes.append(
                f"source {s.id} was added with docaudit track and is in {watchlist.path.name} too: "
                "the file owns it now (remove it from the file to stop checking it)"
            )
    keep = {s.id for s in tracked}
    for source in list_sources(store):
        if source.origin == "config" and source.id not in keep:
            untrack(store, source.id)
    return tracked


# [run] keys: where they go, their type, and the range the command-line flags enforce too
RUN_KEYS: dict[str, tuple[str, str, float | None, float | None]] = {
    "concurrency": ("run", "int", 1, 64),
    "wait": ("run", "float", 0, None),
    "extract_workers": ("run", "int", 1, 64),
    "feed_items": ("run", "int", 1, 10000),
    "timeout": ("fetch", "float", 0.1, 3600),
    "retries": ("fetch", "int", 0, 10),
    "backoff": ("fetch", "float", 0, 3600),
    "max_size": ("fetch", "size", 1, None),
    "per_host": ("fetch", "int", 1, 64),
    "total_timeout": ("fetch", "float", 1, 86400),
    "min_rate": ("fetch", "float", 0, None),
    "allow_private_redirects": ("fetch", "bool", None, None),
}


def _checked(value: Any, kind: str, low: float | None, high: float | None, where: str) -> Any:
    """A config value of the right type within its range, or a ConfigError that says which."""
    try:
        if kind == "bool":
            if not isinstance(value, bool):
                raise ValueError("true or false")
            return value
        if isinstance(value, bool):
            raise ValueError("a number")
        number: Any = parse_size(value) if kind == "size" else int(value) if kind == "int" else float(value)
        if kind == "int" and isinstance(value, float) and value != int(value):
            raise ValueError("a whole number")
    except (TypeError, ValueError) as exc:
        said = str(exc) if str(exc).startswith(("a ", "true")) else f"a {kind}"
        raise ConfigError(f"{where}: {value!r} is not {said}") from None
    if (low is not None and number < low) or (high is not None and number > high):
        span = f"{low:g} to {high:g}" if high is not None else f"at least {low:g}"
        raise ConfigError(f"{where}: {value!r} is out of range ({span})")
    return number


def _rules(value: Any, where: str) -> tuple[str, ...]:
    """``ignore = ["regex", …]``: a list of regular expressions, each checked now (a typo is an error, not a rule
    that silently never matches)."""
    from ..diff.ignore import compile_rules

    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: a list of regular expressions")
    try:
        compile_rules(value)
    except DocauditError as exc:
        raise ConfigError(f"{where}: {str(exc).removeprefix('--ignore: ')}") from None
    return tuple(value)


def _table(data: dict[str, Any], name: str, where: str) -> dict[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: [{name}] must be a table")
    return value


def _keys(table: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)} (allowed: {', '.join(sorted(allowed))})")
