"""Start-up cost of the command line, against the bare cost of click in the same run.

* import: ``python -X importtime -c "import docaudit.cli.main"``, the cumulative microseconds of ``docaudit.cli.main``
  against those of ``click`` in the same process (what docaudit adds on top of its CLI library);
* process: the whole ``docaudit --help`` process, and ``docaudit diff a.txt b.txt`` on two small text
  files and on two pairs of real letters (~12 KB each, 17 and 56 changes), against
  ``python -c "import click"``, run in turn (A B A B …) so that drift hits both; medians.

Targets: ``docaudit --help`` ≤ 1.3× (issue 13) and ``diff a.txt b.txt`` ≤ 3× (issue 30) ``python -c "import click"``.
Byte code is written and compiled first, as for an installed docaudit.

    python bench/startup.py [--runs 30] [--write bench/RESULTS.md]
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from results import publish  # bench/ is on sys.path when its scripts run

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
# two letters of ~12 KB and what differs between them (tests/fixtures/letters): an everyday diff, and a heavy one
LETTERS = {
    "tkconv": ("2024D46963.txt", "2024D46963_v2_tkconv_page.txt"),
    "kamervragen": ("2023Z08511.txt", "2023-08-22_antwoorden_kamervragen_2023Z08511.txt"),
}
SAID = {"tkconv": "two 12 KB letters, 17 changes", "kamervragen": "12 and 14 KB letters, 56 changes"}
# the console script a user runs (python -m docaudit when it is not installed next to this interpreter)
SCRIPT = [str(Path(PY).parent / "docaudit")] if (Path(PY).parent / "docaudit").exists() else [PY, "-m", "docaudit"]


def importtime(module: str) -> dict[str, int]:
    """Cumulative import microseconds per module, from ``-X importtime``."""
    proc = subprocess.run([PY, "-X", "importtime", "-c", f"import {module}"], capture_output=True, text=True)
    out: dict[str, int] = {}
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+\d+ \|\s+(\d+) \|(\s*)(\S+)", line)
        if m:
            out[m.group(3)] = int(m.group(1))
    return out


def wall(cmd: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="runs of each command (after one warm-up)")
    parser.add_argument("--write", type=Path, help="replace this benchmark's section of a results file")
    args = parser.parse_args(argv)

    # as an installed docaudit runs: byte code written (PYTHONDONTWRITEBYTECODE would compile every edited
    # module anew on each run) and up to date before the first timed run
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "docaudit")], check=True, stdout=subprocess.DEVNULL)
    imports = [importtime("docaudit.cli.main") for _ in range(max(5, args.runs // 3))]
    cli_us = statistics.median(i["docaudit.cli.main"] for i in imports)
    click_us = statistics.median(i["click"] for i in imports)

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "a.txt").write_text("Het kabinet zal de Kamer voor de zomer informeren.\n", encoding="utf-8")
        (folder / "b.txt").write_text("Het kabinet zal de Kamer na de zomer informeren.\n", encoding="utf-8")
        for name, (old, new) in LETTERS.items():
            for side, source in (("a", old), ("b", new)):
                letter = ROOT / "tests" / "fixtures" / "letters" / source
                (folder / f"{name}-{side}.txt").write_bytes(letter.read_bytes())
        commands = {
            "python -c 'import click'": [PY, "-c", "import click"],
            "docaudit --help": [*SCRIPT, "--help"],
            "docaudit diff a.txt b.txt": [*SCRIPT, "diff", "a.txt", "b.txt"],
            **{
                f"docaudit diff a.txt b.txt ({said})": [*SCRIPT, "diff", f"{name}-a.txt", f"{name}-b.txt"]
                for name, said in SAID.items()
            },
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        for cmd in commands.values():  # warm-up: the file cache, .pyc files
            wall(cmd, folder)
        for _ in range(args.runs):
            for name, cmd in commands.items():
                times[name].append(wall(cmd, folder))
    base = statistics.median(times["python -c 'import click'"])
    rows = [
        f"| import (-X importtime, cumulative) | `import docaudit.cli.main` | {cli_us / 1000:.1f} | "
        f"{cli_us / click_us:.2f} × `import click` ({click_us / 1000:.1f} ms) |",
    ]
    for name, values in times.items():
        median = statistics.median(values)
        rows.append(f"| process (wall, median of {args.runs}) | `{name}` | {median * 1000:.1f} | {median / base:.2f} |")
    table = "\n".join(
        [
            f"Start-up benchmark: {args.runs} runs each, interleaved, Python {platform.python_version()}, "
            f"{platform.machine()}; baseline: the same interpreter importing click.",
            "",
            "| what | command | ms | × baseline |",
            "|---|---|---|---|",
            *rows,
        ]
    )
    publish(table, args.write, "startup (bench/startup.py)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
