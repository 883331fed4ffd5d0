"""One message per run through apprise (mail, Matrix, Slack, Telegram, a JSON webhook, …).

The message lists each new or changed document with its semantic-diff summary and its flagged changes,
then what was withdrawn and what failed. A target that cannot be reached is reported, never fatal: the
versions are stored before anyone is told.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..diff.render import change_words, commitment_line, markers
from ..diff.words import excerpt
from ..store.database import Store
from .run import Outcome, RunReport

MAX_FLAGGED = 3
MAX_QUOTE = 240


@dataclass
class Message:
    title: str
    body: str  # Markdown
    kind: str  # info | warning | failure


def should_notify(report: RunReport, on: str) -> bool:
    """``changes``: new, changed or withdrawn documents (failures ride along); ``failures``: also failures
    alone; ``always``: every run; ``never``."""
    c = report.counts
    eventful = bool(c["new"] or c["changed"] or c["withdrawn"])
    if on == "always":
        return True
    if on == "failures":
        return eventful or bool(c["failed"])
    if on == "changes":
        return eventful
    return False


def build_message(store: Store, report: RunReport) -> Message:
    """The run's message: a title with the counts, a Markdown body with the details."""
    from ..changes.compare import compare_versions

    sections: list[str] = []
    for o in report.changes:
        sections.append(_change_section(store, o, compare_versions))
    withdrawn = [o for o in report.outcomes if o.outcome == "withdrawn" and not o.again]
    if withdrawn:
        sections.append("**Withdrawn** (history kept):\n" + "\n".join(f"- {o.doc}: {o.error}" for o in withdrawn))
    if report.failures:
        sections.append("**Failed:**\n" + "\n".join(f"- {o.source}: {o.error}" for o in report.failures))
    kind = "failure" if report.failures else "warning" if withdrawn else "info"
    body = "\n\n".join(sections) or f"Checked {report.sources} source(s): {report.summary()}."
    return Message(f"docaudit: {report.summary()}", body, kind)


def _change_section(store: Store, o: Outcome, compare_versions) -> str:
    title = store.document_title(o.doc) if o.doc else None
    head = f"**{o.doc}**" + (f" — {title}" if title else "")
    if o.outcome == "new":
        return f"{head}\nnew: {o.version} stored ({o.url})"
    lines = [f"{head}\n{o.previous} → {o.version}"]
    if o.announced is False:
        lines.insert(1, "⚠ silent revision: the text changed while its source announced no new version")
    try:
        diff = o.diff if o.diff is not None else compare_versions(store, o.previous, o.version)
    except Exception as exc:  # a summary that cannot be made must not hide the change itself
        lines.append(f"(no summary: {exc})")
        return "\n".join(lines)
    lines[0] += f": {diff.summary_line()}"
    # what happened to the letter's promises first (see docaudit.commitments), then the changes
    for event in diff.commitments[:MAX_FLAGGED]:
        head, text = commitment_line(event)
        lines.append(f"- commitment {head}: “{_quote(text)}”")
    # the changes that matter most first (see docaudit.diff.severity); minor and cosmetic ones are no news
    ranked = [c for c in diff.ranked() if c.substantive and c.level == "substantive" and (c.flags or c.signals)]
    for c in ranked[:MAX_FLAGGED]:
        ops = change_words(c) if c.old_text and c.new_text else []
        if ops and any(op for op, _ in ops):
            detail = _quote(markers(excerpt(ops)))
        else:
            detail = f"“{_quote(c.new_text or c.old_text)}” ({c.kind})"
        tags = f" [{', '.join(c.flags)}]" if c.flags else ""
        lines.append(f"- {c.severity} {c.summary}{tags}: {detail}")
    if len(ranked) > MAX_FLAGGED:
        lines.append(f"- … and {len(ranked) - MAX_FLAGGED} more")
    if o.warning:
        lines.append(f"⚠ {o.warning}")
    return "\n".join(lines)


def _quote(text: str | None) -> str:
    if not text:
        return ""
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= MAX_QUOTE else text[: MAX_QUOTE - 1] + "…"


def send(message: Message, urls: list[str]) -> tuple[list[str], list[str]]:
    """Send to every apprise URL; return (targets reached, errors). Credentials never appear in either."""
    import apprise

    sent, errors = [], []
    kinds = {"info": apprise.NotifyType.INFO, "warning": apprise.NotifyType.WARNING}
    for url in urls:
        label = redact(url)
        target = apprise.Apprise()
        if not target.add(url):
            errors.append(f"{label}: not a valid apprise URL")
            continue
        with apprise.LogCapture(level=apprise.logging.WARNING) as log:
            ok = target.notify(
                body=message.body,
                title=message.title,
                notify_type=kinds.get(message.kind, apprise.NotifyType.FAILURE),
                body_format=apprise.NotifyFormat.MARKDOWN,
            )
            detail = log.getvalue().strip().splitlines()
        if ok:
            sent.append(label)
        else:
            reason = _strip_log(detail[-1]) if detail else "delivery failed"
            errors.append(f"{label}: {redact_text(reason, url)}")
    return sent, errors


def redact(url: str) -> str:
    """``scheme://host/…`` without user, password, path or query (which may carry tokens)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}" if parts.scheme else "(invalid URL)"


def redact_text(text: str, url: str) -> str:
    parts = urlsplit(url)
    for secret in (parts.password, parts.username, parts.query, parts.path.strip("/")):
        if secret and len(secret) > 3:
            text = text.replace(secret, "***")
    return text


def _strip_log(line: str) -> str:
    return re.sub(r"^\S+ \S+ - \w+ - ", "", line)
