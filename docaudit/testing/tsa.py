"""A real RFC 3161 time-stamping authority on 127.0.0.1 for tests: OpenSSL's ``ts -reply`` behind the local
HTTP server, with a root CA and a TSA certificate made for the occasion.

    with LocalTSA(tmp_path) as tsa:
        tsa.url          # POST a TimeStampReq (application/timestamp-query) here
        tsa.ca_file      # the root certificate (PEM) to verify its tokens with, offline
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from .localserver import LocalServer, Reply, Request

_CONFIG = """
[ tsa ]
default_tsa = tsa_config

[ tsa_config ]
dir = {dir}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
other_policies = 1.2.3.4.5
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


def make_tsa_files(folder: Path) -> None:
    """A root CA and a TSA certificate (extended key usage: timeStamping, critical) signed by it."""
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "3650",
             "-subj", "/CN=docaudit test root", "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=folder)  # fmt: skip
    _openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "tsa.key", "-out", "tsa.csr",
             "-subj", "/CN=docaudit test TSA", cwd=folder)  # fmt: skip
    (folder / "tsa.ext").write_text(
        "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=critical,timeStamping\n",
        encoding="utf-8",
    )
    _openssl("x509", "-req", "-in", "tsa.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
             "-out", "tsa.pem", "-days", "3650", "-extfile", "tsa.ext", cwd=folder)  # fmt: skip
    (folder / "serial").write_text("01\n", encoding="utf-8")
    (folder / "tsa.cnf").write_text(_CONFIG.format(dir=folder), encoding="utf-8")


class LocalTSA:
    """A time-stamping authority answering on the local HTTP server (see the module docstring)."""

    def __init__(self, folder: Path | None = None) -> None:
        self._tmp = None if folder else tempfile.TemporaryDirectory()
        self.folder = Path(folder or self._tmp.name)  # type: ignore[union-attr]
        self.folder.mkdir(parents=True, exist_ok=True)
        if not shutil.which("openssl"):
            raise RuntimeError("the local TSA needs the openssl command")
        make_tsa_files(self.folder)
        self.ca_file = self.folder / "ca.pem"
        self.server = LocalServer()
        self.server.route("/tsa", self._reply)
        self.url = self.server.url("/tsa")
        self.answered = 0

    def _reply(self, request: Request) -> Reply:
        with tempfile.TemporaryDirectory() as tmp:
            query, reply = Path(tmp) / "q.tsq", Path(tmp) / "r.tsr"
            query.write_bytes(request.body)
            done = subprocess.run(
                ["openssl", "ts", "-reply", "-config", str(self.folder / "tsa.cnf"), "-queryfile", str(query),
                 "-out", str(reply)],
                capture_output=True, timeout=60, cwd=self.folder,
            )  # fmt: skip
            if done.returncode != 0:
                return Reply(status=400, body=done.stderr)
            self.answered += 1
            return Reply(body=reply.read_bytes(), content_type="application/timestamp-reply")

    def close(self) -> None:
        self.server.close()
        if self._tmp is not None:
            self._tmp.cleanup()

    def __enter__(self) -> LocalTSA:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
