"""How long `units import` takes for 103 units (the city's communes and wards)
and for 10,000 units, on SQLite and PostgreSQL, as a CSV file and as a workbook.

    .venv/bin/python bench/roster_bench.py [--backend sqlite|postgres|both] [--sizes 103,10000]

Each run starts from a fresh database with the default data (`init`), writes a
generated file (made-up names, kind commune, parent UBND-TP, from 01/7/2025),
and times `excel.roster.import_roster` (read, check every row with the rules,
write all in one transaction), then a second import of the same file (which
changes nothing), then `units export` of the whole roster to CSV. A workbook
keeps to the workbook limits (excel/limits.py) and, like the CSV file, to the
10,000 units of rules/limits.py ROSTER_ROWS_MAX; the largest workbook measured
holds 9,999 units (it was written when a sheet held 10,000 rows). Writes bench/roster.md.
"""
import argparse
import csv
import datetime as dt
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from openpyxl import Workbook  # noqa: E402

from inspect_tui.excel import limits as book_limits  # noqa: E402
from inspect_tui.excel import roster  # noqa: E402
from inspect_tui.rules import seed  # noqa: E402
from inspect_tui.store import db as store  # noqa: E402

PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
TODAY = dt.date(2026, 3, 2)


def rows(n: int):
    for i in range(n):
        yield [f"B-{i:05d}", f"Phường Đo Thời Gian {i:05d}", "commune", "UBND-TP", "2025-07-01", "", "false", ""]


def write_csv(path: Path, n: int) -> None:
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(roster.COLUMNS)
        writer.writerows(rows(n))


def write_xlsx(path: Path, n: int) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(list(roster.COLUMNS))
    for row in rows(n):
        ws.append(row)
    wb.save(path)


def _pg(sql: str) -> None:
    import psycopg2

    conn = psycopg2.connect(dbname="postgres", connect_timeout=5, **PG)
    conn.autocommit = True
    try:
        conn.cursor().execute(sql)
    finally:
        conn.close()


def fresh(backend: str, folder: Path) -> tuple[str, str | None]:
    if backend == "sqlite":
        path = folder / f"bench-{uuid.uuid4().hex[:8]}.sqlite3"
        return str(path), None
    name = f"itui_bench_{uuid.uuid4().hex[:10]}"
    _pg(f'CREATE DATABASE "{name}"')
    return f"postgresql://{PG['user']}@{PG['host']}:{PG['port']}/{name}", name


def measure(backend: str, fmt: str, n: int, folder: Path) -> dict:
    url, pg_name = fresh(backend, folder)
    try:
        store.connect(url, create=True)
        seed.load_defaults("bench")
        path = folder / f"units-{n}.{fmt}"
        (write_csv if fmt == "csv" else write_xlsx)(path, n)
        started = time.perf_counter()
        first = roster.import_roster(path, "bench", TODAY)
        first_s = time.perf_counter() - started
        assert first.ok and first.created.get("units") == n, (first.problems[:3], first.created)
        started = time.perf_counter()
        second = roster.import_roster(path, "bench", TODAY)
        second_s = time.perf_counter() - started
        assert second.ok and not second.changes and second.already == n
        started = time.perf_counter()
        roster.export_roster(folder / "out.csv", None, TODAY)
        export_s = time.perf_counter() - started
        return {"backend": backend, "format": fmt, "units": n, "bytes": path.stat().st_size,
                "import": first_s, "again": second_s, "export": export_s}
    finally:
        store.close()
        if pg_name:
            _pg(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--sizes", default="103,10000")
    args = parser.parse_args()
    backends = ("sqlite", "postgres") if args.backend == "both" else (args.backend,)
    sizes = [int(s) for s in args.sizes.split(",")]
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for backend in backends:
            for n in sizes:
                for fmt in ("csv", "xlsx"):
                    units = min(n, book_limits.ROWS_MAX - 1) if fmt == "xlsx" else n
                    r = measure(backend, fmt, units, Path(tmp))
                    results.append(r)
                    print(f"{r['backend']:8} {r['format']:4} {r['units']:6} units: import {r['import']:6.2f} s, "
                          f"again {r['again']:5.2f} s, export {r['export']:5.2f} s", flush=True)
    lines = ["# Importing a roster: `units import`", "",
             f"`bench/roster_bench.py --backend {args.backend} --sizes {args.sizes}`, "
             f"{dt.datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} CPUs.", "",
             "import = the first import (read, every row through `units.create`, one transaction); "
             "again = the same file a second time (nothing to change); export = the whole roster to CSV. "
             "The largest workbook holds 9,999 units.", "",
             "| backend | file | units | size | import s | units/s | again s | export s |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        lines.append(f"| {r['backend']} | {r['format']} | {r['units']:,} | {r['bytes'] / 1024:,.0f} KB | "
                     f"{r['import']:.2f} | {r['units'] / r['import']:,.0f} | {r['again']:.2f} | {r['export']:.2f} |")
    (Path(__file__).parent / "roster.md").write_text("\n".join(lines) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
