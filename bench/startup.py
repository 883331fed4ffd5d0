"""Start-up cost of the command line, against the bare cost of click in the same run.

* import: ``python -X importtime -c "import docaudit.cli.main"``, the cumulative microseconds of ``docaudit.cli.main``
  against those of ``click`` in the same process (what docaudit adds on top of its CLI library);
* process: the whole ``docaudit --help`` process, and ``docaudit diff a.txt b.txt`` on two small text
  files, against ``python -c "import click"``, run in turn (A B A B …) so that drift hits both; medians.

Target (issue 13): ``docaudit --help`` ≤ 1.3× ``python -c "import click"``.

    python bench/startup.py [--runs 30] [--write bench/RESULTS.md]
"""

from __future__ import annotations

import argparse
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from results import publish  # bench/ is on sys.path when its scripts run

PY = sys.executable
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

    imports = [importtime("docaudit.cli.main") for _ in range(max(5, args.runs // 3))]
    cli_us = statistics.median(i["docaudit.cli.main"] for i in imports)
    click_us = statistics.median(i["click"] for i in imports)

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "a.txt").write_text("Het kabinet zal de Kamer voor de zomer informeren.\n", encoding="utf-8")
        (folder / "b.txt").write_text("Het kabinet zal de Kamer na de zomer informeren.\n", encoding="utf-8")
        commands = {
            "python -c 'import click'": [PY, "-c", "import click"],
            "docaudit --help": [*SCRIPT, "--help"],
            "docaudit diff a.txt b.txt": [*SCRIPT, "diff", "a.txt", "b.txt"],
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
