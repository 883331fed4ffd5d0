"""Evidence packs: two versions of a letter, and everything anyone needs to check them without docaudit.

``build_pack(store, "DOC@1", "DOC@2", "pack.zip")`` writes a zip with

* ``snapshots/`` — the raw files of both versions, as fetched or given;
* ``fetches.json`` — the fetch records that stored them (URL, time, HTTP status, ETag, Last-Modified);
* ``chain/SEQ.txt`` — for every link from the first version's to the seal's, the exact bytes it hashes
  (the previous link, a newline, the canonical JSON of what it records), and ``chain/links.txt``;
* ``seal/`` — the sealed link, the RFC 3161 token over it and the authority's root certificate;
* ``diff.html`` and ``diff.json`` — the semantic diff of the two versions;
* ``VERIFY.md`` — how to check all of it with ``sha256sum`` and ``openssl ts -verify`` alone;
* ``SHA256SUMS`` — every file's hash (and ``SHA256SUMS.tsr``, a time-stamp over it, with an authority).

``verify_pack("pack.zip")`` does the same checks and says what holds: any byte changed fails.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import DocauditError
from ..store import chain
from ..store.database import Store
from ..store.snapshots import atomic_write
from ..values import now
from ..version import __version__
from .seal import SealError, request_token, seal_covering, verify_token

MAX_PACK = 512 * 1024 * 1024  # a pack bigger than this is not read back
MAX_MEMBERS = 100_000


class PackError(DocauditError):
    """The pack cannot be made or read."""


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


VERIFY_MD = """# Verifying this evidence pack

Made by docaudit {version} on {made} for {refs}. Everything below needs only `sha256sum`, `unzip` and
`openssl`; `docaudit evidence --verify pack.zip` runs the same checks.

1. **No file was changed.** `sha256sum -c SHA256SUMS` must print OK for every file.{sums_stamp}
2. **The snapshots are the recorded ones.** For each version in `manifest.json`, `sha256sum snapshots/FILE`
   equals the `raw_sha256` in the link that recorded it (`chain/SEQ.txt`, the JSON on its second line).
3. **The links form a chain.** For every `chain/SEQ.txt`, `sha256sum chain/SEQ.txt` equals the link listed
   for SEQ in `chain/links.txt`, and the first line of each file is the link before it. A version, a fetch
   or an edit in the database that was changed, removed or re-ordered after it was recorded breaks this.
4. **The chain existed at the sealed time.** {seal_text}
"""

SEAL_TEXT = """The last link, `seal/link.txt`, was time-stamped by {tsa} at
   {tsa_time}. Check the token against the authority's root certificate:

       openssl ts -verify -digest $(sha256sum seal/link.txt | cut -c1-64) -in seal/token.tsr -CAfile seal/root.pem

   It must print `Verification: OK`. The link in `seal/link.txt` must be the last one in `chain/links.txt`."""

NO_SEAL_TEXT = """No time-stamped seal covers these versions yet (`docaudit seal --tsa URL`), so the chain shows
   that nothing was changed since it was recorded, but not when it was recorded."""


@dataclass
class PackCheck:
    """What ``verify_pack`` found: each check with its outcome."""

    path: str
    holds: list[str] = field(default_factory=list)
    fails: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # guarantees the pack does not give (a time-stamp)
    sealed_at: str | None = None

    @property
    def ok(self) -> bool:
        return not self.fails

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "ok": self.ok,
            "holds": self.holds,
            "fails": self.fails,
            "missing": self.missing,
            "sealed_at": self.sealed_at,
        }


def build_pack(
    store: Store,
    old_ref: str,
    new_ref: str | None,
    out: str | Path,
    *,
    tsa: str | None = None,
    timeout: float = 30.0,
) -> dict[str, Any]:
    """Write the evidence pack for one version (``new_ref`` None) or two to ``out``; return its manifest.
    With ``tsa``, the pack's SHA256SUMS is time-stamped by that authority too."""
    from ..changes.compare import diff_versions
    from ..diff.render import render_diff

    versions = [store.resolve(old_ref)] + ([store.resolve(new_ref)] if new_ref else [])
    if len(versions) == 2 and versions[0].doc_id != versions[1].doc_id:
        raise PackError("an evidence pack holds two versions of one document")
    files: dict[str, bytes] = {}
    entries = []
    first_seq = None
    for v in versions:
        seq = chain.seq_of(store.conn, "version", v.id)
        if seq is None:
            raise PackError(f"{v.ref} is not in the hash chain: run docaudit verify")
        first_seq = seq if first_seq is None else min(first_seq, seq)
        try:
            data = store.snapshots.read(v.snapshot, expected_sha256=v.raw_sha256)
        except (OSError, DocauditError) as exc:
            raise PackError(f"{v.ref}: its snapshot cannot be read as recorded ({exc}): run docaudit verify") from None
        name = f"snapshots/{v.doc_id}@{v.number}{Path(v.snapshot).suffix}"
        files[name] = data
        entries.append(
            {
                "ref": v.ref,
                "number": v.number,
                "added_at": v.added_at,
                "raw_sha256": v.raw_sha256,
                "snapshot": name,
                "link_seq": seq,
            }  # fmt: skip
        )
    fetches = [
        dict(r)
        for r in store.conn.execute(
            f"SELECT * FROM fetches WHERE version_id IN ({','.join('?' * len(versions))}) ORDER BY id",
            [v.id for v in versions],
        )
    ]
    files["fetches.json"] = json.dumps(fetches, ensure_ascii=False, indent=1, default=str).encode()
    the_seal = seal_covering(store, max(e["link_seq"] for e in entries))
    last_seq = the_seal.seq if the_seal else chain.head(store.conn)[0]
    links = chain.path(store.conn, first_seq or 1, last_seq)
    for item in links:
        files[f"chain/{item['seq']:09d}.txt"] = f"{item['prev']}\n{item['payload']}".encode()
    files["chain/links.txt"] = "".join(f"{i['seq']:09d} {i['link']}\n" for i in links).encode()
    seal_info = None
    if the_seal:
        files["seal/link.txt"] = the_seal.link.encode()
        if the_seal.token:
            files["seal/token.tsr"] = the_seal.token
        if the_seal.certs:
            files["seal/root.pem"] = the_seal.certs.encode()
        seal_info = {"seq": the_seal.seq, "link": the_seal.link, "at": the_seal.at, "tsa": the_seal.tsa,
                     "tsa_time": the_seal.tsa_time}  # fmt: skip
    if len(versions) == 2:
        diff = diff_versions(versions[0], versions[1], store.document_title(versions[0].doc_id))
        files["diff.html"] = render_diff(diff, "html").encode()
        files["diff.json"] = render_diff(diff, "json").encode()
    made = now()
    manifest = {
        "docaudit": __version__,
        "made_at": made,
        "doc": versions[0].doc_id,
        "versions": entries,
        "chain": {"from": first_seq, "to": last_seq},
        "seal": seal_info,
    }
    files["manifest.json"] = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
    stamped = the_seal is not None and the_seal.token is not None
    files["VERIFY.md"] = VERIFY_MD.format(
        version=__version__,
        made=made,
        refs=" and ".join(v.ref for v in versions),
        sums_stamp=(
            "\n   `SHA256SUMS.tsr` time-stamps that list itself: `openssl ts -verify -data SHA256SUMS -in "
            "SHA256SUMS.tsr -CAfile seal/root.pem`."
            if tsa
            else ""
        ),
        seal_text=SEAL_TEXT.format(tsa=the_seal.tsa, tsa_time=the_seal.tsa_time) if stamped else NO_SEAL_TEXT,
    ).encode()
    sums = "".join(f"{_sha(data)}  {name}\n" for name, data in sorted(files.items())).encode()
    files["SHA256SUMS"] = sums
    if tsa:
        files["SHA256SUMS.tsr"] = request_token(sums.decode("ascii"), tsa, timeout)  # over the file's own bytes
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in sorted(files.items()):
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))  # the same pack, byte for byte
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    atomic_write(Path(out), buffer.getvalue())
    return manifest


def _read(path: Path) -> tuple[dict[str, bytes], list[str]]:
    """The pack's files, and what is wrong with its member names: a name that is not a plain relative path
    (``../x``, ``/etc/x``, ``..\\x``, ``C:x``) would be written outside the folder by the unzip VERIFY.md asks
    for, and two members of one name show one file to some viewers and the other to others."""
    if not path.is_file():
        raise PackError(f"{path}: not a file")
    if path.stat().st_size > MAX_PACK:
        raise PackError(f"{path}: larger than a pack can be")
    try:
        with zipfile.ZipFile(path) as z:
            members = z.infolist()
            if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_PACK:
                raise PackError(f"{path}: too many or too large members")
            problems = []
            names = [m.filename for m in members]
            for name in dict.fromkeys(names):
                parts = name.replace("\\", "/").split("/")
                if name.startswith(("/", "\\")) or ".." in parts or "\\" in name or re.match(r"^[A-Za-z]:", name):
                    problems.append(f"{name!r}: not a plain relative path (it would be written outside the folder)")
                if names.count(name) > 1:
                    problems.append(f"{name!r}: {names.count(name)} members of that name")
            return {m.filename: z.read(m) for m in members if not m.is_dir()}, problems
    except zipfile.BadZipFile as exc:
        raise PackError(f"{path}: not a zip file ({exc})") from None


def verify_pack(path: str | Path, *, root_pem: str | Path | None = None) -> PackCheck:
    """Check an evidence pack as VERIFY.md describes (``root_pem``: the authority's root to trust instead of
    the one the pack carries)."""
    check = PackCheck(str(path))
    files, naming = _read(Path(path))
    check.fails += naming
    try:
        _verify(check, files, root_pem)
    except (AttributeError, KeyError, TypeError, ValueError, UnicodeDecodeError) as exc:  # a manifest of wrong types
        check.fails.append(f"the pack is malformed ({type(exc).__name__}: {exc}): it cannot be checked")
    return check


def _verify(check: PackCheck, files: dict[str, bytes], root_pem: str | Path | None) -> None:
    sums = files.get("SHA256SUMS")
    if sums is None:
        check.fails.append("SHA256SUMS is missing")
        return
    listed: dict[str, str] = {}
    for line in sums.decode("utf-8", "replace").splitlines():
        digest, _, name = line.partition("  ")
        listed[name] = digest
    bad = [n for n, d in listed.items() if n not in files or _sha(files[n]) != d]
    unlisted = [n for n in files if n not in listed and n not in ("SHA256SUMS", "SHA256SUMS.tsr")]
    if bad or unlisted:
        check.fails += [f"{n}: changed or missing (SHA256SUMS)" for n in bad]
        check.fails += [f"{n}: not listed in SHA256SUMS" for n in unlisted]
    else:
        check.holds.append(f"every file matches SHA256SUMS ({len(listed)} files)")
    try:
        manifest = json.loads(files["manifest.json"])
    except (KeyError, ValueError):
        check.fails.append("manifest.json is missing or not JSON")
        return
    names = sorted(n for n in files if n.startswith("chain/") and n != "chain/links.txt")
    links = dict(line.split(" ", 1) for line in files.get("chain/links.txt", b"").decode().splitlines() if " " in line)
    items = []
    for n in names:
        seq = n[len("chain/") : -len(".txt")]
        prev, _, payload = files[n].decode("utf-8", "replace").partition("\n")
        items.append({"seq": seq, "prev": prev, "payload": payload, "link": links.get(seq, "")})
    problems = chain.check_path(items)
    if problems or not items:
        check.fails += problems or ["no chain links in the pack"]
    else:
        check.holds.append(f"links {items[0]['seq'].lstrip('0')}–{items[-1]['seq'].lstrip('0')} form an unbroken chain")
    payloads = {i["seq"].lstrip("0"): i["payload"] for i in items}
    for v in manifest.get("versions", []):
        recorded = json.loads(payloads.get(str(v.get("link_seq")), "{}") or "{}")
        data = files.get(v.get("snapshot", ""))
        if data is None:
            check.fails.append(f"{v.get('ref')}: its snapshot is missing")
        elif recorded.get("raw_sha256") != _sha(data):
            check.fails.append(f"{v.get('ref')}: the snapshot is not the one the chain recorded")
        elif f"{recorded.get('doc_id')}@{recorded.get('number')}" != v.get("ref"):
            check.fails.append(f"{v.get('ref')}: the chain recorded another version at link {v.get('link_seq')}")
        else:
            check.holds.append(f"{v['ref']}: the snapshot is the one recorded at link {v['link_seq']}")
    check.fails += _check_manifest(files, manifest, items)
    seal_info = manifest.get("seal")
    token = files.get("seal/token.tsr")
    if seal_info and token:
        link = files.get("seal/link.txt", b"").decode()
        if not items or link != items[-1]["link"]:
            check.fails.append("the sealed link is not the last link of the chain in the pack")
        root = Path(root_pem).read_bytes() if root_pem else files.get("seal/root.pem")
        if root is None:
            check.fails.append("no root certificate to check the time-stamp with (give --tsa-cert)")
        else:
            try:
                check.sealed_at = verify_token(token, link, root)
                check.holds.append(f"the chain's last link was time-stamped at {check.sealed_at}")
            except SealError as exc:
                check.fails.append(f"seal: {exc}")
            if "SHA256SUMS.tsr" in files:
                try:
                    verify_token(files["SHA256SUMS.tsr"], sums.decode("ascii"), root)
                    check.holds.append("SHA256SUMS itself is time-stamped")
                except (SealError, UnicodeDecodeError) as exc:
                    check.fails.append(f"SHA256SUMS.tsr: {exc}")
    else:
        check.missing.append(
            "no time-stamp: the chain shows the history was not altered after it was chained, not when it was; "
            "seal with a time-stamping authority (docaudit seal --tsa URL) for that"
        )
    if "diff.json" in files and len(manifest.get("versions", [])) == 2:
        check.fails += _check_diff(files, manifest)
        if not any(f.startswith("diff") for f in check.fails):
            check.holds.append("diff.json and diff.html are the diff of the two snapshots")


def _check_manifest(files: dict[str, bytes], manifest: dict[str, Any], items: list[dict[str, Any]]) -> list[str]:
    """Every derived file and manifest field against what the chain in the pack recorded: a manifest that lies
    about a version's time, hash or document, the chain's range or the seal, a fetches.json or VERIFY.md
    replaced, a file too many or too few."""
    out: list[str] = []
    payloads = {i["seq"].lstrip("0"): json.loads(i["payload"] or "{}") for i in items}
    versions = manifest.get("versions")
    if not isinstance(versions, list) or not versions:
        return ["manifest.json lists no versions"]
    for v in versions:
        recorded = payloads.get(str(v.get("link_seq")), {})
        for key, chained in (("added_at", "added_at"), ("raw_sha256", "raw_sha256"), ("number", "number")):
            if v.get(key) != recorded.get(chained):
                out.append(
                    f"manifest.json: {v.get('ref')} says {key} {v.get(key)!r}, the chain {recorded.get(chained)!r}"
                )
        if manifest.get("doc") != recorded.get("doc_id"):
            out.append(f"manifest.json: doc {manifest.get('doc')!r}, the chain recorded {recorded.get('doc_id')!r}")
    span = manifest.get("chain") or {}
    if items and (
        str(span.get("from")) != items[0]["seq"].lstrip("0") or str(span.get("to")) != items[-1]["seq"].lstrip("0")
    ):
        out.append(
            f"manifest.json: chain {span.get('from')}–{span.get('to')}, the pack holds links "
            f"{items[0]['seq'].lstrip('0')}–{items[-1]['seq'].lstrip('0')}"
        )
    seal = manifest.get("seal")
    if seal is not None:
        link = files.get("seal/link.txt", b"").decode("utf-8", "replace")
        if (
            seal.get("link") != link
            or not items
            or link != items[-1]["link"]
            or str(seal.get("seq")) != items[-1]["seq"].lstrip("0")
        ):
            out.append("manifest.json: the seal it names is not the pack's last link")
    elif "seal/link.txt" in files:
        out.append("manifest.json names no seal, yet the pack holds one")
    fetched = {(p.get("id"), p.get("url")): p for p in payloads.values() if "url" in p and "outcome" in p}
    try:
        rows = json.loads(files.get("fetches.json", b"[]"))
    except ValueError:
        rows = None
    if not isinstance(rows, list):
        out.append("fetches.json is not a list of fetch records")
    else:
        for row in rows:
            chained = fetched.get((row.get("id"), row.get("url")))
            if chained is None or any(row.get(k) != chained.get(k) for k in chained if k != "kind"):
                out.append(f"fetches.json: fetch {row.get('id')} is not the one the chain recorded")
    expected = {"manifest.json", "SHA256SUMS", "VERIFY.md", "fetches.json", "chain/links.txt"}
    expected |= {f"chain/{i['seq']}.txt" for i in items} | {v.get("snapshot") for v in versions}
    if len(versions) == 2:
        expected |= {"diff.html", "diff.json"}
    if seal is not None:
        expected |= {"seal/link.txt"} | ({"seal/token.tsr"} if "seal/token.tsr" in files else set())
        expected |= {"seal/root.pem"} if "seal/root.pem" in files else set()
    expected |= {"SHA256SUMS.tsr"} if "SHA256SUMS.tsr" in files else set()
    extra, missing = sorted(set(files) - expected), sorted(n for n in expected - set(files) if n)
    out += [f"{n}: a file the pack should not hold" for n in extra] + [f"{n}: missing from the pack" for n in missing]
    if "VERIFY.md" in files and files["VERIFY.md"] != _verify_md(manifest, files):
        out.append("VERIFY.md is not the one docaudit writes for this pack (replaced or edited)")
    return out


def _verify_md(manifest: dict[str, Any], files: dict[str, bytes]) -> bytes:
    """VERIFY.md as :func:`build_pack` writes it for this manifest."""
    seal = manifest.get("seal") or {}
    stamped = bool(seal) and "seal/token.tsr" in files
    return VERIFY_MD.format(
        version=manifest.get("docaudit"),
        made=manifest.get("made_at"),
        refs=" and ".join(str(v.get("ref")) for v in manifest.get("versions", [])),
        sums_stamp=(
            "\n   `SHA256SUMS.tsr` time-stamps that list itself: `openssl ts -verify -data SHA256SUMS -in "
            "SHA256SUMS.tsr -CAfile seal/root.pem`."
            if "SHA256SUMS.tsr" in files
            else ""
        ),
        seal_text=SEAL_TEXT.format(tsa=seal.get("tsa"), tsa_time=seal.get("tsa_time")) if stamped else NO_SEAL_TEXT,
    ).encode()


def _check_diff(files: dict[str, bytes], manifest: dict[str, Any]) -> list[str]:
    """The diff in the pack recomputed from its snapshots: derived files must follow from recorded ones."""
    import tempfile

    from ..changes.compare import compare_inputs, file_input

    try:
        with tempfile.TemporaryDirectory() as tmp:
            paths = []
            for v in manifest["versions"]:
                p = Path(tmp) / Path(v["snapshot"]).name
                p.write_bytes(files[v["snapshot"]])
                paths.append(p)
            again = compare_inputs(file_input(paths[0]), file_input(paths[1]))
        stored = json.loads(files["diff.json"])
    except Exception as exc:
        return [f"diff.json cannot be checked: {exc}"]
    ours = [(c.kind, c.old_text, c.new_text) for c in again.changes]
    theirs = [(c.get("kind"), c.get("old_text"), c.get("new_text")) for c in stored.get("changes", [])]
    out = [] if ours == theirs else ["diff.json does not follow from the snapshots"]
    page = files.get("diff.html", b"").decode("utf-8", "replace")
    told = {" ".join(t.split()) for c in again.changes for t in (c.old_text, c.new_text) if t}
    marked = [
        " ".join(html.unescape(re.sub(r"<[^>]+>", "", m)).split())
        for m in re.findall(r"<(?:ins|del)[^>]*>(.*?)</(?:ins|del)>", page, re.S)
    ]
    forged = [m for m in marked if m and not any(m in t for t in told)]
    if again.summary_line() not in html.unescape(page) or forged:
        out.append(
            "diff.html does not follow from the snapshots" + (f" (it shows {forged[0][:60]!r})" if forged else "")
        )
    return out
