"""One unit: its visits (a conclusion notice late or due this week shown as
such), findings (repeated ones marked and counted), open and overdue tasks,
and where it came from or went in reorganisations."""
from textual.widget import Widget
from textual.widgets import Static

from inspect_tui.locale import formats, t
from inspect_tui.rules import followup, inspections, tasks, unit_page, units
from inspect_tui.rules.tasks import TaskFilter
from inspect_tui.ui.screens.page import DetailPage
from inspect_tui.ui.screens.plans import notice_cell
from inspect_tui.ui.widgets.table import Cell, Col, FittedTable


class UnitScreen(DetailPage):
    SCOPE = "unit"
    FOCUS = "#unit-visits"

    def sections(self) -> list[tuple[str, Widget]]:
        return [
            (t("ui.unit.history"), Static("", id="unit-history")),
            (t("ui.unit.visits"),
             FittedTable([Col("year", t("column.year"), max=4),
                          Col("day", t("ui.visit.held_on"), t("ui.plans.day_short"), max=10),
                          Col("status", t("column.status"), max=14),
                          Col("notice", t("ui.visit.notice"), t("ui.visit.notice_short"),
                              flex=True, min=10, max=24),
                          Col("findings", t("ui.plans.findings"), max=8),
                          Col("open", t("ui.plans.open"), max=8),
                          Col("overdue", t("column.overdue"), max=8)],
                         id="unit-visits", cursor_type="row")),
            (t("ui.unit.findings"),
             FittedTable([Col("year", t("column.year"), max=4),
                          Col("area", t("column.area"), min=10, max=20),
                          Col("finding", t("column.finding"), flex=True, wrap=True, min=20,
                              max=300)],
                         id="unit-findings", cursor_type="row")),
        ]

    def reload(self) -> None:
        unit = unit_page.facts(self.code)
        active = tasks.count(TaskFilter(unit=self.code, quick="active"), self.today)
        overdue = tasks.count(TaskFilter(unit=self.code, quick="overdue"), self.today)
        period = ", ".join(filter(None, [  # ended_on is the first day without the unit
            t("ui.unit.since", day=formats.date(unit.started_on)) if unit.started_on else "",
            t("ui.unit.until", day=formats.date(unit.ended_on)) if unit.ended_on else ""]))
        self.show_facts([
            f"[b]{unit.name}[/b] ({unit.code}) · {t(f'unit_kind.{unit.kind}')}",
            f"{t('column.parent')}: {unit.parent_name or '–'}"
            + (f" · {period}" if period else ""),
            t("ui.unit.tasks", active=formats.number(active), overdue=formats.number(overdue))
            + "".join(f" · {t('ui.unit.repeated', repeated=formats.number(r.repeated), findings=formats.number(r.findings))}"
                      for r in followup.repeated_by_unit(unit=self.code)[:1]),
        ])
        history = units.reorganisation_history(self.code)
        self.query_one("#unit-history", Static).update("\n".join(
            f"{formats.date(h.on_date)} {t(f'reorganisation.{h.kind}')}: "
            f"{h.predecessor_name} → {h.successor_name}" for h in history) or t("ui.unit.no_history"))
        self.query_one("#unit-visits", FittedTable).set_rows([(str(v.id), {
            "year": str(v.year), "day": formats.date(v.held_on or v.scheduled_on),
            "status": t(f"visit_status.{v.status}"), "notice": notice_cell(v, self.today),
            "findings": str(v.findings), "open": str(v.open_tasks),
            "overdue": Cell(str(v.overdue_tasks), "bold red" if v.overdue_tasks else "")})
            for v in inspections.visits(self.today, unit=self.code)])
        self.query_one("#unit-findings", FittedTable).set_rows([(f"{f.visit_id}:{f.id}", {
            "year": str(f.year), "area": t(f"area_short.{f.area}"),
            "finding": (f"({t('ui.visit.repeated')}) " if f.repeated else "") + f.description})
            for f in unit_page.findings(self.code)])

    def on_data_table_row_selected(self, event: FittedTable.RowSelected) -> None:
        self.app.open_visit(int(event.row_key.value.split(":")[0]))

    def action_unit_tasks(self) -> None:
        self.app.open_tasks(unit=self.code, quick="active")

    def action_unit_overdue(self) -> None:
        self.app.open_tasks(unit=self.code, quick="overdue")
