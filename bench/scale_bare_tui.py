"""Bare Textual apps, the baselines of the TUI rows (no inspect_tui import):

- LabelApp paints one label (the start-up baseline);
- ListApp is a bare DataTable with the task list's columns over bare
  sqlite3 / psycopg2 (KeysetPages): `4` opens the list, `o` overdue, `s` sort,
  `/` a search box, PageDown pages (the next page fetched near the end),
  Enter a task's page, Escape back.

KeysetPages is the SQL a developer would write by hand for a list of a
million rows, of the same shapes as the app's pages: keyset (never OFFSET),
each sort order read as a merge of index walks on (status, due_on, id) or
(responsible_unit_id, due_on, id), the page's rows then read whole by id,
and a count capped at COUNT_CAP read after the rows are shown.
"""
import datetime as dt
import time

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Input, Label, Static

from scale_common import bare_connect, is_pg

COLUMNS = ("Nhiệm vụ", "Quá hạn", "Hạn", "Đơn vị", "Trạng thái", "Nội dung", "Lĩnh vực")
PAGE = 100
COUNT_CAP = 10_000
SORTS = ("overdue", "due", "unit")
STATUSES = ("open", "in_progress", "reported_done", "verified", "cancelled")
ACTIVE = ("open", "in_progress")
ROW_COLUMNS = ("t.id, t.description, t.status, t.due_on, r.name, f.area")
JOINS = ("FROM task t JOIN finding f ON t.finding_id = f.id "
         "JOIN unit r ON t.responsible_unit_id = r.id")
UNITS_AT_ONCE = 25


def day(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


class KeysetPages:
    """The task list's pages by keyset on one bare DB-API connection."""

    def __init__(self, url: str):
        self.con = bare_connect(url)
        self.mark = "%s" if is_pg(url) else "?"

    def fetch(self, sql: str, params=()) -> list[tuple]:
        cur = self.con.cursor()
        cur.execute(sql.replace("?", self.mark), list(params))
        return cur.fetchall()

    def _filter(self, today, overdue: bool, text: str) -> tuple[list[str], list]:
        where, params = [], []
        if overdue:
            where.append("t.due_on < ?")
            params.append(today.isoformat())
        if text:
            like = f"%{text}%"
            where.append("(t.search_text LIKE ? OR t.finding_id IN (SELECT id FROM finding "
                         "WHERE search_text LIKE ?) OR t.responsible_unit_id IN (SELECT id FROM unit "
                         "WHERE search_text LIKE ?))")
            params += [like, like, like]
        return where, params

    def _walk(self, statuses, where, params, start, limit, unit_id=None) -> tuple[str, list]:
        """(due_on, id) of the first `limit` tasks after `start`, in that order."""
        clauses = [f"t.status IN ({', '.join('?' * len(statuses))})", *where]
        values = [*statuses, *params]
        if unit_id is not None:
            clauses.append("t.responsible_unit_id = ?")
            values.append(unit_id)
        if start is not None:
            clauses.append("(t.due_on, t.id) > (?, ?)")
            values += [str(start[0]), start[1]]
        return (f"SELECT t.due_on, t.id FROM task t WHERE {' AND '.join(clauses)} "
                f"ORDER BY t.due_on, t.id LIMIT {int(limit)}", values)

    def _walks(self, statuses, where, params, text, start, limit) -> list:
        if text:  # no index serves a text match: one walk for every status
            return [self._walk(statuses, where, params, start, limit)]
        return [self._walk((s,), where, params, start, limit) for s in statuses]

    def _merge(self, arms, limit) -> list[tuple]:
        """(rank, due_on, id) of the first `limit` rows of the walks, in one round trip."""
        if not arms:
            return []
        parts, values = [], []
        for i, (rank, (sql, params)) in enumerate(arms):
            parts.append(f"SELECT {int(rank)} AS r, w{i}.due_on, w{i}.id FROM ({sql}) AS w{i}")
            values += params
        rows = self.fetch(" UNION ALL ".join(parts) + f" ORDER BY 1, 2, 3 LIMIT {int(limit)}", values)
        return [(rank, day(due), i) for rank, due, i in rows]

    def _by_unit(self, statuses, where, params, text, after, limit) -> list[tuple]:
        units = self.fetch("SELECT name, id FROM unit" + (" WHERE (name, id) >= (?, ?)" if after else "")
                           + " ORDER BY name, id", after[:2] if after else ())
        keys, first, size = [], 0, 1
        while first < len(units) and len(keys) < limit:
            batch = units[first:first + size]
            first, size = first + size, min(size * 4, UNITS_AT_ONCE)
            arms = []
            for rank, (name, unit_id) in enumerate(batch):
                start = after[2:] if after and (name, unit_id) == tuple(after[:2]) else None
                arms.append((rank, self._walk(statuses, where, params, start, limit - len(keys), unit_id)))
            keys += [(*batch[rank], due, i) for rank, due, i in self._merge(arms, limit - len(keys))]
        return keys

    def page(self, today, overdue=False, text="", sort="overdue", after=None, limit=PAGE):
        """(rows, where the next page starts or None)."""
        where, params = self._filter(today, overdue, text)
        statuses = ACTIVE if overdue else STATUSES
        if sort == "unit":
            keys = self._by_unit(statuses, where, params, text, after, limit + 1)
        elif sort == "overdue":
            arms = []
            for rank, group in enumerate((tuple(s for s in statuses if s in ACTIVE),
                                          tuple(s for s in statuses if s not in ACTIVE))):
                if group and (after is None or after[0] <= rank):
                    start = after[1:] if after is not None and after[0] == rank else None
                    arms += [(rank, w) for w in self._walks(group, where, params, text, start, limit + 1)]
            keys = self._merge(arms, limit + 1)
        else:
            keys = [k[1:] for k in self._merge([(0, w) for w in self._walks(statuses, where, params, text,
                                                                            after, limit + 1)], limit + 1)]
        more = len(keys) > limit
        keys = keys[:limit]
        ids = [k[-1] for k in keys]
        if not ids:
            return [], None
        found = {r[0]: r for r in self.fetch(f"SELECT {ROW_COLUMNS} {JOINS} WHERE t.id IN "
                                             f"({', '.join('?' * len(ids))})", ids)}
        return [found[i] for i in ids if i in found], (keys[-1] if more else None)

    def count(self, today, overdue=False, text="") -> int:
        where, params = self._filter(today, overdue, text)
        statuses = ACTIVE if overdue else STATUSES
        clauses = [f"t.status IN ({', '.join('?' * len(statuses))})", *where]
        return self.fetch(f"SELECT COUNT(*) FROM (SELECT 1 FROM task t WHERE {' AND '.join(clauses)} "
                          f"LIMIT {COUNT_CAP + 1}) AS capped", [*statuses, *params])[0][0]

    def task(self, task_id: int) -> tuple:
        return self.fetch(f"SELECT {ROW_COLUMNS} {JOINS} WHERE t.id = ?", [task_id])[0]


class StampedLabel(Label):
    def render(self):
        if self.app.painted_at is None:
            self.app.painted_at = time.perf_counter()
        return super().render()


class LabelApp(App):
    painted_at = None

    def compose(self) -> ComposeResult:
        yield StampedLabel("Tổng quan")


class TaskPage(Screen):
    BINDINGS = [Binding("escape", "app.pop_screen", "back")]

    def __init__(self, row):
        super().__init__()
        self.row = row

    def compose(self) -> ComposeResult:
        yield Static("\n".join(str(v) for v in self.row), id="task")


class ListScreen(Screen):
    BINDINGS = [Binding("o", "overdue", "overdue"), Binding("s", "sort", "sort"),
                Binding("slash", "search", "search"), Binding("escape", "back", "back"),
                Binding("x", "clear", "clear")]

    def __init__(self, pages: KeysetPages, today):
        super().__init__()
        self.pages, self.today = pages, today
        self.overdue, self.sort, self.text = False, "overdue", ""
        self.generation, self.loaded, self.total, self.after, self.loading = 0, 0, None, None, False
        self.debounce = None

    def compose(self) -> ComposeResult:
        yield Static("", id="filter-line")
        yield Input(id="search", classes="hidden")
        yield DataTable(id="tasks", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*COLUMNS)
        table.focus()
        self.reload()

    def reload(self) -> None:
        self.generation += 1
        self.load(self.generation, None)

    @work(thread=True, group="list", exit_on_error=False)
    def load(self, generation: int, after) -> None:
        rows, after_page = self.pages.page(self.today, self.overdue, self.text, self.sort, after)
        self.app.call_from_thread(self.show, generation, after is None, rows, after_page)

    @work(thread=True, group="count", exit_on_error=False)
    def count(self, generation: int) -> None:
        total = self.pages.count(self.today, self.overdue, self.text)
        self.app.call_from_thread(self.show_count, generation, total)

    def show(self, generation, first, rows, after) -> None:
        if generation != self.generation:
            return
        table = self.query_one(DataTable)
        if first:
            table.clear()
            self.total, self.loaded = None, 0
        for task_id, description, status, due_on, unit, area in rows:
            due = day(due_on)
            late = (self.today - due).days if status in ACTIVE and due < self.today else 0
            table.add_row(str(task_id), str(late or ""), due.strftime("%d/%m/%Y"), unit, status,
                          description, area, key=str(task_id))
        self.loaded += len(rows)
        self.after, self.loading = after, False
        if after is None:
            self.total = self.loaded
        elif first:
            self.count(generation)
        self.describe()

    def show_count(self, generation, total) -> None:
        if generation == self.generation and self.total is None:
            self.total = total
            self.describe()

    def describe(self) -> None:
        total = "…" if self.total is None else (f"≥ {COUNT_CAP}" if self.total > COUNT_CAP else self.total)
        self.query_one("#filter-line", Static).update(
            f"{'Quá hạn · ' if self.overdue else ''}{self.text} {self.loaded}/{total} · {self.sort}")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if not self.loading and self.after is not None and event.cursor_row >= self.loaded - 10:
            self.loading = True
            self.load(self.generation, self.after)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.app.push_screen(TaskPage(self.pages.task(int(event.row_key.value))))

    def on_input_changed(self, event: Input.Changed) -> None:
        # the app's 250 ms pause after the last character: without it every
        # character would queue a query that a thread cannot cancel
        self.text = event.value
        if self.debounce is not None:
            self.debounce.stop()
        self.debounce = self.set_timer(0.25, self.reload)

    def action_overdue(self) -> None:
        self.overdue = not self.overdue
        self.reload()

    def action_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.reload()

    def action_search(self) -> None:
        self.query_one(Input).remove_class("hidden")
        self.query_one(Input).focus()

    def action_clear(self) -> None:
        self.overdue, self.text = False, ""
        self.query_one(Input).value = ""
        self.reload()

    def action_back(self) -> None:
        if self.focused is not None and self.focused.id != "tasks":
            self.query_one(DataTable).focus()
            return
        self.app.pop_screen()


class ListApp(App):
    CSS = ".hidden { display: none; }"
    BINDINGS = [Binding("4", "tasks", "tasks")]

    def __init__(self, url: str, today):
        super().__init__()
        self.pages, self.today = KeysetPages(url), today

    def compose(self) -> ComposeResult:
        yield Label("Tổng quan")

    def action_tasks(self) -> None:
        self.push_screen(ListScreen(self.pages, self.today))
