"""Seals: the head of the hash chain recorded, and — with a time-stamping authority — fixed in time.

``seal(store)`` writes a row to ``seals`` with the newest link; with ``tsa=URL`` it first asks that RFC 3161
authority for a token over sha256(link) (rfc3161-client builds the request and reads the answer) and keeps it,
with the authority's root certificate when one is given, so the seal can be checked offline later:
``openssl ts -verify -digest $(printf %s LINK | sha256sum | cut -c1-64) -in seal.tsr -CAfile root.pem``.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import DocauditError
from ..store import chain
from ..store.database import Store
from ..values import now, public_url

MAX_TOKEN = 256 * 1024  # a time-stamp response is a few KB; more is not one


class SealError(DocauditError):
    """The seal could not be made or does not hold."""


@dataclass
class Seal:
    id: int
    seq: int
    link: str
    at: str
    tsa: str | None = None
    tsa_time: str | None = None
    token: bytes | None = None
    certs: str | None = None  # PEM: the authority's root certificate, to verify offline

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "seq": self.seq,
            "link": self.link,
            "at": self.at,
            "tsa": self.tsa,
            "tsa_time": self.tsa_time,
            "token": bool(self.token),
        }

    def message(self) -> str:
        when = (
            f", time-stamped by {self.tsa} at {self.tsa_time}"
            if self.tsa_time
            else ": chained, not time-stamped (no time-stamping authority: --tsa URL fixes it in time)"
        )
        return f"sealed link {self.seq} ({self.link[:16]}…){when}"


def request_token(link: str, tsa: str, timeout: float = 30.0) -> bytes:
    """Ask the authority at ``tsa`` for a time-stamp over sha256(link); return its response (DER)."""
    import httpx
    from rfc3161_client import HashAlgorithm, PKIStatus, TimestampRequestBuilder, decode_timestamp_response

    request = (
        TimestampRequestBuilder().data(link.encode()).hash_algorithm(HashAlgorithm.SHA256).nonce(nonce=True).build()
    )
    where = public_url(tsa)
    deadline = time.monotonic() + timeout  # the whole exchange, not each read: a slow drip must not hold a run
    body = bytearray()
    try:
        with (
            httpx.Client(timeout=min(timeout, 30.0), follow_redirects=False) as client,
            client.stream(
                "POST", tsa, content=request.as_bytes(), headers={"Content-Type": "application/timestamp-query"}
            ) as response,
        ):
            if response.status_code != 200:
                raise SealError(f"time-stamping authority {where} answered HTTP {response.status_code}")
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > MAX_TOKEN:
                raise SealError(f"time-stamping authority {where} announced {int(declared):,} bytes: no token")
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > MAX_TOKEN:
                    raise SealError(f"time-stamping authority {where} sent over {MAX_TOKEN:,} bytes: no token")
                if time.monotonic() > deadline:
                    raise SealError(f"time-stamping authority {where} took over {timeout:g} s to answer")
    except httpx.HTTPError as exc:
        raise SealError(f"time-stamping authority {where}: {exc}") from None
    content = bytes(body)
    try:
        reply = decode_timestamp_response(content)
    except Exception as exc:
        raise SealError(f"time-stamping authority {public_url(tsa)}: not a time-stamp response ({exc})") from None
    if reply.status not in (PKIStatus.GRANTED, PKIStatus.GRANTED_WITH_MODS):
        raise SealError(f"time-stamping authority {public_url(tsa)} refused: {reply.status_string or reply.status}")
    if reply.tst_info.message_imprint.message != hashlib.sha256(link.encode()).digest():
        raise SealError(f"time-stamping authority {public_url(tsa)} stamped something else")
    return content


def verify_token(token: bytes, link: str, root_pem: str | bytes) -> str:
    """Check a token over ``link`` against the authority's root certificate, offline; return its time (ISO)."""
    from cryptography import x509
    from rfc3161_client import VerifierBuilder, decode_timestamp_response

    reply = decode_timestamp_response(token)
    roots = x509.load_pem_x509_certificates(root_pem.encode() if isinstance(root_pem, str) else root_pem)
    builder = VerifierBuilder()
    for root in roots:
        builder = builder.add_root_certificate(root)
    try:
        builder.build().verify_message(reply, link.encode())
    except Exception as exc:
        raise SealError(f"the time-stamp token does not verify: {exc}") from None
    return reply.tst_info.gen_time.isoformat()


def seal(store: Store, *, tsa: str | None = None, tsa_cert: str | Path | None = None, timeout: float = 30.0) -> Seal:
    """Record the chain's head as a seal; with ``tsa``, time-stamped by that authority (checked against
    ``tsa_cert``, its root certificate, when given)."""
    seq, link = chain.head(store.conn)
    if seq == 0:
        raise SealError("nothing to seal: the chain is empty (store a version first)")
    try:
        broken = chain.verify_chain(store.conn)
    except sqlite3.DatabaseError as exc:
        broken = [f"the chain cannot be read ({exc})"]
    if broken:  # a seal vouches for the history up to its head: never for one that does not verify
        raise SealError(f"the chain does not verify ({broken[0]}): nothing sealed; run docaudit verify")
    token = tsa_time = certs = None
    if tsa_cert is not None:
        try:
            certs = Path(tsa_cert).read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError) as exc:
            raise SealError(f"cannot read the authority's certificate {tsa_cert}: {exc}") from None
    if tsa:
        token = request_token(link, tsa, timeout)
        from rfc3161_client import decode_timestamp_response

        tsa_time = decode_timestamp_response(token).tst_info.gen_time.isoformat()
        if certs:
            verify_token(token, link, certs)
    at = now()
    with store.transaction():
        cur = store.conn.execute(
            "INSERT INTO seals (seq, link, at, tsa, token, tsa_time, certs) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (seq, link, at, public_url(tsa) if tsa else None, token, tsa_time, certs),
        )
        chain.append(store.conn, "seal", cur.lastrowid or 0)  # a seal deleted later breaks the chain
    return Seal(cur.lastrowid or 0, seq, link, at, public_url(tsa) if tsa else None, tsa_time, token, certs)


def seals(store: Store) -> list[Seal]:
    """Every seal, oldest first."""
    return [
        Seal(
            r["id"],
            r["seq"],
            r["link"],
            r["at"],
            r["tsa"],
            r["tsa_time"],
            bytes(r["token"]) if r["token"] else None,
            r["certs"],
        )  # fmt: skip
        for r in store.conn.execute("SELECT * FROM seals ORDER BY id")
    ]


def seal_covering(store: Store, seq: int, known: list[Seal] | None = None) -> Seal | None:
    """The first seal at or after link ``seq`` (a time-stamped one if any covers it); ``known``: the seals,
    when the caller already read them."""
    found = [s for s in (known if known is not None else seals(store)) if s.seq >= seq]
    stamped = [s for s in found if s.token]
    return (stamped or found or [None])[0]


def verify_seal_tokens(store: Store) -> list[str]:
    """Each time-stamped seal checked offline against the root certificate kept with it."""
    problems = []
    for s in seals(store):
        if s.token and s.certs:
            try:
                verify_token(s.token, s.link, s.certs)
            except SealError as exc:
                problems.append(f"seal {s.id} ({s.at}): {exc}")
    return problems
