"""The 2026-2030 work plan: items by year as a grid of milestone statuses,
and an item's page with its milestones, notes and linked indicators."""
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Label, Static

from inspect_tui.locale import formats, t
from inspect_tui.rules import workplan
from inspect_tui.rules.errors import DomainError
from inspect_tui.rules.vocab import MILESTONE_STATUSES
from inspect_tui.ui.screens.base import BaseScreen
from inspect_tui.ui.screens.forms import TextPrompt
from inspect_tui.ui.screens.tasks import clip

MARK = {"not_started": "[grey50]○[/]", "in_progress": "[dodger_blue2]◐[/]", "done": "[green]●[/]",
        "delayed": "[red]▲[/]", "cancelled": "[grey37]×[/]"}


def milestone_cell(m: workplan.MilestoneRow | None, label: bool = True) -> str:
    """The status mark (the grid shows only marks, explained by the legend)."""
    if m is None:
        return ""
    text = f"{MARK[m.status]} {t(f'milestone_status.{m.status}')}" if label else f"  {MARK[m.status]}"
    return f"{text} [bold red]![/]" if m.late else text


class WorkPlanScreen(BaseScreen):
    SCOPE = "workplan"

    def compose(self) -> ComposeResult:
        yield self.header()
        yield Static(t("ui.workplan.legend", **{s: MARK[s] for s in MILESTONE_STATUSES}),
                     id="workplan-legend")
        yield DataTable(id="workplan-grid", cursor_type="row", zebra_stripes=True)
        yield self.footer()

    def on_mount(self) -> None:
        self.sub_title = t("ui.screen.workplan")
        table = self.query_one("#workplan-grid", DataTable)
        table.add_column(t("column.code"), key="code")
        table.add_column(t("ui.workplan.item"), key="title")
        for year in workplan.YEARS:
            table.add_column(str(year), key=str(year))
        table.focus()

    def reload(self) -> None:
        table = self.query_one("#workplan-grid", DataTable)
        row_index = table.cursor_row
        table.clear()
        for item in workplan.items(self.today):
            by_year = {m.year: m for m in item.milestones}
            table.add_row(item.code, clip(item.title, 48),
                          *[milestone_cell(by_year.get(y), label=False) for y in workplan.YEARS],
                          key=item.code)
        if table.row_count:
            table.move_cursor(row=min(row_index, table.row_count - 1))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.app.push_screen(WorkItemScreen(event.row_key.value))


class WorkItemScreen(BaseScreen):
    SCOPE = "item"

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code

    def compose(self) -> ComposeResult:
        yield self.header()
        with VerticalScroll(id="item-detail"):
            yield Static("", id="item-facts")
            yield Label(t("ui.workplan.milestones"), classes="section")
            yield DataTable(id="milestones", cursor_type="row")
            yield Label(t("ui.workplan.notes"), classes="section")
            yield Static("", id="item-notes")
        yield self.footer()

    def on_mount(self) -> None:
        self.sub_title = t("ui.screen.item", code=self.code)
        self.query_one("#milestones", DataTable).add_columns(
            t("column.year"), t("column.due_on"), t("column.status"), t("column.note"))
        self.query_one("#milestones").focus()

    def reload(self) -> None:
        item = workplan.item(self.code, self.today)
        self.query_one("#item-facts", Static).update("\n".join([
            f"[b]{item.code}. {item.title}[/b]",
            f"{t('column.area')}: {t(f'area.{item.area}')}",
            f"{t('ui.workplan.lead')}: {item.lead_name or '–'}",
            f"{t('ui.workplan.coordinators')}: {', '.join(item.coordinators) or '–'}",
            f"{t('ui.workplan.indicators')}: {', '.join(item.indicators) or '–'}",
            "", item.description,
        ]))
        table = self.query_one("#milestones", DataTable)
        row_index = table.cursor_row
        table.clear()
        for m in item.milestones:
            table.add_row(str(m.year), formats.date(m.due_on), milestone_cell(m), m.note, key=str(m.year))
        if table.row_count:
            table.move_cursor(row=min(row_index, table.row_count - 1))
        notes = workplan.notes(self.code)
        self.query_one("#item-notes", Static).update("\n".join(
            f"{formats.date(n.noted_on)} {n.author}: {n.text}" for n in notes) or "–")

    def action_cycle_milestone(self) -> None:
        table = self.query_one("#milestones", DataTable)
        if not table.row_count:
            return
        year = int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        current = next(m for m in workplan.item(self.code, self.today).milestones if m.year == year)
        following = MILESTONE_STATUSES[(MILESTONE_STATUSES.index(current.status) + 1) % len(MILESTONE_STATUSES)]
        try:
            workplan.set_milestone(self.code, year, self.actor, status=following,
                                   expected_version=current.version)
        except DomainError as error:
            self.notify(error.message(), severity="error")
            return
        self.reload()

    def action_note(self) -> None:
        self.app.push_screen(TextPrompt(t("ui.workplan.note_title"), t("column.text")), self._noted)

    def _noted(self, text: str | None) -> None:
        if text:
            workplan.add_note(self.code, text, self.actor, self.today)
            self.reload()
