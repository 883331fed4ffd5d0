"""Starting Spark for docaudit's jobs (the phrase index, bulk extraction)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from ..errors import DocauditError

DRIVER_MEMORY = "4g"  # DOCAUDIT_SPARK_DRIVER_MEMORY overrides it; executors' memory is the cluster's setting


def session(master: str = "local[2]", app: str = "docaudit", conf: dict[str, str] | None = None):
    """A Spark session (quiet: no UI, errors only); Python workers run this interpreter unless
    ``PYSPARK_PYTHON`` says otherwise (on a cluster, an environment with docaudit installed). The driver
    gets :data:`DRIVER_MEMORY` of heap unless ``DOCAUDIT_SPARK_DRIVER_MEMORY`` says otherwise (it is read
    when the JVM starts: a session already running keeps its own). ``conf``: more Spark settings, applied
    last (bench/spark.py turns the UI on to read stage metrics)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise DocauditError(f"Spark is not installed ({exc}): pip install 'docaudit[spark]'") from None

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = (
        SparkSession.builder.master(master)
        .appName(app)
        # the driver's heap (in local mode, the whole engine's): Spark's 1 GB default ran out at 10,000 letters
        .config("spark.driver.memory", os.environ.get("DOCAUDIT_SPARK_DRIVER_MEMORY", DRIVER_MEMORY))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
    )
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def owns_context() -> bool:
    """Whether no Spark context is running in this process (a job that starts one stops it after)."""
    try:
        from pyspark import SparkContext
    except ImportError:
        return True  # session() says what is missing
    return SparkContext._active_spark_context is None


@contextmanager
def running(spark=None, master: str = "local[2]", app: str = "docaudit") -> Iterator:
    """``spark``, or a session of docaudit's own that ends with the block: on success, on an error and on
    Ctrl-C alike, the session is stopped and its JVM (the gateway process pyspark started) is ended and waited
    for, so nothing of Spark outlives the command. A session someone else started is used and left running."""
    own = spark is None and owns_context()
    before = children()
    try:
        spark = spark or session(master, app)
    except BaseException:  # Ctrl-C while the JVM starts: pyspark has not handed its process over yet
        if own:
            end(children() - before)
        raise
    try:
        yield spark
    finally:
        if own:
            stop(spark)
            end(children() - before)  # whatever the gateway left (spark-submit's own children)


def stop(spark, timeout: float = 30.0) -> None:
    """Stop a session docaudit started, and end the JVM behind it (terminated, then killed after ``timeout``)."""
    from pyspark import SparkContext

    gateway = SparkContext._gateway
    try:
        spark.stop()
    finally:
        proc = getattr(gateway, "proc", None) if gateway is not None else None
        if gateway is not None:
            with suppress(Exception):  # a gateway that is gone already is what we want
                gateway.shutdown()
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout)
            except Exception:  # noqa: BLE001 - subprocess.TimeoutExpired: it would not stop
                proc.kill()
                proc.wait(timeout)
        SparkContext._gateway = None
        SparkContext._jvm = None


def children() -> set[int]:
    """This process's child processes (Linux: read from /proc; elsewhere none are known)."""
    me, found = os.getpid(), set()
    try:
        entries = os.listdir("/proc")
    except OSError:
        return found
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == me:  # after "pid (comm)": state, then the parent's pid
            found.add(int(entry))
    return found


def end(pids: set[int], timeout: float = 10.0) -> None:
    """Terminate these processes, and kill those still running after ``timeout`` seconds."""
    import signal
    import time

    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, timeout)):
        for pid in pids:
            with suppress(OSError):
                os.kill(pid, sig)
        deadline = time.monotonic() + wait
        while pids and time.monotonic() < deadline:
            for pid in list(pids):
                with suppress(ChildProcessError, OSError):
                    done, _ = os.waitpid(pid, os.WNOHANG)
                    if not done:
                        continue
                pids.discard(pid)
            time.sleep(0.05)
        if not pids:
            return
