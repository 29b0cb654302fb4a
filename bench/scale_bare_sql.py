"""The bare SQL behind the `overdue`, `summary` and `search` commands and the
status workbook's rows, run through sqlite3 / psycopg2 directly: the
baselines of bench/run.py. No inspect_tui import here, on purpose.

Each is the SQL a developer would write by hand for the same result on the
same database (its indexes included): one ordered query for `overdue`, a
plain GROUP BY on each table for `summary`. They owe nothing to the app's
own shortcuts (per-status walks, trigger-kept tallies, the trigram index),
so a ratio shows what those buy. The task list's bare pages are in
scale_bare_tui.py (KeysetPages).

As a script it is the bare command line: it prints each row as it comes.

    python bench/scale_bare_sql.py overdue|overdue_csv|summary|search|export_rows DB TODAY [TEXT]
"""
import csv
import datetime as dt
import sys

sys.path.insert(0, __import__("os").path.dirname(__file__))
from scale_common import bare_connect, is_pg  # noqa: E402

ACTIVE = "('open', 'in_progress')"
# the columns `inspect-tui overdue` prints, and the joins that name them
OVERDUE = f"""SELECT t.id, r.code, r.name, f.area, f.description, t.description, t.due_on, t.status,
  t.assignee, vu.code, p.year
FROM task t
  JOIN unit r ON t.responsible_unit_id = r.id
  JOIN finding f ON t.finding_id = f.id
  JOIN visit v ON f.visit_id = v.id
  JOIN unit vu ON v.unit_id = vu.id
  JOIN plan p ON v.plan_id = p.id
WHERE t.status IN {ACTIVE} AND t.due_on < ?
ORDER BY t.due_on, t.id"""


class Bare:
    """One connection and the placeholder style of its driver."""

    def __init__(self, url: str):
        self.pg = is_pg(url)
        self.con = bare_connect(url)
        self.mark = "%s" if self.pg else "?"
        self.like = "ILIKE" if self.pg else "LIKE"

    def rows(self, sql: str, params=(), size: int = 2000):
        cur = self.con.cursor()
        cur.execute(sql.replace("?", self.mark), params)
        while True:
            batch = cur.fetchmany(size)
            if not batch:
                return
            yield from batch

    def overdue(self, today):
        """The overdue tasks, earliest due first (all are active: the app's
        "overdue" order), with the days overdue as the app prints them."""
        for row in self.rows(OVERDUE, [today.isoformat()]):
            due = row[6] if isinstance(row[6], dt.date) else dt.date.fromisoformat(row[6][:10])
            yield (*row, (today - due).days)

    def summary(self, today):
        """The counts of `inspect-tui summary` (all years) as plain GROUP BYs on
        each table, the task counts walking the (status, …) indexes; the ranking
        of units grouped on task alone, its ten units named after."""
        d = dt.timedelta(days=1)
        iso = [x.isoformat() for x in (today - 91 * d, today - 31 * d, today - d, today + 7 * d)]
        yield from self.rows("SELECT u.kind, v.status, COUNT(*) FROM visit v JOIN unit u ON v.unit_id = u.id "
                             "GROUP BY u.kind, v.status")
        yield from self.rows("SELECT area, COUNT(*) FROM finding GROUP BY area")
        yield from self.rows("SELECT status, COUNT(*) FROM task GROUP BY status")
        bucket = ("CASE WHEN due_on <= ? THEN 'overdue_90_plus' WHEN due_on <= ? THEN 'overdue_31_90' "
                  "WHEN due_on <= ? THEN 'overdue_1_30' WHEN due_on <= ? THEN 'due_7' ELSE 'not_due' END")
        yield from self.rows(f"SELECT {bucket}, COUNT(*) FROM task WHERE status IN {ACTIVE} GROUP BY 1", iso)
        yield from self.rows(
            "SELECT u.code, u.name, x.late, x.active, x.oldest FROM ("
            "  SELECT responsible_unit_id, SUM(CASE WHEN due_on < ? THEN 1 ELSE 0 END) AS late,"
            "         COUNT(*) AS active, MIN(due_on) AS oldest"
            f"  FROM task WHERE status IN {ACTIVE} GROUP BY responsible_unit_id) x "
            "JOIN unit u ON u.id = x.responsible_unit_id WHERE x.late > 0 "
            "ORDER BY x.late DESC, x.oldest, u.name LIMIT 10", [today.isoformat()])

    def search(self, text, limit=50):
        like = f"%{text}%"
        yield from self.rows(f"SELECT id, code, name FROM unit WHERE search_text {self.like} ? "
                             f"ORDER BY name LIMIT {limit}", [like])
        yield from self.rows(f"SELECT f.id, u.code, f.description, p.year FROM finding f "
                             f"JOIN visit v ON f.visit_id = v.id JOIN unit u ON v.unit_id = u.id "
                             f"JOIN plan p ON v.plan_id = p.id WHERE f.search_text {self.like} ? "
                             f"ORDER BY p.year DESC, f.id LIMIT {limit}", [like])
        yield from self.rows(f"SELECT t.id, u.code, t.description FROM task t "
                             f"JOIN unit u ON t.responsible_unit_id = u.id WHERE t.search_text {self.like} ? "
                             f"ORDER BY t.due_on DESC, t.id LIMIT {limit}", [like])

    def export_rows(self):
        """The rows of the status workbook's task sheet (rules.exchange.finding_task_rows):
        every finding with its tasks (a finding without one gets its own row), its latest note."""
        sql = ("SELECT t.id, p.year, vu.name, f.area, f.description, f.recommendation, t.description, "
               "r.name, t.due_on, t.status, "
               "(SELECT n.text FROM progress_note n WHERE n.task_id = t.id "
               " ORDER BY n.noted_on DESC, n.id DESC LIMIT 1) "
               "FROM finding f JOIN visit v ON f.visit_id = v.id JOIN plan p ON v.plan_id = p.id "
               "JOIN unit vu ON v.unit_id = vu.id LEFT JOIN task t ON t.finding_id = f.id "
               "LEFT JOIN unit r ON t.responsible_unit_id = r.id ORDER BY p.year, vu.name, f.id, t.id")
        return self.rows(sql)


def main() -> None:
    command, url, today = sys.argv[1], sys.argv[2], dt.date.fromisoformat(sys.argv[3])
    bare = Bare(url)
    rows = {"overdue": lambda: bare.overdue(today), "overdue_csv": lambda: bare.overdue(today),
            "summary": lambda: bare.summary(today), "search": lambda: bare.search(sys.argv[4]),
            "export_rows": bare.export_rows}[command]()
    if command == "overdue_csv":  # quoted as the app's csv is
        csv.writer(sys.stdout, lineterminator="\n").writerows(rows)
    else:
        sys.stdout.writelines("\t".join("" if v is None else str(v) for v in row) + "\n" for row in rows)
    sys.stdout.flush()

if __name__ == "__main__":
    main()
