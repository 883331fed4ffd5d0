"""``track``/``sources``/``run`` against a real local HTTP server: outcomes, records, faults, exit codes."""

from __future__ import annotations

import json
import sqlite3

import pytest

from docaudit.store.database import Store
from docaudit.testing.localserver import Reply
from docaudit.testing.repo import fixture_bytes

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
V1 = fixture_bytes("2024D46963.docx")
V2 = fixture_bytes("diffset/2024D46963_edited.docx")
PDF = fixture_bytes("2023Z08511.pdf")


def fetches(tmp_path, source: str | None = None) -> list[dict]:
    conn = sqlite3.connect(tmp_path / "audit.db")
    conn.row_factory = sqlite3.Row
    where = "WHERE source_id = ?" if source else ""
    rows = conn.execute(f"SELECT * FROM fetches {where} ORDER BY id", (source,) if source else ()).fetchall()
    conn.close()
    return [dict(r) for r in rows]


def test_track_sources_untrack(da, server):
    r = da("track", server.url("/brieven/kamerbrief-csam.docx"))
    assert r.exit_code == 0, r.output
    assert "as kamerbrief-csam" in r.output
    assert da("track", "tk:2024d46963").exit_code == 0
    assert "as tk-dossier-32317" in da("track", "tk:dossier/32317", "--since", "2024-01-01").output
    listed = json.loads(da("sources", "--json").stdout)
    assert [(s["id"], s["kind"], s["source"]) for s in listed] == [
        ("2024D46963", "tk-document", "tk:2024D46963"),
        ("kamerbrief-csam", "url", server.url("/brieven/kamerbrief-csam.docx")),
        ("tk-dossier-32317", "tk-dossier", "tk:dossier/32317"),
    ]
    assert listed[2]["since"] == "2024-01-01" and listed[0]["status"] is None
    assert "never checked" in da("sources").output
    assert da("untrack", "kamerbrief-csam").exit_code == 0
    assert [s["id"] for s in json.loads(da("sources", "--json").stdout)] == ["2024D46963", "tk-dossier-32317"]
    assert "(untracked)" in da("sources", "--all").output


@pytest.mark.parametrize(
    "spec, message",
    [
        ("ftp://example.org/brief.pdf", "unknown source"),
        ("tk:12345", "not a Tweede Kamer document number"),
        ("tk:dossier/abc", "not a kamerstukdossier number"),
        ("tk:query/", "empty OData filter"),
    ],
)
def test_track_rejects_bad_sources(da, spec, message):
    r = da("track", spec)
    assert r.exit_code == 1 and message in r.output


def test_the_same_id_cannot_silently_point_elsewhere(da, server):
    da("track", server.url("/a.docx"), "--doc", "brief")
    r = da("track", server.url("/b.docx"), "--doc", "brief")
    assert r.exit_code == 1 and "already tracks" in r.output


def test_run_stores_new_then_304_then_changed(da, server, tmp_path):
    server.route("/brief.docx", Reply(body=V1, etag='"v1"', content_type=DOCX))
    da("track", server.url("/brief.docx"), "--doc", "2024D46963")
    r = da("run")
    assert r.exit_code == 0, r.output
    assert "+ 2024D46963: new, stored as 2024D46963@1" in r.output and r.output.strip().endswith("1 new")

    r = da("run")
    assert r.exit_code == 0 and r.output.strip() == "1 unchanged"
    assert server.hits("/brief.docx")[-1].headers["if-none-match"] == '"v1"'

    server.route("/brief.docx", Reply(body=V2, etag='"v2"', content_type=DOCX))
    r = da("run", "--exit-code")
    assert r.exit_code == 1
    assert "~ 2024D46963: changed, 2024D46963@1 → 2024D46963@2" in r.output and "1 changed" in r.output
    rows = fetches(tmp_path)
    assert [(f["outcome"], f["status"], f["etag"]) for f in rows] == [
        ("new", 200, '"v1"'),
        ("unchanged", 304, '"v1"'),
        ("changed", 200, '"v2"'),
    ]
    assert rows[0]["version_id"] and rows[1]["version_id"] is None and rows[2]["version_id"]
    source = json.loads(da("sources", "--json").stdout)[0]
    assert source["status"] == "changed" and source["last_change"] and source["last_error"] is None
    with Store(tmp_path / "audit.db") as store:
        v2 = store.version("2024D46963", 2)
        assert v2.meta["url"] == server.url("/brief.docx") and v2.meta["source"] == "2024D46963"
        runs = [dict(r) for r in store.conn.execute("SELECT status, new, changed, unchanged FROM runs")]
    assert runs == [
        {"status": "done", "new": 1, "changed": 0, "unchanged": 0},
        {"status": "done", "new": 0, "changed": 0, "unchanged": 1},
        {"status": "done", "new": 0, "changed": 1, "unchanged": 0},
    ]


def test_same_text_without_validators_is_unchanged(da, server, tmp_path):
    server.route("/p.pdf", Reply(body=PDF, content_type="application/pdf"))
    da("track", server.url("/p.pdf"))
    da("run")
    r = da("run", "--exit-code")
    assert r.exit_code == 0 and "1 unchanged" in r.output
    with Store(tmp_path / "audit.db") as store:
        assert len(store.versions("p")) == 1


def test_html_page_is_reduced_to_the_letter(da, server, tmp_path):
    server.route("/tkconv/2024D46963", Reply(body=fixture_bytes("2024D46963.html"), content_type="text/html"))
    da("track", server.url("/tkconv/2024D46963"), "--doc", "2024D46963")
    assert da("run").exit_code == 0
    with Store(tmp_path / "audit.db") as store:
        text = store.resolve("2024D46963").text
    assert "Aan de Voorzitter van de Tweede Kamer" in text
    assert "[overzicht]" not in text and "cookies" not in text


def test_one_failing_source_does_not_stop_the_others(da, server, tmp_path):
    server.route("/ok.docx", Reply(body=V1))
    server.route("/broken", Reply(status=500))
    da("track", server.url("/ok.docx"), "--doc", "ok")
    da("track", server.url("/broken"), "--doc", "broken")
    r = da("run")
    assert r.exit_code == 2
    assert "broken: failed: HTTP 500" in r.output and "1 new, 1 failed" in r.output
    assert len(server.hits("/broken")) == 2  # one retry (--retries 1), then on to the summary
    broken = {s["id"]: s for s in json.loads(da("sources", "--json").stdout)}["broken"]
    assert broken["status"] == "failed" and "HTTP 500" in broken["last_error"] and broken["failures"] == 1
    assert da("run").exit_code == 2
    assert {s["id"]: s for s in json.loads(da("sources", "--json").stdout)}["broken"]["failures"] == 2


def test_every_source_failing_exits_3(da, server):
    server.route("/x", Reply(status=503))
    da("track", server.url("/x"), "--doc", "x")
    assert da("run").exit_code == 3


def test_withdrawn_document_keeps_its_history(da, server, tmp_path):
    server.route("/brief.docx", Reply(body=V1))
    da("track", server.url("/brief.docx"), "--doc", "brief")
    da("run")
    server.route("/brief.docx", Reply(status=410))
    r = da("run", "--exit-code")
    assert r.exit_code == 1
    assert "! brief: withdrawn (HTTP 410 Gone; history kept (brief@1))" in r.output and "1 withdrawn" in r.output
    assert json.loads(da("sources", "--json").stdout)[0]["status"] == "withdrawn"
    assert fetches(tmp_path)[-1]["outcome"] == "withdrawn"
    with Store(tmp_path / "audit.db") as store:
        assert [v.number for v in store.versions("brief")] == [1]


def test_404_before_anything_was_stored_is_a_failure(da, server):
    da("track", server.url("/typo.docx"), "--doc", "typo")
    r = da("run")
    assert r.exit_code == 3 and "typo: failed: HTTP 404" in r.output


def test_content_type_change_is_stored_with_a_warning(da, server, tmp_path):
    server.route("/brief", Reply(body=V1, content_type=DOCX))
    da("track", server.url("/brief"), "--doc", "brief")
    da("run")
    server.route("/brief", Reply(body=fixture_bytes("2024D46963.html"), content_type="text/html"))
    r = da("run")
    assert r.exit_code == 0
    assert "warning: format changed from docx to html" in r.output
    assert "format changed" in fetches(tmp_path)[-1]["warning"]


def test_declared_content_type_is_not_trusted(da, server, tmp_path):
    server.route("/brief.pdf", Reply(body=V1, content_type="application/pdf"))  # really a .docx
    da("track", server.url("/brief.pdf"), "--doc", "brief")
    assert da("run").exit_code == 0
    with Store(tmp_path / "audit.db") as store:
        assert store.resolve("brief").format == "docx"
    assert fetches(tmp_path)[0]["content_type"] == "application/pdf"


def test_unreadable_body_fails_cleanly_and_is_fetched_again(da, server, tmp_path):
    server.route("/brief.docx", Reply(body=b"PK\x03\x04 not really a zip", etag='"x"'))
    da("track", server.url("/brief.docx"), "--doc", "brief")
    r = da("run")
    assert r.exit_code == 3 and "corrupt or truncated .docx" in r.output
    assert json.loads(da("sources", "--json").stdout)[0]["last_error"].startswith("corrupt")
    server.route("/brief.docx", Reply(body=V1, etag='"x"'))
    r = da("run")  # the ETag of the broken body was not kept: a full GET, not a 304
    assert r.exit_code == 0 and "new" in r.output
    assert "if-none-match" not in server.hits("/brief.docx")[-1].headers


def test_truncated_timeout_refused_and_redirect_loop_each_fail_alone(da, server, tmp_path):
    server.route("/ok", Reply(body=V1))
    server.route("/cut", Reply(body=V1, truncate=500))
    server.route("/slow", Reply(body=V1, delay=2))
    server.route("/loop-a", Reply(status=302, location="/loop-b"))
    server.route("/loop-b", Reply(status=302, location="/loop-a"))
    for path in ("/ok", "/cut", "/slow", "/loop-a"):
        da("track", server.url(path), "--doc", path.strip("/"))
    da("track", "http://127.0.0.1:9/nothing-listens", "--doc", "refused")
    r = da("run", "--json", "--timeout", "0.5")
    assert r.exit_code == 2
    outcomes = {o["source"]: o for o in map(json.loads, r.stdout.splitlines())}
    assert outcomes["ok"]["outcome"] == "new"
    assert "broke off" in outcomes["cut"]["error"]
    assert "timed out" in outcomes["slow"]["error"]
    assert "redirect loop" in outcomes["loop-a"]["error"]
    assert "cannot connect" in outcomes["refused"]["error"]
    assert all(o["outcome"] == "failed" for k, o in outcomes.items() if k != "ok")
    with Store(tmp_path / "audit.db") as store:
        assert [d.id for d in store.documents()] == ["ok"]
        assert store.verify().ok


def test_quiet_prints_only_changes_and_failures(da, server):
    server.route("/a", Reply(body=V1))
    da("track", server.url("/a"), "--doc", "a")
    assert "new" in da("run", "-q").output
    assert da("run", "-q").output == ""


def test_redirect_is_recorded(da, server, tmp_path):
    server.route("/old", Reply(status=301, location="/new.docx"))
    server.route("/new.docx", Reply(body=V1))
    da("track", server.url("/old"), "--doc", "brief")
    da("run")
    row = fetches(tmp_path)[0]
    assert row["final_url"] == server.url("/new.docx") and json.loads(row["redirects"]) == [server.url("/old")]


def test_only_checks_the_named_sources(da, server):
    server.route("/a", Reply(body=V1))
    server.route("/b", Reply(body=PDF))
    da("track", server.url("/a"), "--doc", "a")
    da("track", server.url("/b"), "--doc", "b")
    assert "1 new" in da("run", "--only", "b").output
    assert server.hits("/a") == []
    r = da("run", "--only", "c")
    assert r.exit_code == 3 and "no tracked source 'c'" in r.output


def test_watchlist_drives_the_run(da, server, tmp_path):
    server.route("/a.docx", Reply(body=V1))
    server.route("/b.pdf", Reply(body=PDF))
    (tmp_path / "docaudit.toml").write_text(
        f"""
[run]
concurrency = 2
timeout = 5
retries = 0

[[source]]
url = "{server.url("/a.docx")}"
doc = "a"

[[source]]
url = "{server.url("/b.pdf")}"
doc = "b"
name = "Antwoorden"
""",
        encoding="utf-8",
    )
    r = da("run")
    assert r.exit_code == 0 and "2 new" in r.output
    listed = json.loads(da("sources", "--json").stdout)
    assert [(s["id"], s["origin"], s["name"]) for s in listed] == [("a", "config", None), ("b", "config", "Antwoorden")]
    # a source removed from the file stops being checked, its history stays
    text = (tmp_path / "docaudit.toml").read_text(encoding="utf-8")
    (tmp_path / "docaudit.toml").write_text(text.split("[[source]]")[0] + "[[source]]" + text.split("[[source]]")[1])
    r = da("run")
    assert r.exit_code == 0 and "1 unchanged" in r.output
    assert [s["id"] for s in json.loads(da("sources", "--json").stdout)] == ["a"]


@pytest.mark.parametrize(
    "toml, message",
    [
        ("[run]\nconcurency = 3\n", "unknown key(s) concurency"),
        ("[[source]]\nurl = 'https://x.nl/a'\ntk = '2024D46963'\n", "exactly one of url"),
        ("[run\n", "not valid TOML"),
        ("[notify]\non = 'sometimes'\n", "[notify] on: 'sometimes' is not one of changes, failures, always, never"),
    ],
)
def test_a_bad_watchlist_stops_with_a_clear_error(da, tmp_path, toml, message):
    (tmp_path / "docaudit.toml").write_text(toml, encoding="utf-8")
    r = da("run")
    assert r.exit_code == 3 and message in r.output


def test_a_run_with_nothing_to_check_is_trouble_unless_allowed(da, tmp_path):
    """A wrong `cd` in a crontab used to be a silent, successful no-op every night."""
    r = da("run", "--quiet")
    assert r.exit_code == 2 and "nothing to check: no database at" in r.stderr and "wrong folder" in r.stderr
    assert not (tmp_path / "audit.db").exists()  # and nothing was created where it ran
    assert da("run", "--allow-empty").exit_code == 0
    r = da("run", "--quiet")  # a database now exists, but no source is tracked
    assert r.exit_code == 2 and "no source is tracked" in r.stderr
    (tmp_path / "docaudit.toml").write_text("[run]\nallow_empty = true\n", encoding="utf-8")
    assert da("run", "--quiet").exit_code == 0


def test_quiet_lines_carry_the_time_and_a_withdrawal_is_announced_once(da, server):
    import re

    server.route("/brief.docx", Reply(body=V1))
    da("track", server.url("/brief.docx"), "--doc", "brief")
    r = da("run", "--quiet")
    stamp = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z "
    assert re.match(stamp + r"\+ brief: new", r.output) and re.search(stamp + "1 new$", r.output, re.M)
    server.route("/brief.docx", Reply(status=404))
    r = da("run", "--quiet", "--exit-code")
    assert r.exit_code == 1 and "! brief: withdrawn" in r.output
    r = da("run", "--quiet", "--exit-code")  # still gone: nothing new to say
    assert r.exit_code == 0 and r.output == ""


def test_extraction_in_worker_processes(server, tmp_path):
    """Large runs extract in a process pool; results, failures and records are the same as inline."""
    from docaudit.read.fetch import FetchSettings
    from docaudit.watch.run import RunSettings, run
    from docaudit.watch.sources import track

    server.route("/a.docx", Reply(body=V1))
    server.route("/b.pdf", Reply(body=PDF))
    server.route("/c.docx", Reply(body=b"PK\x03\x04 broken"))
    settings = RunSettings(fetch=FetchSettings(retries=0), extract_workers=2, parallel_from=1)
    with Store(tmp_path / "audit.db") as store:
        for name in ("a.docx", "b.pdf", "c.docx"):
            track(store, server.url(f"/{name}"))
        report = run(store, settings=settings)
        assert {o.doc: o.outcome for o in report.outcomes} == {"a": "new", "b": "new", "c": "failed"}
        assert "corrupt or truncated .docx" in {o.doc: o for o in report.outcomes}["c"].error
        assert store.resolve("b").format == "pdf" and store.resolve("b").letter_date == "2023-08-22"
        again = run(store, settings=settings)  # same bytes: recognised without extracting
        assert {o.doc: o.outcome for o in again.outcomes} == {"a": "unchanged", "b": "unchanged", "c": "failed"}
        assert store.verify().ok


def test_the_cron_recipe_as_written(server, tmp_path):
    """The crontab line of docs/watching.md, run by a shell as cron would, with one source failing."""
    import re
    import subprocess
    import sys
    from pathlib import Path

    from docaudit.testing.repo import ROOT

    page = (ROOT / "docs" / "watching.md").read_text(encoding="utf-8")
    block = page.split("<!-- cron:start -->")[1].split("<!-- cron:end -->")[0]
    line = next(x for x in block.splitlines() if "docaudit run" in x)
    command = line.split("*", 5)[-1].strip()  # the part after the five schedule fields
    watch = tmp_path / "watch"
    watch.mkdir()
    command = command.replace("/srv/watch", str(watch))
    command = command.replace("/srv/docaudit/.venv/bin/docaudit", str(Path(sys.executable).parent / "docaudit"))
    server.route("/brief.docx", Reply(body=V1))
    server.route("/weg.pdf", Reply(status=404))
    (watch / "docaudit.toml").write_text(
        f'[run]\nretries = 0\n\n[report]\npath = "site"\n\n[[source]]\nurl = "{server.url("/brief.docx")}"\n'
        f'doc = "brief"\n\n[[source]]\nurl = "{server.url("/weg.pdf")}"\ndoc = "weg"\n',
        encoding="utf-8",
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}  # cron's bare environment
    result = subprocess.run(["sh", "-c", command], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2  # one source failed …
    log = (watch / "run.log").read_text(encoding="utf-8").splitlines()
    stamp = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z "
    assert all(re.match(stamp, x) for x in log), log
    assert any("+ brief: new" in x for x in log) and any("weg" in x and "failed" in x for x in log)
    assert (watch / "site" / "index.html").exists()  # … and the report was written all the same
    assert "brief" in (watch / "site" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("timeout = -1", "[run] timeout: -1 is out of range (0.1 to 3600 s)"),
        ("concurrency = 0", "[run] concurrency: 0 is out of range (1 to 64)"),
        ("retries = 100", "[run] retries: 100 is out of range (0 to 10)"),
        ('backoff = "soon"', "[run] backoff: 'soon' is not a duration (30, 30s, 2m, 1h)"),
        ("allow_private_redirects = 1", "[run] allow_private_redirects: 1 is not true or false"),
    ],
)
def test_the_watchlist_is_checked_like_the_flags(da, tmp_path, line, message):
    """One settings table: the file and the flag refuse the same values, in the same words."""
    (tmp_path / "docaudit.toml").write_text(f"[run]\n{line}\n", encoding="utf-8")
    r = da("run")
    assert r.exit_code == 3 and message in r.output
    name, value = (x.strip().strip('"') for x in line.split("="))
    if name in ("timeout", "retries", "backoff", "concurrency"):
        (tmp_path / "docaudit.toml").unlink()
        quick = () if name == "retries" else ("--retries", "1")  # the test invoker's quick retries would win
        flagged = da("run", f"--{name}", value, "--allow-empty", *quick)
        said = message.split(": ", 1)[1].replace(f"{value} is", f"{value!r} is", 1)
        assert flagged.exit_code == 2 and said in flagged.output, (said, flagged.output)


def test_every_setting_is_declared_once_with_a_default_the_objects_use():
    from docaudit.read.fetch import FetchSettings
    from docaudit.read.limits import Limits
    from docaudit.settings import SETTINGS, check, options
    from docaudit.watch.run import RunSettings
    from docaudit.watch.tkschema import V5

    run, limits = RunSettings(), Limits()
    for s in SETTINGS:
        holder = {"run": run, "fetch": run.fetch, "limits": limits}.get(s.goes_to)
        if holder is not None and s.default is not None:
            assert getattr(holder, s.option_name if s.goes_to == "run" else s.name) == s.default, s.key
        if s.default is not None and s.kind not in ("regexes", "urls"):
            assert check(s, s.default, s.key) == s.default, s.key  # a default within its own bounds
    assert isinstance(run.fetch, FetchSettings) and run.tk_api == V5
    assert set(options()) == {
        "concurrency",
        "wait",
        "timeout",
        "retries",
        "backoff",
        "refetch",
        "allow_empty",
        "tk_api",
        "tk_feed",
        "pdf_engine",
    }


def test_a_source_in_the_file_and_tracked_by_hand_says_who_owns_it(da, server, tmp_path):
    server.route("/brief.docx", Reply(body=V1))
    da("track", server.url("/brief.docx"), "--doc", "brief")
    (tmp_path / "docaudit.toml").write_text(
        f'[[source]]\nurl = "{server.url("/brief.docx")}"\ndoc = "brief"\n', encoding="utf-8"
    )
    r = da("run")
    assert r.exit_code == 0 and "source brief was added with docaudit track and is in docaudit.toml too" in r.output
    assert json.loads(da("sources", "--json").stdout)[0]["origin"] == "config"


def test_sources_say_new_for_a_first_version_and_forget_a_fixed_error(da, server):
    server.route("/brief.docx", Reply(status=500), Reply(status=500), Reply(body=V1))  # run retries once
    da("track", server.url("/brief.docx"), "--doc", "brief")
    da("run")
    [failed] = json.loads(da("sources", "--json").stdout)
    assert failed["status"] == "failed" and failed["last_error"]
    da("run")
    [source] = json.loads(da("sources", "--json").stdout)
    assert source["status"] == "new" and source["last_error"] is None


def test_refetch_sees_a_change_a_304_would_hide_and_run_lines_carry_the_summary(da, server):
    from docaudit.testing.repo import fixture_bytes

    stamp = "Fri, 29 Nov 2024 10:00:00 GMT"
    server.route("/brief.docx", Reply(body=V1, last_modified=stamp))
    da("track", server.url("/brief.docx"), "--doc", "brief")
    da("run")
    edited = fixture_bytes("diffset/2024D46963_edited.docx")
    server.route("/brief.docx", Reply(body=edited, last_modified=stamp))  # changed within the same second
    assert "1 unchanged" in da("run").output  # the server answers 304 to If-Modified-Since
    r = da("run", "--refetch")
    assert "~ brief: changed, brief@1 → brief@2 (silent revision" in r.output and ": 7 modified" in r.output
    assert "if-modified-since" not in server.hits("/brief.docx")[-1].headers


def test_documents_are_listed_by_letter_date(da, tmp_path):
    for name, day in (("oud", "1 maart 2023"), ("nieuw", "2 mei 2025"), ("zonder", None)):
        letter = tmp_path / f"{name}.txt"
        dated = f"Den Haag, {day}\n\n" if day else ""
        letter.write_text(f"{dated}Het kabinet zal de Kamer informeren over {name}.\n", encoding="utf-8")
        da("add", letter, "--doc", name)
    assert [d["id"] for d in json.loads(da("docs", "--json").stdout)] == ["nieuw", "oud", "zonder"]
    header = da("docs").output.splitlines()[0]
    assert header.index("letter date") < header.index("last stored (UTC)")


def test_every_kind_of_source_has_one_object_the_run_asks():
    """The run has one loop: each source's kind says whether it needs OData, checks it and advances its state."""
    from docaudit.watch import kinds, sources

    assert set(kinds.KINDS) == set(sources.KINDS)
    url = sources.parse_source("https://example.org/brief.pdf", doc="brief")
    dossier_feed = sources.parse_source("tk:feed?dossier=36800-XV")
    assert not kinds.kind_of(url).needs_odata(url)
    assert kinds.kind_of(sources.parse_source("tk:2024D46963")).needs_odata(sources.parse_source("tk:2024D46963"))
    assert kinds.kind_of(dossier_feed).needs_odata(dossier_feed)  # its dossier's documents are looked up once
    dossier_feed.state["dossier_ids"] = ["x"]
    assert not kinds.kind_of(dossier_feed).needs_odata(dossier_feed)
    unreachable = kinds.check_source(url, kinds.CheckContext(fetcher=None))  # type: ignore[arg-type]
    assert unreachable.error and unreachable.items[0].outcome == "failed"  # a check never raises
