"""The national-scale benchmark of issue 10: every row against its baseline,
measured in the same run, on a database made by bench/generate.py.

    .venv/bin/python bench/run.py --size S|M|L [--backend sqlite|postgres|both]
                                  [--only ROW ...] [--reps N] [--db URL]

Each row runs in a child process with a time limit: a row that fails or
times out prints its error and the run goes on. The table is printed and
written into bench/scale.md (one section per size and backend, replaced on
each run). Rows: tui_start tui_list tui_overdue tui_sort tui_search
tui_pagedown tui_back cli_overdue cli_overdue_csv cli_summary cli_search
cli_help export import_check import_progress.
"""
import argparse
import datetime as dt
import json
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from scale_common import BENCH_DIR, ROOT, default_db, stored_today  # noqa: E402

CLI = str(ROOT / ".venv" / "bin" / "inspect-tui")
PY = sys.executable
KEYS = ("list", "overdue", "sort", "search", "pagedown", "back")
ROWS = (["tui_start"] + [f"tui_{k}" for k in KEYS]
        + ["cli_overdue", "cli_overdue_csv", "cli_summary", "cli_search", "cli_help",
           "export", "import_check", "import_progress"])
SEARCH_TEXT = "mot cua"
LIMITS = {"tui": 1200, "cli": 1200, "export": 3600, "import": 3600}  # seconds a row may take
CLI_REPS = 3  # 1 at L
HELP_REPS = 40  # --help and `python -c pass`, side by side


# --- the children: one row each, JSON on the last line ---------------------


def _median(results: list[dict]) -> dict:
    keys = results[0].keys()
    out = {}
    for k in keys:
        vals = sorted(r[k] for r in results if r[k] is not None)
        out[k] = vals[len(vals) // 2] if vals else None
    return out


def child(row: str, url: str, today: dt.date, size: str, reps: int) -> dict:
    from scale_proc import measure
    base = [CLI, "--db", url, "--today", today.isoformat()]
    bare_sql = [PY, str(HERE / "scale_bare_sql.py")]
    if row == "tui_start":
        import scale_tui
        return scale_tui.run_start(url, today, reps=max(3, reps // 4))
    if row.startswith("tui_"):
        import scale_tui
        return scale_tui.run_key(url, today, row.removeprefix("tui_"), reps)
    commands = {
        "cli_overdue": (base + ["overdue"], bare_sql + ["overdue", url, today.isoformat()]),
        "cli_overdue_csv": (base + ["overdue", "--format", "csv"],
                            bare_sql + ["overdue_csv", url, today.isoformat()]),
        "cli_summary": (base + ["summary"], bare_sql + ["summary", url, today.isoformat()]),
        "cli_search": (base + ["search", SEARCH_TEXT], bare_sql + ["search", url, today.isoformat(), SEARCH_TEXT]),
        "cli_help": ([CLI, "--help"], [PY, "-c", "pass"]),
    }
    if row in commands:
        ours_cmd, bare_cmd = commands[row]
        ours, bare = [], []
        # --help is read by CPU time (steadier than wall time on a shared machine), many times
        runs = max(HELP_REPS, reps) if row == "cli_help" else CLI_REPS if size != "L" else 1
        for _ in range(runs):  # at L one run each: the limits are minutes
            bare.append(measure(bare_cmd, timeout=LIMITS["cli"] / 4))
            ours.append(measure(ours_cmd, timeout=LIMITS["cli"] / 4))
        return {"ours": _median(ours), "bare": _median(bare)}
    if row == "export":
        out = BENCH_DIR / "work"
        out.mkdir(parents=True, exist_ok=True)
        tag = f"{size}-{'pg' if url.startswith('postgres') else 'sqlite'}"
        bare_xlsx = [PY, str(HERE / "scale_bare_xlsx.py")]
        commands = {
            "bare": bare_xlsx + ["openpyxl", url, today.isoformat(), str(out / f"bare-{tag}.xlsx")],
            "xlsxwriter": bare_xlsx + ["xlsxwriter", url, today.isoformat(), str(out / f"xlsxwriter-{tag}.xlsx")],
            "ours": base + ["export", "--out", str(out / f"ours-{tag}.xlsx")],
        }
        result = {}
        for name, cmd in commands.items():  # one failing or too slow does not lose the others
            try:
                result[name] = measure(cmd, timeout=LIMITS["export"] / 3)
            except Exception as exc:
                result[name] = {"error": " ".join(str(exc).split())[-200:]}
        return result
    if row == "imports":
        import scale_import
        return scale_import.run(url, today, size, which=tuple(os.environ.get("ITUI_IMPORT_ROWS", "").split(",")))
    raise ValueError(row)


# --- the parent: rows, time limits, the table --------------------------------


def run_child(row: str, url: str, today: dt.date, size: str, reps: int, env=None) -> dict:
    kind = "import" if row == "imports" else row.split("_")[0]
    cmd = [PY, __file__, "--child", row, "--db", url, "--today", today.isoformat(), "--size", size,
           "--reps", str(reps)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=LIMITS[kind], cwd=BENCH_DIR,
                          env={**os.environ, **(env or {})})
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        raise RuntimeError(" / ".join(tail))
    return json.loads(proc.stdout.strip().splitlines()[-1])


def ms(s) -> str:
    return "–" if s is None else f"{s * 1000:,.0f} ms"


def ratio(a, b) -> str:
    return "–" if not a or not b else f"{a / b:.2f}×"


def lines_for(row: str, r: dict) -> list[list[str]]:
    """Table lines: row, ours, bare, ratio, target, met."""
    o, b = r.get("ours", {}), r.get("bare", {})
    if row == "tui_start":
        rt = o["median"] / b["median"]
        return [["TUI start → overview with data (median)", ms(o["median"]), ms(b["median"]) + " (label)",
                 f"{rt:.2f}×", "≤ 1.5×", "yes" if rt <= 1.5 else "no"]]
    if row.startswith("tui_"):
        return [[f"TUI key {row.removeprefix('tui_')} (median / p95)", f"{ms(o['median'])} / {ms(o['p95'])}",
                 f"{ms(b['median'])} / {ms(b['p95'])}", ratio(o["p95"], b["p95"]), "p95 < 100 ms",
                 "yes" if o["p95"] < 0.1 else "no"]]
    if row in ("cli_overdue", "cli_summary", "cli_search"):
        ok = o["first"] is not None and o["first"] < 0.2 and o["total"] <= 1.5 * b["total"]
        return [[f"CLI {row.removeprefix('cli_')} (first line / total)", f"{ms(o['first'])} / {ms(o['total'])}",
                 f"{ms(b['first'])} / {ms(b['total'])}", ratio(o["total"], b["total"]),
                 "< 200 ms first, ≤ 1.5×", "yes" if ok else "no"]]
    if row == "cli_overdue_csv":
        ok = o["total"] <= 1.5 * b["total"]
        return [["CLI overdue --format csv (total, peak RSS)", f"{ms(o['total'])}, {o['rss_mb']:.0f} MB",
                 f"{ms(b['total'])}, {b['rss_mb']:.0f} MB", ratio(o["total"], b["total"]),
                 "≤ 1.5×, constant memory", "yes" if ok else "no"]]
    if row == "cli_help":
        rt = o["cpu"] / b["cpu"]
        return [["CLI --help (CPU time, median)", ms(o["cpu"]), ms(b["cpu"]) + " (python -c pass)",
                 f"{rt:.2f}×", "≤ 3×", "yes" if rt <= 3 else "no"]]
    if row == "export" and any("error" in v for v in r.values()):
        shown = {k: (v["error"] if "error" in v else f"{ms(v['total'])}, {v['rss_mb']:.0f} MB")
                 for k, v in r.items()}
        return [["export status workbook (time, peak RSS)", shown["ours"], f"{shown['bare']} (openpyxl); "
                 f"{shown['xlsxwriter']} (XlsxWriter)", "–", "≤ 1.2×, < 100 MB", "no"]]
    if row == "export":
        x = r["xlsxwriter"]
        ok = o["total"] <= 1.2 * b["total"] and o["rss_mb"] < 100
        return [["export status workbook (time, peak RSS)", f"{ms(o['total'])}, {o['rss_mb']:.0f} MB",
                 f"{ms(b['total'])}, {b['rss_mb']:.0f} MB (openpyxl write-only)", ratio(o["total"], b["total"]),
                 "≤ 1.2×, < 100 MB", "yes" if ok else "no"],
                ["  same dump with XlsxWriter constant_memory", f"{ms(o['total'])}, {o['rss_mb']:.0f} MB",
                 f"{ms(x['total'])}, {x['rss_mb']:.0f} MB", ratio(o["total"], x["total"]), "(for reference)", ""]]
    lines = []
    if "check" in r:
        c = r["check"]
        lines.append([f"import-progress --dry-run, one workbook of {r['rows']:,} rows",
                      f"{ms(c['total'])}, {c['rss_mb']:.0f} MB", "–", "–", "< 10 s",
                      "yes" if c["total"] < 10 else "no"])
    if "ours" in r:
        rt = o["total"] / b["total"]
        lines.append([f"import-progress, {r['edited_rows']:,} changed rows in {r['edited_files']} files",
                      f"{ms(o['total'])}, {o['rss_mb']:.0f} MB",
                      f"{ms(b['total'])}, {b['rss_mb']:.0f} MB (read_only + peewee)", f"{rt:.2f}×", "≤ 3×",
                      "yes" if rt <= 3 else "no"])
    return lines


HEAD = ["row", "ours", "bare", "ratio", "target", "met"]


def markdown(lines: list[list[str]]) -> str:
    out = ["| " + " | ".join(HEAD) + " |", "|" + "---|" * len(HEAD)]
    out += ["| " + " | ".join(cell.replace("|", "\\|") for cell in line) + " |" for line in lines]
    return "\n".join(out)


def commit() -> str:
    """The commit, and whether inspect_tui/ differs from it (read-only git commands)."""
    try:
        head = subprocess.run(["git", "log", "-1", "--format=%h"], capture_output=True, text=True,
                              cwd=ROOT).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "inspect_tui"], capture_output=True,
                               text=True, cwd=ROOT).stdout.strip()
    except OSError:
        return "?"
    return head + (" + uncommitted changes in inspect_tui/" if dirty else "")


def write_section(size: str, backend: str, body: str, only=None) -> None:
    """Replace this size and backend's section of bench/scale.md (a run of some
    rows only has a section of its own), keep the others."""
    path = HERE / "scale.md"
    title = f"## {size} on {backend}" + (f", rows {' '.join(only)}" if only else "")
    text = path.read_text() if path.exists() else (
        "# National-scale benchmark (issue 10)\n\nWritten by `bench/run.py`; see bench/README.md.\n")
    sections = re.split(r"(?m)^(?=## )", text)
    kept = [s for s in sections if not s.startswith(title + "\n")]
    kept.append(f"{title}\n\n{body}\n\n")
    path.write_text("".join(s.rstrip() + "\n\n" for s in kept).rstrip() + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=("S", "M", "L"), required=True)
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="sqlite")
    parser.add_argument("--only", nargs="+", choices=ROWS, metavar="ROW")
    parser.add_argument("--reps", type=int, default=20, help="repetitions of each key (default 20)")
    parser.add_argument("--db", help="a database other than the size's default (one backend)")
    parser.add_argument("--today", type=dt.date.fromisoformat)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.db, args.today, args.size, args.reps), default=str))
        return
    rows = args.only or ROWS
    backends = ("sqlite", "postgres") if args.backend == "both" else (args.backend,)
    for backend in backends:
        url = args.db or default_db(args.size, backend)
        today = args.today or stored_today(url)
        started = dt.datetime.now(dt.timezone.utc)
        header = (f"size {args.size}, {backend} ({url}), today {today}, commit {commit()}, "
                  f"{started:%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, {platform.python_version()}, "
                  f"reps {args.reps}")
        print(header)
        lines = []
        plan = [r for r in rows if not r.startswith("import_")]
        imports = [r for r in rows if r.startswith("import_")]
        if imports:
            plan.append("imports")
        for row in plan:
            t0 = time.perf_counter()
            try:
                env = {"ITUI_IMPORT_ROWS": ",".join(imports)} if row == "imports" else None
                result = run_child(row, url, today, args.size, args.reps, env)
                got = lines_for(row, result)
            except subprocess.TimeoutExpired:
                got = [[row, "timed out", "", "", "", "no"]]
            except Exception as exc:  # a failing row is reported and the run goes on
                got = [[row, f"failed: {' '.join(str(exc).split())[:300]}", "", "", "", "no"]]
            for line in got:
                print(f"  {line[0]}: ours {line[1]} | bare {line[2]} | {line[3]} | {line[4]} | {line[5]}"
                      f"   [{time.perf_counter() - t0:.0f} s]", flush=True)
            lines += got
            # written after every row, so an interrupted run keeps what it measured
            body = header + "\n\n" + markdown(lines)
            if args.only:
                body += f"\n\n(only: {' '.join(args.only)})"
            if row != plan[-1]:
                body += "\n\n(run in progress or interrupted)"
            write_section(args.size, backend, body, args.only)
    print(f"written: {HERE / 'scale.md'}")


if __name__ == "__main__":
    main()
