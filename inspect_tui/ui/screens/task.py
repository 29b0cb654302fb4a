"""One remediation task: what the finding was, who must act by when, its
progress notes and its history; status moves and notes from here."""
import datetime as dt

from textual.widget import Widget

from inspect_tui.locale import formats, t
from inspect_tui.rules import audit, tasks, units
from inspect_tui.rules.errors import DomainError
from inspect_tui.ui.screens.page import DetailPage
from inspect_tui.ui.screens.forms import ChoicePrompt, TaskEditForm, TextPrompt
from inspect_tui.ui.widgets.table import Col, FittedTable

HIDDEN_FIELDS = {"search_text", "version", "created_at"}


class TaskScreen(DetailPage):
    SCOPE = "task"
    KEY = "task_id"
    TITLE_ARG = "id"
    FOCUS = "#task-detail"
    task_id: int
    row: tasks.TaskRow | None = None  # the task as the last reload read it

    def sections(self) -> list[tuple[str, Widget]]:
        # One page that scrolls as a whole (↑ ↓ PgUp PgDn Home End): the notes and
        # the history show every row, the newest first, so what was just done
        # (or undone) is in view.
        return [
            (t("ui.task.notes"),
             FittedTable([Col("on", t("ui.task.noted_on"), max=10),
                          Col("author", t("ui.task.author"), min=8, max=16),
                          Col("text", t("column.text"), flex=True, wrap=True, min=20, max=400)],
                         id="notes", cursor_type="row", show_cursor=False, grows=True)),
            (t("ui.task.history"),
             FittedTable([Col("at", t("ui.task.at"), max=16),
                          Col("author", t("ui.task.author"), min=8, max=16, drop=1),
                          Col("field", t("ui.task.field"), min=10, max=24),
                          Col("old", t("ui.task.old"), flex=True, wrap=True, min=12, max=200),
                          Col("new", t("ui.task.new_value"), min=12, max=40, wrap=True)],
                         id="history", cursor_type="row", show_cursor=False, grows=True)),
        ]

    def on_mount(self) -> None:
        # Before Page's: the page scrolls, not the tables.
        for table in self.query(FittedTable):
            table.can_focus = False

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
        self.show_facts(facts)
        self.query_one("#notes", FittedTable).set_rows([
            (None, {"on": formats.date(n.noted_on), "author": n.author, "text": n.text})
            for n in reversed(tasks.notes(self.task_id))])
        changes = [c for c in audit.history("task", self.task_id)
                   if c.field not in HIDDEN_FIELDS
                   and not (c.action == "create" and c.new in (None, '""'))]
        self.query_one("#history", FittedTable).set_rows([
            (None, {"at": formats.datetime(c.at), "author": c.actor,
                    "field": t(f"ui.field.{c.field}") if c.field else c.action,
                    "old": self._value(c.field, c.old), "new": self._value(c.field, c.new)})
            for c in reversed(changes)])

    def _value(self, field: str, raw: str | None) -> str:
        import json
        if raw is None:
            return ""
        value = json.loads(raw)
        if field == "status":
            return t(f"task_status.{value}")
        if field == "responsible_unit":
            return units.name_by_id(value) or str(value)
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
        self.app.push_screen(ChoicePrompt(
            t("ui.task.move_title", id=self.task_id, status=t(f"task_status.{self.row.status}")),
            [(self._move_label(m), m) for m in moves], note=t("ui.task.move_note", undo=self.app.undo_key())), self._chosen)

    def _chosen(self, status: str | None) -> None:
        if not status:
            return
        if tasks.needs_reason(self.row.status, status):
            # Cancelling is confirmed by saving its reason; the prompt says so.
            note = t("ui.task.cancel_note") if status == "cancelled" else ""
            title = (t("ui.task.cancel_title", id=self.task_id) if status == "cancelled"
                     else self._move_label(status))
            self.app.push_screen(TextPrompt(title, t("ui.task.reason"), note=note),
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
        self.saved(t("ui.task.moved", status=t(f"task_status.{status}")))
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
        self.saved(t("ui.task.noted"))
        self.reload()

    def action_edit(self) -> None:
        self.app.push_screen(TaskEditForm(self.row, self.actor, self.today), self._edited)

    def _edited(self, changed: bool | None) -> None:
        if changed is None:
            return
        if changed:
            self.saved(t("ui.task.edited"))
        else:
            self.notify(t("ui.task.unchanged"))
        self.reload()

    def action_open_visit(self) -> None:
        self.app.open_visit(self.row.visit_id)
