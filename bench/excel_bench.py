"""Export time and peak memory of the status workbook, against a bare openpyxl
write-only dump of the same rows and columns, for the demo database and for
100,000 synthetic tasks. Each run is its own process, so ru_maxrss is its
peak resident memory.

    /work/venv/bin/python bench/excel_bench.py [--tasks 100000]
"""
import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2025, 5, 6)


def child(mode: str, db: str, out: str) -> None:
    sys.path.insert(0, str(ROOT))
    from inspect_tui.store import db as store
    store.connect(db)
    started = time.perf_counter()
    if mode == "export":
        from inspect_tui.excel.export import export_status_workbook
        rows = export_status_workbook(out, TODAY).rows
    else:
        from openpyxl import Workbook
        from inspect_tui.rules import exchange
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("dump")
        rows = 0
        for r in exchange.finding_task_rows(TODAY):
            ws.append([r.task_id, r.year, r.visited_name, r.area, r.finding, r.recommendation,
                       r.description, r.unit_name, r.due_on, r.status, r.days_overdue,
                       r.latest_note, int(r.first_of_finding)])
            rows += 1
        wb.save(out)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": rows, "seconds": seconds, "peak_mb": peak_mb,
                      "size_mb": Path(out).stat().st_size / 1e6}))


def measure(mode: str, db: Path, folder: Path) -> dict:
    out = folder / f"{mode}-{db.stem}.xlsx"
    done = subprocess.run([sys.executable, __file__, "--child", mode, str(db), str(out)],
                          check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def build(kind: str, db: Path, tasks: int) -> None:
    code = (f"import sys, datetime as dt; sys.path[:0] = [{str(ROOT)!r}, {str(ROOT / 'bench')!r}]\n"
            "from inspect_tui.store import db as store\n"
            f"store.connect({str(db)!r}, create=True)\n"
            + ("from inspect_tui.rules import demo; demo.build(dt.date(2025, 5, 6))\n" if kind == "demo" else
               f"import synthetic; synthetic.build({tasks}, dt.date(2025, 5, 6))\n"))
    subprocess.run([sys.executable, "-c", code], check=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--child", nargs=3, metavar=("MODE", "DB", "OUT"))
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cases = [("demo", folder / "demo.sqlite3"), (f"{args.tasks:,} tasks", folder / "synthetic.sqlite3")]
        build("demo", cases[0][1], 0)
        build("synthetic", cases[1][1], args.tasks)
        print(f"{'database':<16}{'rows':>9}{'export s':>10}{'bare s':>9}{'time x':>8}"
              f"{'export MB':>11}{'bare MB':>9}{'mem x':>7}{'xlsx MB':>9}")
        for name, db in cases:
            ours, bare = measure("export", db, folder), measure("bare", db, folder)
            print(f"{name:<16}{ours['rows']:>9,}{ours['seconds']:>10.2f}{bare['seconds']:>9.2f}"
                  f"{ours['seconds'] / bare['seconds']:>8.2f}{ours['peak_mb']:>11.1f}{bare['peak_mb']:>9.1f}"
                  f"{ours['peak_mb'] / bare['peak_mb']:>7.2f}{ours['size_mb']:>9.1f}")


if __name__ == "__main__":
    main()
