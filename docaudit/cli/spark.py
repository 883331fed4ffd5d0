"""``docaudit export``: the database as Parquet, for Spark and other engines (a thin wrapper)."""

from __future__ import annotations

import click

from .output import write_json


@click.command("export")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--format", "fmt_out", type=click.Choice(["parquet"]), default="parquet", show_default=True,
              help="What to write (only Parquet so far).")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Say what was written as JSON.")
@click.pass_obj
def export_cmd(obj, folder: str, fmt_out: str, as_json: bool) -> None:
    """Write documents, versions (texts included) and the phrase tables as Parquet under FOLDER.

    A cluster reads it (python -m docaudit.spark.phrases --input FOLDER --output OUT), and
    `docaudit index --from OUT` loads the phrase tables it computed back into audit.db. (--format
    names what is written here, so the result is asked for with --json alone.)
    """
    from ..spark.parquet import export

    with obj.store() as store:
        counts = export(store, folder)
    if as_json:
        write_json({"folder": folder, "tables": counts})
        return
    click.echo(f"wrote {folder}: " + ", ".join(f"{name} {n}" for name, n in counts.items()))
