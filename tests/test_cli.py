from __future__ import annotations

import json
import subprocess
import sys

from docaudit.testing.repo import EXAMPLES, FIXTURES


def test_add_log_show_search_verify(da, tmp_path):
    r = da("add", EXAMPLES / "2024D46963_v1.docx", "--doc", "2024D46963", "--meta", "bron=tkconv")
    assert r.exit_code == 0, r.output
    assert "stored as 2024D46963@1 (docx" in r.output and "dated 2024-11-29" in r.output
    assert (tmp_path / "audit.db").exists() and list((tmp_path / "snapshots").glob("??/*.docx"))
    r = da("add", EXAMPLES / "2024D46963_v2.docx", "--doc", "2024D46963")
    assert "stored as 2024D46963@2" in r.output
    r = da("add", EXAMPLES / "2024D46963_v2.docx", "--doc", "2024D46963")
    assert "unchanged (same bytes), still version 2" in r.output and r.exit_code == 0

    r = da("log", "2024D46963")
    assert r.exit_code == 0 and "2024D46963_v1.docx" in r.output and "+74" in r.output
    log = json.loads(da("log", "2024D46963", "--json").output)
    assert [v["number"] for v in log] == [1, 2] and log[0]["meta"]["bron"] == "tkconv"
    assert log[1]["ref"] == "2024D46963@2" and "text" not in log[1]

    r = da("show", "2024D46963@-1")
    assert "lijkt het op dit moment aannemelijk" in r.output
    assert "niet aannemelijk" in da("show", "2024D46963").output
    assert "# kamerstuk: 32317-906" in da("show", "2024D46963@1", "--meta").output
    assert json.loads(da("show", "2024D46963@latest", "--json").output)["number"] == 2

    r = da("search", "niet aannemelijk")
    assert "2024D46963@2" in r.output and "[niet]" in r.output
    hits = json.loads(da("search", "aannemelijk", "--json").output)
    assert {h["ref"] for h in hits} == {"2024D46963@1", "2024D46963@2"}

    docs = json.loads(da("docs", "--json").output)
    assert docs[0]["id"] == "2024D46963" and docs[0]["versions"] == 2
    assert da("verify").output.strip() == "checked 2 versions: all ok"


def test_add_reports_bad_files_and_stores_the_good_ones(da, tmp_path):
    empty = tmp_path / "leeg.txt"
    empty.write_bytes(b"")
    garbage = tmp_path / "rommel.pdf"
    garbage.write_bytes(bytes(range(256)) * 20)
    truncated = tmp_path / "kapot.docx"
    truncated.write_bytes((FIXTURES / "2024D46963.docx").read_bytes()[:9000])
    r = da("add", empty, FIXTURES / "2024D46963.pdf", garbage, FIXTURES / "encrypted.pdf", truncated, "--doc", "d")
    assert r.exit_code == 1
    errors = [line for line in r.output.splitlines() if line.startswith("Error:")]
    assert errors == [
        f"Error: {empty}: empty file",
        f"Error: {garbage}: binary data, not a document docaudit can read",
        f"Error: {FIXTURES / 'encrypted.pdf'}: encrypted PDF: a password is needed to open it",
        f"Error: {truncated}: corrupt or truncated .docx (broken zip archive: File is not a zip file)",
    ]
    assert "Traceback" not in r.output
    assert "stored as d@1 (pdf" in r.output
    assert json.loads(da("docs", "--json").output)[0]["versions"] == 1


def test_max_size_option(da, tmp_path):
    r = da("add", FIXTURES / "2024D46963.pdf", "--doc", "d", "--max-size", "10KB")
    assert r.exit_code == 1
    assert f"Error: {FIXTURES / '2024D46963.pdf'}: file is 33.2 KB, over the 10.0 KB limit" in r.output.splitlines()[-1]
    assert r.output.startswith("note: created a new database at ")  # add in a wrong folder says so


def test_bad_options_and_missing_things(da):
    r = da("add", FIXTURES / "2024D46963.pdf", "--doc", "d", "--date", "29-11-2024")
    assert r.exit_code == 2 and "is not a date" in r.output
    r = da("add", FIXTURES / "2024D46963.pdf", "--doc", "d", "--meta", "geen-is-teken")
    assert r.exit_code == 2 and "expected key=value" in r.output
    r = da("docs")
    assert r.exit_code == 1 and "no database at audit.db" in r.output
    da("add", FIXTURES / "2024D46963.pdf", "--doc", "d")
    r = da("show", "d@5")
    assert r.exit_code == 1 and r.output.strip() == "Error: d has no version 5 (it has 1)"
    r = da("log", "e")
    assert r.exit_code == 1 and "no document 'e'" in r.output
    r = da("add", FIXTURES / "2024D46963.pdf", "--doc", "a@b")
    assert r.exit_code == 1 and "invalid document id" in r.output


def test_verify_fails_on_missing_snapshot(da, tmp_path):
    da("add", FIXTURES / "2024D46963.docx", "--doc", "d")
    next((tmp_path / "snapshots").glob("??/*.docx")).unlink()
    r = da("verify")
    assert r.exit_code == 1
    assert "MISSING  d@1" in r.output and "1 problem(s)" in r.output


def test_demo_from_a_fresh_folder_with_the_installed_command(tmp_path):
    """The README's first command, end to end in a subprocess."""
    proc = subprocess.run(
        [sys.executable, "-m", "docaudit", "demo"], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "audit.db").exists() and (tmp_path / "snapshots").is_dir()
    assert proc.stdout.count("stored as") == 12  # three letters in two versions, six constructed letters
    for doc in ("2024D46963", "2023Z08511", "nota-onderbouwing-standpunt"):
        assert f"{doc}: " in proc.stdout  # its history is shown
    index = tmp_path / "site" / "index.html"
    assert f"open site/index.html (file://{index})" in proc.stdout  # it ends by writing the report
    assert "Antwoorden op Kamervragen over encryptie" in index.read_text(encoding="utf-8")
    families = list((tmp_path / "site" / "phrases").glob("*.html"))
    assert len(families) >= 10  # the constructed letters re-use the real ones' formulations
    again = subprocess.run(
        [sys.executable, "-m", "docaudit", "demo"], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert again.stdout.count("already stored as") == 12


def test_every_listing_takes_format_and_json(da):
    da("demo")
    for args in (["docs"], ["log", "2024D46963"], ["search", "encryptie"], ["sources"], ["phrases"]):
        as_json = da(*args, "--json")
        assert as_json.exit_code == 0, (args, as_json.output)
        assert json.loads(as_json.stdout) == json.loads(da(*args, "--format", "json").stdout)
        csv_out = da(*args, "--format", "csv").stdout
        assert csv_out.splitlines()[0].count(",") >= 1, args
        md = da(*args, "--format", "markdown").stdout
        assert md.startswith("|") or md.startswith("#"), args
    clash = da("docs", "--json", "--format", "csv")
    assert clash.exit_code == 2 and "give one" in clash.output


def test_old_spellings_still_work_with_a_note(da):
    da("demo")
    old = da("phrases", "--csv")
    assert old.exit_code == 0 and "deprecated" in old.stderr and old.stdout == da("phrases", "--format", "csv").stdout
    old = da("trace", "Dat een Verordening nodig is", "--no-color")
    assert old.exit_code == 0 and "use --color never" in old.stderr


def test_color_means_the_same_everywhere(da):
    da("demo")
    for args in (["diff", "2024D46963"], ["phrases"], ["search", "encryptie"]):
        plain = da(*args, "--color", "never").stdout
        colored = da(*args, "--color", "always").stdout
        assert "\x1b[" not in plain and "\x1b[" in colored, args
        assert da(*args, "--color").stdout == colored, args  # --color alone: always


def test_the_demo_never_touches_a_users_audit(da, tmp_path):
    """Found by a new user: the demo in a folder with an audit added its letters as new versions of theirs."""
    letter = tmp_path / "mijn-brief.txt"
    letter.write_text("Den Haag, 1 mei 2025\n\nHet kabinet zal de Kamer informeren.\n", encoding="utf-8")
    assert da("add", letter, "--doc", "2024D46963").exit_code == 0  # the user's own letter, a demo id even
    before = (tmp_path / "audit.db").read_bytes()
    r = da("demo")
    assert r.exit_code == 1 and "holds your own audit (2024D46963)" in r.output and "mkdir docaudit-demo" in r.output
    assert not (tmp_path / "site").exists() and "stored as" not in r.output
    assert len(json.loads(da("log", "2024D46963", "--json").stdout)) == 1
    assert (tmp_path / "audit.db").read_bytes() == before


def test_the_demo_leaves_a_site_folder_it_did_not_write_alone(da, tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("<p>mijn eigen site</p>", encoding="utf-8")
    r = da("demo")
    assert r.exit_code == 1 and "site/ already holds something" in r.output
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "<p>mijn eigen site</p>"


def test_errors_point_the_right_way(da, tmp_path):
    letter = tmp_path / "brief.txt"
    letter.write_text("Het kabinet zal de Kamer informeren.\n", encoding="utf-8")
    da("add", letter, "--doc", "brief")
    r = da("show", "brief@0")
    assert r.exit_code == 1 and "versions count from 1" in r.output
    r = da("diff", "brief@1")
    assert r.exit_code == 2 and "brief@1 is one version" in r.output and "did you mean" not in r.output
    r = da("diff", "typo.txt", "other.txt")
    assert r.exit_code == 2 and "typo.txt: no such file" in r.output
    assert json.loads(da("docs", "--db", tmp_path / "audit.db", "--json").stdout)[0]["id"] == "brief"
    assert da("log", "brief", "--db=audit.db").exit_code == 0
    r = da("--db", tmp_path / "elders.db", "docs")
    assert r.exit_code == 1 and "docaudit add FILE --doc ID" in r.output and "demo" not in r.output


def test_every_command_has_examples_and_answers_to_h_and_help(da):
    import click

    from docaudit.cli.main import cli

    ctx = click.Context(cli)
    for name in cli.list_commands(ctx):
        short, long = da(name, "-h"), da("help", name)
        assert short.exit_code == 0 and long.exit_code == 0, name
        assert "Examples:" in short.output and short.output == long.output, name
    run = da("help", "run").output
    from docaudit.testing.repo import ROOT

    page = (ROOT / "docs" / "watching.md").read_text(encoding="utf-8")
    line = page.split("<!-- cron:start -->")[1].split("<!-- cron:end -->")[0].strip().splitlines()[-1]
    assert "15 6 * * *" in run and line.split("*")[-1].strip() in run  # one cron recipe everywhere
    assert "Examples:" in da("help", "tk", "check").output
    wrong = da("help", "nope")
    assert wrong.exit_code == 2 and "no command 'nope'" in wrong.output


def test_small_things_speak_the_users_language(da, tmp_path):
    (tmp_path / "a.txt").write_text("Het kabinet zal dit doen.\n", encoding="utf-8")
    r = da("run", "--timeout", "30s", "--allow-empty")
    assert r.exit_code == 0
    for bad, said in (("-1", "out of range (0.1 to 3600 s)"), ("abc", "is not a duration")):
        r = da("run", "--timeout", bad)
        assert r.exit_code == 2 and said in r.output
    da("add", "a.txt", "--doc", "a")
    r = da("edit", "a", "--date", "2025-12-01")
    assert "None" not in r.output and "(none) → '2025-12-01'" in r.output
    r = da("search", "kabinet AND")
    assert r.exit_code != 0 and "AND has nothing to join" in r.output and 'write "and" in quotes' in r.output
    assert da("search", "kabinet AND doen").exit_code == 0


def test_letters_are_found_by_the_numbers_people_use_and_get_their_real_title(da, tmp_path):
    page = FIXTURES / "letters" / "2024D46963_v2_tkconv_page.txt"
    (tmp_path / "opgeslagen-pagina.txt").write_bytes(page.read_bytes())
    da("add", "opgeslagen-pagina.txt", "--doc", "opgeslagen-pagina")
    docs = da("docs").output
    assert "2024D46963" in docs and "32317-906" in docs and "[overzicht]" not in docs
    assert "Ontwikkelingen CSAM-Verordening" in docs
    for alias in ("2024D46963", "2024d46963", "32317-906", "kst-32317-906", "2024Z19846"):
        assert da("log", alias).exit_code == 0, alias
        assert da("show", f"{alias}@1", "--json").exit_code == 0, alias
    da("add", "opgeslagen-pagina.txt", "--doc", "kopie")
    r = da("show", "2024D46963")
    assert r.exit_code != 0 and "names several documents: kopie, opgeslagen-pagina" in r.output
