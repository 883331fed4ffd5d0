"""JSON rendering: the diff's ``to_dict()`` (the contract documented in the README)."""

from __future__ import annotations

import json


def render(diff, *, color: bool = False, cosmetic: bool = False) -> str:
    return json.dumps(diff.to_dict(), ensure_ascii=False, indent=2) + "\n"
