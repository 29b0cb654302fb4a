"""The coordinator's working list of remediation tasks.

Quick filters in the spirit of taskwarrior's virtual tags (overdue, due this
week, awaiting verification, no assignee), field filters, a diacritic-blind
search and three sort orders. Filtering, sorting and paging all happen in SQL
(rules/task_pages.py, by keyset): the table holds the pages fetched so far and
asks for the next one as the cursor nears the end. The line above the table
says in words every filter that applies ("Quá hạn · Sở Tài chính · Đang thực
hiện · 11/11 nhiệm vụ"), an empty result says so, and a year not yet typed
whole is named, not ignored.

The rows never wait for a total: the count is read by its own worker once the
rows are shown ("100/… nhiệm vụ" meanwhile), and stops at COUNT_CAP ("100/≥
10.000 nhiệm vụ"). Coming back from a task reads the list again only when the
change log has moved since it was read.

Columns give way by priority (widgets.table): at 80 columns the id, days
late, due date, unit and status stay, and the description is shortened first."""
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.widgets import Input, Label, Select, Static

from inspect_tui.locale import formats, t
from inspect_tui.rules import database, task_pages, tasks, units
from inspect_tui.rules.errors import DomainError
from inspect_tui.rules.tasks import SORTS, TaskFilter
from inspect_tui.rules.vocab import AREAS, TASK_STATUSES
from inspect_tui.ui.screens.base import BaseScreen
from inspect_tui.ui.widgets.inputs import TextInput, UnitField
from inspect_tui.ui.widgets.table import Cell, Col, FittedTable

PAGE = 100
COUNT_CAP = 10_000  # past this the filter line says "≥ 10.000": counting on costs more than it tells
STATUS_STYLE = {"open": "", "in_progress": "dodger_blue2", "reported_done": "yellow",
                "verified": "green", "cancelled": "grey50"}


def clip(text: str, width: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def status_cell(status: str, style: str | None = None) -> Cell:
    """A task's status with its short form for a narrow column ("Đang làm")."""
    return Cell(t(f"task_status.{status}"), STATUS_STYLE[status] if style is None else style,
                t(f"ui.task_status_short.{status}"))


def task_columns() -> list[Col]:
    return [
        Col("id", t("column.task"), t("ui.tasks.col_id_short"), max=7),
        Col("late", t("column.overdue"), t("ui.tasks.col_late_short"), max=8),
        Col("due", t("column.due_on"), t("ui.tasks.col_due_short"), max=10),
        Col("unit", t("ui.tasks.col_unit"), min=14, max=26),
        Col("status", t("column.status"), max=22),
        Col("task", t("column.description"), t("ui.tasks.col_task_short"), min=30, floor=20,
            max=200, flex=True, drop=1),
        Col("area", t("column.area"), max=16, drop=2),
    ]


class TaskTable(FittedTable):
    """The list's table. Enter pressed before the first rows have come (typed
    ahead: "4" then Enter) opens the first task as soon as they come."""

    awaiting_rows = True  # until the screen shows its first page
    select_on_rows = False

    def action_select_cursor(self) -> None:
        if self.awaiting_rows and not self.row_count:
            self.select_on_rows = True
            return
        super().action_select_cursor()

    def rows_came(self) -> None:
        self.awaiting_rows = False
        if self.select_on_rows:
            self.select_on_rows = False
            if self.row_count:
                self.action_select_cursor()


class TasksScreen(BaseScreen):
    SCOPE = "tasks"

    def __init__(self, quick: str | None = None, unit: str = "", area: str | None = None,
                 bucket: str | None = None, status: str | None = None, year: int | None = None,
                 visit_id: int | None = None, text: str = "", sort: str = "overdue",
                 assignee: str = "", filters_open: bool | None = None) -> None:
        super().__init__(quick=quick, unit=unit, area=area, bucket=bucket, status=status,
                         year=year, visit_id=visit_id, text=text, sort=sort, assignee=assignee,
                         filters_open=filters_open)
        self.quick = quick
        self.bucket = bucket
        self.visit_id = visit_id
        self.sort = sort
        # The filters as set, while their sidebar is not built: it is built the
        # first time it opens (f, /), as a list opened from a key needs none of it.
        self.values = {"unit": unit, "area": area, "status": status, "year": str(year or ""),
                       "text": text, "assignee": assignee}
        self.filters_built = False
        self.filters_open = filters_open
        # Set before mounting: set after, the class would restyle the whole screen.
        self.set_class(not filters_open, "hide-filters", update=False)
        self.loaded = 0
        self.total: int | None = None  # None: still being counted
        self.after: tuple | None = None  # where the next page starts; None: no more rows
        self.stamp: tuple | None = None  # (the change log's last id, today) the list was read at
        self.generation = 0
        self.loading_more = False
        self._debounce = None

    def clone(self) -> "TasksScreen":
        """The same list with the filters as they are now (F2 rebuilds the screen)."""
        year = self._value("year")
        return TasksScreen(quick=self.quick, unit=self._value("unit"),
                           area=self._select("area"), bucket=self.bucket,
                           status=self._select("status"),
                           year=int(year) if year.isdigit() else None, visit_id=self.visit_id,
                           text=self._value("text"), sort=self.sort,
                           assignee=self._value("assignee"),
                           filters_open=not self.has_class("hide-filters"))

    def compose(self) -> ComposeResult:
        yield self.header()
        with Horizontal(id="task-body"):
            if self.filters_open:
                yield self._filters()
                self.filters_built = True
            with Vertical(id="task-main"):
                yield Static("", id="filter-line")
                yield TaskTable(task_columns(), id="tasks", cursor_type="row", zebra_stripes=True)
                yield Static("", id="tasks-empty")
        yield self.footer()

    def on_mount(self) -> None:
        self.sub_title = t("ui.screen.tasks")
        self.query_one("#tasks", FittedTable).focus()

    # --- the filter -------------------------------------------------------

    def _filters(self) -> VerticalScroll:
        """The filter sidebar. It opens on demand (f, /) so the list keeps the
        full width; the line above the table always says in words what is filtered."""
        values = self.values
        return VerticalScroll(
            Label(t("ui.tasks.search")),
            TextInput(values["text"], placeholder=t("ui.tasks.search_hint"), id="f-text", compact=True),
            UnitField(t("column.unit"), values["unit"], input_id="f-unit", compact=True,
                      required=False, strict=False, placeholder=t("ui.tasks.unit_hint"), id="f-unit-field"),
            Label(t("column.area")),
            Select([(t(f"area_short.{a}"), a) for a in AREAS], value=values["area"] or Select.NULL,
                   prompt=t("ui.tasks.any"), id="f-area", compact=True),
            Label(t("column.status")),
            Select([(t(f"task_status.{s}"), s) for s in TASK_STATUSES],
                   value=values["status"] or Select.NULL, prompt=t("ui.tasks.any"), id="f-status",
                   compact=True),
            Label(t("column.year")),
            TextInput(values["year"], placeholder="yyyy", id="f-year", restrict=r"\d{0,4}", compact=True),
            Static(self._year_error(values["year"].strip()), id="f-year-error"),
            Label(t("column.assignee")),
            TextInput(values["assignee"], placeholder=t("ui.tasks.assignee_hint"), id="f-assignee",
                      compact=True),
            id="filters")

    async def open_filters(self) -> None:
        """Show the sidebar, building it the first time."""
        if not self.filters_built:
            filters = self._filters()
            self.filters_built = True
            await self.query_one("#task-body", Horizontal).mount(filters, before="#task-main")
        self.remove_class("hide-filters")

    def _value(self, name: str) -> str:
        """A text filter (text, unit, year, assignee) as its box holds it."""
        if not self.filters_built:
            return self.values[name]
        return self.query_one(f"#f-{name}", Input).value

    def _select(self, name: str) -> str | None:
        """A chosen filter (area, status), None for any."""
        value = self.query_one(f"#f-{name}", Select).value if self.filters_built else self.values[name]
        return value if isinstance(value, str) else None

    def _year_text(self) -> str:
        return self._value("year").strip()

    @staticmethod
    def _year_error(year: str) -> str:
        return t("ui.tasks.partial_year", year=year) if year and len(year) < 4 else ""

    def _unit_filter(self) -> tuple[str, str]:
        """(what the filter matches: a code or name text, how the heading names it)."""
        text = self._value("unit").strip()
        if not text:
            return "", ""
        try:
            unit = units.resolve(text, "unit")
        except DomainError:
            return text, t("ui.tasks.unit_text", text=text)
        return unit.code, unit.name

    def current_filter(self) -> TaskFilter:
        year = self._year_text()
        return TaskFilter(
            quick=self.quick,
            bucket=self.bucket,
            statuses=(status,) if (status := self._select("status")) else (),
            unit=self._unit_filter()[0],
            area=self._select("area"),
            year=int(year) if year.isdigit() and len(year) == 4 else None,
            assignee=self._value("assignee"),
            text=self._value("text"),
            visit_id=self.visit_id,
            sort=self.sort,
        )

    def describe(self) -> str:
        """Every filter that applies, in words, then the count and the order."""
        parts = []
        if self.quick:
            parts.append(t(f"quick.{self.quick}"))
        if self.bucket:
            parts.append(t(f"bucket.{self.bucket}"))
        unit = self._unit_filter()[1]
        if unit:
            parts.append(unit)
        if area := self._select("area"):
            parts.append(t(f"area_short.{area}"))
        if status := self._select("status"):
            parts.append(t(f"task_status.{status}"))
        year = self._year_text()
        if len(year) == 4:
            parts.append(t("ui.tasks.year", year=year))
        if assignee := self._value("assignee").strip():
            parts.append(t("ui.tasks.assignee", text=assignee))
        if text := self._value("text").strip():
            parts.append(t("ui.tasks.text", text=text))
        if self.visit_id:
            parts.append(t("ui.tasks.of_visit", id=self.visit_id))
        if not parts:
            parts.append(t("ui.tasks.all"))
        parts.append(t("ui.tasks.count", shown=formats.number(self.loaded), total=self._total_text()))
        parts.append(t("ui.tasks.sorted", sort=t(f"sort.{self.sort}")))
        line = " · ".join(escape(p) for p in parts)
        if year and len(year) < 4:
            line += f"  [b red]{t('ui.tasks.partial_year', year=year)}[/]"
        return line

    def _total_text(self) -> str:
        if self.total is None:
            return t("ui.tasks.count_pending")
        if self.total > COUNT_CAP:
            return t("ui.tasks.count_at_least", n=formats.number(max(COUNT_CAP, self.loaded)))
        return formats.number(self.total)

    def reload(self, unless_stamp: tuple | None = None) -> None:
        """Read the list again from its first page (as many rows as are shown,
        so the cursor keeps its row); with `unless_stamp`, only if the change
        log has moved past it."""
        self.generation += 1
        if self.filters_built:
            self.query_one("#f-year-error", Static).update(self._year_error(self._year_text()))
        limit = max(PAGE, self.loaded) if unless_stamp is not None else PAGE
        self.load_page(self.current_filter(), self.generation, None, limit, unless_stamp)

    def resumed(self) -> None:
        # Back from a task: nothing to read again unless something was written.
        self.reload(unless_stamp=self.stamp)

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

    @work(thread=True, group="tasks", exit_on_error=False)
    def load_page(self, flt: TaskFilter, generation: int, after: tuple | None, limit: int = PAGE,
                  unless_stamp: tuple | None = None) -> None:
        with database.worker_connection():
            stamp = (task_pages.stamp(), self.today) if after is None else None
            if unless_stamp is not None and stamp == unless_stamp:
                return  # nothing written since the list was read
            page = task_pages.page(flt, self.today, limit=limit, after=after)
        self.app.call_from_thread(self.show_page, generation, after is None, page, stamp, flt)

    @work(thread=True, group="tasks-count", exit_on_error=False)
    def count_rows(self, flt: TaskFilter, generation: int) -> None:
        with database.worker_connection():
            total = tasks.count(flt, self.today, cap=COUNT_CAP)
        self.app.call_from_thread(self.show_count, generation, total)

    @staticmethod
    def _cells(row) -> tuple[str, dict]:
        late = formats.number(row.days_overdue) if row.days_overdue else ""
        return str(row.id), {
            "id": str(row.id), "late": Cell(late, "bold red"), "due": formats.date(row.due_on),
            "unit": row.unit_name, "task": row.description, "status": status_cell(row.status),
            "area": t(f"area_short.{row.area}"),
        }

    def show_page(self, generation: int, first: bool, page: task_pages.Page, stamp: tuple | None,
                  flt: TaskFilter) -> None:
        if generation != self.generation or not self.shown:
            return  # a newer filter has replaced this one, or another screen this one
        table = self.query_one("#tasks", TaskTable)
        cells = [self._cells(r) for r in page.rows]
        if first:
            keep = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value \
                if table.row_count else None
            self.stamp = stamp
            self.loaded = len(page.rows)
            self.total = None
            table.set_rows(cells)
            if keep is not None and keep in table.rows:
                table.move_cursor(row=table.get_row_index(keep))
            table.rows_came()
        else:
            self.loaded += len(page.rows)
            table.add_rows_fitted(cells)
        self.after = page.after
        self.loading_more = False
        if page.after is None:
            self.total = self.loaded  # the last page: the count is known
        elif first:
            self.count_rows(flt, generation)  # after the rows, in its own worker
        self.query_one("#filter-line", Static).update(self.describe())
        empty = self.query_one("#tasks-empty", Static)
        empty.update(t("ui.tasks.empty") if not self.loaded else "")
        empty.display = not self.loaded

    def show_count(self, generation: int, total: int) -> None:
        if generation != self.generation or not self.shown:
            return
        if self.total is None:
            self.total = max(total, self.loaded)
            self.query_one("#filter-line", Static).update(self.describe())

    @on(FittedTable.RowHighlighted, "#tasks")
    def _near_end(self, event: FittedTable.RowHighlighted) -> None:
        if (not self.loading_more and self.after is not None
                and event.cursor_row >= self.loaded - 10):
            self.loading_more = True
            self.load_page(self.current_filter(), self.generation, self.after)

    @on(FittedTable.RowSelected, "#tasks")
    def _open(self, event: FittedTable.RowSelected) -> None:
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
        self.values = {"unit": "", "area": None, "status": None, "year": "", "text": "", "assignee": ""}
        if self.filters_built:
            for name in ("text", "unit", "year", "assignee"):
                self.query_one(f"#f-{name}", Input).value = ""
            for name in ("area", "status"):
                self.query_one(f"#f-{name}", Select).clear()
        self.reload()

    def action_cycle_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.reload()

    async def action_focus_search(self) -> None:
        await self.open_filters()
        self.query_one("#f-text", Input).focus()

    async def action_toggle_filters(self) -> None:
        if self.has_class("hide-filters"):
            await self.open_filters()
            self.query_one("#f-unit", Input).focus()
        else:
            self.add_class("hide-filters")
            self.query_one("#tasks").focus()

    def action_back(self) -> None:
        if self.focused is not None and self.focused.id != "tasks":
            self.query_one("#tasks").focus()
            return
        super().action_back()
