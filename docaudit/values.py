"""Small value helpers every layer shares: the clock, digests, sizes, dates, document ids, "did you mean".

Nothing here touches the database, the network or a document: it sits on the ground floor.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime


def sha256(data: bytes) -> str:
    """The hex SHA-256 of ``data`` (how snapshots, texts and chain links are named)."""
    import hashlib  # here, not at the top: `docaudit --help` needs no digest (3 ms of OpenSSL)

    return hashlib.sha256(data).hexdigest()


def code_digest(*folders: str) -> str:
    """A digest of docaudit's version and the files of ``folders`` of the package ("diff", "templates/report"): what a
    cache of derived results is keyed by, so that changed code (also between releases, in a checkout) never
    reads results the old code made."""
    import hashlib
    from importlib.resources import files

    from .version import __version__

    h = hashlib.sha256(__version__.encode())
    root = files("docaudit")
    for folder in folders:
        for entry in sorted(root.joinpath(folder).iterdir(), key=lambda e: e.name):
            if entry.is_file() and entry.name.endswith((".py", ".html", ".css", ".js")):
                h.update(f"{folder}/{entry.name}".encode())
                h.update(entry.read_bytes())
    return h.hexdigest()


def now() -> str:
    """The current time in UTC as ``YYYY-MM-DDTHH:MM:SSZ`` (how every stored stamp is written)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_size(text: str | int) -> int:
    """Parse "50MB", "2 GiB", "500k" or a plain number of bytes."""
    if isinstance(text, int):
        return text
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b?)\s*", str(text).lower())
    if not m:
        raise ValueError(f"not a size: {text!r} (use e.g. 50MB)")
    factor = 1024 ** "_kmgt".index(m.group(2) or "_") if m.group(2) else 1
    return int(float(m.group(1)) * factor)


def parse_date(value: str | date | None) -> str | None:
    """A ``YYYY-MM-DD`` date (or a :class:`date`) as an ISO string; ``None`` stays ``None``."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)") from None


_DOC_ID = re.compile(r"[\w][\w .\-/]{0,199}")


def validate_doc_id(doc_id: str) -> str:
    """Document ids are letters, digits, spaces and ``- _ . /`` (at most 200, starting with a letter or digit):
    no "@" (it separates the version number), no control or direction characters."""
    from .errors import DocauditError

    doc_id = (doc_id or "").strip()
    if not _DOC_ID.fullmatch(doc_id):
        raise DocauditError(
            f"invalid document id {printable(doc_id)}: use letters, digits, spaces and - _ . / "
            "(at most 200, no @), starting with a letter or digit"
        )
    return doc_id


_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def one_line(text: str | None, limit: int = 500) -> str | None:
    """A title or label fit for a terminal, a feed and a page: control and direction characters dropped,
    whitespace (newlines included) folded to single spaces, at most ``limit`` characters."""
    if text is None:
        return None
    text = " ".join(_UNPRINTABLE.sub("", text).split())
    return text[:limit] or None


def readable(name: object) -> str:
    """A file name or path as text that can be printed and stored: a name whose bytes are not UTF-8 (common in
    zips made on Windows) is read as Windows-1252 instead of carrying undecodable surrogates."""
    text = str(name)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        raw = text.encode("utf-8", "surrogateescape")
        return raw.decode("cp1252", "replace")


def printable(value: object) -> str:
    """A value to echo in a message: control characters shown escaped (a file name with a newline or an
    escape sequence cannot write to the terminal)."""
    text = readable(value)
    return repr(text) if _UNPRINTABLE.search(text) or "\n" in text or "\t" in text else text


# query (and fragment) parameters whose values are secrets: tokens, keys, passwords, and the signed-URL families
# of AWS (X-Amz-Signature, X-Amz-Credential, X-Amz-Security-Token), Google Cloud Storage (X-Goog-Signature,
# X-Goog-Credential, GoogleAccessId, Signature) and Azure SAS (sig)
_SECRET_PARAMS = re.compile(
    r"^(?:.*token|.*key|.*secret|.*password|passwd|pwd|pass|.*sig|.*signature|auth|authorization|session|sessionid|"
    r"sid|code|.*credential|.*credentials|jwt|hash|googleaccessid|x-amz-.*|x-goog-.*)$",
    re.I,
)


def public_url(url: str | None) -> str | None:
    """``url`` fit to print or publish: no ``user:password@``, and the values of secret-looking query
    parameters (``token``, ``api_key``, ``sig``, ``password``, …) replaced by ``REDACTED``."""
    if not url:
        return url
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(url)
    netloc = parts.hostname or ""
    if ":" in netloc:
        netloc = f"[{netloc}]"
    if parts.port:
        netloc += f":{parts.port}"

    def redacted(query: str) -> str:
        pairs = parse_qsl(query, keep_blank_values=True)
        if any(_SECRET_PARAMS.match(k) for k, _ in pairs):
            return urlencode([(k, "REDACTED" if _SECRET_PARAMS.match(k) else v) for k, v in pairs], safe="/:")
        return query

    # a fragment can carry a token too ("#access_token=…": OAuth's implicit flow)
    fragment = redacted(parts.fragment) if "=" in parts.fragment else parts.fragment
    return urlunsplit((parts.scheme, netloc, parts.path, redacted(parts.query) if parts.query else "", fragment))


def hide_secrets(text: str | None, url: str | None) -> str | None:
    """``text`` (an error message, say) with the secrets of ``url`` blanked wherever they appear."""
    if not text or not url:
        return text
    from urllib.parse import parse_qsl, urlsplit

    parts = urlsplit(url)
    secrets = [parts.password, parts.username]
    secrets += [v for k, v in parse_qsl(parts.query) + parse_qsl(parts.fragment) if _SECRET_PARAMS.match(k)]
    text = text.replace(url, public_url(url) or "")
    for secret in secrets:
        if secret and len(secret) >= 3:
            text = text.replace(secret, "REDACTED")
    return text


def did_you_mean(name: str, candidates: list[str]) -> str:
    """`` (did you mean a, b?)`` for the closest candidates, or nothing."""
    import difflib

    close = difflib.get_close_matches(name, candidates, n=3)
    return f" (did you mean {', '.join(close)}?)" if close else ""
