"""Inspection plans by year and level; a plan's team with roles and its
visits with status, conclusion notice and counts. Enter opens a visit.
`n` a new plan; on the plan under the cursor `m` adds a team member, `v` a
visit, `y` starts next year's plan from it."""
from textual import on
from textual.app import ComposeResult
from textual.markup import escape
from textual.widgets import DataTable, Static

from inspect_tui.locale import formats, t
from inspect_tui.rules import inspections, notices
from inspect_tui.rules.errors import DomainError
from inspect_tui.ui.screens.page import Page
from inspect_tui.ui.screens.plan_forms import MemberForm, NextYearForm, PlanForm, VisitAddForm
from inspect_tui.ui.widgets.table import Cell, Col, FittedTable


def notice_cell(v: inspections.VisitRow, today) -> Cell | str:
    """The conclusion notice as issued, or, for a held visit without one, whether
    it is late or due this week (15 working days after the visit)."""
    issued = f"{v.notice_number} {formats.date(v.notice_date)}".strip()
    state = notices.state(v.held_on, v.notice_date, today)
    if state in ("late", "due_week") and v.notice_due_on:
        label = t(f"ui.visit.notice_{state}", day=formats.date(v.notice_due_on))
        return Cell(label, "bold red" if state == "late" else "yellow")
    return issued


class PlansScreen(Page):
    SCOPE = "plans"
    FOCUS = "#plans"

    def __init__(self) -> None:
        super().__init__()
        self.plan_id: int | None = None
        self.focus_visit: str | None = None  # the visit row to put the cursor on after a reload

    def body(self) -> ComposeResult:
        yield FittedTable([Col("year", t("column.year"), max=4),
                           Col("level", t("ui.plans.level"), min=10, max=40),
                           Col("number", t("ui.plans.number"), min=10, max=20),
                           Col("kind", t("ui.plans.kind"), max=16, drop=1),
                           Col("visits", t("ui.plans.visits"), max=8)],
                          id="plans", cursor_type="row", zebra_stripes=True)
        yield Static("", id="plan-team")
        # The counts stay at 80 columns; the unit name gives way, then the notice.
        yield FittedTable([Col("unit", t("column.visited_unit"), t("ui.tasks.col_unit"),
                               flex=True, min=16, max=60),
                           Col("day", t("ui.visit.held_on"), t("ui.plans.day_short"), max=10),
                           Col("status", t("column.status"), max=14),
                           Col("notice", t("ui.visit.notice"), t("ui.visit.notice_short"), min=10,
                               max=24, drop=1),
                           Col("findings", t("ui.plans.findings"), max=8),
                           Col("open", t("ui.plans.open"), max=8),
                           Col("overdue", t("column.overdue"), max=8)],
                          id="plan-visits", cursor_type="row", zebra_stripes=True)

    def reload(self) -> None:
        table = self.query_one("#plans", FittedTable)
        keep = self.plan_id
        table.set_rows([(str(p.id), {"year": str(p.year), "level": t(f"plan_level.{p.level}"),
                                     "number": p.number, "kind": t(f"plan_kind.{p.kind}"),
                                     "visits": str(p.visits)})
                        for p in inspections.plans()])
        if keep and str(keep) in table.rows:
            table.move_cursor(row=table.get_row_index(str(keep)))
        if self.plan_id:
            self.show_plan(self.plan_id)

    @on(DataTable.RowHighlighted, "#plans")
    def _plan_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key is not None and event.row_key.value:
            self.plan_id = int(event.row_key.value)
            self.show_plan(self.plan_id)

    @on(DataTable.RowSelected, "#plans")
    def _plan_selected(self) -> None:
        self.query_one("#plan-visits").focus()

    def show_plan(self, plan_id: int) -> None:
        # The team by role, the leader with his title: two lines at 80 columns, never cut.
        by_role: dict[str, list[str]] = {}
        for m in inspections.team(plan_id):
            name = escape(m.name + (f", {m.title}" if m.title and m.role == "leader" else ""))
            by_role.setdefault(m.role, []).append(name)
        lines = [f"[b]{t(f'role.{role}')}[/b]: {', '.join(names)}" for role, names in by_role.items()]
        self.query_one("#plan-team", Static).update(
            "  ·  ".join(lines) if lines else t("ui.plans.no_team"))
        visits = self.query_one("#plan-visits", FittedTable)
        visits.set_rows([(str(v.id), {
            "unit": v.unit_name, "day": formats.date(v.held_on or v.scheduled_on),
            "status": t(f"visit_status.{v.status}"),
            "notice": notice_cell(v, self.today),
            "findings": str(v.findings), "open": str(v.open_tasks),
            "overdue": Cell(str(v.overdue_tasks), "bold red" if v.overdue_tasks else "")})
            for v in inspections.visits(self.today, plan_id=plan_id)])
        if self.focus_visit and self.focus_visit in visits.rows:
            visits.move_cursor(row=visits.get_row_index(self.focus_visit))

    @on(DataTable.RowSelected, "#plan-visits")
    def _visit_selected(self, event: DataTable.RowSelected) -> None:
        self.app.open_visit(int(event.row_key.value))

    def action_back(self) -> None:
        if self.focused is not None and self.focused.id == "plan-visits":
            self.query_one("#plans").focus()
        else:
            super().action_back()

    # --- recording a year's inspections ---------------------------------------

    def _plan_form(self, make, done) -> None:
        """Open a form on the plan under the cursor (if there is one)."""
        if self.plan_id is None:
            self.notify(t("ui.plan_form.no_plan"), severity="warning")
            return
        try:
            form = make(self.plan_id)
        except DomainError as error:
            self.notify(error.message(), severity="error")
            return
        self.app.push_screen(form, done)

    def _show_plan_row(self, plan_id: int) -> None:
        self.plan_id = plan_id
        self.focus_visit = None
        self.reload()
        self.query_one("#plans").focus()

    def action_new_plan(self) -> None:
        self.app.push_screen(PlanForm(self.actor, self.today), self._plan_created)

    def _plan_created(self, plan_id: int | None) -> None:
        if plan_id is None:
            return
        self._show_plan_row(plan_id)
        self.saved(t("ui.plan_form.created", number=inspections.get_plan(plan_id).number))

    def action_add_member(self) -> None:
        self._plan_form(lambda plan_id: MemberForm(plan_id, self.actor), self._member_added)

    def _member_added(self, member: inspections.MemberRow | None) -> None:
        if member is None:
            return
        self.reload()
        self.saved(t("ui.plan_form.member_added", name=member.name, role=t(f"role.{member.role}")))

    def action_add_visit(self) -> None:
        self._plan_form(lambda plan_id: VisitAddForm(plan_id, self.actor), self._visit_added)

    def _visit_added(self, visit_id: int | None) -> None:
        if visit_id is None:
            return
        self.focus_visit = str(visit_id)
        self.reload()
        self.query_one("#plan-visits").focus()
        self.saved(t("ui.plan_form.visit_added"))

    def action_next_year(self) -> None:
        self._plan_form(lambda plan_id: NextYearForm(plan_id, self.actor), self._next_year_started)

    def _next_year_started(self, result: tuple[int, bool] | None) -> None:
        if result is None:
            return
        plan_id, existed = result
        self._show_plan_row(plan_id)
        plan = inspections.get_plan(plan_id)
        self.saved(t("ui.plan_form.next_updated" if existed else "ui.plan_form.next_done",
                      year=plan.year, number=plan.number,
                      members=len(inspections.team(plan_id)),
                      visits=len(inspections.visits(self.today, plan_id=plan_id)),
                      tasks=len(inspections.carried_tasks(plan_id))))
