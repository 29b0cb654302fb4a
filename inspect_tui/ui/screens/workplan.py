"""The 2026-2030 work plan: items by year as a grid of milestone statuses,
and an item's page with its milestones, notes and linked indicators."""
from rich.text import Text
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import DataTable, Static

from inspect_tui.locale import formats, t
from inspect_tui.rules import workplan
from inspect_tui.rules.errors import DomainError
from inspect_tui.rules.vocab import MILESTONE_STATUSES
from inspect_tui.ui.screens.page import DetailPage, Page
from inspect_tui.ui.screens.forms import ChoicePrompt, ConfirmPrompt, TextPrompt
from inspect_tui.ui.widgets.table import Col, FittedTable

MARK = {"not_started": "[grey50]○[/]", "in_progress": "[dodger_blue2]◐[/]", "done": "[green]●[/]",
        "delayed": "[red]▲[/]", "cancelled": "[grey37]×[/]"}


def milestone_cell(m: workplan.MilestoneRow | None, label: bool = True) -> Text:
    """The status mark and its name (the grid shows only marks, explained by the legend)."""
    if m is None:
        return Text("")
    text = Text.from_markup(MARK[m.status])
    if label:
        text.append(" " + t(f"milestone_status.{m.status}"))
    else:
        text = Text("  ") + text
    if m.late:
        text.append(" !", style="bold red")
    return text


class WorkPlanScreen(Page):
    SCOPE = "workplan"
    FOCUS = "#workplan-grid"

    def body(self) -> ComposeResult:
        yield Static(t("ui.workplan.legend", **{s: MARK[s] for s in MILESTONE_STATUSES}),
                     id="workplan-legend")
        yield FittedTable([Col("code", t("column.code"), max=6),
                           Col("title", t("ui.workplan.item"), flex=True, wrap=True, min=20, max=120),
                           *[Col(str(y), str(y), max=6) for y in workplan.YEARS]],
                          id="workplan-grid", cursor_type="row", zebra_stripes=True)

    def reload(self) -> None:
        rows = []
        for item in workplan.items(self.today):
            by_year = {m.year: m for m in item.milestones}
            rows.append((item.code, {"code": item.code, "title": item.title,
                                     **{str(y): milestone_cell(by_year.get(y), label=False)
                                        for y in workplan.YEARS}}))
        self.query_one("#workplan-grid", FittedTable).set_rows(rows)

    def on_data_table_row_selected(self, event: FittedTable.RowSelected) -> None:
        self.app.push_screen(WorkItemScreen(event.row_key.value))


class WorkItemScreen(DetailPage):
    SCOPE = "item"
    TITLE_ARG = "code"
    FOCUS = "#milestones"

    def sections(self) -> list[tuple[str, Widget]]:
        return [
            (t("ui.workplan.milestones"),
             FittedTable([Col("year", t("column.year"), max=4),
                          Col("due", t("column.due_on"), t("ui.tasks.col_due_short"), max=10),
                          Col("status", t("column.status"), max=20),
                          Col("note", t("column.note"), flex=True, wrap=True, min=16, max=200)],
                         id="milestones", cursor_type="row")),
            (t("ui.workplan.notes"), Static("", id="item-notes")),
        ]

    def reload(self) -> None:
        item = workplan.item(self.code, self.today)
        self.show_facts([
            f"[b]{item.code}. {item.title}[/b]",
            f"{t('column.area')}: {t(f'area.{item.area}')}",
            f"{t('ui.workplan.lead')}: {item.lead_name or '–'}",
            f"{t('ui.workplan.coordinators')}: {', '.join(item.coordinators) or '–'}",
            f"{t('ui.workplan.indicators')}: {', '.join(item.indicators) or '–'}",
            "", item.description,
        ])
        self.query_one("#milestones", FittedTable).set_rows([
            (str(m.year), {"year": str(m.year), "due": formats.date(m.due_on),
                           "status": milestone_cell(m), "note": m.note})
            for m in item.milestones])
        notes = workplan.notes(self.code)
        self.query_one("#item-notes", Static).update("\n".join(
            f"{formats.date(n.noted_on)} {n.author}: {n.text}" for n in notes) or "–")

    def action_milestone(self) -> None:
        """Choose the milestone's status in a dialog; "Hủy" is confirmed once more."""
        table = self.query_one("#milestones", DataTable)
        if not table.row_count:
            return
        year = int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        current = next(m for m in workplan.item(self.code, self.today).milestones if m.year == year)
        choices = [(f"{t(f'milestone_status.{s}')}"
                    + (f" ({t('ui.workplan.now')})" if s == current.status else ""), s)
                   for s in MILESTONE_STATUSES]
        self.app.push_screen(
            ChoicePrompt(t("ui.workplan.milestone_title", code=self.code, year=year,
                           status=t(f"milestone_status.{current.status}")),
                         choices, note=t("ui.workplan.milestone_note", undo=self.app.undo_key()),
                         current=current.status),
            lambda status: self._chosen(year, current, status))

    def _chosen(self, year: int, current, status: str | None) -> None:
        if not status or status == current.status:
            return
        if status == "cancelled":
            self.app.push_screen(
                ConfirmPrompt(t("ui.workplan.cancel_question", code=self.code, year=year),
                              t("ui.workplan.cancel_yes"), t("ui.workplan.cancel_no")),
                lambda sure: sure and self._set(year, current, status))
        else:
            self._set(year, current, status)

    def _set(self, year: int, current, status: str) -> None:
        try:
            workplan.set_milestone(self.code, year, self.actor, status=status,
                                   expected_version=current.version)
        except DomainError as error:
            self.notify(error.message(), severity="error")
            self.reload()
            return
        self.reload()
        self.saved(t("ui.workplan.milestone_set", code=self.code, year=year,
                     status=t(f"milestone_status.{status}")))

    def action_note(self) -> None:
        self.app.push_screen(TextPrompt(t("ui.workplan.note_title"), t("column.text")), self._noted)

    def _noted(self, text: str | None) -> None:
        if text:
            try:
                workplan.add_note(self.code, text, self.actor, self.today)
            except DomainError as error:
                self.notify(error.message(), severity="error")
                return
            self.reload()
            self.saved(t("ui.workplan.noted"))
