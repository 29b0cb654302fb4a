"""Build a benchmark database of a given size, SQLite or PostgreSQL (issue 10).

    .venv/bin/python bench/generate.py --size S|M|L [--db PATH_OR_URL] [--today YYYY-MM-DD] [--force]

S is the app's demo (`inspect-tui demo`). M (100,000 tasks) and L (3,500
units, 1,000,000 tasks) start as `init` does (the app's migrations and
default data, so the result is a valid app database) and then add, in bulk
inside one transaction, a national roster (63 provinces of 54 units each for
L, 9 for M), one plan a province a year, visits 2016-2025 plus the current
year, findings in every area and tasks in every status, due dates spread so
that every ageing bucket is filled, progress notes, and search_text folded
with the app's own `fold`. Raw executemany on SQLite, COPY on PostgreSQL.
Default --db: /tmp/bench/<size>.sqlite3; `--db pg` means
postgresql://postgres@127.0.0.1:5432/itui_bench_<size> (created if missing).
"""
import argparse
import datetime as dt
import io
import random
import subprocess
import sys
import time
from functools import lru_cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import scale_names as names  # noqa: E402
from scale_common import BENCH_DIR, PG_HOST, ROOT, SCALE, TODAY, default_db, is_pg  # noqa: E402

from inspect_tui.rules.demo import draw  # noqa: E402  (the demo's weighted draw)

FIRST_YEAR = 2016
NOTE_SHARE = 0.2  # tasks with a progress note (in progress or later)
COLUMNS = {
    "unit": ("id", "version", "code", "name", "kind", "parent_id", "started_on", "ended_on",
             "confirmed", "note", "search_text"),
    "plan": ("id", "version", "year", "level", "issuer_id", "number", "issued_on", "kind", "title"),
    "visit": ("id", "version", "plan_id", "unit_id", "scheduled_on", "held_on", "status", "minutes_ref",
              "notice_number", "notice_date", "assessment", "strengths", "representatives"),
    "finding": ("id", "version", "visit_id", "area", "severity", "description", "recommendation",
                "position", "search_text"),
    "task": ("id", "version", "finding_id", "responsible_unit_id", "description", "assignee", "due_on",
             "status", "status_reason", "completed_on", "evidence_ref", "created_at", "search_text"),
    "progress_note": ("id", "task_id", "noted_on", "author", "text", "created_at"),
}
NOTES = ["Đã giao phòng chuyên môn triển khai.", "Đang triển khai, dự kiến hoàn thành đúng hạn.",
         "Đã hoàn thành dự thảo, đang lấy ý kiến các phòng.", "Đã báo cáo kết quả khắc phục bằng văn bản."]
QUALIFIERS = ["", " trong quý I", " trong quý II", " trong quý III", " trước ngày 31/12",
              " theo Kế hoạch của UBND tỉnh", " và báo cáo Sở Nội vụ", " tại bộ phận Một cửa",
              " đối với đơn vị trực thuộc", " trên Cổng dịch vụ công"]


def pg_url(size: str, db: str | None) -> str | None:
    if db == "pg":
        return default_db(size, "postgres")
    return db


def ensure_pg_database(url: str, force: bool) -> None:
    """Create the PostgreSQL database; with --force drop it first."""
    import psycopg2
    name = url.rsplit("/", 1)[1]
    admin = psycopg2.connect(dbname="postgres", user="postgres", host=PG_HOST)
    admin.autocommit = True
    cur = admin.cursor()
    cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
    exists = cur.fetchone() is not None
    if exists and force:
        cur.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        exists = False
    if not exists:
        cur.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def prepare_target(url: str, force: bool) -> None:
    if is_pg(url):
        ensure_pg_database(url, force)
        return
    path = Path(url)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        if not force:
            sys.exit(f"{path} exists: --force to rebuild it")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def build_demo(url: str, today: dt.date) -> None:
    """S: the app's own demo builder, through its command line."""
    cli = ROOT / ".venv" / "bin" / "inspect-tui"
    subprocess.run([str(cli), "demo", "--db", url, "--today", today.isoformat(), "--force"],
                   check=True, cwd=BENCH_DIR)


# --- the bulk rows ------------------------------------------------------------


class Rows:
    """Collects rows per table and writes them in chunks (executemany / COPY)."""

    CHUNK = 50_000

    def __init__(self, conn, pg: bool):
        self.conn, self.pg = conn, pg
        self.buffers = {t: [] for t in COLUMNS}
        self.counts = {t: 0 for t in COLUMNS}

    def add(self, table: str, row: tuple) -> None:
        buf = self.buffers[table]
        buf.append(row)
        if len(buf) >= self.CHUNK:
            self.flush(table)

    def flush(self, table: str | None = None) -> None:
        # parents first, so that foreign keys hold at every chunk
        order = list(COLUMNS)
        for name in (order[:order.index(table) + 1] if table else order):
            rows = self.buffers[name]
            if not rows:
                continue
            cols = COLUMNS[name]
            cur = self.conn.cursor()
            if self.pg:
                text = io.StringIO("".join("\t".join(_pg_text(v) for v in r) + "\n" for r in rows))
                cur.copy_expert(f'COPY "{name}" ({", ".join(cols)}) FROM STDIN', text)
            else:
                marks = ", ".join("?" for _ in cols)
                cur.executemany(f'INSERT INTO "{name}" ({", ".join(cols)}) VALUES ({marks})', rows)
            self.counts[name] += len(rows)
            rows.clear()


def _pg_text(value) -> str:
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


@lru_cache(maxsize=None)
def _fold(text: str) -> str:
    from inspect_tui.rules.text import fold
    return fold(text)


def _next_id(conn, table: str) -> int:
    cur = conn.cursor()
    cur.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')
    return cur.fetchone()[0] + 1


def national_roster(rows: Rows, conn, provinces: int) -> list[tuple[int, int, str]]:
    """Units of `provinces` provinces: (unit id, province index, kind) for each."""
    uid = _next_id(conn, "unit")
    made = []
    for p, (pcode, pname, ptype) in enumerate(names.PROVINCES[:provinces]):
        of = f"{ptype} {pname}"

        def unit(code, name, kind, parent=None):
            nonlocal uid
            code = f"{pcode}-{code}"
            rows.add("unit", (uid, 1, code, name, kind, parent, None, None, True, "",
                              _fold(f"{code} {name}")))
            made.append((uid, p, kind))
            uid += 1
            return uid - 1

        for code, name in names.DEPARTMENTS:
            unit(code, f"{name} {of}", "department")
        for code, name in names.VERTICALS:
            unit(code, f"{name} {of}", "vertical")
        for d in range(names.DISTRICTS):
            district = unit(f"H{d + 1:02d}", f"UBND huyện {names.place(p * 7 + d)}", "district")
            for c in range(names.COMMUNES // names.DISTRICTS + (1 if d < names.COMMUNES % names.DISTRICTS else 0)):
                unit(f"X{d + 1:02d}{c + 1:02d}", f"UBND xã {names.place(p * 31 + d * 5 + c + 3)}",
                     "commune", district)
    rows.flush("unit")
    return made


def generate(conn, pg: bool, provinces: int, n_tasks: int, today: dt.date, seed: int = 10) -> dict:
    rng = random.Random(seed)
    rows = Rows(conn, pg)
    from inspect_tui.rules.demo import _catalogue
    catalogue = _catalogue()
    national_roster(rows, conn, provinces)
    cur = conn.cursor()
    cur.execute("SELECT id, kind FROM unit WHERE ended_on IS NULL OR ended_on > %s" % ("%s" if pg else "?"),
                (today.isoformat(),))
    alive = cur.fetchall()
    units = [u for u, _ in alive]
    people = names.people(240)
    assignees = people + [""] * 20  # ~8% without an assignee
    plan_id, visit_id = _next_id(conn, "plan"), _next_id(conn, "visit")
    finding_id, task_id, note_id = (_next_id(conn, "finding"), _next_id(conn, "task"),
                                    _next_id(conn, "progress_note"))
    years = list(range(FIRST_YEAR, today.year + 1))
    plans = {}
    for year in years:
        issued = dt.date(year, 2, 15)
        plans[year] = plan_id
        rows.add("plan", (plan_id, 1, year, "city", None, f"{10 + year % 100}/KH-BNV", issued.isoformat(),
                          "comprehensive", f"Kế hoạch kiểm tra công tác cải cách hành chính năm {year}"))
        plan_id += 1
    rows.flush("plan")
    # tasks per year: a little more in recent years; the current year only up to today
    weights = [1.0 + 0.05 * i for i in range(len(years) - 1)] + [today.timetuple().tm_yday / 366]
    quota = {y: int(n_tasks * w / sum(weights)) for y, w in zip(years, weights)}
    quota[years[-1]] += n_tasks - sum(quota.values())
    made = 0
    desc_cache = {}
    for year in years:
        left = quota[year]
        last_day = min(dt.date(year, 12, 20), today - dt.timedelta(days=20))
        first_day = dt.date(year, 3, 1)
        span = max(1, (last_day - first_day).days)
        order = units[:]
        rng.shuffle(order)
        i = 0
        while left > 0:
            unit = order[i % len(order)]
            i += 1
            held = first_day + dt.timedelta(days=rng.randrange(span))
            notice = held + dt.timedelta(days=rng.randint(10, 21))
            rows.add("visit", (visit_id, 1, plans[year], unit, held.isoformat(), held.isoformat(), "held",
                               f"Biên bản kiểm tra ngày {held.strftime('%d/%m/%Y')}",
                               f"{100 + visit_id % 900}/TB-UBND", notice.isoformat(),
                               "Đơn vị triển khai đầy đủ các nhiệm vụ CCHC; một số nội dung còn chậm.", "", ""))
            for position in range(rng.randint(3, 9)):
                if left <= 0:
                    break
                item = catalogue[rng.randrange(len(catalogue))]
                rows.add("finding", (finding_id, 1, visit_id, item["area"], rng.choice(("minor", "moderate", "serious")),
                                     item["description"], item["recommendation"], position,
                                     _fold(f"{item['description']} {item['recommendation']}")))
                for _ in range(min(left, rng.randint(2, 6))):
                    text = rng.choice(item["tasks"]) + rng.choice(QUALIFIERS)
                    who = rng.choice(assignees)
                    key = (text, who)
                    folded = desc_cache.get(key)
                    if folded is None:
                        folded = desc_cache[key] = _fold(f"{text} {who}")
                    due = notice + dt.timedelta(days=rng.randint(30, 240))
                    status, done, reason, evidence = _status(rng, due, today, notice)
                    rows.add("task", (task_id, 1, finding_id, unit if rng.random() < 0.9 else rng.choice(units),
                                      text, who, due.isoformat(), status, reason, done, evidence,
                                      f"{notice.isoformat()} 09:00:00", folded))
                    if status != "open" and rng.random() < NOTE_SHARE:
                        noted = min(notice + dt.timedelta(days=rng.randint(5, 60)), today)
                        rows.add("progress_note", (note_id, task_id, noted.isoformat(), rng.choice(people),
                                                   rng.choice(NOTES), f"{noted.isoformat()} 10:00:00"))
                        note_id += 1
                    task_id += 1
                    left -= 1
                    made += 1
                finding_id += 1
            visit_id += 1
    # the current year's visits still planned, some this month (the overview's panel)
    for k in range(max(20, len(units) // 20)):
        day = today + dt.timedelta(days=rng.randint(-5, 40))
        rows.add("visit", (visit_id, 1, plans[years[-1]], units[rng.randrange(len(units))], day.isoformat(),
                           None, "planned", "", "", None, "", "", ""))
        visit_id += 1
    rows.flush()
    return rows.counts


def _status(rng: random.Random, due: dt.date, today: dt.date, notice: dt.date):
    """(status, completed_on, status_reason, evidence): believable for how long ago it was due."""
    age = (today - due).days
    if age < 0:  # not yet due
        weights = (("open", 0.45), ("in_progress", 0.4), ("reported_done", 0.12), ("cancelled", 0.03))
    elif age <= 120:
        weights = (("open", 0.2), ("in_progress", 0.3), ("reported_done", 0.2), ("verified", 0.25),
                   ("cancelled", 0.05))
    else:  # older: mostly closed, a tail still open (the overdue 90+ bucket)
        weights = (("open", 0.04), ("in_progress", 0.06), ("reported_done", 0.05), ("verified", 0.8),
                   ("cancelled", 0.05))
    status = draw(rng, weights)
    if status in ("reported_done", "verified"):
        done = min(max(notice + dt.timedelta(days=5), due + dt.timedelta(days=rng.randint(-30, 20))), today)
        return status, done.isoformat(), "", f"{rng.randint(100, 2999)}/BC-UBND"
    if status == "cancelled":
        return status, None, "Nội dung đã được xử lý trong nhiệm vụ khác.", ""
    return status, None, "", ""


def finish_pg(conn) -> None:
    cur = conn.cursor()
    for table in COLUMNS:
        cur.execute(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM \"{table}\"), 1))")


# What PostgreSQL keeps row by row as tasks are written (migrations 0007 and 0008):
# the overview's counts, by triggers, and the trigram index of the search. A
# bulk load turns them off and builds them once at the end, through the
# migrations themselves: row by row, L took an hour; built at the end, minutes.
DERIVED = ("task", "finding")


def derived_off(db) -> None:
    for table in DERIVED:
        db.execute_sql(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')  # not the foreign keys' own
        db.execute_sql(f'DROP INDEX IF EXISTS "{table}_search_text_trgm"')


def derived_on(db) -> None:
    import importlib
    for table in DERIVED:
        db.execute_sql(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')
    for name in ("0007_overview_tallies", "0008_search_index"):  # refill the counts, build the index
        importlib.import_module(f"inspect_tui.store.migrations.{name}").up(None, db)


def build_bulk(url: str, size: str, today: dt.date) -> dict:
    from inspect_tui.rules import meta, seed
    from inspect_tui.store import db as store
    from inspect_tui.store.models import database
    provinces, n_tasks = SCALE[size]
    store.connect(url, create=True)  # the app's migrations: a valid app database
    seed.load_defaults("bench")
    raw = database.obj
    with raw.atomic():
        conn = raw.connection()
        if is_pg(url):
            derived_off(raw)
        counts = generate(conn, is_pg(url), provinces, n_tasks, today)
        if is_pg(url):
            finish_pg(conn)
            derived_on(raw)
        meta.put("bench_today", today.isoformat())
        meta.put("bench_size", size)
    raw.execute_sql("ANALYZE")
    store.close()
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=("S", "M", "L"), required=True)
    parser.add_argument("--db", help="SQLite path or postgresql:// URL; 'pg' for the default PostgreSQL one")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=TODAY)
    parser.add_argument("--force", action="store_true", help="rebuild an existing database")
    args = parser.parse_args()
    url = pg_url(args.size, args.db) or default_db(args.size, "sqlite")
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    prepare_target(url, args.force)
    if args.size == "S":
        build_demo(url, args.today)
        from inspect_tui.rules import meta
        from inspect_tui.store import db as store
        store.connect(url)
        meta.put("bench_today", args.today.isoformat())
        meta.put("bench_size", "S")
        store.close()
        counts = {}
    else:
        counts = build_bulk(url, args.size, args.today)
    took = time.perf_counter() - started
    shown = ", ".join(f"{n:,} {t}" for t, n in counts.items() if n)
    print(f"{args.size} at {url} (today {args.today}): {shown or 'demo'} in {took:.1f} s")


if __name__ == "__main__":
    main()
