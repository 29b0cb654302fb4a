"""Bare Textual apps, the baselines of the TUI rows (no inspect_tui import):

- LabelApp paints one label (the start-up baseline);
- ListApp is a bare DataTable with the task list's columns paging the same
  SQL (scale_bare_sql.Bare.page): `4` opens the list, `o` overdue, `s` sort,
  `/` a search box, PageDown pages (the next page fetched near the end),
  Enter a task's page, Escape back.
"""
import time

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Input, Label, Static

from scale_bare_sql import Bare

COLUMNS = ("Nhiệm vụ", "Quá hạn", "Hạn", "Đơn vị", "Trạng thái", "Nội dung", "Lĩnh vực")
PAGE = 100
SORTS = ("overdue", "due", "unit")


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

    def __init__(self, bare: Bare, today):
        super().__init__()
        self.bare, self.today = bare, today
        self.overdue, self.sort, self.text = False, "overdue", ""
        self.generation, self.loaded, self.total, self.loading = 0, 0, 0, False
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
        self.load(self.generation, 0)

    @work(thread=True, group="list", exit_on_error=False)
    def load(self, generation: int, offset: int) -> None:
        rows, total = self.bare.page(self.today, self.overdue, self.text, self.sort, offset, PAGE)
        self.app.call_from_thread(self.show, generation, offset, rows, total)

    def show(self, generation, offset, rows, total) -> None:
        if generation != self.generation:
            return
        table = self.query_one(DataTable)
        if offset == 0:
            table.clear()
            self.total, self.loaded = total, 0
        for r in rows:
            due = r[6] if not isinstance(r[6], str) else __import__("datetime").date.fromisoformat(r[6])
            late = (self.today - due).days if r[7] in ("open", "in_progress") and due < self.today else 0
            table.add_row(str(r[0]), str(late or ""), due.strftime("%d/%m/%Y"), r[19], r[7], r[4], r[13],
                          key=str(r[0]))
        self.loaded += len(rows)
        self.loading = False
        self.query_one("#filter-line", Static).update(
            f"{'Quá hạn · ' if self.overdue else ''}{self.text} {self.loaded}/{self.total} · {self.sort}")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if not self.loading and self.loaded < self.total and event.cursor_row >= self.loaded - 10:
            self.loading = True
            self.load(self.generation, self.loaded)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.app.push_screen(TaskPage(self.bare.task(int(event.row_key.value))[0]))

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
        self.bare, self.today = Bare(url), today

    def compose(self) -> ComposeResult:
        yield Label("Tổng quan")

    def action_tasks(self) -> None:
        self.push_screen(ListScreen(self.bare, self.today))
