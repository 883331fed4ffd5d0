"""The ``docaudit`` command line invoked in-process, for tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from click.testing import CliRunner, Result


def invoker(*prefix: Any, quick_retries: bool = True) -> Callable[..., Result]:
    """A function that runs ``docaudit *prefix *args`` and returns click's Result (exceptions propagate).

    ``quick_retries``: ``run`` retries once after 10 ms instead of its cron defaults, unless the
    arguments say otherwise.
    """
    from ..cli.main import cli

    runner = CliRunner()

    def invoke(*args: Any) -> Result:
        if quick_retries and args and args[0] == "run" and "--retries" not in args:
            args = (*args, "--retries", "1", "--backoff", "0.01")
        return runner.invoke(cli, [str(a) for a in (*prefix, *args)], catch_exceptions=False)

    return invoke
