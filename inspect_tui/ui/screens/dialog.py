"""What every dialog shares (forms, export, import): a framed form over the
screen that scrolls on small terminals, Escape to close, one Ctrl+S action.

The export and import dialogs run their work in the app's workers, not the
dialog's, so closing them early does not stop it; its end is then announced
by a notification."""
from textual.screen import ModalScreen

from inspect_tui.ui import keymap


class Dialog(ModalScreen):
    DEFAULT_CSS = """
    Dialog { align: center middle; }
    Dialog > #form { width: 80; max-width: 100%; height: auto; max-height: 100%;
                         border: thick $accent; background: $surface; padding: 0 1; }
    Dialog #form-title { text-style: bold; margin-bottom: 1; }
    Dialog #form-keys { color: $text-muted; }
    """

    def __init__(self, scope: str, action: str = "", close: str = "") -> None:
        """The keys are the keymap's for `scope` (keymap.DIALOG_KEYS: Escape closes,
        Ctrl+S runs the dialog's action, a few have more); `action` and `close`,
        when named, must be among them."""
        known = keymap.known_ids()
        unbound = [name for name in (action, close) if name and f"{scope}.{name}" not in known]
        if unbound:
            raise ValueError(f"keymap.DIALOG_KEYS binds no {scope}.{unbound[0]}")
        # Textual reads bindings from the class: this dialog takes its class's
        # variant with the scope's keys in the current language (keymap.keyed).
        self.__class__ = keymap.keyed(type(self), (scope,))
        super().__init__()

    def action_close(self) -> None:
        self.dismiss(None)
