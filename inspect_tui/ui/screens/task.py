"""One remediation task: what the finding was, who must act by when, its
progress notes and its history; status moves and notes from here."""
import datetime as dt

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Label, Static

from inspect_tui.locale import formats, t
from inspect_tui.rules import audit, tasks
from inspect_tui.rules.errors import DomainError
from inspect_tui.store.models import Unit
from inspect_tui.ui.screens.base import BaseScreen
from inspect_tui.ui.screens.forms import ChoicePrompt, TaskEditForm, TextPrompt

HIDDEN_FIELDS = {"search_text", "version", "created_at"}


class TaskScreen(BaseScreen):
    SCOPE = "task"

    def __init__(self, task_id: int) -> None:
        super().__init__(task_id)
        self.task_id = task_id
        self.row: tasks.TaskRow | None = None

    def compose(self) -> ComposeResult:
        yield self.header()
        with VerticalScroll(id="task-detail"):
            yield Static("", id="task-facts")
            yield Label(t("ui.task.notes"), classes="section")
            yield DataTable(id="notes", cursor_type="row", show_cursor=False)
            yield Label(t("ui.task.history"), classes="section")
            yield DataTable(id="history", cursor_type="row", show_cursor=False)
        yield self.footer()

    def on_mount(self) -> None:
        self.sub_title = t("ui.screen.task", id=self.task_id)
        self.query_one("#notes", DataTable).add_columns(t("ui.task.noted_on"), t("ui.task.author"),
                                                        t("column.text"))
        self.query_one("#history", DataTable).add_columns(t("ui.task.at"), t("ui.task.author"),
                                                          t("ui.task.field"), t("ui.task.old"),
                                                          t("ui.task.new_value"))

    def reload(self) -> None:
        row = self.row = tasks.row(self.task_id, self.today)
        late = (t("ui.task.late", n=formats.number(row.days_overdue))
                if row.days_overdue else t(f"bucket.{row.bucket}") if row.bucket else "")
        facts = [
            f"[b]{t('ui.task.heading', id=row.id)}[/b]  {t(f'task_status.{row.status}')}  "
            f"[bold red]{late}[/]",
            f"[b]{t('column.description')}:[/b] {row.description}",
            f"[b]{t('column.unit')}:[/b] {row.unit_name} ({row.unit_code})",
            f"[b]{t('column.due_on')}:[/b] {formats.date(row.due_on)}"
            + (f"   [b]{t('column.completed_on')}:[/b] {formats.date(row.completed_on)}"
               if row.completed_on else ""),
            f"[b]{t('column.assignee')}:[/b] {row.assignee or t('ui.task.nobody')}",
            "",
            f"[b]{t('column.finding')}[/b] ({t(f'area_short.{row.area}')}, "
            f"{row.visited_name}, {row.year}): {row.finding}",
            f"[b]{t('column.recommendation')}:[/b] {row.recommendation or '–'}",
        ]
        if row.status_reason:
            facts.append(f"[b]{t('ui.task.reason')}:[/b] {row.status_reason}")
        moves = tasks.allowed_moves(row.status)
        if moves:
            facts.append("")
            facts.append(t("ui.task.can_move", moves=", ".join(self._move_label(m) for m in moves)))
        self.query_one("#task-facts", Static).update("\n".join(facts))
        notes = self.query_one("#notes", DataTable)
        notes.clear()
        for note in tasks.notes(self.task_id):
            notes.add_row(formats.date(note.noted_on), note.author, note.text)
        history = self.query_one("#history", DataTable)
        history.clear()
        for change in audit.history("task", self.task_id):
            if change.field in HIDDEN_FIELDS or (change.action == "create"
                                                  and change.new in (None, '""')):
                continue
            history.add_row(formats.datetime(change.at), change.actor,
                            t(f"ui.field.{change.field}") if change.field else change.action,
                            self._value(change.field, change.old), self._value(change.field, change.new))

    def _value(self, field: str, raw: str | None) -> str:
        import json
        if raw is None:
            return ""
        value = json.loads(raw)
        if field == "status":
            return t(f"task_status.{value}")
        if field == "responsible_unit":
            unit = Unit.get_or_none(Unit.id == value)
            return unit.name if unit else str(value)
        if field in ("due_on", "completed_on") and value:
            return formats.date(dt.date.fromisoformat(value))
        if field == "finding":
            return f"#{value}"
        return str(value)

    def _move_label(self, status: str) -> str:
        current = self.row.status if self.row else ""
        if status == "in_progress" and current in ("reported_done", "verified"):
            return t("task_move.reopen")
        return t(f"task_move.{status}")

    # --- actions ------------------------------------------------------------

    def action_move(self) -> None:
        moves = tasks.allowed_moves(self.row.status)
        if not moves:
            self.notify(t("ui.task.no_moves"), severity="warning")
            return
        self.app.push_screen(ChoicePrompt(t("ui.task.move_title"),
                                          [(self._move_label(m), m) for m in moves]), self._chosen)

    def _chosen(self, status: str | None) -> None:
        if not status:
            return
        if tasks.needs_reason(self.row.status, status):
            self.app.push_screen(TextPrompt(self._move_label(status), t("ui.task.reason")),
                                 lambda reason: reason and self._move(status, reason))
        else:
            self._move(status, "")

    def _move(self, status: str, reason: str) -> None:
        try:
            tasks.move(self.task_id, status, self.actor, self.today, reason=reason,
                       expected_version=self.row.version)
        except DomainError as error:
            self._refused(error)
            return
        self.notify(t("ui.task.moved", status=t(f"task_status.{status}")))
        self.reload()

    def _refused(self, error: DomainError) -> None:
        self.notify(error.message(), severity="error")
        self.reload()  # if someone else changed the task, show what it is now

    def action_note(self) -> None:
        self.app.push_screen(TextPrompt(t("ui.task.note_title"), t("column.text")), self._noted)

    def _noted(self, text: str | None) -> None:
        if not text:
            return
        try:
            tasks.add_note(self.task_id, text, self.actor, self.today,
                           expected_version=self.row.version)
        except DomainError as error:
            self._refused(error)
            return
        self.notify(t("ui.task.noted"))
        self.reload()

    def action_edit(self) -> None:
        self.app.push_screen(TaskEditForm(self.row, self.actor, self.today), self._edited)

    def _edited(self, changed: bool | None) -> None:
        if changed is None:
            return
        self.notify(t("ui.task.edited") if changed else t("ui.task.unchanged"))
        self.reload()

    def action_open_visit(self) -> None:
        self.app.open_visit(self.row.visit_id)
