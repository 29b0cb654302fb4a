"""What the export and import dialogs share: a framed form over the screen that
scrolls on small terminals, Escape to close, one Ctrl+S action.

Their work runs in the app's workers, not the dialog's, so closing a dialog
early does not stop it; its end is then announced by a notification."""
from textual.binding import Binding, BindingsMap
from textual.screen import ModalScreen

from inspect_tui.locale import t


class WorkDialog(ModalScreen):
    DEFAULT_CSS = """
    WorkDialog { align: center middle; }
    WorkDialog > #form { width: 80; max-width: 100%; height: auto; max-height: 100%;
                         border: thick $accent; background: $surface; padding: 0 1; }
    WorkDialog #form-title { text-style: bold; margin-bottom: 1; }
    WorkDialog #form-keys { color: $text-muted; margin: 1 0 0 0; }
    """

    def __init__(self, settings, scope: str, action: str) -> None:
        """`scope` names the locale table (ui.<scope>.close, ui.<scope>.<action>)."""
        super().__init__()
        self.settings = settings
        self.running = False
        # Bound here, not in BINDINGS, so the keys speak the current language.
        self._bindings = BindingsMap.merge([self._merged_bindings, BindingsMap([
            Binding("escape", "close", t(f"ui.{scope}.close"), id=f"{scope}.close"),
            Binding("ctrl+s", action, t(f"ui.{scope}.{action}"), id=f"{scope}.{action}"),
        ])])

    def action_close(self) -> None:
        self.dismiss(None)
