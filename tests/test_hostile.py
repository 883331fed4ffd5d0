"""Hostile documents cannot take a run down: each expansion, memory, CPU and time limit holds, refuses with
one line that names it and how to raise it, and the other documents are still stored."""

from __future__ import annotations

import io
import json
import os
import zipfile

import pytest

from docaudit.errors import ExtractionError
from docaudit.ingest import prepare
from docaudit.read.limits import Limits
from docaudit.testing.localserver import Reply
from docaudit.testing.repo import EXAMPLES, FIXTURES, fixture_bytes

MB = 1024 * 1024
EXAMPLE = EXAMPLES / "nota-onderbouwing-standpunt_v1.md"


def docx_bomb(megabytes: int) -> bytes:
    """A valid .docx whose document.xml inflates to ``megabytes`` MB of paragraphs (it zips to ~1/1000)."""
    paragraph = "<w:p><w:r><w:t>Het kabinet zal de Kamer informeren.</w:t></w:r></w:p>"
    body = paragraph * (megabytes * MB // len(paragraph))
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
        '+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        "word/document.xml": document,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts.items():
            zf.writestr(name, text)
    return out.getvalue()


def nested_html(depth: int) -> bytes:
    return b"<html><body>" + b"<div><span>x " * depth + b"</body></html>"


def test_a_docx_that_would_inflate_past_the_limit_is_refused_before_inflating():
    bomb = docx_bomb(40)
    assert len(bomb) < MB
    with pytest.raises(
        ExtractionError,
        match=r"would inflate to 40 MB, over the 8 MB limit on what its text may expand to.*DOCAUDIT_LIMIT_EXPANDED",
    ):
        prepare(bomb, Limits(expanded=8 * MB))


def test_with_the_defaults_a_docx_of_80_mb_of_paragraphs_is_refused_at_once():
    """The attack as reported: a small .docx whose document.xml inflates to ~100 MB was stored (3.5 GB RSS)."""
    import time

    bomb = docx_bomb(80)
    started = time.monotonic()
    with pytest.raises(ExtractionError, match=r"over the 64 MB limit on what its text may expand to"):
        prepare(bomb)
    assert time.monotonic() - started < 5


def test_memory_is_bounded_in_the_worker():
    with pytest.raises(ExtractionError, match=r"more than 150 MB of memory.*\[limits\] memory"):
        prepare(b"woord " * 5_000_000, Limits(memory=150 * MB))


def test_cpu_and_wall_clock_are_bounded():
    slow = b"Het kabinet zal de Kamer informeren. " * 500_000  # 18 MB of text: read in the worker, for seconds
    with pytest.raises(ExtractionError, match=r"took over 1 s of CPU.*DOCAUDIT_LIMIT_CPU"):
        prepare(slow, Limits(cpu=1, wall=60))
    with pytest.raises(ExtractionError, match=r"took over 1 s; .*DOCAUDIT_LIMIT_WALL"):
        prepare(slow, Limits(cpu=60, wall=1))


def test_a_page_nested_100000_deep_is_refused_before_parsing():
    """The attack: 500 KB of nested <div>s cost 53 s of CPU before the parser gave up."""
    import time

    started = time.monotonic()
    with pytest.raises(ExtractionError, match=r"nested too deeply \(over 400 levels\)"):
        prepare(nested_html(100_000))
    assert time.monotonic() - started < 3
    assert prepare(nested_html(150)).extraction.text  # 300 levels, deeper than any real page: still read


def test_characters_and_html_size_are_bounded():
    with pytest.raises(ExtractionError, match=r"expands to 11,999 characters, over the 1,000 limit"):
        prepare(b"abc\n" * 3000, Limits(characters=1000))
    with pytest.raises(ExtractionError, match=r"HTML page is 2 MB, over the 1 MB limit"):
        prepare(b"<html><body>" + b"<p>x</p>" * (2 * MB // 8) + b"</body></html>", Limits(html=MB))


def test_a_worker_survives_a_refusal_and_reads_the_next_document():
    with pytest.raises(ExtractionError):
        prepare(b"", Limits())
    assert prepare(fixture_bytes("2024D46963.docx"), Limits()).extraction.format == "docx"


def test_limits_come_from_the_environment_and_the_watchlist(tmp_path):
    assert Limits.from_env({"DOCAUDIT_LIMIT_MEMORY": "4GB", "DOCAUDIT_LIMIT_CPU": "30"}).memory == 4096 * MB
    from docaudit.watch.config import ConfigError, load_config

    config = tmp_path / "docaudit.toml"
    config.write_text('[limits]\nexpanded = "64MB"\nwall = 60\n', encoding="utf-8")
    limits = load_config(config).settings.limits
    assert (limits.expanded, limits.wall) == (64 * MB, 60)
    config.write_text("[limits]\nmemroy = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown key.*memroy"):
        load_config(config)


@pytest.mark.parametrize("path", ["/dev/zero", "/dev/urandom"])
def test_devices_are_refused_at_once(da, path):
    r = da("add", path, "--doc", "x")
    assert r.exit_code == 1 and "not a regular file" in r.output
    r = da("diff", path, "/dev/null")
    assert r.exit_code == 2 and "not a regular file" in r.output


def test_a_fifo_is_refused_without_hanging(da, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    r = da("add", fifo, "--doc", "x")
    assert r.exit_code == 1 and "not a regular file" in r.output


def test_add_names_the_limit_and_stores_the_rest(da, tmp_path, monkeypatch):
    monkeypatch.setenv("DOCAUDIT_LIMIT_EXPANDED", "8MB")
    bomb = tmp_path / "bom.docx"
    bomb.write_bytes(docx_bomb(40))
    good = tmp_path / "brief.docx"
    good.write_bytes(fixture_bytes("2024D46963.docx"))
    r = da("add", bomb, good, "--doc", "d")
    assert r.exit_code == 1
    assert f"Error: {bomb}: the .docx would inflate to 40 MB, over the 8 MB limit" in r.output
    assert "stored as d@1" in r.output


def test_a_hostile_page_does_not_stop_the_run(da, server, monkeypatch):
    monkeypatch.setenv("DOCAUDIT_LIMIT_WALL", "2")
    server.route("/bom.html", Reply(body=nested_html(120_000), content_type="text/html"))
    server.route("/brief.docx", Reply(body=fixture_bytes("2024D46963.docx")))
    da("track", server.url("/bom.html"))
    da("track", server.url("/brief.docx"))
    r = da("run")
    assert r.exit_code == 2 and "1 new, 1 failed" in r.output
    assert "bom: failed: cannot read the html: nested too deeply" in r.output  # refused before parsing


def test_a_huge_version_number_is_not_a_traceback(da):
    da("add", EXAMPLE, "--doc", "a")
    r = da("show", "a@99999999999999999999999")
    assert r.exit_code == 1 and r.output.startswith("Error: a has no version 99999999999999999999999")


def test_raw_bytes_are_checked_before_they_are_shown(da, tmp_path):
    da("add", EXAMPLE, "--doc", "a")
    [snapshot] = list((tmp_path / "snapshots").rglob("*.txt"))  # text is stored as .txt
    snapshot.write_bytes(snapshot.read_bytes() + b"\nEen toegevoegde zin.")
    r = da("show", "--raw", "a")
    assert r.exit_code == 1 and "was altered" in r.output and "Een toegevoegde zin" not in r.output
    snapshot.unlink()
    r = da("show", "--raw", "a")
    assert r.exit_code == 1 and "is missing" in r.output


# -- secrets and control characters ----------------------------------------------------------------


def test_credentials_and_tokens_never_reach_an_output(da, server, tmp_path):
    server.route("/brief.docx", Reply(body=fixture_bytes("2024D46963.docx")))
    server.route("/weg.pdf", Reply(status=500))
    secret_url = server.url("/brief.docx").replace("http://", "http://admin:s3cretpw@") + "?token=t0psecret&x=1"
    failing = server.url("/weg.pdf") + "?api_key=k3ysecret"
    outputs = [da("track", secret_url, "--doc", "brief").output, da("track", failing, "--doc", "weg").output]
    outputs.append(da("run", "--json").stdout)
    outputs += [da("sources").output, da("sources", "--json").stdout, da("log", "brief", "--json").stdout]
    da("feed", "-o", "feed.xml")
    da("report", "-o", "site")
    published = [p.read_text(encoding="utf-8") for p in (tmp_path / "site").rglob("*.html")]
    published.append((tmp_path / "feed.xml").read_text(encoding="utf-8"))
    for text in outputs + published:
        for secret in ("s3cretpw", "t0psecret", "k3ysecret", "admin:"):
            assert secret not in text
    assert "token=REDACTED" in outputs[0] and "x=1" in outputs[0]


def test_titles_lose_control_characters_and_ids_follow_their_rule(da, tmp_path):
    letter = tmp_path / "brief.txt"
    letter.write_text("Het kabinet zal de Kamer informeren.\n", encoding="utf-8")
    r = da("add", letter, "--doc", "brief", "--title", "Titel\x1b[2J\u202eomgekeerd\nregel twee")
    assert r.exit_code == 0
    listing = da("docs").output
    assert "\x1b" not in listing and "\u202e" not in listing and "regel twee" in listing
    for bad in ("a\x1bb", "x\u202ey", "a@1", "-x", "a\nb"):
        r = da("add", letter, "--doc", bad)
        assert r.exit_code == 1 and "use letters, digits, spaces and - _ . /" in r.output
        assert "\x1b" not in r.output and "\u202e" not in r.output


def test_file_names_are_echoed_escaped(da, tmp_path):
    odd = tmp_path / "brief\x1b[31m\nnaam.txt"
    odd.write_text("Een brief.\n", encoding="utf-8")
    r = da("add", odd, "--doc", "odd")
    assert r.exit_code == 0 and "\x1b" not in r.output and "\\x1b" in r.output


# -- where a fetch must not go ---------------------------------------------------------------------


def test_a_redirect_into_loopback_from_another_origin_is_refused(da, server, tmp_path):
    from docaudit.testing.localserver import LocalServer

    with LocalServer() as internal:
        internal.route("/admin", Reply(body=b"<html><body><p>Intern beheer: wachtwoorden.</p></body></html>"))
        server.route("/brief.html", Reply(status=302, location=internal.url("/admin")))
        server.route("/verhuisd.html", Reply(status=301, location=server.url("/nieuw.html")))
        server.route("/nieuw.html", Reply(body=b"<html><body><p>De brief staat hier nu.</p></body></html>"))
        da("track", server.url("/brief.html"))
        da("track", server.url("/verhuisd.html"))
        r = da("run", "--json")
        got = {o["doc"]: o for o in map(json.loads, r.stdout.splitlines())}
        assert got["verhuisd"]["outcome"] == "new"  # a redirect within the origin is followed
        assert got["brief"]["outcome"] == "failed" and "to a loopback address" in got["brief"]["error"]
        assert "allow_private_redirects" in got["brief"]["error"] and not internal.hits("/admin")
        (tmp_path / "docaudit.toml").write_text("[run]\nallow_private_redirects = true\n", encoding="utf-8")
        got = {o["doc"]: o for o in map(json.loads, da("run", "--json").stdout.splitlines())}
        assert got["brief"]["outcome"] == "new" and internal.hits("/admin")


def test_addresses_are_classified():
    from docaudit.read.fetch import address_kind

    assert address_kind("127.0.0.1") == address_kind("localhost") == "loopback"
    assert address_kind("169.254.169.254") == "link-local"
    assert address_kind("10.1.2.3") == address_kind("192.168.0.1") == "private"
    assert address_kind("[::1]") == "loopback" and address_kind("8.8.8.8") == "public"
    assert address_kind("0.0.0.0") == address_kind("[::]") == "loopback"  # both reach this machine on Linux


def test_a_redirect_to_0_0_0_0_is_refused_like_loopback(da, server):
    from docaudit.testing.localserver import LocalServer

    with LocalServer() as internal:
        internal.route("/admin", Reply(body=b"<html><body><p>Intern beheer.</p></body></html>"))
        server.route("/brief.html", Reply(status=302, location=f"http://0.0.0.0:{internal.port}/admin"))
        da("track", server.url("/brief.html"))
        (line,) = map(json.loads, da("run", "--json").stdout.splitlines())
        assert line["outcome"] == "failed" and "to a loopback address (0.0.0.0)" in line["error"]
        assert not internal.hits("/admin")


@pytest.mark.parametrize(
    "secret_url",
    [
        "/brief.pdf#access_token=SECRETVALUE1&state=x",
        "/brief.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=SECRETVALUE1&X-Amz-Signature=SECRETVALUE1",
        "/brief.pdf?GoogleAccessId=SECRETVALUE1&Expires=1&Signature=SECRETVALUE1",
        "/brief.pdf?sv=2022-11-02&se=2030-01-01&sp=r&sig=SECRETVALUE1",
    ],
)
def test_tokens_in_fragments_and_signed_urls_are_never_printed(da, server, secret_url):
    server.route("/brief.pdf", Reply(body=b"Het kabinet zal de Kamer informeren.\n"))
    url = server.url(secret_url)
    echo = da("track", url, "--doc", "brief").output
    run = da("run", "--json").stdout
    listed = da("sources", "--json").stdout + da("sources").output
    for shown in (echo, run, listed):
        assert "SECRETVALUE1" not in shown and "REDACTED" in shown, shown


# -- corruption must not spread --------------------------------------------------------------------


def _damage(db) -> None:
    """Overwrite pages of the versions table (not its first: the schema stays readable) with garbage."""
    import sqlite3

    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    numbers = [n for (n,) in conn.execute("SELECT pageno FROM dbstat WHERE name = 'versions' ORDER BY pageno")]
    conn.close()
    assert len(numbers) > 2
    with open(db, "r+b") as fh:
        for n in numbers[1:5]:
            fh.seek((n - 1) * page)
            fh.write(bytes(range(256)) * (page // 256))


def test_a_damaged_database_gives_clear_errors_and_leaves_the_published_report_alone(da, tmp_path):
    assert da("demo").exit_code == 0
    index = (tmp_path / "site" / "index.html").read_bytes()
    _damage(tmp_path / "audit.db")
    r = da("verify")
    assert r.exit_code == 1 and "DATABASE" in r.output and "Traceback" not in r.output
    r = da("report", "-o", "site")
    assert r.exit_code == 1 and r.output.startswith("Error: ") and "docaudit verify" in r.output
    assert (tmp_path / "site" / "index.html").read_bytes() == index and (tmp_path / "site" / "docs").is_dir()
    for args in (["search", "encryptie"], ["docs"], ["log", "2024D46963"], ["phrases"]):
        r = da(*args)
        assert "Traceback" not in r.output, args
        assert r.exit_code == 0 or r.output.startswith("Error: "), (args, r.output)


def test_pages_of_documents_gone_from_the_database_are_kept_without_force(da, tmp_path):
    import sqlite3

    assert da("demo").exit_code == 0
    page = tmp_path / "site" / "docs" / "memo-zonder-datum.html"
    assert page.exists()
    conn = sqlite3.connect(tmp_path / "audit.db")  # as if the database had lost a document
    conn.execute("PRAGMA foreign_keys = OFF")
    for table in ("phrase_occurrences", "phrase_versions"):
        conn.execute(f"DELETE FROM {table} WHERE doc_id = 'memo-zonder-datum'")
    conn.execute("DELETE FROM versions WHERE doc_id = 'memo-zonder-datum'")
    conn.execute("DELETE FROM documents WHERE id = 'memo-zonder-datum'")
    conn.commit()
    conn.close()
    r = da("report", "-o", "site")
    assert r.exit_code == 0 and "no longer in the database were kept" in r.output and page.exists()
    r = da("report", "-o", "site", "--force")
    assert r.exit_code == 0 and not page.exists()


@pytest.fixture
def tiny_disk(tmp_path):
    """A 300 KB file system (tmpfs), where the machine lets us mount one."""
    import subprocess

    where = tmp_path / "tiny"
    where.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=300k", "tmpfs", str(where)], capture_output=True).returncode:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    yield where
    subprocess.run(["umount", str(where)], check=False)


def _big_letter(tmp_path):
    import random

    rnd = random.Random(1)
    words = "het kabinet zal de Kamer informeren over de voortgang van".split()
    letter = tmp_path / "groot.txt"
    letter.write_text(" ".join(f"{rnd.choice(words)}{rnd.randint(0, 99999)}" for _ in range(60000)), encoding="utf-8")
    return letter


def test_a_full_disk_is_one_clear_line_and_stores_nothing(da, tmp_path, tiny_disk):
    letter = _big_letter(tmp_path)
    r = da("--snapshots", tiny_disk / "snaps", "add", letter, "--doc", "groot")
    assert r.exit_code == 1 and "cannot write the snapshot" in r.output and "No space left" in r.output
    assert "Traceback" not in r.output
    r = da("--db", tiny_disk / "audit.db", "--snapshots", tmp_path / "snaps", "add", letter, "--doc", "groot")
    assert r.exit_code == 1 and "cannot write the database" in r.output and "nothing was stored" in r.output
    assert "No documents yet" in da("--db", tiny_disk / "audit.db", "docs").output  # and nothing half-stored


def test_a_slow_drip_server_is_cut_off_and_not_retried(server):
    import time

    from docaudit.read.fetch import Fetcher, FetchError, FetchSettings

    server.route("/druppel.html", Reply(body=b"<p>" + b"x" * 400 + b"</p>", drip=0.01))
    settings = FetchSettings(retries=3, backoff=0.01, min_rate=1000, rate_after=0.3)
    started = time.monotonic()
    with Fetcher(settings) as fetcher, pytest.raises(FetchError, match=r"bytes/s, under the floor of 1,000") as info:
        fetcher.get(server.url("/druppel.html"))
    assert info.value.attempts == 1 and time.monotonic() - started < 3
    slow = FetchSettings(retries=3, total_timeout=0.5, min_rate=0)
    with Fetcher(slow) as fetcher, pytest.raises(FetchError, match=r"took over [01] s") as info:
        fetcher.get(server.url("/druppel.html"))
    assert info.value.attempts == 1 and len(server.hits("/druppel.html")) == 2


def test_a_report_folder_that_cannot_be_written_is_one_line(da, tmp_path):
    da("add", EXAMPLE, "--doc", "a")
    (tmp_path / "gewoon-een-bestand").write_text("not a folder", encoding="utf-8")
    r = da("report", "-o", "gewoon-een-bestand")  # a usage error, said by the option itself
    assert r.exit_code == 2 and "is a file" in r.output and "Traceback" not in r.output
    from docaudit import Store, build_report
    from docaudit.errors import DocauditError

    with Store(tmp_path / "audit.db") as store, pytest.raises(DocauditError, match="exists and is not a folder"):
        build_report(store, tmp_path / "gewoon-een-bestand")
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "docs").write_text("a file where the report wants a folder", encoding="utf-8")
    r = da("report", "-o", "site", "--force")  # the document's pages cannot be written: it is left out, said so
    assert r.exit_code == 1 and "Error: a: left out of the report" in r.output and "Traceback" not in r.output


@pytest.mark.parametrize(
    ("reply", "said"),
    [
        (Reply(body=b"0" * 64, headers={"Content-Length": str(2**31)}, no_length=True), "announced 2,147,483,648"),
        (Reply(body=b"\0" * (2 * 1024 * 1024), no_length=True), "sent over 262,144 bytes"),
        (Reply(body=b"\0" * 40, drip=0.2), "took over 2 s"),
    ],
)
def test_a_time_stamping_authority_cannot_hold_or_flood_a_seal(server, reply, said):
    import time

    from docaudit.evidence.seal import SealError, request_token

    server.route("/tsr", reply)
    started = time.monotonic()
    with pytest.raises(SealError, match=said):
        request_token("ab" * 32, server.url("/tsr"), timeout=2.0)
    assert time.monotonic() - started < 6


def test_an_output_path_that_cannot_be_written_and_a_huge_window_give_one_line(da, tmp_path):
    da("add", FIXTURES / "2024D46963.docx", "--doc", "brief")
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    r = da("feed", "-o", tmp_path / "a-file" / "feed.xml")
    assert r.exit_code == 2 and "cannot write or read" in r.output and "Traceback" not in r.output
    r = da("changes", "--since", "99999999999d")
    assert r.exit_code == 0 and "Traceback" not in r.output


def test_a_read_only_copy_of_the_archive_can_be_read_and_verified(da, tmp_path):
    import shutil
    import subprocess

    if shutil.which("chattr") is None:  # pragma: no cover
        pytest.skip("chattr is needed to make a folder read-only for root")
    da("add", FIXTURES / "2024D46963.docx", "--doc", "brief")
    da("add", FIXTURES / "diffset" / "2024D46963_edited.docx", "--doc", "brief")
    targets = [str(tmp_path / "audit.db"), str(tmp_path)]
    if subprocess.run(["chattr", "+i", *targets], capture_output=True).returncode != 0:  # pragma: no cover
        pytest.skip("this file system does not take the immutable flag")
    try:
        assert da("docs").exit_code == 0 and "brief" in da("docs").output
        assert "brief@" in da("search", "detectiebevel").output
        verified = da("verify")
        assert verified.exit_code == 0, verified.output
        assert da("diff", "brief").exit_code == 1
        morning = da("changes", "--json")  # the changes it cannot keep in the database are diffed, not refused
        assert morning.exit_code == 0 and json.loads(morning.stdout), morning.output
        promises = da("commitments", "--json")  # linked in memory, not kept
        assert promises.exit_code == 0 and json.loads(promises.stdout), promises.output
        refused = da("edit", "brief", "--title", "X")
        assert refused.exit_code != 0 and "cannot write the database" in refused.output
    finally:
        subprocess.run(["chattr", "-i", *targets], check=False)


@pytest.mark.parametrize(
    ("table", "said"),
    [
        ("memory = -1", "[limits] memory: -1 is out of range (at least 128 MB)"),
        ("cpu = 0", "[limits] cpu: 0 is out of range (1 to 86400)"),
        ('isolate = "no"', "[limits] isolate: 'no' is not true or false, without quotes"),
        ('memory = "lots"', "[limits] memory: 'lots' is not a size"),
    ],
)
def test_limits_out_of_bounds_are_refused_by_every_command(da, tmp_path, table, said):
    (tmp_path / "docaudit.toml").write_text(f"[limits]\n{table}\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Het kabinet zal dit doen.\n", encoding="utf-8")
    for args in (("add", "a.txt", "--doc", "a"), ("diff", "a.txt", "a.txt"), ("import", "a.txt"), ("run",)):
        r = da(*args)
        assert r.exit_code != 0 and said in r.output and "Traceback" not in r.output, (args, r.output)


def test_the_limits_of_docaudit_toml_hold_for_add_too(da, tmp_path):
    (tmp_path / "docaudit.toml").write_text("[limits]\ncharacters = 10000\n", encoding="utf-8")
    (tmp_path / "groot.txt").write_text("woord " * 5000, encoding="utf-8")
    r = da("add", "groot.txt", "--doc", "groot")
    assert r.exit_code == 1 and "over the 10,000 limit" in r.output and "[limits] characters" in r.output
    assert da("import", "groot.txt").exit_code == 1


def test_no_seal_over_a_broken_chain_and_no_edit_into_a_damaged_database(da, tmp_path):
    import sqlite3

    da("add", FIXTURES / "2024D46963.docx", "--doc", "brief")
    with sqlite3.connect(tmp_path / "audit.db") as conn:  # a stored version rewritten behind docaudit's back
        conn.execute("UPDATE versions SET added_at = '2020-01-01T00:00:00Z'")
    r = da("seal")
    assert r.exit_code != 0 and "the chain does not verify" in r.output and "nothing sealed" in r.output
    with sqlite3.connect(tmp_path / "audit.db") as conn:
        assert conn.execute("SELECT count(*) FROM seals").fetchone()[0] == 0


def test_no_edit_is_written_into_a_damaged_database(da, tmp_path):
    assert da("demo").exit_code == 0
    _damage(tmp_path / "audit.db")
    r = da("edit", "2024D46963", "--title", "Anders")
    assert r.exit_code != 0 and "Traceback" not in r.output
    assert "quick check" in r.output or "damaged" in r.output, r.output


def _parquet_index(da, tmp_path):
    """A database with a phrase index, exported to Parquet (the folder index --from reads)."""
    pytest.importorskip("pyarrow")
    assert da("demo").exit_code == 0
    out = tmp_path / "export"
    assert da("export", out).exit_code == 0
    return out


def _rewrite(folder, table, change):
    import pyarrow as pa
    import pyarrow.parquet as pq

    files = sorted((folder / table).glob("*.parquet"))
    data = pq.read_table(files[0]).to_pylist()
    for f in files:
        f.unlink()
    rows = change(data)
    names = list(data[0]) if data else []
    pq.write_table(pa.table({n: [r[n] for r in rows] for n in names}), folder / table / "part-00000.parquet")


@pytest.mark.parametrize(
    ("attack", "said"),
    [
        (lambda f: _rewrite(f, "phrase_versions", lambda rows: []), "covers no version"),
        (
            lambda f: _rewrite(f, "phrase_occurrences", lambda rows: [{**rows[0], "count": -3}, *rows[1:]]),
            "is negative",
        ),
        (
            lambda f: _rewrite(f, "phrase_fingerprints", lambda rows: [{**rows[0], "sentence_id": 10**9}, *rows[1:]]),
            "is not among phrase_sentences",
        ),
        (
            lambda f: _rewrite(f, "phrase_sentences", lambda rows: [{**rows[0], "text": "x" * 200_000}, *rows[1:]]),
            "at most 100,000 characters",
        ),
        (
            lambda f: (f / "phrase_sentences" / "part-00000.parquet").write_bytes(b"not parquet at all"),
            "not a Parquet file docaudit can read",
        ),
    ],
)
def test_index_from_validates_before_it_loads(da, tmp_path, attack, said):
    import sqlite3

    out = _parquet_index(da, tmp_path)
    before = sqlite3.connect(tmp_path / "audit.db").execute("SELECT count(*) FROM phrase_sentences").fetchone()[0]
    attack(out)
    r = da("index", "--from", out)
    assert r.exit_code != 0 and said in r.output and "Traceback" not in r.output, r.output
    after = sqlite3.connect(tmp_path / "audit.db").execute("SELECT count(*) FROM phrase_sentences").fetchone()[0]
    assert after == before  # audit.db as it was


def test_index_from_follows_no_link(da, tmp_path):
    out = _parquet_index(da, tmp_path)
    target = out / "phrase_sentences" / "part-00000.parquet"
    target.rename(tmp_path / "elsewhere.parquet")
    target.symlink_to(tmp_path / "elsewhere.parquet")
    r = da("index", "--from", out)
    assert r.exit_code != 0 and "links are not followed" in r.output


def test_the_address_connected_to_is_judged_not_only_the_name():
    """The rule a redirect is held to, on the address a connection went to (DNS may answer a name with a
    public address when it is checked and with 127.0.0.1 when it is connected): the fetcher applies it to the
    peer of the response's own connection (`_check_connected`)."""
    from docaudit.read.fetch import redirect_refusal

    said = redirect_refusal("https://www.rijksoverheid.nl/brief", "127.0.0.1", "rebind.example.org")
    assert said and "loopback address (rebind.example.org, connected to 127.0.0.1) refused" in said
    assert "private address" in redirect_refusal("https://www.rijksoverheid.nl/brief", "10.0.0.8", "x.example")
    assert redirect_refusal("https://www.rijksoverheid.nl/brief", "8.8.8.8", "x.example") is None
    assert redirect_refusal("http://10.0.0.1/a", "10.0.0.2", "intern") is None  # private to private: allowed


def test_a_connection_redirected_into_loopback_is_refused_on_its_peer_address(server):
    """Two origins on loopback, the second reached by its address: refused by the name check and, were the name
    to lie, by the connection's own peer address (both paths share redirect_refusal)."""
    from docaudit.read.fetch import Fetcher, FetchError, FetchSettings
    from docaudit.testing.localserver import LocalServer

    with LocalServer() as internal:
        internal.route("/admin", Reply(body=b"intern"))
        server.route("/r", Reply(status=302, location=f"http://localhost:{internal.port}/admin"))
        with Fetcher(FetchSettings(retries=0)) as fetcher:
            fetcher._check_redirect = lambda request: None  # as if DNS had said "public" when the name was checked
            fetcher.client.event_hooks["request"] = []
            with pytest.raises(FetchError, match=r"\(localhost, connected to 127\.0\.0\.1\) refused"):
                fetcher.get(server.url("/r"))
