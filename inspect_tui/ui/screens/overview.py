"""The first screen: where remediation is late, in which areas, for how long,
what falls due this week, which visits are planned this month, and how the
2026-2030 work plan advances, which conclusion notices are late or due this
week. Every bar and figure opens the list behind it. `d` drafts the reminder
letters to the units with overdue tasks, `b` the year's report (Word)."""
import time
from concurrent.futures import ThreadPoolExecutor

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, OptionList
from textual.widgets.option_list import Option

from inspect_tui.locale import formats, t
from inspect_tui.rules import database, inspections, notices, overview, task_pages
from inspect_tui.rules.vocab import MILESTONE_STATUSES
from inspect_tui.ui.screens.base import BaseScreen
from inspect_tui.ui.screens.forms import ChoicePrompt
from inspect_tui.ui.screens.papers import draft_in_background
from inspect_tui.ui.widgets.bars import Bar, BarList

BUCKET_STYLE = {"not_due": "green", "due_7": "yellow", "overdue_1_30": "dark_orange",
                "overdue_31_90": "red", "overdue_90_plus": "bold red"}
MILESTONE_STYLE = {"not_started": "grey50", "in_progress": "dodger_blue2", "done": "green",
                   "delayed": "red", "cancelled": "grey37"}


class Panel(Vertical):
    def __init__(self, title: str, body, **kwargs) -> None:
        super().__init__(**kwargs)
        self.border_title = title
        self.body = body

    def compose(self) -> ComposeResult:
        yield self.body


class OverviewScreen(BaseScreen):
    SCOPE = "overview"
    AUTO_FOCUS = "#by-unit"  # the worst units: Enter opens their open tasks, most overdue first

    def compose(self) -> ComposeResult:
        # The figures are read while the screen is built: at a million tasks
        # the read takes longer than the building.
        self.load()
        yield self.header()
        with VerticalScroll(id="overview"):
            with Horizontal(id="headline"):
                for name in ("overdue", "active", "due_week", "awaiting"):
                    yield Button(t(f"ui.overview.{name}", n="…"), id=f"head-{name}",
                                 compact=True, classes=f"head head-{name}")
            with Grid(id="panels"):
                yield Panel(t("ui.overview.by_unit"), BarList(id="by-unit", label_width=26,
                                                                  empty=t("ui.overview.no_active")),
                            classes="panel wide")
                yield Panel(t("ui.overview.by_area"), BarList(id="by-area", label_width=20),
                            classes="panel")
                yield Panel(t("ui.overview.buckets"), BarList(id="buckets", label_width=20),
                            classes="panel")
                yield Panel(t("ui.overview.visits_month"), OptionList(id="visits-month"),
                            classes="panel")
                yield Panel(t("ui.overview.workplan", year="…"), BarList(id="workplan", label_width=20),
                            classes="panel", id="workplan-panel")
                yield Panel(t("ui.overview.notices"), OptionList(id="notices-due"),
                            classes="panel wide")
        yield self.footer()

    def on_mount(self) -> None:
        self.sub_title = t("ui.screen.overview")
        self.panels_mounted = True
        if self.early is not None:  # read before the panels were mounted
            self.show(*self.early)

    def on_resize(self, event) -> None:
        self.set_class(event.size.width < 100, "narrow")

    read_at: tuple | None = None  # (the change log's last id, today) the figures were read at
    early: tuple | None = None  # figures read before the screen was mounted
    panels_mounted = False

    def reload(self) -> None:
        self.load()

    def action_reload(self) -> None:
        self.load()

    def resumed(self) -> None:
        # Back from another screen: the figures are read again only if something
        # was written meanwhile (or the day changed); at a million tasks they cost.
        # Not before the first read (begun in compose) has shown them.
        if self.read_at is not None:
            self.load(unless=self.read_at)

    @work(thread=True, exclusive=True, group="overview", exit_on_error=False)
    def load(self, unless: tuple | None = None) -> None:
        with database.worker_connection():
            read_at = (task_pages.stamp(), self.today)
            if unless is not None and read_at == unless:
                return
            # The notices in a thread of their own, at the same time: each read
            # waits on the database more than on Python.
            with ThreadPoolExecutor(max_workers=1) as pool:
                due = pool.submit(self._notices)
                data = overview.overview(self.today)
                due = due.result()
        self.app.call_from_thread(self.show, data, due, read_at)

    def _notices(self) -> list:
        with database.worker_connection():
            return notices.notices_due(self.today)

    def show(self, data: overview.Overview, due: list | None = None, read_at: tuple | None = None) -> None:
        if not self.panels_mounted:
            self.early = (data, due, read_at)
            return
        if not self.shown:
            return  # replaced (a key went to another screen) while the figures were read
        self.early = None
        self.read_at = read_at
        notices_list = self.query_one("#notices-due", OptionList)
        notices_list.clear_options()
        if due:
            notices_list.add_options([Option(Text.assemble(
                (t(f"notice_state.{n.state}"), "bold red" if n.state == "late" else "yellow"),
                " · " + t("ui.overview.notice_line_rest", unit=n.unit_name,
                          held=formats.date(n.held_on), due=formats.date(n.due_on))),
                id=f"v{n.visit_id}") for n in due])
        else:
            notices_list.add_option(Option(t("ui.overview.no_notices"), disabled=True))
        for name in ("overdue", "active", "due_week", "awaiting"):
            button = self.query_one(f"#head-{name}", Button)
            button.label = t(f"ui.overview.{name}", n=formats.number(getattr(data, name)))
            button.refresh(layout=True)  # an auto-width button must grow with its label
        self.query_one("#headline").refresh(layout=True)
        # Every bar of units and areas opens the same kind of list: that unit's or
        # area's open tasks, the most overdue first.
        self.query_one("#by-unit", BarList).set_bars([
            Bar(u.name, u.active, {"unit": u.code, "quick": "active", "sort": "overdue"},
                second=u.overdue) for u in data.by_unit])
        self.query_one("#by-area", BarList).set_bars([
            Bar(t(f"area_short.{a.area}"), a.active, {"area": a.area, "quick": "active", "sort": "overdue"},
                second=a.overdue) for a in data.by_area])
        self.query_one("#buckets", BarList).set_bars([
            Bar(t(f"bucket.{b}"), n, {"bucket": b}, style=BUCKET_STYLE[b])
            for b, n in data.buckets.items()])
        visits = self.query_one("#visits-month", OptionList)
        visits.clear_options()
        if data.visits_month:
            visits.add_options([Option(f"{formats.date(v.scheduled_on)}  {v.unit_name}", id=f"v{v.id}")
                                for v in data.visits_month])
        else:
            visits.add_option(Option(t("ui.overview.no_visits"), disabled=True))
        self.query_one("#workplan-panel").border_title = t("ui.overview.workplan", year=data.plan_year)
        progress = [Bar(t(f"milestone_status.{s}"), data.plan_progress.get(s, 0), "workplan",
                        style=MILESTONE_STYLE[s]) for s in MILESTONE_STATUSES]
        progress.append(Bar(t("ui.overview.late_milestones"), data.plan_progress.get("late", 0),
                            "workplan", style="red"))
        self.query_one("#workplan", BarList).set_bars(progress)
        if self.app.first_data_at is None:
            self.app.first_data_at = time.perf_counter()

    # --- following a figure to its list ----------------------------------

    def on_button_pressed(self, event: Button.Pressed) -> None:
        quick = (event.button.id or "").removeprefix("head-")
        self.app.open_tasks(quick=quick)

    def on_bar_list_chosen(self, event: BarList.Chosen) -> None:
        if event.payload == "workplan":
            self.app.call_later(self.app.action_go, "workplan")
        elif isinstance(event.payload, dict):
            self.app.open_tasks(**event.payload)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id in ("visits-month", "notices-due") and event.option.id:
            self.app.open_visit(int(event.option.id[1:]))

    # --- papers ---------------------------------------------------------------

    def action_draft_reminders(self) -> None:
        from inspect_tui.papers.commands import draft_reminders
        today = self.today

        def said(result) -> str:
            folder, letters = result
            if not letters:
                return t("ui.papers.none_overdue", day=formats.date(today))
            return t("ui.papers.written_many", n=len(letters), path=str(folder))

        draft_in_background(self.app, t("papers.kind.remind"), draft_reminders, said)

    def action_draft_report(self) -> None:
        years: dict[int, int] = {}
        for v in inspections.visits(self.today):
            if v.held_on:
                years[v.year] = years.get(v.year, 0) + 1
        if not years:
            self.notify(t("ui.overview.no_years"), severity="warning")
            return
        ordered = sorted(years, reverse=True)
        prompt = ChoicePrompt(t("ui.overview.report_title"),
                              [(t("ui.overview.report_year", year=y, visits=years[y]), str(y))
                               for y in ordered])
        self.app.push_screen(prompt, self._report_year_chosen)

    def _report_year_chosen(self, year: str | None) -> None:
        if year is None:
            return
        from inspect_tui.papers.commands import draft_report
        draft_in_background(self.app, t("papers.kind.report"),
                            lambda settings: draft_report(int(year), settings))
