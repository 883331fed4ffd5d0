"""The house rules that keep the code and its docs in step: the import graph, the generated reference,
the public API and start-up cost."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import docaudit
from docaudit.testing.repo import ROOT


def _script(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_import_graph_has_no_cycle_and_no_import_back_up_a_floor():
    result = _script("scripts/check_imports.py")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_import_check_catches_an_upward_import_and_a_cycle():
    import importlib.util

    spec = importlib.util.spec_from_file_location("check_imports", ROOT / "scripts" / "check_imports.py")
    ci = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ci)
    edges = ci.graph()
    assert ci.problems(edges) == []
    upward = {**edges, "docaudit.store.database": edges["docaudit.store.database"] | {"docaudit.phrases.index"}}
    found = ci.problems(upward)
    assert any("docaudit.store.database (storage) imports docaudit.phrases.index (phrases)" in p for p in found)
    assert any(p.startswith("import cycle:") and "docaudit.store.database" in p for p in found)


def test_generated_docs_are_up_to_date():
    result = _script("scripts/gen_docs.py", "--check")
    assert result.returncode == 0, result.stderr


def test_the_store_imports_nothing_above_storage():
    result = _script(
        "-c",
        "import sys, docaudit.store.database; "
        "print(sorted(m for m in sys.modules if m.startswith(('docaudit.phrases', 'docaudit.diff', "
        "'docaudit.watch', 'docaudit.report', 'docaudit.read.extract'))))",
    )
    assert result.stdout.strip() == "[]", result.stdout + result.stderr


def test_public_api_names_resolve_and_are_documented():
    assert sorted(docaudit.__all__) == sorted(["__version__", *docaudit._EXPORTS])
    for name in docaudit.__all__:
        value = getattr(docaudit, name)
        assert value is not None
        if name != "__version__":
            assert (value.__doc__ or "").strip(), f"{name} has no docstring"


def test_help_loads_only_the_command_line():
    """`docaudit --help` and `docaudit diff a b` import no more than they use."""
    result = _script(
        "-c",
        "import sys; from docaudit.cli.main import cli\n"
        "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('docaudit')))",
    )
    loaded = result.stdout.strip().splitlines()[-1]
    for heavy in (
        "docaudit.report",
        "docaudit.watch",
        "docaudit.phrases",
        "docaudit.store.database",
        "docaudit.diff",
        "jinja2",
        "httpx",
    ):
        assert f"'{heavy}" not in loaded, (heavy, loaded)


def test_diff_of_two_text_files_does_not_load_the_report_or_the_network(tmp_path):
    (tmp_path / "a.txt").write_text("Het kabinet zal dit doen.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Het kabinet zal dit niet doen.\n", encoding="utf-8")
    code = (
        "import sys\nfrom docaudit.cli.main import cli\n"
        "try:\n    cli(['diff', 'a.txt', 'b.txt'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith(('docaudit', 'httpx', 'jinja2', 'apprise'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    loaded = result.stdout.strip().splitlines()[-1]
    assert "negation" in result.stdout
    for heavy in ("docaudit.report.build", "docaudit.watch.run", "docaudit.phrases.index", "httpx", "jinja2"):
        assert f"'{heavy}" not in loaded, (heavy, loaded)


def test_lazy_command_summaries_are_the_commands_own():
    """`docaudit --help` lists commands of other packages without importing them; what it says of each
    must be the command's own first sentence."""
    import importlib

    from docaudit.cli.main import LAZY_COMMANDS

    for name, (module, attribute, summary) in LAZY_COMMANDS.items():
        command = getattr(importlib.import_module(module), attribute)
        assert command.get_short_help_str(10_000) == summary, name
        assert command.name == name


def test_every_relative_link_in_readme_and_docs_resolves():
    """A link in README.md or docs/*.md to a file of the repository points at a file that exists."""
    import re

    from docaudit.testing.repo import ROOT

    broken = []
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = page.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)\s]+)\)|<img [^>]*src=\"([^\"]+)\"", text):
            target = next(t for t in target if t) if isinstance(target, tuple) else target
            if re.match(r"^[a-z][a-z+.-]*:", target) or target.startswith("#"):
                continue
            path = target.split("#", 1)[0]
            if path and not (page.parent / path).exists():
                broken.append(f"{page.relative_to(ROOT)}: {target}")
    assert not broken, broken


def test_the_top_of_the_package_holds_at_most_six_loose_modules():
    """Stages are packages; the top of ``docaudit/`` keeps the face, the entry point and the ground floor."""
    loose = sorted(p.name for p in (ROOT / "docaudit").glob("*.py"))
    assert len(loose) <= 6, loose


def test_a_moved_module_still_imports_under_its_old_name_with_a_warning():
    result = _script(
        "-W",
        "always::DeprecationWarning",
        "-c",
        "import docaudit.normalize as old, docaudit.text.normalize as new\n"
        "from docaudit.extract import docx\n"
        "import docaudit.read.extract.docx as docx_new\n"
        "from docaudit.watch.cli import run_cmd\n"
        "print(old is new, docx is docx_new, run_cmd.name)",
    )
    assert result.stdout.strip() == "True True run", result.stdout + result.stderr
    assert "docaudit.normalize moved to docaudit.text.normalize" in result.stderr
    assert "docaudit.watch.cli moved to docaudit.cli.watch" in result.stderr
    for old, new in docaudit.MOVED.items():
        assert docaudit.moved_to(old) == new
        where = ROOT / Path(*new.split("."))
        assert where.with_suffix(".py").exists() or where.is_dir(), new


def test_commands_exit_in_one_place_with_the_listed_codes():
    """Commands return an ExitCode; the group exits with it. No command calls sys.exit or raises SystemExit."""
    import ast

    places = []
    for path in sorted((ROOT / "docaudit").rglob("*.py")):
        if "testing" in path.parts:  # the fixture builders are scripts' helpers, not commands
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            called = node.func if isinstance(node, ast.Call) else None
            name = ast.unparse(called) if called is not None else ""
            if name in ("sys.exit", "exit", "ctx.exit", "SystemExit", "click.exceptions.Exit"):
                places.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert len(places) <= 3, places
    assert places == ["docaudit/cli/main.py:" + places[0].rsplit(":", 1)[1]], places


def test_the_architecture_page_names_every_package_and_loose_module():
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for path in sorted((ROOT / "docaudit").iterdir()):
        if path.is_dir() and (path / "__init__.py").exists():
            assert f"`{path.name}/`" in page, path.name
        elif path.suffix == ".py":
            assert f"`{path.stem}`" in page, path.stem
