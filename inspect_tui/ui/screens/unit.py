"""One unit: its visits, findings, open and overdue tasks, and where it came
from or went in reorganisations."""
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Label, Static

from inspect_tui.locale import formats, t
from inspect_tui.rules import inspections, tasks, units
from inspect_tui.rules.tasks import TaskFilter
from inspect_tui.store.models import Finding, Plan, Visit
from inspect_tui.ui.screens.base import BaseScreen
from inspect_tui.ui.screens.tasks import clip


class UnitScreen(BaseScreen):
    SCOPE = "unit"

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code

    def compose(self) -> ComposeResult:
        yield self.header()
        with VerticalScroll(id="unit-detail"):
            yield Static("", id="unit-facts")
            yield Label(t("ui.unit.history"), classes="section")
            yield Static("", id="unit-history")
            yield Label(t("ui.unit.visits"), classes="section")
            yield DataTable(id="unit-visits", cursor_type="row")
            yield Label(t("ui.unit.findings"), classes="section")
            yield DataTable(id="unit-findings", cursor_type="row")
        yield self.footer()

    def on_mount(self) -> None:
        self.sub_title = t("ui.screen.unit")
        self.query_one("#unit-visits", DataTable).add_columns(
            t("column.year"), t("ui.visit.held_on"), t("column.status"), t("ui.visit.notice"),
            t("ui.plans.findings"), t("ui.plans.open"), t("column.overdue"))
        self.query_one("#unit-findings", DataTable).add_columns(
            t("column.year"), t("column.area"), t("column.finding"))

    def reload(self) -> None:
        unit = units.get(self.code)
        active = tasks.count(TaskFilter(unit=self.code, quick="active"), self.today)
        overdue = tasks.count(TaskFilter(unit=self.code, quick="overdue"), self.today)
        period = f"{formats.date(unit.started_on) or '…'} – {formats.date(unit.ended_on) or '…'}"
        self.query_one("#unit-facts", Static).update("\n".join([
            f"[b]{unit.name}[/b] ({unit.code}) · {t(f'unit_kind.{unit.kind}')}",
            f"{t('column.parent')}: {unit.parent.name if unit.parent_id else '–'} · {period}",
            t("ui.unit.tasks", active=formats.number(active), overdue=formats.number(overdue)),
        ]))
        history = units.reorganisation_history(self.code)
        self.query_one("#unit-history", Static).update("\n".join(
            f"{formats.date(h.on_date)} {t(f'reorganisation.{h.kind}')}: "
            f"{h.predecessor_name} → {h.successor_name}" for h in history) or t("ui.unit.no_history"))
        visits = self.query_one("#unit-visits", DataTable)
        visits.clear()
        for v in inspections.visits(self.today, unit=self.code):
            visits.add_row(str(v.year), formats.date(v.held_on or v.scheduled_on),
                           t(f"visit_status.{v.status}"), v.notice_number, str(v.findings),
                           str(v.open_tasks), str(v.overdue_tasks), key=str(v.id))
        found = self.query_one("#unit-findings", DataTable)
        found.clear()
        query = (Finding.select(Finding, Visit, Plan).join(Visit).join(Plan)
                 .where(Visit.unit == unit).order_by(Plan.year.desc(), Finding.position))
        for f in query:
            found.add_row(str(f.visit.plan.year), t(f"area_short.{f.area}"), clip(f.description, 80),
                          key=f"{f.visit_id}:{f.id}")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.app.open_visit(int(event.row_key.value.split(":")[0]))

    def action_unit_tasks(self) -> None:
        self.app.open_tasks(unit=self.code, quick="active")

    def action_unit_overdue(self) -> None:
        self.app.open_tasks(unit=self.code, quick="overdue")
