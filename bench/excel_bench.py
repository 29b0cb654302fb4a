"""Export time and peak memory of the status workbook, against a bare dump of
the same rows and columns with the same cell styles (one SQL query by
sqlite3, bare openpyxl write-only with named styles: none of the app's own
query or row building), for the demo database and for 100,000 synthetic
tasks (or `--db` an existing SQLite database, e.g. bench/generate.py's).
Each run is its own process, so ru_maxrss is its peak resident memory.

    .venv/bin/python bench/excel_bench.py [--tasks 100000] [--db PATH]
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


# The baseline reads the rows with one SQL query of its own and writes them
# with bare openpyxl: no code of the app's (neither rules/exchange's rows nor
# excel/'s writer), so the ratio measures what the app adds.
BARE_SQL = """
SELECT t.id, p.year, vu.name, f.area, f.description, f.recommendation, t.description,
       ru.name, t.due_on, t.status,
       (SELECT n.text FROM progress_note n WHERE n.task_id = t.id ORDER BY n.noted_on DESC, n.id DESC LIMIT 1),
       f.id
FROM finding f JOIN visit v ON f.visit_id = v.id JOIN plan p ON v.plan_id = p.id
JOIN unit vu ON v.unit_id = vu.id
LEFT JOIN task t ON t.finding_id = f.id LEFT JOIN unit ru ON t.responsible_unit_id = ru.id
ORDER BY p.year, v.held_on, v.id, f.position, f.id, t.id
"""
# column -> style of the status workbook's task sheet (excel/styles.py STYLES, as named styles)
BARE_COLUMNS = ("int", "year", "text", "text", "text", "text", "text", "text", "date", "text_center",
                "int", "text", "int")


def bare_dump(db: str, out: str) -> int:
    """The same rows, columns and cell styles as the task sheet, by bare sqlite3 + openpyxl."""
    import sqlite3
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side

    thin = Side(style="thin", color="000000")
    grid = Border(left=thin, right=thin, top=thin, bottom=thin)
    font = Font(name="Times New Roman", size=11)
    look = {"int": ("center", "#,##0"), "year": ("center", "0"), "text": ("left", "@"),
            "date": ("center", "dd/mm/yyyy"), "text_center": ("center", "@")}
    wb = Workbook(write_only=True)
    for name, (horizontal, number_format) in look.items():
        wb.add_named_style(NamedStyle(name=name, font=font, border=grid, number_format=number_format,
                                      alignment=Alignment(horizontal=horizontal, vertical="top", wrap_text=True)))
    ws = wb.create_sheet("dump")
    head = NamedStyle(name="head", font=Font(name="Times New Roman", size=11, bold=True), border=grid,
                      fill=PatternFill("solid", fgColor="DDEBF7"))
    wb.add_named_style(head)
    labels = {"open": "Chưa thực hiện", "in_progress": "Đang thực hiện", "reported_done": "Đã báo cáo hoàn thành",
              "verified": "Đã xác nhận", "cancelled": "Đã hủy"}
    row_no, previous, rows = 1, None, 0
    heading = [WriteOnlyCell(ws, value=f"Cột {i}") for i in range(1, len(BARE_COLUMNS) + 1)]
    for c in heading:
        c.style = "head"
    ws.append(heading)
    connection = sqlite3.connect(db)
    for r in connection.execute(BARE_SQL):
        row_no += 1
        (task_id, year, visited, area, finding, recommendation, description, unit, due, status,
         note, finding_id) = r
        due_day = dt.date.fromisoformat(due[:10]) if due else None
        days = (f"=IF(AND(OR(J{row_no}=\"Chưa thực hiện\",J{row_no}=\"Đang thực hiện\"),"
                f"I{row_no}<NgayBaoCao),NgayBaoCao-I{row_no},0)") if task_id else 0
        values = (task_id, year, visited, area, finding, recommendation, description or "", unit or "",
                  due_day, labels.get(status, ""), days, note or "", int(finding_id != previous))
        previous = finding_id
        cells = []
        for value, style in zip(values, BARE_COLUMNS):
            c = WriteOnlyCell(ws, value=value)
            c.style = style
            cells.append(c)
        ws.append(cells)
        rows += 1
    connection.close()
    wb.save(out)
    return rows


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child(mode: str, db: str, out: str) -> None:
    sys.path.insert(0, str(ROOT))
    if mode == "export":
        from inspect_tui.store import db as store
        store.connect(db)
    started, cpu = time.perf_counter(), _cpu()
    if mode == "export":
        from inspect_tui.excel.export import export_status_workbook
        rows = export_status_workbook(out, TODAY).rows
    else:
        rows = bare_dump(db, out)
    seconds, cpu = time.perf_counter() - started, _cpu() - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": rows, "seconds": seconds, "cpu": cpu, "peak_mb": peak_mb,
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
    parser.add_argument("--db", help="an existing SQLite database instead of building two")
    parser.add_argument("--child", nargs=3, metavar=("MODE", "DB", "OUT"))
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.db:
            cases = [(Path(args.db).stem, Path(args.db))]
        else:
            cases = [("demo", folder / "demo.sqlite3"), (f"{args.tasks:,} tasks", folder / "synthetic.sqlite3")]
            build("demo", cases[0][1], 0)
            build("synthetic", cases[1][1], args.tasks)
        # CPU seconds as well as wall seconds: on a shared machine the wall clock
        # measures the neighbours too
        print(f"{'database':<16}{'rows':>9}{'export s':>10}{'bare s':>9}{'time x':>8}{'cpu x':>7}"
              f"{'export MB':>11}{'bare MB':>9}{'mem x':>7}{'xlsx MB':>9}")
        for name, db in cases:
            ours, bare = measure("export", db, folder), measure("bare", db, folder)
            print(f"{name:<16}{ours['rows']:>9,}{ours['seconds']:>10.2f}{bare['seconds']:>9.2f}"
                  f"{ours['seconds'] / bare['seconds']:>8.2f}{ours['cpu'] / bare['cpu']:>7.2f}{ours['peak_mb']:>11.1f}{bare['peak_mb']:>9.1f}"
                  f"{ours['peak_mb'] / bare['peak_mb']:>7.2f}{ours['size_mb']:>9.1f}")


if __name__ == "__main__":
    main()
