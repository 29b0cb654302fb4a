"""The coordinator's working list of remediation tasks.

Quick filters in the spirit of taskwarrior's virtual tags (overdue, due this
week, awaiting verification, no assignee), field filters, a diacritic-blind
search and three sort orders. Filtering, sorting and paging all happen in SQL:
the table holds the pages fetched so far and asks for the next one as the
cursor nears the end."""
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Input, Label, Select, Static

from inspect_tui.locale import formats, t
from inspect_tui.rules import tasks
from inspect_tui.rules.tasks import SORTS, TaskFilter
from inspect_tui.rules.vocab import AREAS, TASK_STATUSES
from inspect_tui.ui.screens.base import BaseScreen

PAGE = 100
STATUS_STYLE = {"open": "", "in_progress": "dodger_blue2", "reported_done": "yellow",
                "verified": "green", "cancelled": "grey50"}


def clip(text: str, width: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


class TasksScreen(BaseScreen):
    SCOPE = "tasks"

    def __init__(self, quick: str | None = None, unit: str = "", area: str | None = None,
                 bucket: str | None = None, status: str | None = None, year: int | None = None,
                 visit_id: int | None = None, text: str = "", sort: str = "overdue") -> None:
        super().__init__(quick=quick, unit=unit, area=area, bucket=bucket, status=status,
                         year=year, visit_id=visit_id, text=text, sort=sort)
        self.quick = quick
        self.bucket = bucket
        self.visit_id = visit_id
        self.sort = sort
        self.initial = {"unit": unit, "area": area, "status": status, "year": year, "text": text}
        self.loaded = 0
        self.total = 0
        self.generation = 0
        self.loading_more = False
        self._debounce = None

    def compose(self) -> ComposeResult:
        yield self.header()
        with Horizontal():
            with VerticalScroll(id="filters"):
                yield Label(t("ui.tasks.search"))
                yield Input(self.initial["text"], placeholder=t("ui.tasks.search_hint"), id="f-text", compact=True)
                yield Label(t("column.unit"))
                yield Input(self.initial["unit"], placeholder=t("ui.tasks.unit_hint"), id="f-unit", compact=True)
                yield Label(t("column.area"))
                yield Select([(t(f"area_short.{a}"), a) for a in AREAS], value=self.initial["area"] or Select.NULL,
                             prompt=t("ui.tasks.any"), id="f-area", compact=True)
                yield Label(t("column.status"))
                yield Select([(t(f"task_status.{s}"), s) for s in TASK_STATUSES],
                             value=self.initial["status"] or Select.NULL, prompt=t("ui.tasks.any"),
                             id="f-status", compact=True)
                yield Label(t("column.year"))
                yield Input(str(self.initial["year"] or ""), placeholder="yyyy", id="f-year",
                            restrict=r"\d{0,4}", compact=True)
                yield Label(t("column.assignee"))
                yield Input(placeholder=t("ui.tasks.assignee_hint"), id="f-assignee", compact=True)
            with Vertical(id="task-main"):
                yield Static("", id="filter-line")
                yield DataTable(id="tasks", cursor_type="row", zebra_stripes=True)
        yield self.footer()

    def on_mount(self) -> None:
        self.sub_title = t("ui.screen.tasks")
        table = self.query_one("#tasks", DataTable)
        # What a coordinator scans first (how late, by when, who) comes first,
        # so it stays visible at 80 columns.
        for key, label in (("id", "column.task"), ("late", "column.overdue"),
                           ("due", "column.due_on"), ("unit", "ui.tasks.col_unit"),
                           ("task", "column.description"), ("status", "column.status"),
                           ("area", "column.area")):
            table.add_column(t(label), key=key)
        table.focus()
        # The filters open on demand (f, /) so the list keeps the full width;
        # the line above the table always says what is filtered.
        self.set_class(not any(self.initial.values()), "hide-filters")

    # --- the filter -------------------------------------------------------

    def current_filter(self) -> TaskFilter:
        def value(widget_id):
            return self.query_one(widget_id).value

        area = value("#f-area")
        status = value("#f-status")
        year = value("#f-year")
        return TaskFilter(
            quick=self.quick,
            bucket=self.bucket,
            statuses=(status,) if isinstance(status, str) else (),
            unit=value("#f-unit"),
            area=area if isinstance(area, str) else None,
            year=int(year) if year.isdigit() and len(year) == 4 else None,
            assignee=value("#f-assignee"),
            text=value("#f-text"),
            visit_id=self.visit_id,
            sort=self.sort,
        )

    def describe(self) -> str:
        parts = [t(f"quick.{self.quick}") if self.quick else t("ui.tasks.all")]
        if self.bucket:
            parts.append(t(f"bucket.{self.bucket}"))
        if self.visit_id:
            parts.append(t("ui.tasks.of_visit", id=self.visit_id))
        parts.append(t("ui.tasks.count", shown=formats.number(self.loaded),
                       total=formats.number(self.total)))
        parts.append(t("ui.tasks.sorted", sort=t(f"sort.{self.sort}")))
        return " · ".join(parts)

    def reload(self) -> None:
        self.generation += 1
        self.load_page(self.current_filter(), self.generation, 0)

    def _schedule(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(0.25, self.reload)

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        if event.input.id and event.input.id.startswith("f-"):
            self._schedule()

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        self.reload()

    @on(Input.Submitted)
    def _input_submitted(self, event: Input.Submitted) -> None:
        self.reload()
        self.query_one("#tasks").focus()

    # --- loading pages in a worker -----------------------------------------

    @work(thread=True, group="tasks")
    def load_page(self, flt: TaskFilter, generation: int, offset: int) -> None:
        rows = tasks.list_tasks(flt, self.today, limit=PAGE, offset=offset)
        total = tasks.count(flt, self.today) if offset == 0 else None
        self.app.call_from_thread(self.show_page, generation, offset, rows, total)

    def show_page(self, generation: int, offset: int, rows, total) -> None:
        if generation != self.generation:
            return  # a newer filter has replaced this one
        table = self.query_one("#tasks", DataTable)
        if offset == 0:
            keep = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value \
                if table.row_count else None
            table.clear()
            self.loaded = 0
            self.total = total or 0
        else:
            keep = None
        for row in rows:
            late = formats.number(row.days_overdue) if row.days_overdue else ""
            status = t(f"task_status.{row.status}")
            table.add_row(
                str(row.id), f"[bold red]{late}[/]" if late else "", formats.date(row.due_on),
                clip(row.unit_name, 22), clip(row.description, 30),
                f"[{STATUS_STYLE[row.status]}]{status}[/]" if STATUS_STYLE[row.status] else status,
                clip(t(f"area_short.{row.area}"), 14), key=str(row.id))
        self.loaded += len(rows)
        self.loading_more = False
        if keep is not None and keep in table.rows:
            table.move_cursor(row=table.get_row_index(keep))
        self.query_one("#filter-line", Static).update(self.describe())

    @on(DataTable.RowHighlighted, "#tasks")
    def _near_end(self, event: DataTable.RowHighlighted) -> None:
        if (not self.loading_more and self.loaded < self.total
                and event.cursor_row >= self.loaded - 10):
            self.loading_more = True
            self.load_page(self.current_filter(), self.generation, self.loaded)

    @on(DataTable.RowSelected, "#tasks")
    def _open(self, event: DataTable.RowSelected) -> None:
        self.app.open_task(int(event.row_key.value))

    # --- actions ------------------------------------------------------------

    def action_quick(self, name: str) -> None:
        self.quick = None if self.quick == name else name
        self.bucket = None
        self.reload()

    def action_clear_filters(self) -> None:
        self.quick = None
        self.bucket = None
        self.visit_id = None
        for widget_id in ("#f-text", "#f-unit", "#f-year", "#f-assignee"):
            self.query_one(widget_id, Input).value = ""
        for widget_id in ("#f-area", "#f-status"):
            self.query_one(widget_id, Select).clear()
        self.reload()

    def action_cycle_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.reload()

    def action_focus_search(self) -> None:
        self.remove_class("hide-filters")
        self.query_one("#f-text", Input).focus()

    def action_toggle_filters(self) -> None:
        self.toggle_class("hide-filters")
        if not self.has_class("hide-filters"):
            self.query_one("#f-unit", Input).focus()
        else:
            self.query_one("#tasks").focus()

    def action_back(self) -> None:
        if self.focused is not None and self.focused.id != "tasks":
            self.query_one("#tasks").focus()
            return
        super().action_back()
