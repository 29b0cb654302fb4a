"""What every screen of the app shares: localized bindings from the keymap
(its own and the app's), a way to rebuild itself (language switch) and to
reload its data (undo)."""
from textual.screen import Screen
from textual.widgets import Header
from textual.worker import Worker, WorkerState

from inspect_tui.locale import t
from inspect_tui.rules.errors import DomainError
from inspect_tui.ui import keymap
from inspect_tui.ui.widgets.footer import WrappingFooter


class BaseScreen(Screen):
    SCOPE = ""

    def __new__(cls, *args, **kwargs):
        # Made from the class whose BINDINGS are the keymap's for this screen and
        # for the app, in the current language (keymap.keyed).
        return super().__new__(keymap.keyed(cls, (cls.SCOPE, "app")))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__()
        self._args = (args, kwargs)

    def clone(self) -> "BaseScreen":
        """This screen anew, with its keys in the current language."""
        args, kwargs = self._args
        return keymap.plain(type(self))(*args, **kwargs)

    @property
    def today(self):
        return self.app.settings.today

    @property
    def actor(self) -> str:
        return self.app.settings.user

    def header(self) -> Header:
        return Header(show_clock=False, icon="")

    def footer(self) -> WrappingFooter:
        # The palette key is one of our bindings (app.palette), shown in line with the rest.
        return WrappingFooter(compact=True, show_command_palette=False)

    def action_command_palette(self) -> None:
        """Ctrl+P as the footer shows it (the app's own binding runs first)."""
        self.app.action_command_palette()

    def reload(self) -> None:
        """Fetch the screen's data again (after undo or a change elsewhere)."""

    def on_screen_resume(self) -> None:
        # The one handler: Textual calls an on_screen_resume of every class in
        # the MRO, so a screen that reads less on resume overrides `resumed`.
        self.resumed()

    def resumed(self) -> None:
        """Back on this screen (a dialog or a pushed screen closed): read it again."""
        self.reload()

    @property
    def shown(self) -> bool:
        """Still on the app's stack: a screen being replaced is attached until its
        widgets are gone, so a worker's result must not be drawn on it."""
        return self.is_attached and self in self.app.screen_stack

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Workers read with exit_on_error=False: a failed read is one line, not a traceback.
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            detail = error.message() if isinstance(error, DomainError) else f"{type(error).__name__}: {error}"
            self.notify(t("ui.read_failed", detail=detail), severity="error")

    def saved(self, message: str) -> None:
        """Tell what was just written, and that Ctrl+Z takes it back."""
        self.notify(f"{message} {t('ui.undo_hint', undo=self.app.undo_key())}")

    def action_back(self) -> None:
        """Escape: back to the screen this one was opened from; from a main
        screen (keys 2-6), back to the overview."""
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
        elif self.SCOPE != "overview":
            # On the app's queue: this screen is replaced, so not from its own handler.
            self.app.call_later(self.app.action_go, "overview")
