"""The status workbook's export against bare dumps of the same task sheet
(bench/scale_bare_xlsx.py: its own SQL, the same rows, columns and cell
styles, no code of ours), side by side in one run, each a process of its own,
taking turns so that a busy machine weighs on all of them alike.

CPU seconds (user + system, from wait4) are the figure to read on a shared
machine; wall seconds are printed too. Peak memory is each process's maxrss.

    .venv/bin/python bench/excel_bench.py --db bench/work/M.sqlite3 [--today 2026-11-23] [--reps 3]
"""
import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CLI = str(ROOT / ".venv" / "bin" / "inspect-tui")


def commands(db: str, today: str, folder: Path) -> dict[str, list[str]]:
    bare = [sys.executable, str(HERE / "scale_bare_xlsx.py")]
    found = {
        "ours": [CLI, "--db", db, "--today", today, "export", "--out", str(folder / "ours.xlsx")],
        "bare openpyxl": bare + ["openpyxl", db, today, str(folder / "bare.xlsx")],
        "bare openpyxl, NamedStyle a cell": bare + ["openpyxl-named", db, today, str(folder / "named.xlsx")],
    }
    try:
        import xlsxwriter  # noqa: F401
        found["bare XlsxWriter constant_memory"] = bare + ["xlsxwriter", db, today, str(folder / "xw.xlsx")]
    except ImportError:
        pass
    return found


def measure(cmd: list[str]) -> dict:
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    if status != 0:
        raise RuntimeError(f"{cmd[:3]} failed: {proc.stderr.read().decode()[-500:]}")
    proc.stderr.close()
    return {"cpu": usage.ru_utime + usage.ru_stime, "wall": wall, "mb": usage.ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True, help="a SQLite database, e.g. bench/generate.py's")
    parser.add_argument("--today", default="2026-11-23")
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="excel-bench-") as tmp:
        runs = commands(args.db, args.today, Path(tmp))
        results: dict[str, list[dict]] = {name: [] for name in runs}
        for _ in range(args.reps):
            for name, cmd in runs.items():
                results[name].append(measure(cmd))
    median = {name: {k: statistics.median(r[k] for r in rs) for k in ("cpu", "wall", "mb")}
              for name, rs in results.items()}
    base = median["bare openpyxl"]
    print(f"{'':<34}{'CPU s':>8}{'wall s':>8}{'peak MB':>9}{'CPU x bare':>12}")
    for name, m in median.items():
        print(f"{name:<34}{m['cpu']:>8.1f}{m['wall']:>8.1f}{m['mb']:>9.0f}{m['cpu'] / base['cpu']:>12.2f}")


if __name__ == "__main__":
    main()
