"""The bare SQL behind the task list and the `overdue`, `summary` and `search`
commands, written from reading inspect_tui/rules (tasks.py, ageing.py,
summary.py, search.py) and run through sqlite3 / psycopg2 directly: the
baselines of bench/run.py. No inspect_tui import here, on purpose.

As a script it is the bare command line: it prints each row as it comes.

    python bench/scale_bare_sql.py overdue|overdue_csv|summary|search|export_rows DB TODAY [TEXT]
"""
import datetime as dt
import sys

sys.path.insert(0, __import__("os").path.dirname(__file__))
from scale_common import bare_connect, is_pg  # noqa: E402

ACTIVE = "('open', 'in_progress')"
JOINS = """FROM task t
  JOIN finding f ON t.finding_id = f.id
  JOIN visit v ON f.visit_id = v.id
  JOIN plan p ON v.plan_id = p.id
  JOIN unit r ON t.responsible_unit_id = r.id
  JOIN unit vu ON v.unit_id = vu.id"""
LIST_COLUMNS = """t.id, t.version, t.finding_id, t.responsible_unit_id, t.description, t.assignee,
  t.due_on, t.status, t.status_reason, t.completed_on, t.evidence_ref, t.created_at, t.search_text,
  f.area, f.description AS finding_text, f.recommendation, v.id AS visit_id, p.year,
  r.code AS unit_code, r.name AS unit_name, vu.code AS visited_code, vu.name AS visited_name"""
ORDERS = {
    "overdue": f"(t.status IN {ACTIVE}) DESC, t.due_on, t.id",
    "due": "t.due_on, t.id",
    "unit": "r.name, t.due_on, t.id",
}


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

    def where(self, today: dt.date, overdue: bool = False, text: str = "") -> tuple[str, list]:
        clauses, params = [], []
        if overdue:
            clauses.append(f"t.status IN {ACTIVE} AND t.due_on < ?")
            params.append(today.isoformat())
        if text:
            like = f"%{text}%"
            clauses.append(f"(t.search_text {self.like} ? OR f.search_text {self.like} ? "
                           f"OR r.search_text {self.like} ?)")
            params += [like, like, like]
        return ("WHERE " + " AND ".join(clauses)) if clauses else "", params

    def page(self, today, overdue=False, text="", sort="overdue", offset=0, limit=100):
        """One page of the task list, and the total when offset is 0 (as the screen asks)."""
        where, params = self.where(today, overdue, text)
        rows = list(self.rows(f"SELECT {LIST_COLUMNS} {JOINS} {where} ORDER BY {ORDERS[sort]} "
                              f"LIMIT {int(limit)} OFFSET {int(offset)}", params))
        total = None
        if offset == 0:
            total = next(self.rows(f"SELECT COUNT(*) {JOINS} {where}", params))[0]
        return rows, total

    def task(self, task_id: int):
        return list(self.rows(f"SELECT {LIST_COLUMNS} {JOINS} WHERE t.id = ?", [task_id]))

    def overdue(self, today):
        where, params = self.where(today, overdue=True)
        return self.rows(f"SELECT {LIST_COLUMNS} {JOINS} {where} ORDER BY {ORDERS['overdue']}", params)

    def summary(self, today):
        """The counts of rules.summary.summarise (all years)."""
        d = dt.timedelta(days=1)
        iso = [x.isoformat() for x in (today - 91 * d, today - 31 * d, today - d, today + 7 * d)]
        yield from self.rows("SELECT u.kind, v.status, COUNT(v.id) FROM visit v JOIN unit u ON v.unit_id = u.id "
                             "JOIN plan p ON v.plan_id = p.id GROUP BY u.kind, v.status")
        yield from self.rows("SELECT f.area, COUNT(f.id) FROM finding f JOIN visit v ON f.visit_id = v.id "
                             "JOIN plan p ON v.plan_id = p.id GROUP BY f.area")
        yield from self.rows(f"SELECT t.status, COUNT(t.id) {JOINS} GROUP BY t.status")
        bucket = ("CASE WHEN t.due_on <= ? THEN 'overdue_90_plus' WHEN t.due_on <= ? THEN 'overdue_31_90' "
                  "WHEN t.due_on <= ? THEN 'overdue_1_30' WHEN t.due_on <= ? THEN 'due_7' ELSE 'not_due' END")
        yield from self.rows(f"SELECT {bucket}, COUNT(t.id) {JOINS} WHERE t.status IN {ACTIVE} "
                             f"GROUP BY {bucket}", iso + iso)
        late = f"SUM(CASE WHEN t.status IN {ACTIVE} AND t.due_on < ? THEN 1 ELSE 0 END)"
        yield from self.rows(f"SELECT r.code, r.name, {late}, COUNT(t.id), MIN(t.due_on) {JOINS} "
                             f"WHERE t.status IN {ACTIVE} GROUP BY r.code, r.name HAVING {late} > 0 "
                             f"ORDER BY {late} DESC, MIN(t.due_on), r.name LIMIT 10",
                             [today.isoformat()] * 3)

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
    out = sys.stdout
    sep = "," if command == "overdue_csv" else "\t"
    for row in rows:
        out.write(sep.join("" if v is None else str(v) for v in row) + "\n")
    out.flush()


if __name__ == "__main__":
    main()
