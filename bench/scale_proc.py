"""Timing a command as a child process: time to its first line of output,
total time, CPU time and peak RSS (os.wait4's rusage), lines written."""
import os
import subprocess
import tempfile
import threading
import time


def measure(cmd: list[str], timeout: float = 600.0, cwd=None) -> dict:
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, cwd=cwd)
        killer = threading.Timer(timeout, proc.kill)
        killer.start()
        try:
            first = proc.stdout.readline()
            first_at = time.perf_counter() - started if first else None
            lines = 1 if first else 0
            while chunk := proc.stdout.read(1 << 16):
                lines += chunk.count(b"\n")
            _, status, usage = os.wait4(proc.pid, 0)
            total = time.perf_counter() - started
            proc.returncode = os.waitstatus_to_exitcode(status)
        finally:
            killer.cancel()
        err.seek(0)
        tail = err.read()[-400:].decode("utf-8", "replace").strip()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:4])}… exit {proc.returncode}: {tail}")
    return {"first": first_at, "total": total, "cpu": usage.ru_utime + usage.ru_stime,
            "rss_mb": usage.ru_maxrss / 1024, "lines": lines}
