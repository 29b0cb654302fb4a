"""What the export and import dialogs share: their work runs in a thread
worker (its group the dialog's scope, "export" or "import") with its own
connection, and ends in a typed message the worker posts the dialog. A
failure, expected (a rule's refusal, a file it cannot read or write) or not,
ends as `Failed`, said with ui.<scope>.failed, by a notification too: a
dialog closed meanwhile never handles the message."""
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from textual.message import Message
from textual.worker import Worker, WorkerState

from inspect_tui.locale import t
from inspect_tui.rules import database
from inspect_tui.rules.errors import DomainError
from inspect_tui.ui.screens.dialog import Dialog

Result = TypeVar("Result")


class WorkerDialog(Dialog):
    @dataclass
    class Failed(Message, bubble=False):
        """The work failed: `message` says why."""
        message: str

    def __init__(self, scope: str, action: str, settings) -> None:
        super().__init__(scope, action)
        self.scope = scope
        self.settings = settings
        self.running = False  # the work is under way: its key does nothing until it ends

    def guarded(self, work: Callable[[], Result], lang: str | None = None) -> Result | None:
        """In the worker thread: `work()` on the thread's own connection, or, when it
        fails as expected, None once the failure is said (notify is safe from a thread)."""
        try:
            with database.worker_connection():
                return work()
        except (DomainError, OSError) as error:
            detail = error.message(lang) if isinstance(error, DomainError) else str(error)
            message = t(f"ui.{self.scope}.failed", detail=detail)
        self.app.notify(message, severity="error", timeout=10)
        self.post_message(self.Failed(message))
        return None

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # An unexpected failure (an expected one is a Failed message): said, not a crash.
        if event.state == WorkerState.ERROR and event.worker.group == self.scope:
            message = t(f"ui.{self.scope}.failed", detail=repr(event.worker.error))
            self.app.notify(message, severity="error", timeout=10)
            self.on_worker_dialog_failed(self.Failed(message))

    def on_worker_dialog_failed(self, message: Failed) -> None:
        self.running = False
        self.show_error(message.message)

    def ready(self, fields) -> bool:
        """Whether the work may start: it is not under way, and every field of
        `fields` is valid (else the dialog says to fix them)."""
        if self.running:
            return False
        if not all([f.valid() for f in fields]):
            self.show_error(t("ui.form.fix_fields"))
            return False
        return True

    def show_error(self, message: str) -> None:
        """Say in the dialog why the work cannot start, or failed."""
