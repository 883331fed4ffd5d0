"""Phrase families and traces as text: terminal, JSON, CSV and Markdown."""

from __future__ import annotations

import csv
import io
import json

from ..diff.render import markdown as md
from ..diff.render import markers
from ..diff.render.terminal import inline
from .families import Family, PhraseReport, Seen
from .trace import Trace


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _seen(seen: Seen) -> str:
    return f"{seen.date or 'undated'} {seen.doc}"


def _short(text: str, width: int = 160) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


# -- phrases -------------------------------------------------------------------------------------


def phrases_text(report: PhraseReport, *, color: bool = False) -> str:
    import click

    def style(text: str, **kw) -> str:
        return click.style(text, **kw) if color else text

    if not report.families:
        lines = [f"No formulation is shared by {report.options.get('min_docs', 2)} or more documents."]
    else:
        lines = []
        for f in report.families:
            tag = f"  [boilerplate: {f.boilerplate}]" if f.boilerplate else ""
            head = (
                f"#{f.id}  {f.doc_count} documents, {len(f.variants)} "
                f"{'variant' if len(f.variants) == 1 else 'variants'}  "
                f"first {_seen(f.first)}  last {_seen(f.last)}{tag}"
            )
            lines.append(style(head, bold=True))
            lines.append("  " + _short(f.canonical))
            if f.undated:
                lines.append(style(f"  ({f.undated} undated, listed last)", dim=True))
            lines.append("")
        shown = len(report.families)
        if report.total > shown:
            lines.append(f"{shown} of {report.total} families shown (--limit).")
    if report.boilerplate_hidden:
        lines.append(
            style(f"{report.boilerplate_hidden} boilerplate families hidden (--boilerplate shows them).", dim=True)
        )
    return "\n".join(lines).rstrip() + "\n"


def phrases_json(report: PhraseReport) -> str:
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"


CSV_COLUMNS = [
    "family",
    "documents",
    "variants",
    "first_date",
    "first_doc",
    "last_date",
    "last_doc",
    "boilerplate",
    "canonical",
    "docs",
]


def _csv_row(f: Family) -> list[object]:
    return [
        f.id,
        f.doc_count,
        len(f.variants),
        f.first.date or "",
        f.first.doc,
        f.last.date or "",
        f.last.doc,
        f.boilerplate or "",
        f.canonical,
        " ".join(f.docs),
    ]


def phrases_csv(report: PhraseReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for f in report.families:
        writer.writerow(_csv_row(f))
    return out.getvalue()


def md_cell(text: str) -> str:
    """Document text for a Markdown table cell: escaped as in ``diff --format markdown``, on one line."""
    return md.escape(text.replace("\n", " "))


def phrases_markdown(report: PhraseReport) -> str:
    lines = ["# Recurring formulations", ""]
    if not report.families:
        lines.append(f"No formulation is shared by {report.options.get('min_docs', 2)} or more documents.")
    else:
        lines += ["| # | documents | variants | first seen | last seen | formulation |", "|---|---|---|---|---|---|"]
        for f in report.families:
            text = md_cell(_short(f.canonical, 300))
            if f.boilerplate:
                text += f" *(boilerplate: {f.boilerplate})*"
            lines.append(
                f"| {f.id} | {f.doc_count} | {len(f.variants)} | {md_cell(_seen(f.first))} "
                f"| {md_cell(_seen(f.last))} | {text} |"
            )
    if report.total > len(report.families):
        lines += ["", f"{len(report.families)} of {report.total} families shown."]
    if report.boilerplate_hidden:
        lines += ["", f"{report.boilerplate_hidden} boilerplate families hidden."]
    return "\n".join(lines) + "\n"


# -- trace ---------------------------------------------------------------------------------------


def trace_text(result: Trace, *, color: bool = False) -> str:
    import click

    def style(text: str, **kw) -> str:
        return click.style(text, **kw) if color else text

    occs = result.occurrences
    if not occs:
        return "No letter carries this formulation or a variant of it.\n"
    docs = len({o.doc for o in occs})
    lines = [style(f"{_count(len(occs), 'occurrence')} in {_count(docs, 'document')}", bold=True)]
    if result.family is not None:
        lines[0] += f" (family #{result.family})"
    for n, o in enumerate(occs):
        when = o.date or "undated"
        state = "" if o.current else style(f"  (gone after version {o.last_version})", fg="yellow")
        flags = " ".join(style(f"[{f}]", fg="magenta") for f in o.flags)
        lines += [
            "",
            f"{style(when, bold=True)}  {o.doc}@{o.version}  similarity {o.similarity:.2f}"
            f"{'  ' + flags if flags else ''}{state}",
        ]
        if n == 0:
            lines.append("  " + o.text + style("  (first appearance)", dim=True))
        else:
            lines.append("  " + (inline(o.diff, color) if o.diff else o.text))
    if result.undated:
        lines += [
            "",
            style(
                f"{result.undated} undated: listed last (set a date with docaudit edit DOC --date YYYY-MM-DD).",
                dim=True,
            ),
        ]
    return "\n".join(lines) + "\n"


def trace_json(result: Trace) -> str:
    return json.dumps(result.to_list(), ensure_ascii=False, indent=2) + "\n"


def trace_csv(result: Trace) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["date", "doc", "version", "similarity", "current", "flags", "text", "changes"])
    for o in result.occurrences:
        writer.writerow(
            [
                o.date or "",
                o.doc,
                o.version,
                f"{o.similarity:.3f}",
                int(o.current),
                " ".join(o.flags),
                o.text,
                markers(o.diff),
            ]
        )
    return out.getvalue()


def trace_markdown(result: Trace) -> str:
    lines = ["# Trace", "", f"> {md_cell(result.query)}", ""]
    if not result.occurrences:
        return "\n".join([*lines, "No letter carries this formulation or a variant of it."]) + "\n"
    lines += [
        "| date | document | similarity | flags | wording (changes from the first appearance) |",
        "|---|---|---|---|---|",
    ]
    for o in result.occurrences:
        wording = md.inline([(op, t.replace("\n", " ")) for op, t in o.diff]) if o.diff else md_cell(o.text)
        lines.append(
            f"| {o.date or 'undated'} | {md_cell(o.doc)}@{o.version} | {o.similarity:.2f} "
            f"| {' '.join(o.flags)} | {wording} |"
        )
    return "\n".join(lines) + "\n"


FORMATS = ("terminal", "json", "csv", "markdown")


def render_phrases(value: PhraseReport | Trace, fmt: str = "terminal", *, color: bool = False) -> str:
    """A phrase report or a trace in one of ``terminal``, ``json``, ``csv``, ``markdown``."""
    if isinstance(value, PhraseReport):
        text, as_json, as_csv, as_md = phrases_text, phrases_json, phrases_csv, phrases_markdown
    else:
        text, as_json, as_csv, as_md = trace_text, trace_json, trace_csv, trace_markdown
    if fmt in ("terminal", "text"):  # "text": the name before 0.2
        return text(value, color=color)  # type: ignore[arg-type]
    return {"json": as_json, "csv": as_csv, "markdown": as_md}[fmt](value)  # type: ignore[operator]
