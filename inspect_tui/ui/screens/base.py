"""What every screen of the app shares: localized bindings from the keymap,
a way to rebuild itself (language switch) and to reload its data (undo)."""
from textual.screen import Screen
from textual.widgets import Header

from inspect_tui.locale import t
from inspect_tui.ui import keymap
from inspect_tui.ui.widgets.footer import WrappingFooter


class BaseScreen(Screen):
    SCOPE = ""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__()
        self._args = (args, kwargs)
        self._bindings = keymap.bindings(self.SCOPE, self._merged_bindings)

    def clone(self) -> "BaseScreen":
        args, kwargs = self._args
        return type(self)(*args, **kwargs)

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

    def reload(self) -> None:
        """Fetch the screen's data again (after undo or a change elsewhere)."""

    def on_screen_resume(self) -> None:
        self.reload()

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
