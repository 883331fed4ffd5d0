"""Pieces every ``docaudit`` command shares: output format, colour, quiet, date and size parameters,
listing output, and the one-line error.

Every command that prints a listing or a result takes ``--format`` (with the choices that make sense
for it) and ``--json`` as a shorthand for ``--format json``; every coloured output takes
``--color auto|always|never``; ``-q/--quiet`` means the same everywhere: print only what needs attention
(changes, failures, errors), nothing when all is well.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Sequence
from typing import Any

import click

LISTING = ("terminal", "json", "csv", "markdown")
RESULT = ("terminal", "json")
COLORS = ("auto", "always", "never")


ignore_option = click.option(
    "--ignore",
    "ignore",
    multiple=True,
    metavar="REGEX",
    help="Text to ignore: a change only inside text this regular expression matches is cosmetic; repeatable.",
)


def deprecated(old: str, new: str) -> None:
    """Tell (on stderr) that an option spelling is going away."""
    click.echo(f"note: {old} is deprecated and will be removed in the next release; use {new}", err=True)


def output_options(
    choices: Sequence[str] = LISTING,
    *,
    default: str = "terminal",
    json_help: str = "Shorthand for --format json.",
    legacy: Sequence[str] = (),
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--format CHOICE`` and ``--json``, passed to the command as ``fmt``.

    ``legacy``: format names that used to be flags of their own (``--csv``, ``--markdown``); they keep
    working, hidden, with a deprecation note.
    """

    def decorator(f: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(f)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            chosen = kwargs.pop("output_format")
            as_json = kwargs.pop("output_json")
            for name in legacy:
                if kwargs.pop(f"output_{name}"):
                    deprecated(f"--{name}", f"--format {name}")
                    chosen = _one(chosen, name)
            if as_json:
                chosen = _one(chosen, "json")
            kwargs["fmt"] = chosen or default
            return f(*args, **kwargs)

        for name in reversed(legacy):
            wrapper = click.option(f"--{name}", f"output_{name}", is_flag=True, hidden=True)(wrapper)
        wrapper = click.option("--json", "output_json", is_flag=True, help=json_help)(wrapper)
        wrapper = click.option(
            "--format",
            "output_format",
            type=click.Choice(list(choices)),
            default=None,
            help=f"Output format [default: {default}].",
        )(wrapper)
        return wrapper

    return decorator


def _one(chosen: str | None, name: str) -> str:
    if chosen is not None and chosen != name:
        raise click.UsageError(f"--{name} and --format {chosen} ask for two formats: give one")
    return name


def color_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """``--color [auto|always|never]`` (``--color`` alone: always), passed as ``color``; the old
    ``--no-color`` keeps working, hidden, with a deprecation note."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if kwargs.pop("no_color"):
            deprecated("--no-color", "--color never")
            kwargs["color"] = "never"
        return f(*args, **kwargs)

    wrapper = click.option("--no-color", "no_color", is_flag=True, hidden=True)(wrapper)
    return click.option(
        "--color",
        type=click.Choice(COLORS),
        default="auto",
        is_flag=False,
        flag_value="always",
        show_default=True,
        help="Colour: auto (when writing to a terminal), always, never.",
    )(wrapper)


def use_color(choice: str, *, to_file: bool = False) -> bool:
    """Whether to colour: ``always``, ``never``, or ``auto`` = stdout is a terminal (and not a file)."""
    if choice == "auto":
        return not to_file and sys.stdout.isatty()
    return choice == "always"


def quiet_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """``-q/--quiet``, the same meaning for every command."""
    return click.option(
        "-q",
        "--quiet",
        is_flag=True,
        help="Print only what needs attention (changes, failures, errors); nothing when all is well.",
    )(f)


def engine_options(where: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--engine local|spark`` and ``--master URL``, passed as ``engine`` and ``master``; ``where``
    finishes the engine's help ("Where files are extracted")."""

    def decorate(f: Callable[..., Any]) -> Callable[..., Any]:
        f = click.option("--master", default="local[2]", show_default=True, help="Spark master URL (--engine spark).")(
            f
        )
        return click.option(
            "--engine",
            type=click.Choice(["local", "spark"]),
            default="local",
            show_default=True,
            help=f"{where}: here, or on Apache Spark (pip install 'docaudit[spark]', a Java runtime).",
        )(f)

    return decorate


def max_size_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """``--max-size`` (bytes, from ``50MB``), passed as ``max_size``."""
    return click.option(
        "--max-size",
        type=SIZE,
        default="50MB",
        envvar="DOCAUDIT_MAX_SIZE",
        show_default=True,
        help="Refuse files larger than this (env DOCAUDIT_MAX_SIZE).",
    )(f)


class DateType(click.ParamType):
    """A ``YYYY-MM-DD`` date, passed on as its ISO string."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str | None:
        from ..values import parse_date

        try:
            return parse_date(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


class SizeType(click.ParamType):
    """A size such as ``50MB`` or ``2GiB``, passed on in bytes."""

    name = "size"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        from ..values import parse_size

        try:
            return parse_size(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


class SettingType(click.ParamType):
    """A value for one setting of :data:`docaudit.settings.SETTINGS`, checked by the same function as the
    docaudit.toml key it stands for (its type and bounds), so the flag and the file refuse the same values."""

    def __init__(self, setting: Any) -> None:
        self.setting = setting
        self.name = {"duration": "seconds", "int": "integer", "float": "number"}.get(setting.kind, setting.kind)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from ..settings import SettingError, check

        try:
            return check(self.setting, value, self.setting.flag, text=isinstance(value, str))
        except SettingError as exc:
            self.fail(str(exc).split(": ", 1)[-1], param, ctx)


def setting_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """One click option for each setting ``docaudit run`` takes from the command line
    (:func:`docaudit.settings.options`): name, type, bounds, help, default and environment variable as the
    settings table declares them. Each reaches the command as a keyword (``None`` when not given)."""
    from ..settings import options

    for setting in reversed(list(options().values())):
        f = setting_option(setting)(f)
    return f


def setting_option(setting: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The click option for one setting (also for commands other than ``run`` that take it, such as
    ``--pdf-engine`` of ``add``, ``import`` and ``diff``)."""
    where = f"[{setting.section}] {setting.name}" if setting.config else ""
    said = f"default {setting.shown_default()}" + (f"; {where}" if where else "")
    if setting.env:
        said += f"; env {setting.env}"
    help_text = f"{setting.help} [{said}]"
    if setting.kind == "bool":
        return click.option(setting.flag, setting.option_name, is_flag=True, default=None, help=help_text)
    return click.option(
        setting.flag,
        setting.option_name,
        type=SettingType(setting),
        envvar=setting.env,
        metavar="[" + "|".join(setting.choices) + "]" if setting.choices else None,
        help=help_text,
    )


def pdf_engine_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """``--pdf-engine`` (the setting ``[run] pdf_engine``, env DOCAUDIT_PDF_ENGINE), passed as ``pdf_engine``."""
    from ..settings import BY_KEY

    return setting_option(BY_KEY["run.pdf_engine"])(f)


DATE = DateType()
SIZE = SizeType()


def emit_listing(
    records: list[dict[str, Any]],
    columns: Sequence[tuple[str, str]],
    fmt: str,
    *,
    empty: str = "",
    max_width: int = 60,
) -> None:
    """Print ``records`` as a table (``terminal``), a JSON array (every field), CSV or a Markdown table
    (the ``columns``: (key, header) pairs). ``empty`` is said instead of an empty table on a terminal."""
    from ..text.formatting import csv_table, markdown_table, table
    from .output import write_json

    if fmt == "json":
        write_json(records)
        return
    headers = [h for _, h in columns]
    rows = [[r.get(k) for k, _ in columns] for r in records]
    if fmt == "csv":
        click.echo(csv_table(headers, rows), nl=False)
    elif fmt == "markdown":
        click.echo(markdown_table(headers, rows), nl=False)
    elif not records and empty:
        click.echo(empty)
    else:
        click.echo(table(headers, rows, max_width=max_width))
