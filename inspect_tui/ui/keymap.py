"""Every key binding, with an id a user can remap in config.toml:

    [keys]
    "tasks.overdue" = "O"
    "app.undo" = "ctrl+u"
    "form.save" = "ctrl+enter"

This table is what binds (`keyed` makes a screen's or dialog's BINDINGS from
it) and what `known_ids` reports, so an id it binds is never "unknown". The
app applies the user's keys with Textual's `App.set_keymap`, by these ids.

Descriptions come from the locale (`ui.key.<id>`, a dialog's from its own
texts). Textual reads BINDINGS when a class is made, so a screen is made from
a subclass of its class holding the keys in the current language (`keyed`);
switching language rebuilds the screens, and with them the footer.
"""
import types
from dataclasses import dataclass

from textual.binding import Binding

from inspect_tui.locale import language, t


@dataclass(frozen=True)
class Action:
    scope: str
    name: str
    key: str
    action: str
    show: bool = True
    palette: bool = True  # offered in the command palette too
    priority: bool = False
    text: str = ""  # the label's locale key, when it is not ui.key.<id> (the dialogs' keys)

    @property
    def id(self) -> str:
        return f"{self.scope}.{self.name}"

    @property
    def title(self) -> str:
        return t(self.text or f"ui.key.{self.scope}.{self.name}")

    @property
    def help(self) -> str:
        return t(f"ui.help.{self.scope}.{self.name}")

    def binding(self) -> Binding:
        return Binding(self.key, self.action, self.title, show=self.show,
                       priority=self.priority, id=self.id)


ACTIONS: tuple[Action, ...] = (
    Action("app", "overview", "1", "app.go('overview')"),
    Action("app", "units", "2", "app.go('units')"),
    Action("app", "plans", "3", "app.go('plans')"),
    Action("app", "tasks", "4", "app.go('tasks')"),
    Action("app", "workplan", "5", "app.go('workplan')"),
    Action("app", "indicators", "6", "app.go('indicators')"),
    Action("app", "undo", "ctrl+z", "app.undo"),
    Action("app", "language", "f2", "app.switch_language"),
    Action("app", "theme", "f3", "app.toggle_theme"),
    Action("app", "export", "f4", "app.export"),
    Action("app", "import", "f5", "app.import"),
    Action("app", "quit", "ctrl+q", "app.quit"),
    # Shown by every screen; the app binds it too (hidden), so it opens over a dialog as well.
    Action("app", "palette", "ctrl+p", "command_palette", palette=False, priority=True),
    Action("overview", "reload", "r", "reload"),
    Action("overview", "remind", "d", "draft_reminders"),
    Action("overview", "report", "b", "draft_report"),
    Action("tasks", "overdue", "o", "quick('overdue')"),
    Action("tasks", "due_week", "w", "quick('due_week')"),
    Action("tasks", "awaiting", "v", "quick('awaiting')"),
    Action("tasks", "unassigned", "n", "quick('unassigned')"),
    Action("tasks", "active", "a", "quick('active')"),
    Action("tasks", "clear", "x", "clear_filters"),
    Action("tasks", "sort", "s", "cycle_sort"),
    Action("tasks", "search", "slash", "focus_search"),
    Action("tasks", "filters", "f", "toggle_filters"),
    Action("tasks", "back", "escape", "back"),
    Action("task", "move", "m", "move"),
    Action("task", "note", "n", "note"),
    Action("task", "edit", "e", "edit"),
    Action("task", "visit", "g", "open_visit"),
    Action("task", "back", "escape", "back"),
    Action("visit", "finding", "f", "new_finding"),
    Action("visit", "task", "t", "new_task"),
    Action("visit", "tasks", "l", "task_list"),
    Action("visit", "record", "r", "record_outcome"),
    Action("visit", "paper", "p", "draft_paper"),
    Action("visit", "verified", "k", "check_item('verified')"),
    Action("visit", "still_open", "o", "check_item('still_open')"),
    Action("visit", "back", "escape", "back"),
    Action("units", "date", "d", "focus_date"),
    Action("units", "today", "h", "reset_date"),
    Action("units", "add", "a", "add_unit"),
    Action("units", "edit", "e", "edit_unit"),
    Action("units", "end", "x", "end_unit"),
    Action("units", "reorganise", "r", "reorganise"),
    Action("units", "reassign", "g", "reassign"),
    Action("units", "back", "escape", "back"),
    Action("unit", "tasks", "t", "unit_tasks"),
    Action("unit", "overdue", "o", "unit_overdue"),
    Action("unit", "back", "escape", "back"),
    Action("plans", "new_plan", "n", "new_plan"),
    Action("plans", "member", "m", "add_member"),
    Action("plans", "visit", "v", "add_visit"),
    Action("plans", "next_year", "y", "next_year"),
    Action("plans", "back", "escape", "back"),
    Action("workplan", "back", "escape", "back"),
    Action("item", "milestone", "m", "milestone"),
    Action("item", "note", "n", "note"),
    Action("item", "back", "escape", "back"),
    Action("indicators", "back", "escape", "back"),
)


def _dialog(scope: str, close: str, work: str,
            *more: tuple[str, str, str, str]) -> tuple[Action, ...]:
    """A dialog's keys: Escape closes it (the key's name is `close`), Ctrl+S runs its
    action `work` (dialog.py), then a few of its own as (name, key, action, label).
    Labels are the dialog's texts, ui.<scope>.<label>; hidden from the palette."""
    keys = ((close, "escape", "close", close), (work, "ctrl+s", work, work), *more)
    return tuple(Action(scope, name, key, action, palette=False, text=f"ui.{scope}.{label}")
                 for name, key, action, label in keys)


DIALOG_KEYS: tuple[Action, ...] = (
    *_dialog("form", "cancel", "save"),
    *_dialog("export", "close", "start"),
    *_dialog("import", "close", "apply"),
    *_dialog("reorg", "back", "apply", ("by_unit", "u", "by_unit", "by_unit_key")),
    *_dialog("reassign", "close", "save", ("mark", "space", "mark", "mark")),
)


def of_scope(scope: str) -> list[Action]:
    return [a for a in ACTIONS + DIALOG_KEYS if a.scope == scope]


def known_ids() -> set[str]:
    """Every id this table binds: what config.toml's [keys] may remap."""
    return {a.id for a in ACTIONS + DIALOG_KEYS}


def palette_binding() -> Binding:
    """Ctrl+P for the app itself, hidden: the screens show it (scope "app")."""
    palette = next(a for a in ACTIONS if a.id == "app.palette")
    return Binding(palette.key, palette.action, show=False, priority=True, system=True,
                   id=palette.id)


_keyed: dict[tuple[type, tuple[str, ...], str], type] = {}


def plain(cls: type) -> type:
    """The class a `keyed` class was made from (itself if it is not one)."""
    return cls.__dict__.get("_keyed_from", cls)


def keyed(cls: type, scopes: tuple[str, ...]) -> type:
    """`cls` with the bindings of `scopes`, labelled in the current language, as
    its BINDINGS (after the class's own). Made once per class and language."""
    base = plain(cls)
    cache_key = (base, scopes, language())
    if cache_key not in _keyed:
        own = {"BINDINGS": [a.binding() for scope in scopes for a in of_scope(scope)],
               "_keyed_from": base, "__module__": base.__module__,
               "__qualname__": base.__qualname__}
        _keyed[cache_key] = types.new_class(base.__name__, (base,),
                                            exec_body=lambda ns: ns.update(own))
    return _keyed[cache_key]
