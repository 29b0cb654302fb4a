"""What every dialog shares (forms, export, import): a framed form over the
screen that scrolls on small terminals, Escape to close, one Ctrl+S action.

The export and import dialogs run their work in the app's workers, not the
dialog's, so closing them early does not stop it; its end is then announced
by a notification."""
from textual.binding import Binding, BindingsMap
from textual.screen import ModalScreen

from inspect_tui.locale import t


class Dialog(ModalScreen):
    DEFAULT_CSS = """
    Dialog { align: center middle; }
    Dialog > #form { width: 80; max-width: 100%; height: auto; max-height: 100%;
                         border: thick $accent; background: $surface; padding: 0 1; }
    Dialog #form-title { text-style: bold; margin-bottom: 1; }
    Dialog #form-keys { color: $text-muted; }
    """

    def __init__(self, scope: str, action: str, close: str = "close") -> None:
        """Ctrl+S runs `action`; the keys' texts are ui.<scope>.<close> and ui.<scope>.<action>."""
        super().__init__()
        # Bound here, not in BINDINGS, so the keys speak the current language.
        self._bindings = BindingsMap.merge([self._merged_bindings, BindingsMap([
            Binding("escape", "close", t(f"ui.{scope}.{close}"), id=f"{scope}.{close}"),
            Binding("ctrl+s", action, t(f"ui.{scope}.{action}"), id=f"{scope}.{action}"),
        ])])

    def action_close(self) -> None:
        self.dismiss(None)
