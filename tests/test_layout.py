"""The house rules that keep the code and its docs in step: the import graph, the generated reference,
the public API and start-up cost."""

from __future__ import annotations

import subprocess
import sys

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
    upward = {**edges, "docaudit.store": edges["docaudit.store"] | {"docaudit.phrases.index"}}
    found = ci.problems(upward)
    assert any("docaudit.store (storage) imports docaudit.phrases.index (phrases)" in p for p in found)
    assert any(p.startswith("import cycle:") and "docaudit.store" in p for p in found)


def test_generated_docs_are_up_to_date():
    result = _script("scripts/gen_docs.py", "--check")
    assert result.returncode == 0, result.stderr


def test_the_store_imports_nothing_above_storage():
    result = _script(
        "-c",
        "import sys, docaudit.store; "
        "print(sorted(m for m in sys.modules if m.startswith(('docaudit.phrases', 'docaudit.diff', "
        "'docaudit.watch', 'docaudit.report', 'docaudit.extract'))))",
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
        "import sys; from docaudit.cli import cli\n"
        "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('docaudit')))",
    )
    loaded = result.stdout.strip().splitlines()[-1]
    for heavy in (
        "docaudit.report",
        "docaudit.watch",
        "docaudit.phrases",
        "docaudit.store",
        "docaudit.diff",
        "jinja2",
        "httpx",
    ):
        assert f"'{heavy}" not in loaded, (heavy, loaded)


def test_diff_of_two_text_files_does_not_load_the_report_or_the_network(tmp_path):
    (tmp_path / "a.txt").write_text("Het kabinet zal dit doen.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Het kabinet zal dit niet doen.\n", encoding="utf-8")
    code = (
        "import sys\nfrom docaudit.cli import cli\n"
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

    from docaudit.cli import LAZY_COMMANDS

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
