"""What a command hands back: JSON (one writer for every command) and the one-line error with its exit code.

Commands return an :class:`~docaudit.errors.ExitCode` (or nothing, for OK); the group exits with it
(``Group.invoke`` in :mod:`.main`), so no command calls ``sys.exit`` itself. An error is raised as a
:class:`Failure`, which click prints as ``Error: …`` on stderr before exiting with its code.
"""

from __future__ import annotations

from typing import Any, NoReturn

import click

from ..errors import ExitCode


class Failure(click.ClickException):
    """A command's error: ``Error: message`` on stderr, and the exit code."""

    def __init__(self, message: str, code: int = ExitCode.PROBLEM) -> None:
        super().__init__(message)
        self.exit_code = int(code)


def fail(message: str, code: int = ExitCode.PROBLEM) -> NoReturn:
    """Stop the command: ``Error: message`` on stderr, exit status ``code``."""
    raise Failure(message, code)


def write_json(value: Any, *, line: bool = False, err: bool = False) -> None:
    """Print ``value`` as JSON (UTF-8 as it is, never ``\\u`` escapes): indented, or as one line of a JSON Lines
    stream (``line=True``: one object per document or file as it is done)."""
    import json

    if line:
        click.echo(json.dumps(value, ensure_ascii=False, default=str), err=err)
    else:
        click.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str), err=err)
