"""The inspector's working screen: a visit's findings, each with its tasks
inline. `f` adds a finding (and goes straight on to its first task), `t`
adds a task to the finding under the cursor; Enter opens a task. `r`
records the visit's outcome (status, day held, conclusion notice, strengths,
representatives...). `p` drafts its conclusion notice or minutes in Word.

Below the findings, the tasks earlier visits left open for the unit (its own
and those passed to it by a reorganisation): `k` records the one under the
cursor as remedied, `o` as not remedied, each one change (Ctrl+Z)."""
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from inspect_tui.locale import formats, t
from inspect_tui.rules import findings, followup, inspections, notices, tasks
from inspect_tui.rules.errors import DomainError
from inspect_tui.ui.screens.page import RecordPage
from inspect_tui.ui.screens.forms import ChoicePrompt, FindingForm, TaskForm
from inspect_tui.ui.screens.papers import draft_in_background
from inspect_tui.ui.screens.plan_forms import VisitOutcomeForm
from inspect_tui.ui.screens.tasks import clip, status_cell
from inspect_tui.ui.widgets.table import Cell, Col, FittedTable


class VisitScreen(RecordPage):
    SCOPE = "visit"
    KEY = "visit_id"
    FOCUS = "#findings"
    visit_id: int

    def __init__(self, visit_id: int) -> None:
        super().__init__(visit_id)
        self.focus_key: str | None = None  # the row to put the cursor on after a reload
        self.items: dict[int, followup.OpenItem] = {}  # what earlier visits left open, by task

    def body(self) -> ComposeResult:
        with Vertical(id="visit"):
            yield Static("", id="visit-facts")
            # At 80 columns the text gives way first; the unit, due date and status stay.
            yield FittedTable([Col("n", "#", max=3),
                               Col("text", t("ui.visit.col_text"), t("ui.visit.col_text_short"),
                                   flex=True, min=40, floor=26, max=200),
                               Col("area", t("ui.visit.col_area"), t("ui.tasks.col_unit"), min=12, max=30),
                               Col("due", t("column.due_on"), t("ui.tasks.col_due_short"), max=10),
                               Col("status", t("column.status"), max=22)],
                              id="findings", cursor_type="row")

    def reload(self) -> None:
        visit = inspections.visit_row(self.visit_id, self.today)
        notice = (f"{visit.notice_number} {formats.date(visit.notice_date)}".strip()
                  if visit.notice_number or visit.notice_date else t("ui.visit.no_notice"))
        state = notices.state(visit.held_on, visit.notice_date, self.today)
        if state in ("late", "due_week", "issued_late"):
            colour = "yellow" if state == "due_week" else "red"
            notice += f" · [{colour}]{t(f'notice_state.{state}')}[/]"
            if state != "issued_late" and visit.notice_due_on:
                notice += f" ({t('ui.visit.notice_due', day=formats.date(visit.notice_due_on))})"
        items = followup.open_items(self.visit_id, self.today)
        self.items = {i.task_id: i for i in items}
        self.query_one("#visit-facts", Static).update("\n".join([
            f"[b]{visit.unit_name}[/b] — {t(f'visit_status.{visit.status}')}"
            f" · {t('ui.visit.plan')} {visit.plan_number} ({visit.year})",
            f"{t('ui.visit.held_on')}: {formats.date(visit.held_on) or '–'} · "
            f"{t('ui.visit.notice')}: {notice}"
            + (f" · {t('ui.visit_form.minutes_ref')}: {visit.minutes_ref}" if visit.minutes_ref else ""),
            t("ui.visit.counts", findings=visit.findings, open=visit.open_tasks,
              overdue=visit.overdue_tasks)
            + (" · " + t("ui.visit.open_items_count", n=len(items),
                         checked=sum(1 for i in items if i.check)) if items else ""),
        ] + ([f"{t('ui.visit_form.assessment')}: {clip(visit.assessment, 150)}"]
             if visit.assessment else [])))
        table = self.query_one("#findings", FittedTable)
        rows = []
        for n, finding in enumerate(findings.of_visit(self.visit_id), start=1):
            text = finding.description
            if finding.repeats_id:  # tồn tại lặp lại: an earlier one, still unremedied
                text = f"({t('ui.visit.repeated')}) {text}"
            rows.append((f"f{finding.id}", {
                "n": Cell(str(n), "bold"), "text": Cell(text, "bold"),
                "area": f"{t(f'area_short.{finding.area}')} · {t(f'severity.{finding.severity}')}"}))
            for task in tasks.of_finding(finding.id, self.today):
                style = "bold red" if task.days_overdue else None
                rows.append((f"t{task.id}", {
                    "text": f"  └ {task.description}", "area": task.unit_name,
                    "due": formats.date(task.due_on), "status": status_cell(task.status, style)}))
        if items:
            rows.append(("open-items", {"text": Cell(t("ui.visit.open_items", n=len(items)),
                                                     "bold reverse")}))
        for item in items:
            where = t("ui.visit.from_visit", unit=item.visited_name, year=item.year)
            if item.passed_on:
                where = t("ui.visit.passed_on", unit=item.visited_name) + f" {item.year}"
            if item.check:
                status = Cell(t(f"check_result.{item.check}"),
                              "bold green" if item.check == "verified" else "bold dark_orange")
            else:
                status = status_cell(item.status, "bold red" if item.days_overdue else None)
            rows.append((f"c{item.task_id}", {
                "n": str(item.task_id), "text": f"{item.description} — {where}",
                "area": item.unit_name, "due": formats.date(item.due_on), "status": status}))
        table.set_rows(rows)
        if self.focus_key and self.focus_key in table.rows:
            table.move_cursor(row=table.get_row_index(self.focus_key))

    def _finding_at_cursor(self) -> int | None:
        table = self.query_one("#findings", DataTable)
        if not table.row_count:
            return None
        index = table.cursor_row
        keys = list(table.rows)
        while index >= 0:
            key = keys[index].value
            if key.startswith("f"):
                return int(key[1:])
            if key.startswith(("c", "open-items")):
                return None  # an earlier visit's task, not one of this visit's findings
            index -= 1
        return None

    # --- actions ------------------------------------------------------------

    def action_new_finding(self) -> None:
        self.app.push_screen(FindingForm(self.visit_id, self.actor), self._finding_added)

    def _finding_added(self, finding_id: int | None) -> None:
        if finding_id is None:
            return
        self.focus_key = f"f{finding_id}"
        self.reload()
        self.saved(t("ui.finding.added"))
        self._task_form(finding_id)

    def action_new_task(self) -> None:
        finding_id = self._finding_at_cursor()
        if finding_id is None:
            self.notify(t("ui.visit.no_finding"), severity="warning")
            return
        self._task_form(finding_id)

    def _task_form(self, finding_id: int) -> None:
        self.open_form(
            lambda: TaskForm(finding_id, self.actor, self.today, self.app.settings.due_days),
            self.after_form(lambda task_id: t("ui.task.added"), before=self._focus_task))

    def _focus_task(self, task_id: int) -> None:
        self.focus_key = f"t{task_id}"

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        if key.startswith(("t", "c")):
            self.app.open_task(int(key[1:]))

    def action_task_list(self) -> None:
        self.app.open_tasks(visit_id=self.visit_id)

    def action_record_outcome(self) -> None:
        self.open_form(lambda: VisitOutcomeForm(self.visit_id, self.actor, self.today),
                       self._outcome_recorded)

    def _outcome_recorded(self, changed: bool | None) -> None:
        if changed is None:
            return
        self.reload()
        if changed:
            self.saved(t("ui.visit_form.saved"))
        else:
            self.notify(t("ui.visit_form.unchanged"))

    # --- what earlier visits left open ---------------------------------------

    def action_check_item(self, result: str) -> None:
        table = self.query_one("#findings", DataTable)
        key = list(table.rows)[table.cursor_row].value if table.row_count else ""
        item = self.items.get(int(key[1:])) if key.startswith("c") else None
        if item is None:
            self.notify(t("ui.visit.not_open_item"), severity="warning")
            return
        try:
            followup.check_item(self.visit_id, item.task_id, result, self.actor, self.today,
                                expected_version=item.version)
        except DomainError as error:
            self.notify(error.message(), severity="error")
            self.reload()  # a colleague's change: show the record as it is now
            return
        self.focus_key = key
        self.reload()
        self.saved(t("ui.visit.checked", id=item.task_id, result=t(f"check_result.{result}")))

    # --- papers ---------------------------------------------------------------

    def action_draft_paper(self) -> None:
        visit = inspections.visit_row(self.visit_id, self.today)
        choices = [(t("papers.kind.notice").capitalize(), "notice"),
                   (t("papers.kind.minutes").capitalize(), "minutes")]
        self.app.push_screen(ChoicePrompt(t("ui.visit.paper_title", unit=visit.unit_name), choices),
                             self._paper_chosen)

    def _paper_chosen(self, paper: str | None) -> None:
        if paper is None:
            return
        from inspect_tui.papers.commands import draft_visit_paper
        draft_in_background(self.app, t(f"papers.kind.{paper}"),
                            lambda settings: draft_visit_paper(paper, self.visit_id, settings))
