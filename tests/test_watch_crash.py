"""Unattended-run safety with real processes: overlapping cron runs, and a run killed with SIGKILL."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

from docaudit.store.database import Store
from docaudit.testing.localserver import Reply
from docaudit.testing.repo import fixture_bytes

V1 = fixture_bytes("2024D46963.docx")
PDF = fixture_bytes("2023Z08511.pdf")


def docaudit(tmp_path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "docaudit", *args],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(predicate, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.05)


def query(tmp_path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(tmp_path / "audit.db", timeout=10)
    try:
        return conn.execute(sql).fetchall()
    except sqlite3.OperationalError:
        return []
    finally:
        conn.close()


def test_a_second_run_waits_then_gives_up_cleanly(tmp_path, server):
    server.route("/slow.docx", Reply(body=V1, delay=2.5))
    assert docaudit(tmp_path, "track", server.url("/slow.docx"), "--doc", "brief").wait() == 0
    first = docaudit(tmp_path, "run")
    wait_for(lambda: server.hits("/slow.docx"))  # the first run is mid-fetch, holding the lock
    second = docaudit(tmp_path, "run", "--wait", "0.5")
    out, err = second.communicate(timeout=30)
    assert second.returncode == 3
    assert "another docaudit run is still going" in err and "waited 0.5 s" in err
    out, err = first.communicate(timeout=30)
    assert first.returncode == 0 and "1 new" in out

    # with a long enough --wait, the second run simply runs after the first
    first = docaudit(tmp_path, "run")
    wait_for(lambda: len(server.hits("/slow.docx")) == 2)
    second = docaudit(tmp_path, "run", "--wait", "30")
    assert first.wait(timeout=30) == 0
    out, err = second.communicate(timeout=30)
    assert second.returncode == 0 and "1 unchanged" in out, err
    assert query(tmp_path, "SELECT count(*) FROM versions") == [(1,)]
    assert query(tmp_path, "SELECT status FROM runs ORDER BY id") == [("done",)] * 3


def test_kill_9_mid_run_leaves_a_consistent_database(tmp_path, server):
    for n in range(12):
        server.route(f"/b{n}", Reply(body=(V1 if n % 2 else PDF), delay=0.4))
        assert docaudit(tmp_path, "track", server.url(f"/b{n}"), "--doc", f"b{n}").wait() == 0
    run = docaudit(tmp_path, "run", "--concurrency", "2")
    wait_for(lambda: (query(tmp_path, "SELECT count(*) FROM fetches") or [(0,)])[0][0] >= 3)
    os.kill(run.pid, signal.SIGKILL)
    run.wait(timeout=10)
    stored = query(tmp_path, "SELECT count(*) FROM versions")[0][0]
    assert 3 <= stored < 12
    assert query(tmp_path, "SELECT status FROM runs") == [("running",)]
    with Store(tmp_path / "audit.db") as store:
        report = store.verify()
        assert report.ok and not report.missing  # no row points at a missing snapshot
        # every stored version has its fetch row (they commit together) and vice versa
        assert store.conn.execute("SELECT count(*) FROM fetches WHERE version_id IS NOT NULL").fetchone()[0] == stored

    for n in range(12):
        server.route(f"/b{n}", Reply(body=(V1 if n % 2 else PDF)))
    again = docaudit(tmp_path, "run")
    out, err = again.communicate(timeout=60)
    assert again.returncode == 0, err
    assert f"{12 - stored} new, {stored} unchanged" in out
    assert query(tmp_path, "SELECT status FROM runs ORDER BY id") == [("interrupted",), ("done",)]
    with Store(tmp_path / "audit.db") as store:
        assert store.verify().ok
        assert [d.versions for d in store.documents()] == [1] * 12
