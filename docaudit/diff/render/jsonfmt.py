"""JSON rendering: the diff's ``to_dict()`` (the contract documented in the README)."""

from __future__ import annotations

import json


def render(diff, display: object = None) -> str:
    """The diff as data: the display options change nothing in it."""
    return json.dumps(diff.to_dict(), ensure_ascii=False, indent=2) + "\n"
