"""Every JSON output of the CLI, produced for real, validated against its schema in docs/schemas/."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from docaudit.testing.cli import invoker
from docaudit.testing.localserver import Reply
from docaudit.testing.repo import EXAMPLES, FIXTURES, ROOT

SCHEMAS = ROOT / "docs" / "schemas"


def _registry() -> Registry:
    resources = []
    for path in SCHEMAS.glob("*.schema.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resources.append((schema["$id"], Resource.from_contents(schema)))
    return Registry().with_resources(resources)


REGISTRY = _registry()


def errors(name: str, value) -> list[str]:
    """Every way ``value`` breaks the schema ``name`` (empty when it conforms)."""
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    validator = Draft202012Validator(schema, registry=REGISTRY)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(value)]


def lines(output: str) -> list:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """A folder where `docaudit demo` ran: a store with documents, versions, formulations and a report."""
    folder = tmp_path_factory.mktemp("demo")
    here = os.getcwd()
    os.chdir(folder)
    try:
        result = invoker()("demo")
        assert result.exit_code == 0, result.output
    finally:
        os.chdir(here)
    return folder


@pytest.fixture
def cli(demo):
    return invoker("--db", demo / "audit.db")


def test_every_schema_is_a_valid_schema_and_is_used_here():
    names = {p.name.removesuffix(".schema.json") for p in SCHEMAS.glob("*.schema.json")}
    for name in names:
        Draft202012Validator.check_schema(json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8")))
    source = Path(__file__).read_text(encoding="utf-8")
    unused = {n for n in names if f'"{n}"' not in source and n != "version"}
    assert not unused, f"schemas no test validates: {unused}"


def test_a_schema_rejects_what_breaks_the_contract():
    """The checks can fail: a wrong type, a missing key and an unknown key are each caught."""
    good = {"file": "a.txt", "status": "stored", "doc": "d", "version": 1, "reason": None}
    assert errors("add", good) == []
    assert errors("add", {**good, "version": "1"})
    assert errors("add", {k: v for k, v in good.items() if k != "doc"})
    assert errors("add", {**good, "extra": 1})


def test_add(tmp_path):
    da = invoker("--db", tmp_path / "audit.db")
    bad = tmp_path / "leeg.txt"
    bad.write_bytes(b"")
    letter = EXAMPLES / "nota-onderbouwing-standpunt_v1.md"
    out = lines(da("add", letter, letter, bad, "--doc", "nota", "--json").stdout)
    assert [o["status"] for o in out] == ["stored", "unchanged", "error"]
    for record in out:
        assert errors("add", record) == []


def test_docs_log_show_search_verify(cli):
    for name, args in [
        ("docs", ["docs", "--json"]),
        ("docs", ["docs", "--format", "json"]),
        ("log", ["log", "2024D46963", "--json"]),
        ("log", ["log", "2024D46963", "--json", "--text"]),
        ("show", ["show", "2023Z08511@1", "--json"]),
        ("search", ["search", "end-to-end", "--json"]),
        ("verify", ["verify", "--json"]),
    ]:
        result = cli(*args)
        assert result.exit_code == 0, result.output
        value = json.loads(result.stdout)
        assert value, args
        assert errors(name, value) == [], args


def test_import_lines_are_add_records(tmp_path):
    da = invoker("--db", tmp_path / "audit.db")
    bad = tmp_path / "leeg.txt"
    bad.write_bytes(b"")
    out = lines(da("import", EXAMPLES / "nota-onderbouwing-standpunt_v1.md", bad, "--json").stdout)
    assert [o["status"] for o in out] == ["stored", "error"]
    for record in out:
        assert errors("add", record) == []


def test_edit(tmp_path):
    da = invoker("--db", tmp_path / "audit.db")
    da("add", EXAMPLES / "nota-onderbouwing-standpunt_v1.md", "--doc", "nota")
    made = json.loads(da("edit", "nota", "--title", "Nota", "--date", "2023-01-02", "--json").stdout)
    history = json.loads(da("edit", "nota", "--history", "--json").stdout)
    assert len(made) == 2 and history == made
    assert errors("edit", history) == []


def test_verify_reports_problems_in_its_schema(tmp_path):
    da = invoker("--db", tmp_path / "audit.db")
    da("add", EXAMPLES / "nota-onderbouwing-standpunt_v1.md", "--doc", "nota")
    for snapshot in (tmp_path / "snapshots").rglob("*.txt"):
        snapshot.write_text("changed", encoding="utf-8")
    result = da("verify", "--json")
    value = json.loads(result.stdout)
    assert result.exit_code == 1 and not value["ok"] and value["altered"]
    assert errors("verify", value) == []


@pytest.mark.parametrize("mode", ["semantic", "line", "word"])
def test_diff_of_versions_and_of_files(cli, mode):
    result = cli("diff", "2024D46963", "--format", "json", "--mode", mode)
    value = json.loads(result.stdout)
    assert result.exit_code == 1 and value["mode"] == mode and value["substantive"]
    assert errors("diff", value) == []
    files = cli("diff", FIXTURES / "2024D46963.docx", FIXTURES / "diffset" / "2024D46963_edited.docx", "--json")
    assert errors("diff", json.loads(files.stdout)) == []


def test_changes(cli):
    value = json.loads(cli("changes", "--json", "--since", "2000-01-01").stdout)
    assert value and errors("changes", value) == []


def test_export(cli, tmp_path):
    pytest.importorskip("pyarrow")
    value = json.loads(cli("export", tmp_path / "parquet", "--json").stdout)
    assert value["tables"]["versions"] >= 6 and errors("export", value) == []


def test_seal_and_evidence(cli, tmp_path):
    sealed = json.loads(cli("seal", "--json").stdout)
    assert sealed["seq"] >= 1 and errors("seal", sealed) == []
    pack = tmp_path / "pack.zip"
    made = json.loads(cli("evidence", "2024D46963@1", "2024D46963@2", "-o", pack, "--json").stdout)
    assert made["seal"] and errors("evidence", made) == []
    checked = json.loads(cli("evidence", "--verify", pack, "--json").stdout)
    assert checked["ok"] and errors("evidence-check", checked) == []


def test_commitments(cli):
    value = json.loads(cli("commitments", "--json").stdout)
    assert value and errors("commitments", value) == []
    assert {r["status"] for r in value} and all(r["history"][0]["event"] == "made" for r in value)


def test_phrases_and_trace(cli):
    phrases = json.loads(cli("phrases", "--json", "--limit", "0").stdout)
    assert phrases["families"] and errors("phrases", phrases) == []
    trace = json.loads(cli("trace", "Dat een Verordening nodig is", "--json").stdout)
    assert len(trace) >= 2 and errors("trace", trace) == []


def test_index_and_report(cli, demo, tmp_path):
    index = json.loads(cli("index", "--json").stdout)
    assert index["distinct_sentences"] > 0 and errors("index", index) == []
    report = json.loads(cli("report", "-o", tmp_path / "site", "--json").stdout)
    assert report["ok"] and report["documents"] == 9 and errors("report", report) == []


def test_sources_and_run(tmp_path, server):
    da = invoker("--db", tmp_path / "audit.db")
    server.route("/brief.docx", Reply(body=(FIXTURES / "2024D46963.docx").read_bytes(), etag='"v1"'))
    server.route("/weg.pdf", Reply(status=404))
    da("track", server.url("/brief.docx"), "--doc", "brief")
    da("track", server.url("/weg.pdf"))
    da("track", "tk:feed?soort=Brief regering", "--doc", "brieven")
    da("untrack", "brieven")
    run = lines(da("run", "--json").stdout)
    assert sorted((o["doc"], o["outcome"]) for o in run) == [("brief", "new"), ("weg", "failed")]
    for outcome in run:
        assert errors("run", outcome) == []
    sources = json.loads(da("sources", "--json", "--all").stdout)
    assert len(sources) == 3 and errors("sources", sources) == []
    assert {s["kind"] for s in sources} == {"url", "tk-feed"}


def test_tk_check(tmp_path, server):
    from docaudit.testing.tkapi import FakeTK

    tk = FakeTK(server, version="v5", api_stamp=False)
    tk.publish("2024D46963", (FIXTURES / "2024D46963.docx").read_bytes(), fmt="docx", onderwerp="X", datum="2024-11-29")
    tk.settle()
    da = invoker("--db", tmp_path / "audit.db")
    da("track", "tk:2024D46963")
    da("track", "tk:feed")
    for api in (tk.api, tk.old_api, server.url("/nothing")):
        report = json.loads(da("tk", "check", "--json", "--api", api, "--feed", tk.feed).stdout)
        assert errors("tk-check", report) == [], api
