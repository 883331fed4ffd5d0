"""Evidence: the hash chain catches every kind of tampering, seals are time-stamped by a real (local) RFC 3161
authority, and an evidence pack checks out with sha256sum and openssl alone — and fails when a byte changes."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
import zipfile

import pytest

from docaudit.testing.localserver import Reply
from docaudit.testing.repo import FIXTURES, fixture_bytes
from docaudit.testing.tsa import LocalTSA

V1 = fixture_bytes("2024D46963.docx")
V2 = fixture_bytes("diffset/2024D46963_edited.docx")


@pytest.fixture(scope="module")
def tsa(tmp_path_factory):
    if shutil.which("openssl") is None:  # pragma: no cover - CI installs it
        pytest.skip("the local time-stamping authority needs the openssl command")
    with LocalTSA(tmp_path_factory.mktemp("tsa")) as authority:
        yield authority


@pytest.fixture
def history(da, server, tmp_path):
    """Two versions fetched by `docaudit run` (so fetch records too), and a title edit."""
    server.route("/brief.docx", Reply(body=V1, etag='"v1"'))
    assert da("track", server.url("/brief.docx"), "--doc", "brief").exit_code == 0
    assert da("run", "--no-notify").exit_code == 0
    server.route("/brief.docx", Reply(body=V2, etag='"v2"'))
    assert da("run", "--no-notify").exit_code == 0
    assert da("edit", "brief", "--title", "De brief").exit_code == 0
    return tmp_path / "audit.db"


def verify(da) -> dict:
    result = da("verify", "--json")
    value = json.loads(result.stdout)
    assert (result.exit_code == 0) == value["ok"]
    return value


def tamper(db, *statements: str) -> None:
    with sqlite3.connect(db) as conn:
        for s in statements:
            conn.execute(s)


def test_an_untouched_history_verifies(da, history):
    value = verify(da)
    assert value["ok"] and value["chain"] == []
    with sqlite3.connect(history) as conn:
        kinds = [k for (k,) in conn.execute("SELECT kind FROM chain ORDER BY seq")]
    assert kinds.count("version") == 2 and kinds.count("fetch") == 2 and kinds.count("edit") == 1


@pytest.mark.parametrize(
    "statements, expected",
    [
        (
            [
                "UPDATE versions SET text = 'Vervalst.', text_sha256 = "
                "'e0c9035898dd52fc65c41454cec9c4d2611bfb37' || '0000000000000000000000000' WHERE number = 2"
            ],
            "version brief@2 changed since it was recorded: text_sha256",
        ),
        (
            ["UPDATE versions SET added_at = '2020-01-01T00:00:00Z' WHERE number = 1"],
            "changed since it was recorded: added_at",
        ),
        (["DELETE FROM versions WHERE number = 2"], "version brief@2 was deleted from the database"),
        (
            [
                "UPDATE versions SET number = 9 WHERE number = 1",
                "UPDATE versions SET number = 1 WHERE number = 2",
                "UPDATE versions SET number = 2 WHERE number = 9",
            ],
            "version brief@1 changed since it was recorded: number",
        ),
        (["UPDATE fetches SET status = 404 WHERE id = 1"], "fetch 1 of http://"),
        (["UPDATE edits SET new = 'Een andere titel'"], "edit 1 of brief (title) changed since it was recorded: new"),
        (["DELETE FROM chain WHERE seq = 3"], "does not follow link 2: a link was deleted, inserted or re-ordered"),
        (["UPDATE chain SET payload = replace(payload, 'brief', 'brieF') WHERE seq = 2"], "the chain row was edited"),
        (
            [
                "INSERT INTO edits (at, doc_id, version, field, old, new) "
                "VALUES ('2025', 'brief', NULL, 'title', 'a', 'b')"
            ],
            "edit row 2 of edits is not in the chain: written behind docaudit's back",
        ),
    ],  # fmt: skip
    ids=[
        "text and its hash",
        "stored-at time",
        "version deleted",
        "versions swapped",
        "fetch edited",
        "edit edited",
        "link deleted",
        "link edited",
        "row never chained",
    ],  # fmt: skip
)
def test_each_kind_of_tampering_is_named(da, history, statements, expected):
    tamper(history, *statements)
    value = verify(da)
    assert not value["ok"]
    assert any(expected in line for line in value["chain"]), value["chain"]
    text = da("verify").stderr
    assert "CHAIN" in text and expected.split(":")[0] in text


def test_an_altered_snapshot_is_found(da, history, tmp_path):
    snapshot = next(p for p in (tmp_path / "snapshots").rglob("*.docx"))
    snapshot.write_bytes(snapshot.read_bytes() + b"x")
    assert verify(da)["altered"]


def test_a_sealed_head_is_time_stamped_and_a_rewritten_chain_shows(da, history, tsa):
    result = da("seal", "--tsa", tsa.url, "--tsa-cert", str(tsa.ca_file), "--json")
    sealed = json.loads(result.stdout)
    assert result.exit_code == 0 and sealed["token"] and sealed["tsa_time"]
    assert verify(da)["ok"]
    # someone rewrites the whole chain consistently after an edit: only the seal can tell
    from docaudit.store import chain

    with sqlite3.connect(history) as conn:
        conn.row_factory = sqlite3.Row
        conn.execute("UPDATE versions SET added_at = '2020-01-01T00:00:00Z' WHERE number = 1")
        conn.execute("DELETE FROM chain")
        conn.execute("DELETE FROM sqlite_sequence WHERE name = 'chain'")  # the same link numbers again
        chain.start(conn, "2020-01-01T00:00:00Z")
    problems = verify(da)["chain"]
    assert any(p.startswith("seal 1") and "no longer what was sealed" in p for p in problems), problems


def test_a_token_over_another_link_does_not_verify(da, history, tsa):
    assert da("seal", "--tsa", tsa.url, "--tsa-cert", str(tsa.ca_file)).exit_code == 0
    assert da("seal").exit_code == 0  # a second seal, without an authority
    tamper(history, "UPDATE seals SET token = (SELECT token FROM seals WHERE id = 1) , link = "
           "(SELECT link FROM chain WHERE seq = 1), seq = 1 WHERE id = 2")  # fmt: skip
    problems = verify(da)["chain"]
    assert any("seal 2" in p and "token is over another link" in p for p in problems), problems


def test_a_run_seals_after_storing_when_configured(da, server, tsa, tmp_path):
    (tmp_path / "docaudit.toml").write_text(
        f'[evidence]\ntsa = "{tsa.url}"\ntsa_cert = "{tsa.ca_file}"\nseal = true\n\n'
        f'[[source]]\nurl = "{server.url("/brief.docx")}"\ndoc = "brief"\n',
        encoding="utf-8",
    )
    server.route("/brief.docx", Reply(body=V1))
    assert da("run", "--no-notify").exit_code == 0
    assert da("run", "--no-notify").exit_code == 0  # nothing new: no second seal
    with sqlite3.connect(tmp_path / "audit.db") as conn:
        rows = conn.execute("SELECT tsa, token IS NOT NULL FROM seals").fetchall()
    assert rows == [(tsa.url, 1)]


def test_an_existing_database_gets_its_chain_on_migration(da, history):
    # back to version 6's content: every normalized text whole (these .docx texts equal their normalized ones)
    whole = "UPDATE versions SET normalized = text, normalized_delta = NULL"
    tamper(history, "DROP TABLE chain", "DROP TABLE seals", whole, "PRAGMA user_version = 6")
    value = verify(da)  # opening the store migrates it: the chain starts over the rows already there
    assert value["ok"], value["chain"]
    with sqlite3.connect(history) as conn:
        first = json.loads(conn.execute("SELECT payload FROM chain ORDER BY seq LIMIT 1").fetchone()[0])
        assert first["kind"] == "start" and first["existing"] == {"version": 2, "fetch": 2, "edit": 1}
        assert conn.execute("SELECT count(*) FROM chain").fetchone()[0] == 6


def _pack(da, tsa, tmp_path):
    assert da("add", FIXTURES / "2024D46963.docx", "--doc", "brief").exit_code == 0
    assert da("add", FIXTURES / "diffset" / "2024D46963_edited.pdf", "--doc", "brief").exit_code == 0
    assert da("seal", "--tsa", tsa.url, "--tsa-cert", str(tsa.ca_file)).exit_code == 0
    result = da("evidence", "brief@1", "brief@2", "-o", "pack.zip", "--tsa", tsa.url)
    assert result.exit_code == 0, result.output
    return tmp_path / "pack.zip"


def test_a_pack_checks_out_with_sha256sum_and_openssl_alone(da, tsa, tmp_path):
    pack = _pack(da, tsa, tmp_path)
    folder = tmp_path / "unpacked"
    zipfile.ZipFile(pack).extractall(folder)
    names = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert {"VERIFY.md", "SHA256SUMS", "SHA256SUMS.tsr", "manifest.json", "fetches.json", "diff.html", "diff.json",
            "seal/link.txt", "seal/token.tsr", "seal/root.pem", "chain/links.txt"} <= set(names)  # fmt: skip
    assert len([n for n in names if n.startswith("snapshots/")]) == 2
    script = (
        "sha256sum -c --quiet SHA256SUMS && "
        "openssl ts -verify -digest $(sha256sum seal/link.txt | cut -c1-64) -in seal/token.tsr "
        "-CAfile seal/root.pem && "
        "openssl ts -verify -data SHA256SUMS -in SHA256SUMS.tsr -CAfile seal/root.pem && "
        'for f in chain/0*.txt; do s=$(basename $f .txt); test "$(sha256sum $f | cut -c1-64)" = '
        "\"$(grep ^$s chain/links.txt | cut -d' ' -f2)\" || exit 9; done"
    )
    done = subprocess.run(["bash", "-c", script], cwd=folder, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("Verification: OK") == 2
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    for v in manifest["versions"]:  # each snapshot is the one its link recorded
        payload = (folder / "chain" / f"{v['link_seq']:09d}.txt").read_text(encoding="utf-8").split("\n", 1)[1]
        digest = subprocess.run(["sha256sum", v["snapshot"]], cwd=folder, capture_output=True, text=True).stdout[:64]
        assert json.loads(payload)["raw_sha256"] == digest
    result = da("evidence", "--verify", "pack.zip", "--json")
    check = json.loads(result.stdout)
    assert result.exit_code == 0 and check["ok"] and check["sealed_at"]


@pytest.mark.parametrize("member", ["snapshots/brief@2.pdf", "chain/links.txt", "diff.json", "seal/token.tsr"])
def test_a_pack_with_any_byte_changed_fails(da, tsa, tmp_path, member):
    pack = _pack(da, tsa, tmp_path)
    with zipfile.ZipFile(pack) as z:
        files = {n: z.read(n) for n in z.namelist()}
    data = bytearray(files[member])
    data[len(data) // 2] ^= 0x01
    files[member] = bytes(data)
    if member == "diff.json":  # a careful forger also fixes SHA256SUMS: the checks behind it still fail
        import hashlib

        files["SHA256SUMS"] = "".join(
            f"{hashlib.sha256(d).hexdigest()}  {n}\n"
            for n, d in sorted(files.items())
            if n not in ("SHA256SUMS", "SHA256SUMS.tsr")
        ).encode()
    forged = tmp_path / "forged.zip"
    with zipfile.ZipFile(forged, "w") as z:
        for n, d in files.items():
            z.writestr(n, d)
    result = da("evidence", "--verify", "forged.zip")
    assert result.exit_code == 1 and "FAILS" in result.stderr


def test_a_pack_from_the_demo_verifies_with_openssl(da, tsa, tmp_path):
    assert da("demo").exit_code == 0
    assert da("seal", "--tsa", tsa.url, "--tsa-cert", str(tsa.ca_file)).exit_code == 0
    assert da("evidence", "2024D46963@1", "2024D46963@2", "-o", "demo.zip").exit_code == 0
    folder = tmp_path / "demo-pack"
    zipfile.ZipFile(tmp_path / "demo.zip").extractall(folder)
    assert "openssl ts -verify" in (folder / "VERIFY.md").read_text(encoding="utf-8")
    done = subprocess.run(
        ["openssl", "ts", "-verify", "-digest", subprocess.run(["sha256sum", "seal/link.txt"], cwd=folder,
         capture_output=True, text=True).stdout[:64], "-in", "seal/token.tsr", "-CAfile", "seal/root.pem"],
        cwd=folder, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0 and "Verification: OK" in done.stdout
    assert da("evidence", "--verify", "demo.zip").exit_code == 0


def test_the_report_shows_each_versions_link_and_seal(da, tsa, tmp_path, browser):
    assert da("add", FIXTURES / "2024D46963.docx", "--doc", "brief").exit_code == 0
    assert da("add", FIXTURES / "diffset" / "2024D46963_edited.docx", "--doc", "brief").exit_code == 0
    assert da("seal", "--tsa", tsa.url, "--tsa-cert", str(tsa.ca_file)).exit_code == 0
    assert da("add", FIXTURES / "diffset" / "2024D46963_typography.docx", "--doc", "brief").exit_code == 0
    assert da("report", "-o", "site").exit_code == 0
    browser.open(tmp_path / "site" / "docs" / "brief.html")
    assert browser.errors() == []
    assert browser.evaluate("document.querySelectorAll('#versions .chain-link').length") == 3
    assert browser.evaluate("document.querySelectorAll('#versions .badge.sealed').length") == 2  # v3 came after
    assert "docaudit evidence brief@2 brief@3" in browser.evaluate(
        "document.querySelector('#evidence-hint').textContent"
    )


def test_a_seal_without_a_time_stamp_reads_as_missing_never_as_held(da, history, tmp_path):
    sealed = da("seal")
    assert sealed.exit_code == 0 and "chained, not time-stamped" in sealed.output
    made = da("evidence", "brief@1", "brief@2", "-o", tmp_path / "pack.zip")
    assert "not time-stamped" in made.output and "time-stamped by" not in made.output
    checked = da("evidence", "--verify", tmp_path / "pack.zip")
    assert checked.exit_code == 0 and "the pack holds, chained but not time-stamped" in checked.output
    assert "MISSING  no time-stamp" in checked.output and "holds  no time-stamp" not in checked.output
    report = json.loads(da("evidence", "--verify", tmp_path / "pack.zip", "--json").stdout)
    assert report["missing"] and not any("time-stamp" in h for h in report["holds"])


def _repack(src, dst, change):
    """A copy of the pack with ``change(files)`` applied and SHA256SUMS recomputed, as a forger would."""
    import hashlib
    import zipfile

    with zipfile.ZipFile(src) as z:
        files = {n: z.read(n) for n in z.namelist()}
    extra = change(files) or []
    files["SHA256SUMS"] = "".join(
        f"{hashlib.sha256(d).hexdigest()}  {n}\n" for n, d in sorted(files.items()) if n != "SHA256SUMS"
    ).encode()
    with zipfile.ZipFile(dst, "w") as z:
        for name, data in extra:  # members written before the real ones (viewers show the first)
            z.writestr(name, data)
        for name, data in sorted(files.items()):
            z.writestr(name, data)


def _manifest(files, edit):
    m = json.loads(files["manifest.json"])
    edit(m)
    files["manifest.json"] = json.dumps(m).encode()


@pytest.mark.parametrize(
    ("attack", "said"),
    [
        (lambda f: [("../../x", b"boo")], "not a plain relative path"),
        (lambda f: [("/etc/x", b"boo")], "not a plain relative path"),
        (lambda f: [("..\\..\\x", b"boo")], "not a plain relative path"),
        (lambda f: [("VERIFY.md", b"Alles klopt.")], "2 members of that name"),
        (
            lambda f: f.update(
                {"diff.html": f["diff.html"].replace(b"<ins>", b"<ins>Het kabinet zal niets doen. ", 1)}
            ),
            "diff.html does not follow from the snapshots",
        ),
        (lambda f: _manifest(f, lambda m: m["versions"][0].update(added_at="2020-01-01T00:00:00Z")), "says added_at"),
        (lambda f: _manifest(f, lambda m: m["versions"][0].update(raw_sha256="0" * 64)), "says raw_sha256"),
        (lambda f: _manifest(f, lambda m: m.update(doc="ander")), "manifest.json: doc 'ander'"),
        (lambda f: _manifest(f, lambda m: m["chain"].update({"from": 1})), "manifest.json: chain 1"),
        (lambda f: _manifest(f, lambda m: m.update(versions=[])), "lists no versions"),
        (lambda f: _manifest(f, lambda m: m.update(versions="geen lijst")), "malformed"),
        (
            lambda f: f.update({"fetches.json": f["fetches.json"].replace(b'"status": 200', b'"status": 404', 1)}),
            "fetches.json: fetch",
        ),
        (lambda f: f.update({"VERIFY.md": b"# Alles klopt, niets te controleren.\n"}), "VERIFY.md is not the one"),
        (lambda f: f.update({"extra.txt": b"x"}), "extra.txt: a file the pack should not hold"),
    ],
)
@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_a_forged_pack_fails_in_one_line(da, history, tmp_path, attack, said):
    da("seal")
    da("evidence", "brief@1", "brief@2", "-o", tmp_path / "pack.zip")
    assert da("evidence", "--verify", tmp_path / "pack.zip").exit_code == 0
    _repack(tmp_path / "pack.zip", tmp_path / "forged.zip", attack)
    r = da("evidence", "--verify", tmp_path / "forged.zip")
    assert r.exit_code == 1 and said in r.output and "Traceback" not in r.output, r.output


def test_verify_extracts_again_and_catches_a_text_rewritten_with_its_chain(da, history):
    """The attack: a version's text rewritten and every hash, chain link and (local) seal recomputed. Only
    extracting the chained snapshot again shows that the text does not follow from it."""
    from docaudit.store import chain as chain_module

    assert verify(da)["reextracted"] == 2
    with sqlite3.connect(history) as conn:
        conn.row_factory = sqlite3.Row
        (vid, text) = conn.execute("SELECT id, text FROM versions WHERE number = 2").fetchone()
        forged = text.replace("JBZ-Raad", "Raad", 1)
        digest = hashlib.sha256(forged.encode()).hexdigest()
        conn.execute(
            "UPDATE versions SET text = ?, text_sha256 = ?, normalized = ?, normalized_delta = NULL,"
            " normalized_sha256 = ? WHERE id = ?",
            (forged, digest, forged, hashlib.sha256(forged.encode()).hexdigest(), vid),
        )
        prev = chain_module.GENESIS
        for row in conn.execute("SELECT seq, kind, ref_id FROM chain ORDER BY seq").fetchall():
            if row["kind"] == "start":
                payload = conn.execute("SELECT payload FROM chain WHERE seq = ?", (row["seq"],)).fetchone()[0]
            else:
                payload = chain_module.canonical(
                    chain_module.payload_of(row["kind"], chain_module._row(conn, row["kind"], row["ref_id"]))
                )
            link = chain_module.link_of(prev, payload)
            conn.execute(
                "UPDATE chain SET payload = ?, prev = ?, link = ? WHERE seq = ?", (payload, prev, link, row["seq"])
            )
            prev = link
    quick = da("verify", "--quick")
    assert quick.exit_code == 0, quick.output  # every hash and link agrees: only the snapshot can tell
    assert "--quick: the stored texts were not extracted again" in quick.output
    report = verify(da)
    assert not report["ok"] and report["not_from_snapshot"] == ["brief@2"], report


@pytest.mark.parametrize(
    ("statement", "said"),
    [
        ("UPDATE versions SET letter_date = '2020-01-01' WHERE number = 2", "letter date '2020-01-01', the chain says"),
        ("UPDATE documents SET title = 'Iets anders'", "title 'Iets anders', the chain says 'De brief'"),
        ("UPDATE versions SET meta = '{\"x\": 1}' WHERE number = 2", "changed since it was recorded: facts_sha256"),
        ("UPDATE versions SET headers = '[\"Kop\"]' WHERE number = 1", "changed since it was recorded: facts_sha256"),
        ("DELETE FROM seals", "seal was deleted from the database"),
    ],
)
def test_what_a_reader_sees_beside_the_text_is_in_the_chain(da, history, statement, said):
    assert da("seal").exit_code == 0
    assert verify(da)["ok"]
    assert da("edit", "brief", "--date", "2024-12-01").exit_code == 0  # an edit made the right way holds
    assert verify(da)["ok"]
    tamper(history, statement)
    report = verify(da)
    assert not report["ok"] and any(said in line for line in report["chain"]), report["chain"]
