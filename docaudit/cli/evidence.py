"""``docaudit seal`` and ``docaudit evidence`` (thin wrappers over :mod:`.seal` and :mod:`.pack`)."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import ExitCode
from .options import RESULT, output_options
from .output import write_json


def _authority(obj, tsa: str | None, tsa_cert: str | None) -> tuple[str | None, str | None]:
    """The time-stamping authority: the options, else ``[evidence]`` of the watch folder's docaudit.toml."""
    if tsa or tsa_cert:
        return tsa, tsa_cert
    from ..watch.config import find_config, load_config

    found = find_config(obj.db)
    if found is None:
        return None, None
    watchlist = load_config(found)
    return watchlist.tsa, str(watchlist.tsa_cert) if watchlist.tsa_cert else None


@click.command("seal")
@click.option("--tsa", metavar="URL", help="RFC 3161 time-stamping authority [default: [evidence] tsa].")
@click.option("--tsa-cert", type=click.Path(dir_okay=False), help="Its root certificate (PEM), to check the token.")
@output_options(RESULT)
@click.pass_obj
def seal_cmd(obj, tsa: str | None, tsa_cert: str | None, fmt: str) -> None:
    """Record the head of the hash chain as a seal; with a time-stamping authority, fix it in time.

    Every version, fetch record and edit is a link in the chain; a seal says "the history was this, then".
    With --tsa (or [evidence] tsa in docaudit.toml) the authority's token over the head is kept, and
    `docaudit verify` checks it offline against --tsa-cert. `docaudit run` seals by itself after storing
    something when [evidence] seal = true.
    """
    from ..evidence.seal import seal

    tsa, tsa_cert = _authority(obj, tsa, tsa_cert)
    with obj.store() as store:
        made = seal(store, tsa=tsa, tsa_cert=tsa_cert)
    if fmt == "json":
        write_json(made.to_dict())
        return
    click.echo(made.message())


@click.command("evidence")
@click.argument("refs", nargs=-1)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the pack here [default: DOC@N-M.zip].")
@click.option("--verify", "verify_path", type=click.Path(dir_okay=False), help="Check a pack instead of writing one.")
@click.option("--tsa", metavar="URL", help="Also time-stamp the pack's SHA256SUMS [default: [evidence] tsa].")
@click.option("--tsa-cert", type=click.Path(dir_okay=False), help="Root certificate to trust when verifying.")
@output_options(RESULT)
@click.pass_obj
def evidence_cmd(obj, refs, output, verify_path, tsa, tsa_cert, fmt: str) -> ExitCode | None:
    """Write an evidence pack for DOC@N (and DOC@M), or check one with --verify.

    The pack holds both raw snapshots, their fetch records, the hash chain from each version to the seal
    that covers it, the seal's time-stamp token and the authority's certificate, the diff as HTML and
    JSON, and VERIFY.md: how anyone checks it with sha256sum and openssl alone. --verify runs those
    checks and exits 1 when one fails: any byte changed in the pack fails.
    """
    from ..evidence.pack import build_pack, verify_pack

    if verify_path:
        if refs:
            raise click.UsageError("give either versions to pack or --verify PACK, not both")
        check = verify_pack(verify_path, root_pem=tsa_cert)
        if fmt == "json":
            write_json(check.to_dict())
        else:
            for line in check.holds:
                click.echo(f"holds  {line}")
            for line in check.missing:
                click.echo(f"MISSING  {line}")
            for line in check.fails:
                click.echo(f"FAILS  {line}", err=True)
            if not check.ok:
                click.echo(f"{verify_path}: {len(check.fails)} check(s) failed")
            elif check.sealed_at:
                click.echo(f"{verify_path}: the pack holds, time-stamped at {check.sealed_at}")
            else:
                click.echo(f"{verify_path}: the pack holds, chained but not time-stamped")
        return ExitCode.OK if check.ok else ExitCode.PROBLEM
    if not 1 <= len(refs) <= 2:
        raise click.UsageError("give one or two versions: docaudit evidence DOC@1 DOC@2 -o pack.zip")
    tsa, _ = _authority(obj, tsa, None)
    out = Path(output or f"{refs[0].replace('/', '_')}{'-' + refs[1].split('@')[-1] if len(refs) == 2 else ''}.zip")
    with obj.store() as store:
        manifest = build_pack(store, refs[0], refs[1] if len(refs) == 2 else None, out, tsa=tsa)
    if fmt == "json":
        write_json({"path": str(out), **manifest})
        return
    sealed = manifest["seal"]
    if sealed and sealed.get("tsa_time"):
        when = f"time-stamped by {sealed['tsa']} at {sealed['tsa_time']}"
    elif sealed:
        when = f"chained and sealed {sealed['at']}, not time-stamped (docaudit seal --tsa URL)"
    else:
        when = "chained, not sealed yet (docaudit seal --tsa URL)"
    click.echo(f"wrote {out}: {', '.join(v['ref'] for v in manifest['versions'])}, links "
               f"{manifest['chain']['from']}–{manifest['chain']['to']}, {when}")  # fmt: skip
