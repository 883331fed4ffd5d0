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
from ..settings import BY_KEY, SECTIONS, SETTINGS, Setting, SettingError, check, in_section, options
from ..store.database import Store
from .run import RunSettings
from .sources import Source, list_sources, parse_source, track, untrack

CONFIG_NAME = "docaudit.toml"
NOTIFY_ON = BY_KEY["notify.on"].choices


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
        ignore: Sequence[str] = (),
        notify: Sequence[str] = (),
        no_notify: bool = False,
        feed_path: str | os.PathLike[str] | None = None,
        **settings: Any,
    ) -> Watchlist:
        """This watchlist with command-line options laid over it: ``settings`` by option name (those of
        :func:`docaudit.settings.options`: ``timeout=10``, ``tk_api=…``; ``None`` or false keeps the file's value),
        each checked as the file's are; ``ignore`` rules are added to the file's.

        URLs given with ``notify`` are told of changes even when the file says ``on = "never"``;
        ``no_notify`` silences every target.
        """
        run = replace(self.settings, fetch=replace(self.settings.fetch))
        own: dict[str, Any] = {}
        known = options()
        for name, value in settings.items():
            setting = known.get(name)
            if setting is None:
                raise TypeError(f"with_options() got an unexpected keyword argument {name!r}")
            if value is None or value is False:
                continue
            value = _value(setting, value, setting.flag, text=isinstance(value, str))
            if setting.goes_to == "watchlist":
                own[setting.name] = value
            elif setting.goes_to == "limits":
                run.limits = replace(run.limits, **{setting.name: value})
            else:
                setattr(run.fetch if setting.goes_to == "fetch" else run, setting.option_name, value)
        if ignore:
            run.ignore = (*run.ignore, *_rules(list(ignore), "--ignore"))
        return replace(
            self,
            settings=run,
            notify=[] if no_notify else [*self.notify, *notify],
            notify_on="changes" if notify and self.notify_on == "never" else self.notify_on,
            feed_path=Path(feed_path) if feed_path else self.feed_path,
            **own,
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
    _keys(data, {*SECTIONS, "source"}, where)
    w = Watchlist(path)
    tables = {name: _table(data, name, where) for name in SECTIONS}
    for name, table in tables.items():
        _keys(table, set(in_section(name)), f"{where} [{name}]")
    settings = RunSettings(fetch=FetchSettings())
    values = {
        s.key: _value(s, tables[s.section][s.name], f"{where} [{s.section}] {s.name}")
        for s in SETTINGS
        if s.config and s.section != "limits" and s.name in tables[s.section]
    }
    for key, value in values.items():
        setting = BY_KEY[key]
        if setting.goes_to == "fetch":
            setattr(settings.fetch, setting.name, value)
        elif setting.goes_to == "limits":  # [run] pdf_engine
            settings.limits = replace(settings.limits, **{setting.name: value})
        elif setting.goes_to == "run":
            setattr(settings, setting.option_name, value)
    settings.ignore = _rules(list(values.get("run.ignore", ())), f"{where} [run] ignore")
    try:
        settings.limits = settings.limits.with_values(tables["limits"], f"{where} [limits]")
    except (TypeError, ValueError) as exc:
        raise ConfigError(str(exc) if "[limits]" in str(exc) else f"{where} [limits]: {exc}") from None
    w.settings = settings
    w.schedule = values.get("run.schedule")
    w.allow_empty = values.get("run.allow_empty", False)
    if "report.path" in values:
        w.report_path = (path.parent / values["report.path"]).resolve()
        w.report_title = values.get("report.title")
    w.notify = list(values.get("notify.urls", ()))
    w.notify_on = values.get("notify.on", "changes")
    w.tsa = values.get("evidence.tsa")
    if "evidence.tsa_cert" in values:
        w.tsa_cert = (path.parent / values["evidence.tsa_cert"]).resolve()
    w.seal_after_run = values.get("evidence.seal", False)
    if "feed.path" in values:
        w.feed_path = (path.parent / values["feed.path"]).resolve()
        w.feed_title = values.get("feed.title")
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


def _value(setting: Setting, value: Any, where: str, *, text: bool = False) -> Any:
    """A value for ``setting``, checked by the settings table; a ConfigError that says where, else."""
    try:
        return check(setting, value, where, text=text)
    except SettingError as exc:
        raise ConfigError(str(exc)) from None


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
