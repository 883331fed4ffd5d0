"""``docaudit commitments``: the promises letters make and what became of them (a thin wrapper)."""

from __future__ import annotations

import click

from ..commitments.history import STATUSES
from .options import DATE, LISTING, color_option, output_options, use_color

COLUMNS = (
    ("status", "status"),
    ("deadline_text", "deadline"),
    ("where", "letter"),
    ("text", "commitment"),
    ("events", "history"),
)


def _flat(record: dict) -> dict:
    """A record with its deadline and history as text, for tables, CSV and Markdown."""
    out = dict(record)
    out["deadline_text"] = (record["deadline"] or {}).get("text") or ""
    out["where"] = f"{record['doc']}@{record['version']}"
    out["events"] = "; ".join(
        f"{e['event']} {e['doc']}@{e['version']}" + (f" ({e['detail']})" if e["detail"] else "")
        for e in record["history"]
    )
    return out


def render_terminal(records: list[dict], color: bool) -> str:
    """Each promise: its status and deadline, where it stands now, its text, and its history below."""
    if not records:
        return "no commitments found\n"
    lines = []
    for r in records:
        status = (
            click.style(
                f"{r['status']:<15}",
                bold=True,
                fg={
                    "overdue": "red",
                    "reversed": "red",
                    "dropped": "red",
                    "weakened": "yellow",
                    "postponed": "yellow",
                }.get(r["status"]),
            )
            if color
            else f"{r['status']:<15}"
        )
        deadline = (r["deadline"] or {}).get("text") or "no deadline"
        lines.append(f"{status} {r['doc']}@{r['version']}  {r['actor']} · {r['act']} · {deadline}")
        lines.append(f"    {r['text']}")
        for e in r["history"]:
            detail = f": {e['detail']}" if e["detail"] else ""
            lines.append(f"      {e['date'] or '?':<10}  {e['event']}{detail}  ({e['doc']}@{e['version']})")
    return "\n".join(lines) + "\n"


@click.command("commitments")
@click.argument("doc", required=False)
@click.option("--status", type=click.Choice(STATUSES), help="Only commitments with this status.")
@click.option("--since", type=DATE, help="Only commitments with an event on or after YYYY-MM-DD.")
@click.option(
    "--relink",
    is_flag=True,
    help="Link every letter afresh instead of continuing the threads kept in audit.db (the same result).",
)
@color_option
@output_options(LISTING)
@click.pass_obj
def commitments_cmd(obj, doc: str | None, status: str | None, since, relink: bool, color, fmt: str) -> None:
    """The promises letters make ("Ik zal uw Kamer voor de zomer informeren …") and what became of them.

    Each commitment is followed through the versions of its letter and into later letters: made,
    weakened, strengthened, postponed, brought forward, reversed, repeated, dropped; its status is the
    last of these, or overdue when its deadline passed. DOC limits the list to one letter's promises.
    The threads are kept in audit.db and continued from the earliest letter that changed since.
    """
    from ..commitments.records import list_commitments
    from .options import emit_listing

    with obj.store() as store:
        if doc:
            doc = store.document_id(doc)  # an alias (2024D46963, 36410-12) names its document
            store.latest(doc) or store.resolve(doc)  # an unknown id fails with a suggestion
        records = list_commitments(store, doc, status=status, since=since, relink=relink)
    if fmt == "terminal":
        colored = use_color(color)
        click.echo(render_terminal(records, colored), nl=False, color=colored)
        return
    emit_listing(records if fmt == "json" else [_flat(r) for r in records], COLUMNS, fmt)
